import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { londonDate } from '../../src/domain/calendar-date.ts';
import { createTestApp, csrfTokenFrom, visitor, type TestApp, type Visitor } from '../helpers/app.ts';
import { insertCase } from '../helpers/case-fixtures.ts';
import { testDatabaseUrl, truncateAll } from '../helpers/database.ts';
import { createOfficer, signIn } from '../helpers/officers.ts';
import { TestSmtpServer } from '../helpers/smtp.ts';

/**
 * Subject access requests: a manager finds a person by email, or by name and postcode, sees the
 * cases they are in, and downloads everything about them as JSON. Only what is about them comes
 * back, the download is a no-store attachment, and both steps are audited without the person's
 * details.
 */
const smtp = new TestSmtpServer();
let portal: TestApp;
let manager: Visitor;
let managerId: string;
const db = new pg.Client({ connectionString: testDatabaseUrl });
const query = async <Row extends pg.QueryResultRow = Record<string, unknown>>(text: string, params: unknown[] = []) =>
  (await db.query<Row>(text, params)).rows;

let samApplies: { id: string; reference: string }; // Sam applies for Alex
let samIsVictim: { id: string; reference: string }; // Sam's own case
let someoneElse: { id: string; reference: string };

beforeAll(async () => {
  await smtp.start();
  await db.connect();
  portal = createTestApp({ smtp, worker: false, env: { OFFICER_MFA: 'optional' } });
  // One manager, signed in once: each test empties the cases (and the audit trail) only.
  await truncateAll();
  managerId = (await createOfficer(portal, 'manager')).id;
  manager = visitor(portal.app);
  await signIn(manager, 'manager@council.test');
});
afterAll(async () => {
  await Promise.all([portal.close(), db.end()]);
  await smtp.stop();
});

beforeEach(async () => {
  await query('TRUNCATE "case", audit_entry, outbox_message, draft, upload CASCADE');
  const prisma = portal.database.prisma;
  samApplies = await insertCase(prisma, {
    status: 'acknowledged',
    applicant: { name: 'Sam Helper', email: 'sam@example.test', relationship: 'Neighbour' },
    receivedAt: new Date('2026-09-01T09:00:00Z'),
  });
  samIsVictim = await insertCase(prisma, {
    status: 'received',
    victim: { name: 'Sam Helper', email: 'sam@example.test', postcode: 'DE12 7AB', phone: '07700 900111' },
    receivedAt: new Date('2026-10-01T09:00:00Z'),
  });
  someoneElse = await insertCase(prisma, { victim: { name: 'Jo Bloggs', email: 'jo@example.test', postcode: 'DE11 9ZZ' } });
  await query(
    `INSERT INTO note (id, case_id, officer_id, text) VALUES (gen_random_uuid(), $1, $2, 'Sam called to ask about the meeting')`,
    [samApplies.id, managerId],
  );
  await query(
    `INSERT INTO outbox_message (id, case_id, kind, "to", subject, text, html, status, sent_at) VALUES
       (gen_random_uuid(), $1, 'acknowledgement', 'sam@example.test', 'We have your application', 'Dear Sam Helper, we have your application.', '<p>Dear Sam</p>', 'sent', now()),
       (gen_random_uuid(), $1, 'case-acknowledgement', 'alex@example.test', 'An application about you', 'Dear Alex Example', '<p>Dear Alex</p>', 'sent', now()),
       (gen_random_uuid(), $1, 'new-application', 'asb-team@council.test', 'New application', 'A new application', '<p>New</p>', 'sent', now()),
       (gen_random_uuid(), $2, 'acknowledgement', 'sam@example.test', 'We have your application', 'Dear Sam Helper, about your own case.', '<p>Dear Sam</p>', 'pending', NULL)`,
    [samApplies.id, samIsVictim.id],
  );
  await query(
    `INSERT INTO audit_entry (id, case_id, officer_id, actor, action) VALUES (gen_random_uuid(), $1, $2, 'officer', 'viewed case')`,
    [samApplies.id, managerId],
  );
});

/** GET the search form, then POST to `action` with its token. */
async function post(v: Visitor, action: string, fields: Record<string, string>) {
  const page = await v.get('/admin/subject-access');
  expect(page.status).toBe(200);
  return v.agent
    .post(action)
    .type('form')
    .send({ _csrf: csrfTokenFrom(page.text), ...fields });
}

