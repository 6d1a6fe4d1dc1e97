import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { addCalendarMonths, londonDate } from '../../src/domain/calendar-date.ts';
import { londonInstant } from '../../src/domain/london-time.ts';
import { createTestApp, visitor, type TestApp, type Visitor } from '../helpers/app.ts';
import { insertCase, type CaseFixture } from '../helpers/case-fixtures.ts';
import { testDatabaseUrl, truncateAll } from '../helpers/database.ts';
import { createOfficer, signIn } from '../helpers/officers.ts';
import { TestSmtpServer } from '../helpers/smtp.ts';

/**
 * The retention job against real cases: the boundary day, open cases, what is removed (seen on
 * the officer's case page), the audit entry, the published figures, two instances at once, the
 * daily schedule and `npm run retention`.
 */
const smtp = new TestSmtpServer();
let portal: TestApp;
let second: TestApp;
// One connection for the whole file: the fixtures make many small writes.
const db = new pg.Client({ connectionString: testDatabaseUrl });
const query = async <Row extends pg.QueryResultRow = Record<string, unknown>>(text: string, params: unknown[] = []) =>
  (await db.query<Row>(text, params)).rows;

beforeAll(async () => {
  await smtp.start();
  await db.connect();
  portal = createTestApp({ smtp, worker: false, env: { OFFICER_MFA: 'optional' } });
  second = createTestApp({ smtp, worker: false, env: { OFFICER_MFA: 'optional' } });
});
afterAll(async () => {
  await Promise.all([portal.close(), second.close(), db.end()]);
  await smtp.stop();
});
beforeEach(() => truncateAll());

/** An officer, signed in, to look at the case pages. */
async function signedInOfficer(): Promise<Visitor> {
  await createOfficer(portal, 'officer');
  const officer = visitor(portal.app);
  await signIn(officer, 'officer@council.test');
  return officer;
}

// The run's "today": 25 November 2026 in London. South Derbyshire keeps closed cases 72 months,
// so the boundary day is 25 November 2020.
const today = londonInstant('2026-11-25', { hour: 10, minute: 0 });
const closedOn = (date: string, hour = 12) => londonInstant(date, { hour, minute: 0 });

const consentPdf = Buffer.from('%PDF-1.4\n% signed consent form\n');
const personal = [
  'Alex Example',
  'Sam Helper',
  'sam@example.test',
  'alex@example.test',
  '07700 900982',
  'DE11 0AH',
  '12 Civic Way',
  'Shouting and banging',
  'CR-1',
];

/** A case with every kind of personal data, closed (or withdrawn) at the given instant. */
async function closedCase(closedAt: Date, overrides: CaseFixture = {}) {
  const inserted = await insertCase(portal.database.prisma, {
    status: 'closed',
    receivedAt: new Date(closedAt.getTime() - 90 * 86_400_000),
    applicant: { name: 'Sam Helper', email: 'sam@example.test', relationship: 'Daughter' },
    consentFile: { fileName: 'signed-consent.pdf', mediaType: 'application/pdf', data: consentPdf },
    ...overrides,
  });
  await query('UPDATE "case" SET closed_at = $2, closure_reason = $3 WHERE id = $1', [inserted.id, closedAt, 'Alex Example moved away']);
  await query("INSERT INTO note (id, case_id, text) VALUES (gen_random_uuid(), $1, 'Spoke to Alex Example on 07700 900982')", [
    inserted.id,
  ]);
  await query(
    `INSERT INTO outbox_message (id, case_id, kind, "to", subject, text, html, status, sent_at)
     VALUES (gen_random_uuid(), $1, 'closure', 'alex@example.test', 'Your ASB Case Review is closed', 'Dear Alex Example', '<p>Dear Alex Example</p>', 'sent', $2),
            (gen_random_uuid(), $1, 'closure', 'sam@example.test', 'Your ASB Case Review is closed', 'Dear Sam Helper', '<p>Dear Sam Helper</p>', 'failed', NULL)`,
    [inserted.id, closedAt],
  );
  await query(
    `INSERT INTO draft (id, answers, submitted_case_id, updated_at) VALUES (gen_random_uuid(), '{"steps":{"victim-details":{"fullName":"Alex Example"}}}', $1, now())`,
    [inserted.id],
  );
  return inserted;
}

async function casePage(officer: Visitor, reference: string): Promise<string> {
  const response = await officer.get(`/admin/cases/${reference}`);
  expect(response.status).toBe(200);
  return response.text;
}

const figuresCsv = async () => (await visitor(portal.app).get('/figures.csv')).text;

