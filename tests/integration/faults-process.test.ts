// Fault injection on the portal process itself (src/server.ts, spawned for real): killed with
// SIGKILL in the middle of a load and started again, and stopped with SIGTERM while requests are
// in flight and emails are waiting.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query, truncateAll } from '../helpers/database.ts';
import { incompleteCases } from '../helpers/faults-database.ts';
import {
  fresh,
  heldSubmission,
  inParallel,
  isConfirmed,
  NoResponseError,
  referenceIn,
  residentsLike,
  residentsWithDrafts,
  type Resident,
} from '../helpers/faults-http.ts';
import {
  connectionRefused,
  exitWithin,
  freePort,
  killAllPortals,
  removeLogs,
  startPortal,
  tail,
  type PortalProcess,
} from '../helpers/faults-process.ts';
import { deliveriesByReference, FaultySmtp } from '../helpers/faults-smtp.ts';

const incidents = 2;
const smtp = new FaultySmtp();
// Every resident here shares 127.0.0.1: the per-address limit on submissions is lifted.
// A hung send gives up after 700 ms (the default is 10 s), which keeps the hanging cases quick.
// Claims on emails hold two seconds unless renewed (the live worker renews them while it sends).
const env = { RATE_LIMIT_SUBMISSIONS_PER_IP: '100000', SMTP_TIMEOUT_MS: '700', OUTBOX_LEASE_SECONDS: '2' };
/** The portal the SIGKILL test restarted: the SIGTERM test stops that one rather than start another. */
let restarted: PortalProcess | null = null;

beforeAll(async () => {
  await smtp.begin('up');
});

afterAll(async () => {
  await killAllPortals();
  await smtp.end();
  removeLogs();
});

/** What one press of "Accept and send" got: the confirmation (and its reference), a page, or nothing. */
interface Sent {
  resident: Resident;
  confirmed: boolean;
  reference: string | null;
  status: number | string;
}

async function sendAndFollow(resident: Resident): Promise<Sent> {
  try {
    // A new connection each time: a refusal or a reset then means this request, not a stale socket.
    const sent = await resident.send(fresh);
    if (!isConfirmed(sent)) return { resident, confirmed: false, reference: null, status: sent.status };
    const page = await resident.get('/apply/confirmation');
    return { resident, confirmed: true, reference: referenceIn(page.text), status: sent.status };
  } catch (error) {
    if (error instanceof NoResponseError) return { resident, confirmed: false, reference: null, status: error.code };
    throw error;
  }
}

/** Marks the end of each phase of a test, for its summary line (where the time goes). */
function phases() {
  let last = Date.now();
  const marks: string[] = [];
  const mark = (name: string) => {
    marks.push(`${name} ${((Date.now() - last) / 1000).toFixed(1)} s`);
    last = Date.now();
  };
  return Object.assign(mark, { summary: () => marks.join(', ') });
}

async function residentsReady(origin: string, count: number, from: number): Promise<Resident[]> {
  const typed = await residentsWithDrafts(origin, 3, { from, incidents });
  return [...typed, ...(await residentsLike(typed[0] as Resident, count - typed.length, { from: from + typed.length }))];
}