const errorsOn = (html: string) => [...html.matchAll(/<li><a href="(#[^"]+)">([^<]+)<\/a><\/li>/g)].map((m) => `${m[1]} ${m[2]}`);

interface ExportedCase {
  reference: string;
  subjectIs: string[];
  people: Array<{ role: string; name: string; email: string | null; phone: string | null; address: string[] }>;
  incidents: Array<{ description: string }>;
  notes: Array<{ text: string; officerName: string | null }>;
  emailsSentToThem: Array<{ to: string; subject: string; text: string; status: string }>;
  auditTrail: Array<{ action: string; actor: string; officerName: string | null }>;
}
interface Exported {
  council: string;
  exportedBy: string;
  searchedFor: Record<string, string>;
  cases: ExportedCase[];
}

describe('subject access requests', () => {
  it('finds every case a person is in by email, as applicant or victim, and no one else’s', async () => {
    const results = await post(manager, '/admin/subject-access', { searchBy: 'email', email: ' Sam@Example.test ' });
    expect(results.status).toBe(200);
    expect(results.text).toContain('Cases this person appears in');
    expect(results.text).toContain('The person appears in 2 cases.');
    const rows = [
      ...results.text.matchAll(/href="\/admin\/cases\/([A-Z0-9-]+)">[^<]+<\/a><\/td>\s*<td class="govuk-table__cell">(\w+)<\/td>/g),
    ].map((m) => `${m[1]} ${m[2]}`);
    expect(rows).toEqual([`${samApplies.reference} Applicant`, `${samIsVictim.reference} Victim`]);
    expect(results.text).not.toContain(someoneElse.reference);
    expect(results.text).toContain('<input type="hidden" name="email" value="Sam@Example.test">');
  });

  it('downloads everything about the person as a JSON attachment that is never cached', async () => {
    const file = await post(manager, '/admin/subject-access/download', { searchBy: 'email', email: 'sam@example.test' });
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(file.headers['content-disposition']).toBe(`attachment; filename="subject-access-${londonDate(new Date())}.json"`);
    expect(file.headers['cache-control']).toBe('no-store');
    expect(file.headers['x-content-type-options']).toBe('nosniff');

    const exported = JSON.parse(file.text) as Exported;
    expect(exported).toMatchObject({
      council: 'South Derbyshire District Council',
      exportedBy: 'Manager Person',
      searchedFor: { email: 'sam@example.test' },
    });
    expect(exported.cases.map((c) => [c.reference, c.subjectIs])).toEqual([
      [samApplies.reference, ['applicant']],
      [samIsVictim.reference, ['victim']],
    ]);
    const [applied, own] = exported.cases as [ExportedCase, ExportedCase];
    // Their details, and the case's: people, incidents, notes.
    expect(applied.people.find((p) => p.role === 'applicant')).toMatchObject({ name: 'Sam Helper', email: 'sam@example.test' });
    expect(own.people.find((p) => p.role === 'victim')).toMatchObject({
      name: 'Sam Helper',
      phone: '07700 900111',
      address: ['12 Civic Way', 'Swadlincote', 'DE12 7AB'],
    });
    expect(applied.incidents.map((i) => i.description)).toEqual([1, 2, 3].map((n) => `Shouting and banging at night, time ${n}`));
    expect(applied.notes).toEqual([
      expect.objectContaining({ text: 'Sam called to ask about the meeting', officerName: 'Manager Person' }),
    ]);
    // Emails sent to them, with their words; not those to the victim or to the officers.
    expect(applied.emailsSentToThem).toEqual([
      expect.objectContaining({
        to: 'sam@example.test',
        subject: 'We have your application',
        text: 'Dear Sam Helper, we have your application.',
        status: 'sent',
      }),
    ]);
    expect(own.emailsSentToThem.map((e) => e.text)).toEqual(['Dear Sam Helper, about your own case.']);
    // The case's audit trail: who did what (the fixture's submission, the manager's view).
    expect(applied.auditTrail.map((entry) => `${entry.action} by ${entry.officerName ?? entry.actor}`)).toEqual(
      expect.arrayContaining(['application submitted online by public', 'viewed case by Manager Person']),
    );
    expect(file.text).not.toContain('Jo Bloggs');
    expect(file.text).not.toContain('Dear Alex Example');
    expect(file.text).not.toContain('A new application');
  });

  it('finds a person by full name and postcode, ignoring case and spacing', async () => {
    const found = await post(manager, '/admin/subject-access', {
      searchBy: 'name-and-postcode',
      name: '  sam   HELPER ',
      postcode: 'de127ab',
    });
    expect(found.status).toBe(200);
    expect(found.text).toContain('The person appears in 1 case.');
    expect(found.text).toContain(samIsVictim.reference);
    // Sam applied for Alex without a postcode of their own: that case is found by email, not here.
    expect(found.text).not.toContain(samApplies.reference);
    const file = await post(manager, '/admin/subject-access/download', {
      searchBy: 'name-and-postcode',
      name: 'Sam Helper',
      postcode: 'DE12 7AB',
    });
    expect((JSON.parse(file.text) as Exported).cases.map((c) => c.reference)).toEqual([samIsVictim.reference]);

    const none = await post(manager, '/admin/subject-access', { searchBy: 'name-and-postcode', name: 'Sam Helper', postcode: 'DE11 0AH' });
    expect(none.status).toBe(200);
    expect(none.text).toContain('<h1 class="govuk-heading-l">No cases found</h1>');
  });

  it('explains what is missing or wrong, keeping what was typed', async () => {
    const nothing = await post(manager, '/admin/subject-access', {});
    expect(nothing.status).toBe(400);
    expect(errorsOn(nothing.text)).toEqual(['#searchBy Select how you want to find the person']);

    const badEmail = await post(manager, '/admin/subject-access', { searchBy: 'email', email: 'sam at example' });
    expect(badEmail.status).toBe(400);
    expect(errorsOn(badEmail.text)).toEqual(['#email Enter an email address in the correct format, like name@example.com']);
    expect(badEmail.text).toContain('value="sam at example"');

    const noPostcode = await post(manager, '/admin/subject-access/download', {
      searchBy: 'name-and-postcode',
      name: 'Sam Helper',
      postcode: '',
    });
    expect(noPostcode.status).toBe(400);
    expect(noPostcode.headers['content-disposition']).toBeUndefined();
    expect(errorsOn(noPostcode.text)).toEqual(['#postcode Enter the person’s postcode']);
    expect(noPostcode.text).toContain('value="Sam Helper"');
  });

  it('audits the search and the download, saying how and how many, not whom', async () => {
    await post(manager, '/admin/subject-access', { searchBy: 'email', email: 'sam@example.test' });
    await post(manager, '/admin/subject-access/download', { searchBy: 'email', email: 'sam@example.test' });
    const entries = await query<{ action: string; case_id: string | null; officer_id: string; detail: unknown }>(
      "SELECT action, case_id::text, officer_id::text, detail FROM audit_entry WHERE action LIKE 'subject access%' ORDER BY at, case_id NULLS FIRST",
    );
    expect(entries).toEqual(
      expect.arrayContaining([
        { action: 'subject access search', case_id: null, officer_id: managerId, detail: { searchedBy: 'email', matches: 2 } },
        { action: 'subject access export', case_id: null, officer_id: managerId, detail: { searchedBy: 'email', cases: 2 } },
        { action: 'subject access export', case_id: samApplies.id, officer_id: managerId, detail: { searchedBy: 'email' } },
        { action: 'subject access export', case_id: samIsVictim.id, officer_id: managerId, detail: { searchedBy: 'email' } },
      ]),
    );
    expect(entries).toHaveLength(4);
    expect(JSON.stringify(entries)).not.toContain('sam@example.test');
  });

  it('is for managers and administrators: an ASB officer neither sees it in the menu nor opens it', async () => {
    expect((await manager.get('/admin')).text).toContain('href="/admin/subject-access">Subject access</a>');
    await createOfficer(portal, 'officer');
    const officer = visitor(portal.app);
    await signIn(officer, 'officer@council.test');
    expect((await officer.get('/admin')).text).not.toContain('/admin/subject-access');
    expect((await officer.get('/admin/subject-access')).status).toBe(403);
  });
});
