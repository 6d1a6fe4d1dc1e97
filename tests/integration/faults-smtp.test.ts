// Fault injection: the mail server is out of action for the whole of a load of 200 submissions:
// refusing connections for the first half, then wedged (accepting TCP and never answering) for the
// second. Every resident still gets their case saved and their confirmation page; once the mail
// server is back, every email arrives exactly once.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { query, truncateAll } from '../helpers/database.ts';
import { inParallel, isConfirmed, referenceIn, residentsLike, residentsWithDrafts, type Resident } from '../helpers/faults-http.ts';
import { deliveriesByReference, FaultySmtp, recipientOf } from '../helpers/faults-smtp.ts';

const load = 200;
const smtp = new FaultySmtp();
let portal: TestApp;
let server: http.Server;
let origin = '';

beforeAll(async () => {
  await smtp.begin('up');
  // A short SMTP timeout keeps the hanging case quick; the portal's default is 10 s.
  // The rate limit on submissions from one address is lifted: every resident here shares 127.0.0.1.
  portal = createTestApp({
    smtp: smtp.peer,
    env: { SMTP_TIMEOUT_MS: '500', OUTBOX_MAX_ATTEMPTS: '50', RATE_LIMIT_SUBMISSIONS_PER_IP: '100000' },
  });
  server = http.createServer(portal.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await portal?.close();
  await smtp.end();
});

beforeEach(async () => {
  // The worker is stopped while the tables are emptied: its claims would deadlock with TRUNCATE.
  await portal.services.outboxWorker.stop();
  await smtp.set('up');
  await truncateAll();
  smtp.messages.length = 0;
  portal.services.outboxWorker.start();
});

/**
 * 200 residents on check-your-answers: a few fill in the whole form through the real pages, the
 * rest are given copies of one of those drafts (with their own name and email) in their own real
 * sessions, which keeps the load quick to build.
 */
async function residentsReady(): Promise<Resident[]> {
  const typed = await residentsWithDrafts(origin, 2);
  const copied = await residentsLike(typed[0] as Resident, load - typed.length, { from: typed.length + 1 });
  return [...typed, ...copied];
}

interface Outcome {
  resident: Resident;
  confirmed: boolean;
  reference: string | null;
}

/**
 * Every resident presses "Accept and send", 20 at a time, and follows the redirect; `halfway` runs
 * before the second half starts (the others carry on meanwhile).
 */
async function submitAll(residents: Resident[], halfway: () => Promise<void>): Promise<Outcome[]> {
  return inParallel(residents.length, 20, async (i) => {
    if (i === Math.floor(residents.length / 2)) await halfway();
    const resident = residents[i] as Resident;
    const sent = await resident.send();
    if (!isConfirmed(sent)) return { resident, confirmed: false, reference: null };
    const page = await resident.get('/apply/confirmation');
    return { resident, confirmed: page.status === 200 && page.text.includes('Application sent'), reference: referenceIn(page.text) };
  });
}

/** Brings every retry forward (rather than wait out the backoff) until every message is sent. */
async function drainOutbox(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await query("UPDATE outbox_message SET next_attempt_at = now() WHERE status = 'pending'");
    portal.services.outboxWorker.nudge();
    const [row] = await query<{ unsent: number }>("SELECT count(*)::int AS unsent FROM outbox_message WHERE status <> 'sent'");
    if (row?.unsent === 0) return;
    if (Date.now() > deadline) throw new Error(`${row?.unsent} emails still not sent after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The error codes of the worker's "will retry" log lines (the log carries the code, not the address). */
function retryCodes(): string[] {
  return portal.logs.flatMap((line) => {
    const entry = JSON.parse(line) as { msg?: string; code?: string };
    return entry.msg === 'email not sent; will retry' && entry.code ? [entry.code] : [];
  });
}

/** Outbox messages whose last failure matches `pattern` (the reason is stored with each retry). */
async function countErrors(pattern: string): Promise<number> {
  const [row] = await query<{ n: number }>('SELECT count(*)::int AS n FROM outbox_message WHERE last_error LIKE $1', [pattern]);
  return row?.n ?? 0;
}

describe('the mail server refusing connections, then hanging, for a whole load of submissions', () => {
  it(`saves and confirms all ${load} applications, then delivers every email exactly once when it is back`, async () => {
    const prepared = Date.now();
    const residents = await residentsReady();
    const prepareMs = Date.now() - prepared;

    await smtp.set('refusing');
    let refusedCodes: string[] = [];
    let refusedErrors = 0;
    const started = Date.now();
    const outcomes = await submitAll(residents, async () => {
      refusedCodes = retryCodes();
      refusedErrors = await countErrors('%ECONNREFUSED%');
      await smtp.set('hanging');
    });
    const submitMs = Date.now() - started;
    const hungCodes = retryCodes().slice(refusedCodes.length);
    const hungErrors = await countErrors('%Greeting never received%');

    // What each resident saw: the confirmation page with their case reference.
    const confirmed = outcomes.filter((outcome) => outcome.confirmed && outcome.reference);
    expect(confirmed).toHaveLength(load);
    const references = confirmed.map((outcome) => outcome.reference as string);
    expect(new Set(references).size).toBe(load);

    // What the database holds: one case per draft, under the reference the resident was shown.
    const rows = await query<{ submission_key: string; reference: string; emails: number }>(
      `SELECT c.submission_key, c.reference, count(o.id)::int AS emails
         FROM "case" c LEFT JOIN outbox_message o ON o.case_id = c.id GROUP BY c.id`,
    );
    expect(rows).toHaveLength(load);
    const byKey = new Map(rows.map((row) => [row.submission_key, row]));
    for (const outcome of outcomes) expect(byKey.get(outcome.resident.submissionKey)?.reference).toBe(outcome.reference);
    expect(rows.every((row) => row.emails === 2)).toBe(true);

    // The mail server really was failing all along, both ways: nothing arrived; the worker tried
    // and was refused, then tried and got no greeting.
    expect(smtp.messages).toHaveLength(0);
    expect(refusedErrors).toBeGreaterThan(0);
    expect(hungErrors).toBeGreaterThan(0);
    expect(smtp.hungConnections).toBeGreaterThan(0);

    await smtp.set('up');
    const back = Date.now();
    await drainOutbox(30_000);
    const drainMs = Date.now() - back;
    // A moment more, so a duplicate sent late would be counted too.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(smtp.messages).toHaveLength(2 * load);
    const counts = deliveriesByReference(smtp.messages, references);
    const wrong = [...counts].filter(([, count]) => count.toResident !== 1 || count.toOfficers !== 1);
    expect(wrong).toEqual([]);
    // Each acknowledgement went to the resident who applied, naming their own reference.
    const emailOf = new Map(confirmed.map((outcome) => [outcome.reference, outcome.resident.email]));
    for (const mail of smtp.messages) {
      const reference = referenceIn(mail.subject ?? '');
      if (!mail.subject?.startsWith('New ASB Case Review')) expect(recipientOf(mail)).toBe(emailOf.get(reference ?? ''));
    }
    console.log(
      `SMTP down: ${load} drafts ready in ${prepareMs} ms; submitted in ${submitMs} ms (${refusedCodes.length} sends refused, ` +
        `${hungCodes.length} hung, ${smtp.hungConnections} connections left unanswered); ${confirmed.length} confirmed; ` +
        `${smtp.messages.length} emails delivered exactly once ${drainMs} ms after it came back`,
    );
  }, 60_000);
});
