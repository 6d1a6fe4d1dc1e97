// Fault injection at the moment it hurts: a session that cannot be saved as the first form page is
// sent, a database connection that dies under a running query, a pool with every connection busy.
// The resident sees either the page they asked for (a dropped connection is tried once more,
// where repeating cannot change the outcome) or the "try again" page; never a token that cannot
// work, never a 500 for one dropped connection, never a request held until the browser gives up.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, csrfTokenFrom, visitor, type TestApp } from '../helpers/app.ts';
import { query, testDatabaseUrl, truncateAll } from '../helpers/database.ts';
import { clearSessionSaveFaults, failSessionSaves, killConnectionsWaitingOn } from '../helpers/faults-database.ts';
import { isTryAgainPage } from '../helpers/faults-http.ts';
import { fillApplication, send } from '../helpers/journey.ts';
import { TestSmtpServer } from '../helpers/smtp.ts';
import pg from 'pg';
import { openPostgres } from '../../src/data/database.ts';

const smtp = new TestSmtpServer();
let portal: TestApp;

beforeAll(async () => {
  await smtp.start();
  portal = createTestApp({ smtp, worker: false, env: { DATABASE_POOL_TIMEOUT_MS: '300', RATE_LIMIT_SUBMISSIONS_PER_IP: '1000' } });
});
afterAll(async () => {
  await clearSessionSaveFaults();
  await portal.close();
  await smtp.stop();
});
beforeEach(() => truncateAll());

const page = (response: { status: number; text: string; headers: Record<string, string> }) => ({
  status: response.status,
  location: response.headers.location ?? '',
  text: response.text,
});

describe('the first page of the form hands out a CSRF token only in a session that was saved', () => {
  it('says "try again" when the new session cannot be saved, and the next visit gets a token that works', async () => {
    const resident = visitor(portal.app);
    await failSessionSaves(1);
    let first;
    try {
      first = await resident.get('/apply/who-is-applying');
    } finally {
      await clearSessionSaveFaults();
    }
    // Not a form whose token the server never kept (its first answer would be refused as
    // "your session has expired"): the "try again" page, with no form and no session cookie.
    expect(isTryAgainPage(page(first)), `${first.status}`).toBe(true);
    expect(first.text).not.toContain('name="_csrf"');
    expect(first.headers['set-cookie']).toBeUndefined();

    const again = await resident.get('/apply/who-is-applying');
    expect(again.status).toBe(200);
    const answered = await resident.agent
      .post('/apply/who-is-applying')
      .type('form')
      .send({ _csrf: csrfTokenFrom(again.text), applyingAs: 'self' });
    expect(`${answered.status} ${answered.headers.location}`).toBe('303 /apply/victim-type');
  });
});

describe('a database connection that dies under a running query', () => {
  it('costs a page load a retry, not a 500: the session is read again on a fresh connection', async () => {
    const resident = visitor(portal.app);
    await resident.submit('/apply/who-is-applying', { applyingAs: 'self' });
    const { result, killed } = await killConnectionsWaitingOn('session', () => Promise.resolve(resident.get('/apply/victim-type')));
    expect(killed).toBeGreaterThan(0);
    // The question the resident was on, so their session (and draft) was found.
    expect(result.status).toBe(200);
    expect(result.text).toContain('Are you applying as a person, a business or a community group?');
  });

  it('costs a form step a retry, not a 500: the draft is read again and the answer saved once', async () => {
    const resident = visitor(portal.app);
    await resident.submit('/apply/who-is-applying', { applyingAs: 'self' });
    const form = await resident.get('/apply/victim-type');
    const { result, killed } = await killConnectionsWaitingOn('draft', () =>
      Promise.resolve(
        resident.agent
          .post('/apply/victim-type')
          .type('form')
          .send({ _csrf: csrfTokenFrom(form.text), victimType: 'person' }),
      ),
    );
    expect(killed).toBeGreaterThan(0);
    expect(`${result.status} ${result.headers.location}`).toBe('303 /apply/victim-details');
    const [draft] = await query<{ victim_type: string }>(`SELECT answers->'steps'->'victim-type'->>'victimType' AS victim_type FROM draft`);
    expect(draft?.victim_type).toBe('person');
  });

  it('costs the final submit a retry, not a 500: its transaction runs again and makes one case', async () => {
    const resident = visitor(portal.app);
    await fillApplication(resident, { incidents: 1 });
    const { result, killed } = await killConnectionsWaitingOn('case', () => send(resident).then((sent) => sent.response));
    expect(killed).toBeGreaterThan(0);
    expect(`${result.status} ${result.headers.location}`).toBe('303 /apply/confirmation');
    const confirmation = await resident.get('/apply/confirmation');
    const [stored] = await query<{ n: number; reference: string }>('SELECT count(*)::int AS n, min(reference) AS reference FROM "case"');
    expect(stored?.n).toBe(1);
    expect(confirmation.text).toContain(stored?.reference);
  });

  it('leaves the pool at once: no later request is handed the broken connection', async () => {
    // Every connection of the pool is killed under a running query at once, then the portal is
    // asked for page after page: each is served, none meets a dead connection ("not queryable").
    const residents = await Promise.all(
      Array.from({ length: 10 }, async () => {
        const resident = visitor(portal.app);
        await resident.submit('/apply/who-is-applying', { applyingAs: 'self' });
        return resident;
      }),
    );
    const { result } = await killConnectionsWaitingOn('draft', () =>
      Promise.all(residents.map((resident) => Promise.resolve(resident.get('/apply/victim-type')))),
    );
    expect(result.map((response) => response.status)).toEqual(residents.map(() => 200));
    for (let round = 0; round < 5; round += 1) {
      const pages = await Promise.all(residents.map((resident) => Promise.resolve(resident.get('/apply/victim-type'))));
      expect(pages.map((response) => response.status)).toEqual(residents.map(() => 200));
    }
    expect(portal.logs.join('')).not.toContain('not queryable');
  });
});

