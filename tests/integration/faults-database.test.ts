// Fault injection: the real portal process (src/server.ts) has its Postgres connections killed
// over and over during a load of submissions. Every resident either gets their confirmation or a
// clear "try again" page that keeps their answers; no case is half-saved; and once the kills stop
// the same process serves new applications without a restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query, truncateAll } from '../helpers/database.ts';
import { BackendKiller, incompleteCases } from '../helpers/faults-database.ts';
import {
  inParallel,
  isConfirmed,
  NoResponseError,
  isTryAgainPage,
  referenceIn,
  Resident,
  residentsLike,
  residentsWithDrafts,
  type Page,
} from '../helpers/faults-http.ts';
import { freePort, killAllPortals, removeLogs, startPortal, tail, type PortalProcess } from '../helpers/faults-process.ts';
import { FaultySmtp } from '../helpers/faults-smtp.ts';

const load = 40;
const incidents = 2;
const smtp = new FaultySmtp();
const killer = new BackendKiller();
let portal: PortalProcess;

beforeAll(async () => {
  await truncateAll();
  await smtp.begin('up');
  portal = await startPortal({
    name: 'database-kills',
    port: await freePort(),
    smtpPort: smtp.port,
    env: { RATE_LIMIT_SUBMISSIONS_PER_IP: '100000' },
  });
}, 40_000);

afterAll(async () => {
  await killer.stop();
  await killAllPortals();
  await smtp.end();
  removeLogs();
});

type Outcome = { kind: 'confirmed'; page: Page } | { kind: 'try-again'; page: Page } | { kind: 'other'; page: Page };

/** The page the resident saw; a connection that failed without a page counts as "other". */
async function outcomeOf(request: Promise<Page>): Promise<Outcome> {
  try {
    return classify(await request);
  } catch (error) {
    if (error instanceof NoResponseError) return { kind: 'other', page: { status: 0, location: error.code, text: '' } };
    throw error;
  }
}

function classify(page: Page): Outcome {
  if (isConfirmed(page)) return { kind: 'confirmed', page };
  if (page.status === 200 && page.text.includes('Application sent') && referenceIn(page.text)) return { kind: 'confirmed', page };
  if (isTryAgainPage(page)) return { kind: 'try-again', page };
  return { kind: 'other', page };
}