describe('the portal process killed with SIGKILL in the middle of a load, then started again', () => {
  it('loses no confirmed case, makes no second one on resubmission, and sends what the dead process had claimed', async () => {
    const mark = phases();
    await truncateAll();
    const port = await freePort();
    // The mail server hangs, so the worker is holding a claimed batch when the process dies.
    await smtp.set('hanging');
    const first = await startPortal({ name: 'sigkill-first', port, smtpPort: smtp.port, env: { ...env, SMTP_TIMEOUT_MS: '5000' } });
    const load = 40;
    const residents = await residentsReady(first.origin, load, 1);
    mark('started and drafts ready');

    let killedAt = 0;
    let confirmedSoFar = 0;
    const firstTry = await inParallel(residents.length, 10, async (i) => {
      const result = await sendAndFollow(residents[i] as Resident);
      // Mid-load: once a third of the residents have been confirmed, the process is killed.
      if (!killedAt && result.confirmed && ++confirmedSoFar >= load / 3) {
        killedAt = Date.now();
        first.child.kill('SIGKILL');
      }
      return result;
    });
    const exit = await exitWithin(first, 10_000);
    mark('submitted until the kill');
    expect(exit.signal).toBe('SIGKILL');
    const confirmedBefore = firstTry.filter((sent) => sent.confirmed && sent.reference);
    const cutOff = firstTry.filter((sent) => !sent.confirmed);
    expect(confirmedBefore.length).toBeGreaterThanOrEqual(load / 3);
    expect(cutOff.length).toBeGreaterThan(0); // the kill really landed mid-load
    // Those cut off got no page at all: the connection was reset or refused.
    expect(cutOff.every((sent) => typeof sent.status === 'string')).toBe(true);

    // The dead process left emails claimed ("sending", locked by its worker).
    const claimed = await query<{ id: string; locked_by: string }>("SELECT id, locked_by FROM outbox_message WHERE status = 'sending'");
    expect(claimed.length).toBeGreaterThan(0);
    const deadWorker = claimed[0]?.locked_by;

    // Every confirmation the residents saw is a case in the database, under that reference.
    const savedBefore = await query<{ submission_key: string; reference: string }>('SELECT submission_key, reference FROM "case"');
    const referenceByKey = new Map(savedBefore.map((row) => [row.submission_key, row.reference]));
    for (const sent of confirmedBefore) expect(referenceByKey.get(sent.resident.submissionKey)).toBe(sent.reference);
    expect(await incompleteCases(incidents)).toEqual([]);

    // Started again on the same port, the mail server back.
    await smtp.set('up');
    const second = await startPortal({ name: 'sigkill-second', port, smtpPort: smtp.port, env });
    restarted = second;
    mark('restarted');
    // The dead worker's claims hold for their lease (OUTBOX_LEASE_SECONDS, two seconds here) and
    // no longer: nothing moves them along, the new process simply takes them once it has run out.

    // Every resident presses "Accept and send" again (refresh, or back and send).
    const secondTry = await inParallel(residents.length, 10, (i) => sendAndFollow(residents[i] as Resident));
    mark('resubmitted');
    expect(secondTry.filter((sent) => !sent.confirmed).map((sent) => sent.status)).toEqual([]);
    // Those already confirmed see their original case, not a new one.
    for (const sent of confirmedBefore) expect(secondTry[residents.indexOf(sent.resident)]?.reference).toBe(sent.reference);

    // One case per resident: none lost, none doubled, none half-saved.
    const cases = await query<{ submission_key: string; reference: string }>('SELECT submission_key, reference FROM "case"');
    expect(cases).toHaveLength(load);
    expect(new Set(cases.map((row) => row.submission_key)).size).toBe(load);
    expect(await incompleteCases(incidents)).toEqual([]);
    const finalReference = new Map(cases.map((row) => [row.submission_key, row.reference]));
    for (const sent of secondTry) expect(sent.reference).toBe(finalReference.get(sent.resident.submissionKey));

    // The restarted process sends everything, including what the dead one had claimed: every
    // acknowledgement and officers' notice arrives exactly once.
    const deadline = Date.now() + 30_000;
    for (;;) {
      await query("UPDATE outbox_message SET next_attempt_at = now() WHERE status = 'pending'");
      const [unsent] = await query<{ n: number }>("SELECT count(*)::int AS n FROM outbox_message WHERE status <> 'sent'");
      if (unsent?.n === 0) break;
      if (Date.now() > deadline) throw new Error(`${unsent?.n} emails still unsent:\n${tail(second.log())}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    mark('emails delivered');
    const reclaimed = await query<{ status: string; attempts: number; locked_by: string }>(
      'SELECT status, attempts, locked_by FROM outbox_message WHERE id = ANY($1::uuid[])',
      [claimed.map((row) => row.id)],
    );
    expect(reclaimed.every((row) => row.status === 'sent' && row.attempts >= 2 && row.locked_by !== deadWorker)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const counts = deliveriesByReference(smtp.messages, [...finalReference.values()]);
    expect([...counts].filter(([, count]) => count.toResident !== 1 || count.toOfficers !== 1)).toEqual([]);
    expect(smtp.messages).toHaveLength(2 * load);

    console.log(
      `SIGKILL: ${load} submissions, ${confirmedBefore.length} confirmed before the kill, ${cutOff.length} cut off ` +
        `(${cutOff.filter((sent) => savedBefore.some((row) => row.submission_key === sent.resident.submissionKey)).length} of them saved all the same); ` +
        `after the restart all ${load} confirmed once, ${claimed.length} claimed emails re-sent, ${smtp.messages.length} emails delivered; ${mark.summary()}`,
    );
  }, 60_000);
});

describe('the portal process stopped with SIGTERM', () => {
  it('finishes the requests in flight, refuses new connections, hands back its emails and exits 0', async () => {
    // The mail server hangs, so emails back up in the outbox. (The database is not emptied: the
    // portal is running, and what the last test left is all sent.)
    await smtp.set('hanging');
    const portal =
      restarted && !restarted.exit ? restarted : await startPortal({ name: 'sigterm', port: await freePort(), smtpPort: smtp.port, env });
    const port = portal.port;
    const residents = await residentsReady(portal.origin, 16, 1_000);
    const [early, inFlight] = [residents.slice(0, 12), residents.slice(12)];
    const sentEarly = await inParallel(early.length, 10, (i) => sendAndFollow(early[i] as Resident));
    expect(sentEarly.every((sent) => sent.confirmed)).toBe(true);
    // The worker has a batch in hand (of ten); the rest of the 24 emails wait.
    await expect
      .poll(async () => (await query("SELECT 1 FROM outbox_message WHERE status = 'sending'")).length, { timeout: 10_000 })
      .toBeGreaterThan(0);

    // Four submissions are in the server's hands, their bodies half sent, when SIGTERM arrives.
    const held = inFlight.map((resident) => heldSubmission(resident));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stoppedAt = Date.now();
    portal.child.kill('SIGTERM');
    // New connections are refused (soon: the signal is handled in the process's own time) while
    // the requests in flight are still open.
    await expect.poll(() => connectionRefused(port), { timeout: 5_000, interval: 50 }).toBe(true);
    expect(portal.exit).toBeNull();
    // The shutdown has begun (the listener is closed in the same step that stops the worker):
    // from now on the worker claims nothing more.
    const attemptedAtStop = await query<{ id: string }>("SELECT id FROM outbox_message WHERE attempts > 0 OR status = 'sending'");

    // The requests in flight finish with their real response: the confirmation.
    for (const request of held) request.finish();
    const responses = await Promise.all(held.map((request) => request.response));
    expect(responses.map((page) => `${page.status} ${page.location}`)).toEqual(inFlight.map(() => '303 /apply/confirmation'));
    const [saved] = await query<{ n: number }>('SELECT count(*)::int AS n FROM "case" WHERE submission_key = ANY($1::text[])', [
      inFlight.map((resident) => resident.submissionKey),
    ]);
    expect(saved?.n).toBe(inFlight.length);

    const exit = await exitWithin(portal, 15_000);
    const exitMs = Date.now() - stoppedAt;
    expect(exit, tail(portal.log())).toEqual({ code: 0, signal: null });
    // No email is left claimed by the stopped process, none was claimed after SIGTERM, and the
    // backlog waits for the next instance (it was not drained into a hanging mail server first).
    const sending = await query("SELECT 1 FROM outbox_message WHERE status = 'sending'");
    expect(sending).toHaveLength(0);
    const attemptedNow = await query<{ id: string }>('SELECT id FROM outbox_message WHERE attempts > 0');
    const before = new Set(attemptedAtStop.map((row) => row.id));
    expect(attemptedNow.filter((row) => !before.has(row.id))).toEqual([]);
    const [waiting] = await query<{ n: number }>("SELECT count(*)::int AS n FROM outbox_message WHERE status = 'pending' AND attempts = 0");
    expect(waiting?.n).toBeGreaterThan(0);
    expect(exitMs).toBeLessThan(4_000);
    expect(portal.log()).toContain('"msg":"stopped"');

    console.log(
      `SIGTERM: ${inFlight.length} requests in flight all answered 303, exit 0 after ${exitMs} ms, ${waiting?.n} emails left pending for the next instance`,
    );
  }, 60_000);
});