describe('the retention job', () => {
  it('anonymises cases closed on or before the boundary day, keeps those closed the day after, and never open ones', async () => {
    const dayAfter = await closedCase(closedOn('2020-11-26', 0)); // the period minus one day, from its first hour
    const boundary = await closedCase(closedOn('2020-11-25', 23)); // exactly the period ago, its last hour
    const older = await closedCase(closedOn('2019-03-01'), { status: 'withdrawn' });
    const open = await insertCase(portal.database.prisma, { status: 'review_held', receivedAt: new Date('2018-01-10T10:00:00Z') });
    const officer = await signedInOfficer();

    const result = await portal.services.retention.run(today);
    expect(result).toMatchObject({ cutoff: '2020-11-25', retentionMonths: 72, anonymised: 2 });

    for (const { reference } of [boundary, older]) {
      const page = await casePage(officer, reference);
      expect(page).toContain('Removed at the end of the retention period');
      for (const words of personal) expect(page, `${reference} still shows ${words}`).not.toContain(words);
      expect(page).not.toContain('signed-consent.pdf');
      expect((await officer.get(`/admin/cases/${reference}/consent-file`)).status).toBe(404);
    }
    for (const { reference } of [dayAfter, open]) {
      const page = await casePage(officer, reference);
      expect(page).not.toContain('Removed at the end of the retention period');
      expect(page).toContain('Alex Example');
    }
    expect((await officer.get(`/admin/cases/${dayAfter.reference}/consent-file`)).status).toBe(200);
  });

  it('leaves nothing personal in the database, and says in the audit trail what it did without saying who', async () => {
    const { id } = await closedCase(closedOn('2020-01-15'));
    await portal.services.retention.run(today);

    const tables = ['"case"', 'person', 'incident', 'note', 'consent', 'outbox_message', 'audit_entry', 'status_change', 'upload', 'draft'];
    for (const table of tables) {
      const rows = await query<{ row: string }>(`SELECT t::text AS row FROM ${table} t`);
      const text = rows.map((row) => row.row).join('\n');
      for (const words of personal) expect(text, `${table} still holds ${words}`).not.toContain(words);
    }
    expect(await query('SELECT 1 FROM upload')).toHaveLength(0);
    expect(await query('SELECT 1 FROM draft')).toHaveLength(0);
    // The email that was sent stays as a record, without address or words; the unsent one is gone.
    expect(await query('SELECT "to", text, status FROM outbox_message')).toEqual([{ to: 'removed', text: '', status: 'sent' }]);
    const audit = await query<{ actor: string; officer_id: string | null; detail: unknown }>(
      "SELECT actor, officer_id, detail FROM audit_entry WHERE case_id = $1 AND action = 'anonymised at the end of the retention period'",
      [id],
    );
    expect(audit).toEqual([{ actor: 'system', officer_id: null, detail: { retentionMonths: 72, closedOn: '2020-01-15' } }]);
  });

  it('keeps the published figures exactly as they were', async () => {
    await closedCase(closedOn('2020-05-20'));
    await closedCase(closedOn('2020-07-01'), { status: 'withdrawn' });
    // Closed after its review and outcome, with an appeal: counted in more columns.
    await closedCase(closedOn('2020-09-10'), { status: 'appeal_concluded' });
    await query("UPDATE \"case\" SET status = 'closed' WHERE status = 'appeal_concluded'");
    const before = await figuresCsv();
    expect(before).toMatch(/^2020\/21,[1-9]/m);

    expect((await portal.services.retention.run(today)).anonymised).toBe(3);
    expect(await figuresCsv()).toBe(before);
  });

  it('uses the retention period an administrator saved', async () => {
    const recent = await closedCase(closedOn('2025-10-01'));
    await query(`INSERT INTO setting (key, value, updated_at) VALUES ('council', '{"retentionMonths": 12}', now())`);
    expect(await portal.services.retention.run(today)).toMatchObject({ cutoff: '2025-11-25', retentionMonths: 12, anonymised: 1 });
    expect(await casePage(await signedInOfficer(), recent.reference)).toContain('Removed at the end of the retention period');
  });

  it('anonymises each case once when two instances run at the same moment', async () => {
    for (let i = 0; i < 6; i += 1) await closedCase(closedOn(`2019-0${i + 1}-10`));
    const [a, b] = await Promise.all([portal.services.retention.run(today), second.services.retention.run(today)]);
    expect(a.anonymised + b.anonymised).toBe(6);
    const entries = await query("SELECT case_id FROM audit_entry WHERE action = 'anonymised at the end of the retention period'");
    expect(entries).toHaveLength(6);
    expect(new Set(entries.map((entry) => entry.case_id)).size).toBe(6);
  });

  it('forgets rate-limit counters whose window has ended, and keeps those still counting', async () => {
    await query(`INSERT INTO rate_limit (key, points, expire) VALUES ('sign-in:ip:ended', 3, $1), ('sign-in:ip:counting', 2, $2)`, [
      new Date(today.getTime() - 60_000),
      new Date(today.getTime() + 60_000),
    ]);
    expect((await portal.services.retention.run(today)).countersForgotten).toBe(1);
    expect(await query('SELECT key FROM rate_limit')).toEqual([{ key: 'sign-in:ip:counting' }]);
  });

  it('deletes applications never sent 28 days after their last change, with their files; keeps any still resumable or sent', async () => {
    const daysAgo = (days: number) => new Date(today.getTime() - days * 86_400_000);
    const draft = async (updatedAt: Date, extra: { resumeExpiresAt?: Date; submittedCaseId?: string } = {}) => {
      const [row] = await query<{ id: string }>(
        `INSERT INTO draft (id, answers, updated_at, resume_token_hash, resume_expires_at, submitted_case_id)
         VALUES (gen_random_uuid(), '{"victimDetails": {"fullName": "Alex Example"}}', $1, $2, $3, $4) RETURNING id::text AS id`,
        [updatedAt, extra.resumeExpiresAt ? `hash-${Math.random()}` : null, extra.resumeExpiresAt ?? null, extra.submittedCaseId ?? null],
      );
      if (!row) throw new Error('no draft');
      await query(
        `INSERT INTO upload (id, draft_id, file_name, media_type, size, data) VALUES (gen_random_uuid(), $1, 'consent.pdf', 'application/pdf', $2, $3)`,
        [row.id, consentPdf.length, consentPdf],
      );
      return row.id;
    };
    const abandoned = await draft(daysAgo(29));
    const recent = await draft(daysAgo(27));
    const resumable = await draft(daysAgo(40), { resumeExpiresAt: new Date(today.getTime() + 86_400_000) });
    const linkExpired = await draft(daysAgo(40), { resumeExpiresAt: daysAgo(12) });
    const sent = await draft(daysAgo(40), { submittedCaseId: '00000000-0000-4000-8000-000000000001' });

    const result = await portal.services.retention.run(today);
    expect(result.draftsDeleted).toBe(2);
    const left = (await query<{ id: string }>('SELECT id::text AS id FROM draft')).map((row) => row.id);
    expect(left.sort()).toEqual([recent, resumable, sent].sort());
    const files = (await query<{ draft_id: string | null }>('SELECT draft_id::text AS draft_id FROM upload')).map((row) => row.draft_id);
    expect(files.sort(), 'the deleted drafts’ files went with them, none left without a draft').toEqual([recent, resumable, sent].sort());
    expect(left).not.toContain(abandoned);
    expect(left).not.toContain(linkExpired);
    expect(portal.logs.join('')).not.toContain('Alex Example');
  });

  it('runs every day from the worker: soon after start, then again', async () => {
    const now = new Date();
    const longAgo = (months: number) => londonInstant(addCalendarMonths(londonDate(now), -months), { hour: 12, minute: 0 });
    await closedCase(longAgo(80));
    const schedule = portal.services.retention.startDaily({ firstRunInMs: 0, everyMs: 300 });
    try {
      const anonymised = async () => (await query('SELECT 1 FROM "case" WHERE anonymised_at IS NOT NULL')).length;
      await expect.poll(anonymised, { timeout: 5_000 }).toBe(1);
      await closedCase(longAgo(73));
      await expect.poll(anonymised, { timeout: 5_000 }).toBe(2);
    } finally {
      await schedule.stop();
    }
  });
});

describe('npm run retention', () => {
  it('runs the job once and says what it did', async () => {
    const now = new Date();
    await closedCase(londonInstant(addCalendarMonths(londonDate(now), -73), { hour: 12, minute: 0 }));
    // The script itself, in this process (starting another Node with tsx would take longer than the test).
    vi.stubEnv('DATABASE_URL', testDatabaseUrl);
    // Vitest sets BASE_URL to '/' in its own environment.
    vi.stubEnv('BASE_URL', 'http://portal.test');
    vi.stubEnv('DATA_DIR', mkdtempSync(path.join(tmpdir(), 'retention-')));
    const printed = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      await import('../../src/cli/retention.ts');
      expect(printed.mock.calls.flat().join('\n')).toContain('Retention: 72 months, cases closed on or before');
      expect(printed.mock.calls.flat().join('\n')).toContain('Anonymised 1 case;');
      expect(process.exitCode ?? 0).toBe(0);
    } finally {
      printed.mockRestore();
      vi.unstubAllEnvs();
    }
    expect(await query('SELECT 1 FROM "case" WHERE anonymised_at IS NOT NULL')).toHaveLength(1);
  });
});