describe('a pool with every connection busy', () => {
  it('answers "try again" (503) after DATABASE_POOL_TIMEOUT_MS rather than holding the request', async () => {
    const residents = await Promise.all(
      Array.from({ length: 14 }, async () => {
        const resident = visitor(portal.app);
        await resident.submit('/apply/who-is-applying', { applyingAs: 'self' });
        return resident;
      }),
    );
    // Every session read waits behind a lock: ten of them hold the pool's ten connections.
    const locker = new pg.Client({ connectionString: testDatabaseUrl });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE session IN ACCESS EXCLUSIVE MODE');
      const pending = residents.map((resident) => Promise.resolve(resident.get('/apply/victim-type')));
      const firstAnswer = await Promise.race([
        Promise.any(pending),
        new Promise<null>((resolve) => setTimeout(() => resolve(null), 4_000)),
      ]);
      expect(firstAnswer, 'no answer within 4 s while the pool was full').not.toBeNull();
      expect(isTryAgainPage(page(firstAnswer as NonNullable<typeof firstAnswer>))).toBe(true);
      expect(firstAnswer?.status).toBe(503);
      await locker.query('COMMIT');
      const statuses = (await Promise.all(pending)).map((response) => response.status);
      // Once the lock is gone, the requests that held a connection are served.
      expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(1);
      expect(statuses.every((status) => status === 200 || status === 503)).toBe(true);
    } finally {
      await locker.end();
    }
  });
});

describe('the pool of database connections', () => {
  it('never hands out again a connection that died under its COMMIT', async () => {
    // The worst moment: Postgres ends the connection while it commits (a deferred trigger
    // terminates its own backend). Prisma's adapter then releases the client at once, before pg
    // has seen the socket close; a pool that kept it would give it to the very next query.
    await query(`
      CREATE TABLE IF NOT EXISTS faults_commit_probe (id int);
      CREATE OR REPLACE FUNCTION faults_kill_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_terminate_backend(pg_backend_pid()); RETURN NULL; END $$;
      DROP TRIGGER IF EXISTS faults_kill_at_commit ON faults_commit_probe;
      CREATE CONSTRAINT TRIGGER faults_kill_at_commit AFTER INSERT ON faults_commit_probe
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION faults_kill_at_commit();`);
    const database = openPostgres(testDatabaseUrl);
    try {
      for (let round = 0; round < 5; round += 1) {
        await expect(
          database.prisma.$transaction(async (tx) => tx.$executeRaw`INSERT INTO faults_commit_probe VALUES (1)`),
        ).rejects.toThrow();
        // At once, as the next request would: a working connection, every time.
        const [row] = await database.prisma.$queryRaw<Array<{ one: number }>>`SELECT 1 AS one`;
        expect(row?.one).toBe(1);
      }
    } finally {
      await database.close();
      await query('DROP TABLE IF EXISTS faults_commit_probe; DROP FUNCTION IF EXISTS faults_kill_at_commit()');
    }
  });
});