describe('Postgres connections killed again and again during a load of submissions', () => {
  it('confirms or says "try again" to every resident, keeps their answers, saves no half case, and recovers alone', async () => {
    const typed = await residentsWithDrafts(portal.origin, 3, { incidents });
    const residents = [...typed, ...(await residentsLike(typed[0] as Resident, load - typed.length, { from: typed.length + 1 }))];

    // First a storm (every connection, 25 times a second) for 0.6 s; then one connection at a
    // time (busy ones first), several times a second, so some submissions pass and some fail.
    await killer.start({ everyMs: 40, perRound: 0 });
    const calmer = setTimeout(() => killer.set({ everyMs: 300, perRound: 1 }), 600);
    const outcomes = await inParallel(residents.length, 20, async (i) => {
      const resident = residents[i] as Resident;
      const sent = await outcomeOf(resident.send());
      // A browser follows the redirect at once; under the kills the confirmation page itself
      // may be the one that fails, which is also a "try again" page.
      const confirmation = sent.kind === 'confirmed' ? await outcomeOf(resident.get('/apply/confirmation')) : null;
      return { resident, sent, confirmation };
    });
    clearTimeout(calmer);
    await killer.stop();

    // The process lived through it.
    expect(portal.exit, tail(portal.log())).toBeNull();
    expect(killer.killed).toBeGreaterThan(0);

    // Every resident saw one of the two pages, never a blank error or a raw stack.
    const others = outcomes.filter((o) => o.sent.kind === 'other' || o.confirmation?.kind === 'other');
    expect(others.map((o) => `${o.sent.page.status} ${o.sent.page.location} ${o.confirmation?.page.status ?? ''}`)).toEqual([]);
    const tryAgain = outcomes.filter((o) => o.sent.kind === 'try-again');
    const confirmed = outcomes.filter((o) => o.sent.kind === 'confirmed');
    // The kills really did break some submissions (otherwise this test proves nothing).
    expect(tryAgain.length).toBeGreaterThan(0);

    // No case is half-saved: each has all its parts, whether its request succeeded or not.
    expect(await incompleteCases(incidents)).toEqual([]);

    // Each confirmed resident's case is there under the reference they were shown (the page
    // loads once the database is back, if it failed the first time).
    for (const { resident } of confirmed) {
      const page = await resident.get('/apply/confirmation');
      expect(page.status).toBe(200);
      const [row] = await query<{ reference: string }>('SELECT reference FROM "case" WHERE submission_key = $1', [resident.submissionKey]);
      expect(referenceIn(page.text)).toBe(row?.reference);
    }

    // Each resident told to try again still has their answers, and trying again works.
    let committedBeforeTheError = 0;
    await inParallel(tryAgain.length, 10, async (i) => {
      const { resident } = tryAgain[i] as (typeof tryAgain)[number];
      const [saved] = await query<{ reference: string }>('SELECT reference FROM "case" WHERE submission_key = $1', [
        resident.submissionKey,
      ]);
      if (saved) {
        // The case was committed and then the response failed (the session save, say).
        committedBeforeTheError += 1;
      } else {
        const check = await resident.get('/apply/check-answers');
        expect(check.status).toBe(200);
        expect(check.text).toContain(resident.name);
        expect(check.text).toContain(resident.email);
        expect(check.text).toContain('Shouting and banging at night, time 2');
      }
      const again = await resident.send();
      expect(isConfirmed(again), `${again.status} ${again.location}`).toBe(true);
      const page = await resident.get('/apply/confirmation');
      const [row] = await query<{ reference: string }>('SELECT reference FROM "case" WHERE submission_key = $1', [resident.submissionKey]);
      expect(referenceIn(page.text)).toBe(row?.reference);
      if (saved) expect(row?.reference).toBe(saved.reference);
    });

    // One case per resident, nothing lost, nothing doubled, still nothing half-saved.
    const [cases] = await query<{ n: number; keys: number }>(
      'SELECT count(*)::int AS n, count(DISTINCT submission_key)::int AS keys FROM "case"',
    );
    expect(cases).toEqual({ n: load, keys: load });
    expect(await incompleteCases(incidents)).toEqual([]);

    // The same process, never restarted, takes a whole new application from the first page.
    const newcomer = new Resident(portal.origin, 9_999);
    await newcomer.fillApplication(incidents);
    expect(isConfirmed(await newcomer.send())).toBe(true);
    expect(referenceIn((await newcomer.get('/apply/confirmation')).text)).toMatch(/^ASB-/);
    expect((await fetch(`${portal.origin}/readyz`)).status).toBe(200);
    expect(portal.exit).toBeNull();

    console.log(
      `Database kills: ${killer.killed} backends killed in ${killer.rounds} rounds; ${load} submissions: ${confirmed.length} confirmed, ` +
        `${tryAgain.length} told to try again (${committedBeforeTheError} of them already saved), ` +
        `${outcomes.filter((o) => o.confirmation?.kind === 'try-again').length} confirmation pages failed first time; all ${load} saved once after retrying`,
    );
  }, 60_000);

  it('when the connection dies just after the case is committed, trying again shows that case and makes no second one', async () => {
    await truncateAll();
    const [retries, goesBack] = await residentsWithDrafts(portal.origin, 2, { from: 500, incidents });
    // The worst moment for a kill: the case has been committed and the session (which would
    // remember the confirmation) is being saved. A trigger makes Postgres terminate the very
    // connection that saves it, once, for each of these two residents.
    await query(`
      CREATE OR REPLACE FUNCTION faults_kill_session_save() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.data ? 'confirmation' THEN PERFORM pg_terminate_backend(pg_backend_pid()); END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER faults_kill_session_save BEFORE INSERT OR UPDATE ON session FOR EACH ROW EXECUTE FUNCTION faults_kill_session_save();`);
    let first: Page[];
    try {
      first = [await (retries as Resident).send(), await (goesBack as Resident).send()];
    } finally {
      await query('DROP TRIGGER IF EXISTS faults_kill_session_save ON session; DROP FUNCTION IF EXISTS faults_kill_session_save()');
    }
    for (const page of first) expect(isTryAgainPage(page), `${page.status} ${page.location}`).toBe(true);
    const saved = await query<{ submission_key: string; reference: string }>('SELECT submission_key, reference FROM "case"');
    expect(saved.map((row) => row.submission_key).sort()).toEqual([retries?.submissionKey, goesBack?.submissionKey].sort());
    expect(await incompleteCases(incidents)).toEqual([]);
    const referenceOf = (resident: Resident | undefined) => saved.find((row) => row.submission_key === resident?.submissionKey)?.reference;

    // One presses "Accept and send" again (back, or refresh): the confirmation of the case made.
    const again = await (retries as Resident).send();
    expect(isConfirmed(again), `${again.status} ${again.location}`).toBe(true);
    expect(referenceIn((await (retries as Resident).get('/apply/confirmation')).text)).toBe(referenceOf(retries));

    // The other follows "Go back to your application" on the "try again" page: the same, never a
    // blank form that would make a second case.
    const back = await (goesBack as Resident).get('/apply');
    expect(`${back.status} ${back.location}`).toBe('303 /apply/confirmation');
    expect(referenceIn((await (goesBack as Resident).get('/apply/confirmation')).text)).toBe(referenceOf(goesBack));

    const [cases] = await query<{ n: number }>('SELECT count(*)::int AS n FROM "case"');
    expect(cases?.n).toBe(2);
  }, 30_000);
});
