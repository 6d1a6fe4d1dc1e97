import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, visitor, type TestApp } from '../helpers/app.ts';
import { ensureDatabaseExists, query, testDatabaseUrl } from '../helpers/database.ts';
import { createOfficer, signIn } from '../helpers/officers.ts';
import { TestSmtpServer } from '../helpers/smtp.ts';
import { statusLabels } from '../../src/domain/case-status.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');

/** A fresh database on the test server, named for this process. */
function databaseUrl(name: string): string {
  const url = new URL(testDatabaseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
const first = databaseUrl(`asb_seed_check_${process.pid}`);
const second = databaseUrl(`asb_seed_check_${process.pid}_again`);

async function dropDatabase(url: string): Promise<void> {
  const admin = new URL(url);
  const name = admin.pathname.slice(1);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

function seed(args: string[], env: Record<string, string | undefined>) {
  const cleanEnv: Record<string, string | undefined> = { ...process.env, NODE_ENV: 'development', ...env };
  for (const key of Object.keys(cleanEnv)) if (cleanEnv[key] === undefined) delete cleanEnv[key];
  return run(tsx, ['src/cli/seed.ts', ...args], { cwd: root, env: cleanEnv, timeout: 50_000 });
}

let output = '';
const smtp = new TestSmtpServer();
let portal: TestApp | null = null;

beforeAll(async () => {
  for (const url of [first, second]) {
    await dropDatabase(url);
    await ensureDatabaseExists(url);
  }
  output = (await seed(['--cases', '300', '--seed', '7', '--today', '2026-06-15'], { DATABASE_URL: first })).stdout;
}, 60_000);
afterAll(async () => {
  await portal?.close();
  await smtp.stop();
  await dropDatabase(first);
  await dropDatabase(second);
});

describe('npm run db:seed', () => {
  it('says what it did and how long it took', () => {
    expect(output).toContain('Seeding 300 cases (seed 7)');
    expect(output).toMatch(/Seeded 300 cases in \d+\.\d s\./);
  });

  it('makes realistic cases: victims, incidents, references, statuses spread over the machine', async () => {
    const [counts] = await query<Record<string, number>>(
      `SELECT (SELECT count(*)::int FROM "case") AS cases,
              (SELECT count(DISTINCT reference)::int FROM "case") AS references,
              (SELECT count(*)::int FROM "case" WHERE reference !~ '^ASB-\\d{4}-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{6}$') AS malformed,
              (SELECT count(*)::int FROM "case" WHERE substr(reference, 5, 4)::int <> extract(year FROM received_at AT TIME ZONE 'Europe/London')) AS wrong_year,
              (SELECT count(*)::int FROM "case" c WHERE NOT EXISTS (SELECT 1 FROM incident i WHERE i.case_id = c.id)) AS without_incidents,
              (SELECT max(n)::int FROM (SELECT count(*) AS n FROM incident GROUP BY case_id) x) AS most_incidents,
              (SELECT count(*)::int FROM "case" c WHERE (SELECT count(*) FROM person p WHERE p.case_id = c.id AND p.role = 'victim') <> 1) AS without_one_victim,
              (SELECT count(*)::int FROM "case" c WHERE c.applying_on_behalf <> EXISTS (SELECT 1 FROM person p WHERE p.case_id = c.id AND p.role = 'applicant')) AS applicant_mismatch,
              (SELECT count(*)::int FROM "case" c WHERE c.applying_on_behalf <> EXISTS (SELECT 1 FROM consent s WHERE s.case_id = c.id)) AS consent_mismatch,
              (SELECT count(*)::int FROM "case" WHERE applying_on_behalf) AS on_behalf,
              (SELECT count(DISTINCT status)::int FROM "case") AS statuses,
              (SELECT count(*)::int FROM "case" WHERE received_at < '2021-06-14' OR received_at > '2026-06-15T17:00:00+01:00') AS outside_five_years,
              (SELECT count(DISTINCT extract(year FROM received_at))::int FROM "case") AS years`,
      [],
      first,
    );
    expect(counts).toMatchObject({
      cases: 300,
      references: 300,
      malformed: 0,
      wrong_year: 0,
      without_incidents: 0,
      without_one_victim: 0,
      applicant_mismatch: 0,
      consent_mismatch: 0,
      outside_five_years: 0,
    });
    expect(counts?.most_incidents).toBeLessThanOrEqual(8);
    expect(counts?.on_behalf).toBeGreaterThan(40);
    expect(counts?.on_behalf).toBeLessThan(110);
    expect(counts?.statuses).toBeGreaterThanOrEqual(8);
    expect(counts?.years).toBeGreaterThanOrEqual(5);
  });

  it('records status changes that lead, step by step, to each case’s status, and deadlines for open cases', async () => {
    const [checks] = await query<Record<string, number>>(
      `WITH ordered AS (
         SELECT case_id, from_status, to_status, lag(to_status) OVER (PARTITION BY case_id ORDER BY at, from_status NULLS FIRST) AS previous,
                row_number() OVER (PARTITION BY case_id ORDER BY at DESC) AS from_end
         FROM status_change)
       SELECT (SELECT count(*)::int FROM ordered WHERE previous IS NULL AND (from_status IS NOT NULL OR to_status <> 'received')) AS bad_first,
              (SELECT count(*)::int FROM ordered WHERE previous IS NOT NULL AND from_status IS DISTINCT FROM previous) AS broken_chain,
              (SELECT count(*)::int FROM ordered o JOIN "case" c ON c.id = o.case_id WHERE o.from_end = 1 AND o.to_status <> c.status) AS last_not_status,
              (SELECT count(*)::int FROM "case" WHERE status IN ('closed', 'withdrawn') AND next_deadline_on IS NOT NULL) AS closed_with_deadline,
              (SELECT count(*)::int FROM "case" WHERE status IN ('received', 'acknowledged', 'threshold_met', 'review_scheduled', 'review_held', 'appeal_received') AND next_deadline_on IS NULL) AS open_without_deadline,
              (SELECT count(*)::int FROM "case" c WHERE status IN ('review_scheduled', 'review_held', 'outcome_sent') AND NOT EXISTS (SELECT 1 FROM review r WHERE r.case_id = c.id)) AS review_missing,
              (SELECT count(*)::int FROM "case" c WHERE status IN ('appeal_received', 'appeal_concluded') AND NOT EXISTS (SELECT 1 FROM appeal a WHERE a.case_id = c.id)) AS appeal_missing,
              (SELECT count(*)::int FROM "case" c WHERE status = 'outcome_sent' AND NOT EXISTS (SELECT 1 FROM recommendation r WHERE r.case_id = c.id)) AS recommendations_missing,
              (SELECT count(*)::int FROM "case" WHERE status = 'received' AND next_deadline_on <> acknowledgement_due_on) AS received_deadline_not_acknowledgement`,
      [],
      first,
    );
    expect(checks).toEqual({
      bad_first: 0,
      broken_chain: 0,
      last_not_status: 0,
      closed_with_deadline: 0,
      open_without_deadline: 0,
      review_missing: 0,
      appeal_missing: 0,
      recommendations_missing: 0,
      received_deadline_not_acknowledgement: 0,
    });
  });

  it('makes the same cases from the same seed', async () => {
    await seed(['--cases', '300', '--seed', '7', '--today', '2026-06-15'], { DATABASE_URL: second });
    const fingerprint = (url: string) =>
      query<{ reference: string; status: string; incidents: number }>(
        'SELECT reference, status::text, (SELECT count(*)::int FROM incident i WHERE i.case_id = c.id) AS incidents FROM "case" c ORDER BY reference',
        [],
        url,
      );
    const [a, b] = await Promise.all([fingerprint(first), fingerprint(second)]);
    expect(a).toHaveLength(300);
    expect(b).toEqual(a);
  });

  it('refuses to run without DATABASE_URL, or in production', async () => {
    await expect(seed(['--cases', '5'], { DATABASE_URL: undefined })).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('Set DATABASE_URL to the Postgres database to fill'),
    });
    await expect(seed(['--cases', '5'], { DATABASE_URL: first, NODE_ENV: 'production' })).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('Refusing to seed: NODE_ENV is production'),
    });
    await expect(seed(['--cases', 'lots'], { DATABASE_URL: first })).rejects.toMatchObject({ code: 2 });
    const [row] = await query<{ cases: number }>('SELECT count(*)::int AS cases FROM "case"', [], first);
    expect(row?.cases).toBe(300);
  });

  it('gives the officers a working case list and dashboard over the seeded cases', async () => {
    await smtp.start();
    portal = createTestApp({ smtp, worker: false, env: { DATABASE_URL: first } });
    await createOfficer(portal, 'officer', 'seed-check@council.test');
    const v = visitor(portal.app);
    await signIn(v, 'seed-check@council.test');
    const list = await v.get('/admin/cases');
    expect(list.status).toBe(200);
    expect(list.text).toContain('>300 cases</h2>');
    const closed = await v.get('/admin/cases?status=closed&sort=deadline');
    expect(closed.status).toBe(200);
    expect(closed.text).toContain(statusLabels.closed);
    const reference = /href="\/admin\/cases\/(ASB-\d{4}-[A-Z0-9]{6})"/.exec(list.text)?.[1] ?? '';
    const page = await v.get(`/admin/cases/${reference}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Status: Received');
    expect((await v.get('/admin')).status).toBe(200);
  });
});
