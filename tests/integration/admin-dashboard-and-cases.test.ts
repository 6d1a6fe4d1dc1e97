import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, visitor, type TestApp, type Visitor } from '../helpers/app.ts';
import { insertCase } from '../helpers/case-fixtures.ts';
import { query, testDatabaseUrl, truncateAll } from '../helpers/database.ts';
import { fillApplication, send } from '../helpers/journey.ts';
import { createOfficer, signIn } from '../helpers/officers.ts';
import { TestSmtpServer } from '../helpers/smtp.ts';
import { addCalendarDays, londonDate } from '../../src/domain/calendar-date.ts';
import { addWorkingDays, workingDaysBetween } from '../../src/domain/working-days.ts';
import { deadlineWords } from '../../src/services/case-view-service.ts';

const smtp = new TestSmtpServer();
let portal: TestApp;
let officer: Visitor;
let officerId = '';

beforeAll(async () => {
  await smtp.start();
  portal = createTestApp({ smtp, worker: false });
  await truncateAll();
  officerId = (await createOfficer(portal, 'officer')).id;
  officer = visitor(portal.app);
  await signIn(officer, 'officer@council.test');
});
afterAll(async () => {
  await portal.close();
  await smtp.stop();
});
// Cases and everything hanging off them go; the officer and their session stay.
beforeEach(() => query('TRUNCATE "case", outbox_message, audit_entry, upload, draft CASCADE'));

const unescape = (text: string) => text.replace(/&amp;/g, '&').replace(/&#39;/g, "'").replace(/&#34;/g, '"');
/** The case references in the table rows of a page, in order. */
const referencesIn = (html: string) =>
  [...html.matchAll(/<th scope="row" class="govuk-table__header"><a class="govuk-link" href="\/admin\/cases\/(ASB-[^"]+)">/g)].map(
    (m) => m[1] ?? '',
  );
const relLink = (html: string, rel: 'next' | 'prev') => {
  const href = new RegExp(`href="([^"]+)" rel="${rel}"`).exec(html)?.[1];
  return href ? unescape(href) : null;
};
/** One dashboard section's HTML. */
const section = (html: string, id: string) => new RegExp(`<section[^>]* id="${id}">([\\s\\S]*?)</section>`).exec(html)?.[1] ?? '';
/** What a person reads: inline tags vanish, block tags become spaces. */
const text = (html: string) =>
  unescape(
    html
      .replace(/<\/?(a|time|strong|span)\b[^>]*>/g, '')
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' '),
  );

const today = () => londonDate(new Date());
/**
 * What the page says of a deadline n working days ago. On a working day that is "Overdue by n
 * working days"; at a weekend the count is one less, as the weekend days do not count.
 */
const overdueBy = (n: number) => {
  const late = workingDaysBetween(addWorkingDays(today(), -n), today());
  return late === 0 ? 'Overdue' : `Overdue by ${late} working day${late === 1 ? '' : 's'}`;
};
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

describe('deadline words', () => {
  it.each([
    ['2026-11-25', '2026-11-25', 'Due today', false],
    ['2026-11-20', '2026-11-25', 'Overdue by 3 working days', true],
    ['2026-11-24', '2026-11-25', 'Overdue by 1 working day', true],
    // Christmas Day and Boxing Day (a Saturday, so Monday 28th is the substitute) do not count.
    ['2026-12-24', '2026-12-29', 'Overdue by 1 working day', true],
    ['2026-11-28', '2026-11-29', 'Overdue', true],
    ['2026-12-02', '2026-11-27', 'Due in 3 working days', false],
    ['2026-11-29', '2026-11-28', 'Due 29 November 2026', false],
  ])('due %s, today %s: %s', (due, on, words, overdue) => {
    expect(deadlineWords(due, on)).toMatchObject({ words, overdue });
  });
});

describe('dashboard', () => {
  it('counts and lists what is new, due today and overdue, with each heading linking to the filtered list', async () => {
    const day = today();
    const dueToday = await insertCase(testDatabaseUrl, { status: 'received', acknowledgementDueOn: day, receivedAt: minutesAgo(5) });
    const overdue = await insertCase(testDatabaseUrl, {
      status: 'received',
      acknowledgementDueOn: addWorkingDays(day, -3),
      receivedAt: minutesAgo(50),
    });
    const fresh = await insertCase(testDatabaseUrl, {
      status: 'received',
      acknowledgementDueOn: addWorkingDays(day, 4),
      receivedAt: minutesAgo(1),
    });
    const decision = await insertCase(testDatabaseUrl, { status: 'acknowledged', nextDeadlineOn: addWorkingDays(day, -1) });
    const soon = await insertCase(testDatabaseUrl, {
      status: 'review_scheduled',
      reviewScheduledFor: new Date(Date.now() + 3 * 86_400_000),
    });
    const later = await insertCase(testDatabaseUrl, {
      status: 'review_scheduled',
      reviewScheduledFor: new Date(Date.now() + 30 * 86_400_000),
    });
    const outcome = await insertCase(testDatabaseUrl, { status: 'review_held', nextDeadlineOn: day });
    const appeal = await insertCase(testDatabaseUrl, { status: 'appeal_received', nextDeadlineOn: addWorkingDays(day, 5) });
    const closed = await insertCase(testDatabaseUrl, { status: 'closed' });
    for (const to of ['a@example.test', 'b@example.test']) {
      await query(
        `INSERT INTO outbox_message (id, kind, "to", subject, text, html, status) VALUES (gen_random_uuid(), 'acknowledgement', $1, 's', 't', 'h', 'failed')`,
        [to],
      );
    }

    const page = await officer.get('/admin');
    expect(page.status).toBe(200);
    const headings = [
      ...page.text.matchAll(/<h2 class="govuk-heading-m" id="[^"]+"><a class="govuk-link" href="([^"]+)">([^<]+)<\/a><\/h2>/g),
    ].map((m) => [unescape(m[1] ?? ''), m[2]]);
    expect(headings).toEqual([
      ['/admin/cases?status=received', 'New applications (3)'],
      ['/admin/cases?status=received&deadline=today', 'Acknowledgements due today (1)'],
      ['/admin/cases?status=received&deadline=overdue', 'Acknowledgements overdue (1)'],
      ['/admin/cases?status=acknowledged&sort=deadline', 'Threshold decisions due (1)'],
      ['/admin/cases?status=review_scheduled&sort=deadline', 'Reviews in the next 14 days (1)'],
      ['/admin/cases?status=review_held&sort=deadline', 'Outcomes to send (1)'],
      ['/admin/cases?status=appeal_received&sort=deadline', 'Open appeals (1)'],
      ['/admin/failed-emails', 'Failed emails (2)'],
    ]);
    // Most urgent first: the overdue one, then the one due today, then the new one.
    expect(referencesIn(section(page.text, 'new'))).toEqual([overdue.reference, dueToday.reference, fresh.reference]);
    expect(referencesIn(section(page.text, 'ack-today'))).toEqual([dueToday.reference]);
    expect(text(section(page.text, 'ack-today'))).toContain('Due today');
    expect(referencesIn(section(page.text, 'ack-overdue'))).toEqual([overdue.reference]);
    expect(text(section(page.text, 'ack-overdue'))).toContain(overdueBy(3));
    expect(text(section(page.text, 'decisions'))).toContain(overdueBy(1));
    expect(referencesIn(section(page.text, 'decisions'))).toEqual([decision.reference]);
    expect(referencesIn(section(page.text, 'reviews'))).toEqual([soon.reference]);
    expect(referencesIn(section(page.text, 'outcomes'))).toEqual([outcome.reference]);
    expect(text(section(page.text, 'outcomes'))).toContain('Due today');
    expect(referencesIn(section(page.text, 'appeals'))).toEqual([appeal.reference]);
    expect(text(section(page.text, 'appeals'))).toContain('Due in 5 working days');
    expect(page.text).not.toContain(later.reference);
    expect(page.text).not.toContain(closed.reference);
    expect(text(section(page.text, 'failed-emails'))).toContain('2 emails could not be sent');
  });

  it('stays short with 40 open cases: five per list and a link to all of them', async () => {
    for (let i = 0; i < 40; i += 1) await insertCase(testDatabaseUrl, { status: 'received', receivedAt: minutesAgo(i) });
    const page = await officer.get('/admin');
    const fresh = section(page.text, 'new');
    expect(fresh).toContain('New applications (40)');
    expect(referencesIn(fresh)).toHaveLength(5);
    expect(text(fresh)).toContain('View all 40 new applications');
    expect(text(section(page.text, 'ack-overdue'))).toContain('No acknowledgements are overdue.');
  });
});

describe('case list', () => {
  it('filters by status, deadline, channel and received dates', async () => {
    const day = today();
    const received = await insertCase(testDatabaseUrl, { status: 'received', acknowledgementDueOn: day, channel: 'paper' });
    const late = await insertCase(testDatabaseUrl, {
      status: 'received',
      acknowledgementDueOn: addWorkingDays(day, -2),
      receivedAt: minutesAgo(60 * 24 * 8),
    });
    const acknowledged = await insertCase(testDatabaseUrl, {
      status: 'acknowledged',
      nextDeadlineOn: addWorkingDays(day, 3),
      channel: 'phone',
      receivedAt: minutesAgo(30),
    });
    const old = await insertCase(testDatabaseUrl, { status: 'closed', receivedAt: new Date('2024-03-10T12:00:00Z') });
    const list = async (path: string) => {
      const response = await officer.get(path);
      expect(response.status).toBe(200);
      return referencesIn(response.text).sort();
    };
    expect(await list('/admin/cases')).toEqual([received, late, acknowledged, old].map((c) => c.reference).sort());
    expect(await list('/admin/cases?status=received')).toEqual([received.reference, late.reference].sort());
    expect(await list('/admin/cases?status=received&status=closed')).toEqual([received.reference, late.reference, old.reference].sort());
    expect(await list('/admin/cases?deadline=overdue')).toEqual([late.reference]);
    expect(await list('/admin/cases?deadline=today')).toEqual([received.reference]);
    expect(await list('/admin/cases?channel=phone')).toEqual([acknowledged.reference]);
    expect(
      await list(
        '/admin/cases?receivedFrom-day=1&receivedFrom-month=3&receivedFrom-year=2024&receivedTo-day=31&receivedTo-month=3&receivedTo-year=2024',
      ),
    ).toEqual([old.reference]);
    const since = addCalendarDays(day, -1).split('-');
    expect(await list(`/admin/cases?receivedFrom-day=${since[2]}&receivedFrom-month=${since[1]}&receivedFrom-year=${since[0]}`)).toEqual(
      [received.reference, acknowledged.reference].sort(),
    );
    const page = await officer.get('/admin/cases?status=received&deadline=overdue');
    expect(page.text).toMatch(/<input class="govuk-checkboxes__input" id="status" name="status" type="checkbox" value="received" checked>/);
    expect(text(page.text)).toContain('1 case');
    expect(text(page.text)).toContain(overdueBy(2));
  });

  it('finds a case by reference, postcode, email or part of a name, in any case and spacing', async () => {
    const alex = await insertCase(testDatabaseUrl, {
      victim: { name: 'Alexandra Example-Smith', postcode: 'DE11 0AH', email: 'alex@example.test' },
    });
    const sam = await insertCase(testDatabaseUrl, { victim: { name: 'Sam Jones', postcode: 'DE12 7AB', email: 'sam@example.test' } });
    const helped = await insertCase(testDatabaseUrl, {
      victim: { name: 'Pat Victim', postcode: 'DE73 8AA', email: null },
      applicant: { name: 'Morgan Helper', email: 'morgan@charity.test' },
    });
    const search = async (q: string) => referencesIn((await officer.get(`/admin/cases?q=${encodeURIComponent(q)}`)).text).sort();
    expect(await search(alex.reference.toLowerCase().replace(/-/g, ' '))).toEqual([alex.reference]);
    expect(await search(` ${sam.reference} `)).toEqual([sam.reference]);
    expect(await search('de110ah')).toEqual([alex.reference]);
    expect(await search('De12  7ab')).toEqual([sam.reference]);
    expect(await search('SAM@Example.TEST')).toEqual([sam.reference]);
    expect(await search('morgan@charity.test')).toEqual([helped.reference]);
    expect(await search('xandra exa')).toEqual([alex.reference]);
    expect(await search('HELPER')).toEqual([helped.reference]);
    expect(await search('ple-sm')).toEqual([alex.reference]);
    expect(await search('100%')).toEqual([]);
    expect(await search('ASB-2026-ZZZZZZ')).toEqual([]);
    const none = await officer.get('/admin/cases?q=nobody+here');
    expect(text(none.text)).toContain('0 cases');
    expect(text(none.text)).toContain('No cases match.');
  });

  it('sorts by received date (newest first) or by next deadline (soonest first, none last)', async () => {
    const day = today();
    const a = await insertCase(testDatabaseUrl, {
      status: 'acknowledged',
      receivedAt: minutesAgo(30),
      nextDeadlineOn: addCalendarDays(day, 9),
    });
    const b = await insertCase(testDatabaseUrl, {
      status: 'acknowledged',
      receivedAt: minutesAgo(10),
      nextDeadlineOn: addCalendarDays(day, 2),
    });
    const c = await insertCase(testDatabaseUrl, { status: 'closed', receivedAt: minutesAgo(20), nextDeadlineOn: null });
    const d = await insertCase(testDatabaseUrl, {
      status: 'received',
      receivedAt: minutesAgo(40),
      nextDeadlineOn: addCalendarDays(day, -4),
    });
    expect(referencesIn((await officer.get('/admin/cases')).text)).toEqual([b, c, a, d].map((x) => x.reference));
    const byDeadline = await officer.get('/admin/cases?sort=deadline');
    expect(referencesIn(byDeadline.text)).toEqual([d, b, a, c].map((x) => x.reference));
    expect(byDeadline.text).toContain('Cases, sorted by next deadline (soonest first)');
  });

  it.each(['received', 'deadline'])('pages through 60 cases 25 at a time, every case once, forwards and back (sort %s)', async (sort) => {
    const day = today();
    const all: string[] = [];
    for (let i = 0; i < 60; i += 1) {
      // Several cases share a deadline or a received time, and a third have no deadline (sorted
      // last), so the id must break ties and pages cross from dated to undated cases.
      const nextDeadlineOn = i % 3 === 1 ? null : addCalendarDays(day, i % 5);
      all.push(
        (await insertCase(testDatabaseUrl, { status: 'acknowledged', receivedAt: minutesAgo(i % 3 === 0 ? 100 : i), nextDeadlineOn }))
          .reference,
      );
    }
    const forwards: string[][] = [];
    let path: string | null = `/admin/cases?sort=${sort}`;
    let last = '';
    while (path) {
      const page = await officer.get(path);
      expect(page.status).toBe(200);
      forwards.push(referencesIn(page.text));
      last = page.text;
      path = relLink(page.text, 'next');
      expect(forwards.length).toBeLessThan(5);
    }
    expect(forwards.map((page) => page.length)).toEqual([25, 25, 10]);
    expect(new Set(forwards.flat()).size).toBe(60);
    expect([...forwards.flat()].sort()).toEqual([...all].sort());
    expect(text(last)).toContain('60 cases');

    const backwards: string[][] = [forwards[2] ?? []];
    let previous = relLink(last, 'prev');
    while (previous) {
      const page = await officer.get(previous);
      backwards.unshift(referencesIn(page.text));
      previous = relLink(page.text, 'prev');
      expect(backwards.length).toBeLessThan(5);
    }
    expect(backwards).toEqual(forwards);
  });

  it('ignores bad filter values with a message instead of failing', async () => {
    await insertCase(testDatabaseUrl, { status: 'received' });
    const bad = await officer.get(
      '/admin/cases?status=bogus&status=received&channel=fax&sort=upside&deadline=yesterday&receivedFrom-day=31&receivedFrom-month=2&receivedFrom-year=2026&after=not-a-cursor&q[x]=1',
    );
    expect(bad.status).toBe(200);
    const words = text(bad.text);
    expect(words).toContain('There is a problem');
    expect(words).toContain('Select statuses from the list');
    expect(words).toContain('Select how the application came in from the list');
    expect(words).toContain('Select a sort order from the list');
    expect(words).toContain('Select a deadline from the list');
    expect(words).toContain('Received from must be a real date');
    expect(words).toContain('The page link was not recognised');
    expect(referencesIn(bad.text)).toHaveLength(1);

    const reversed = await officer.get(
      '/admin/cases?receivedFrom-day=2&receivedFrom-month=3&receivedFrom-year=2026&receivedTo-day=1&receivedTo-month=3&receivedTo-year=2026',
    );
    expect(reversed.status).toBe(200);
    expect(text(reversed.text)).toContain('Received to must be the same as or after received from');

    const forged = Buffer.from(
      JSON.stringify(["2026-01-01T00:00:00.000Z'; DROP TABLE case; --", '00000000-0000-0000-0000-000000000000']),
    ).toString('base64url');
    for (const path of [
      `/admin/cases?after=${forged}`,
      `/admin/cases?sort=deadline&before=${forged}`,
      `/admin/cases?q=${'x'.repeat(300)}`,
      '/admin/cases?q=a',
    ]) {
      const response = await officer.get(path);
      expect(response.status).toBe(200);
      expect(text(response.text)).toContain('There is a problem');
    }
  });
});

describe('case page', () => {
  it('shows the whole application, the threshold advice and the timeline, and audits each view', async () => {
    const resident = visitor(portal.app);
    await fillApplication(resident, { onBehalf: true, incidents: 3 });
    await send(resident);
    const [row] = await query<{ reference: string; id: string }>('SELECT reference, id FROM "case"');
    const reference = row?.reference ?? '';

    const page = await officer.get(`/admin/cases/${reference}`);
    expect(page.status).toBe(200);
    const words = text(page.text);
    expect(page.text).toContain(
      `<h1 class="govuk-heading-l">${reference} <strong class="govuk-tag govuk-tag--blue govuk-!-margin-left-2">Received</strong></h1>`,
    );
    for (const expected of [
      'Alex Example',
      '12 Civic Way',
      'DE11 0AH',
      'alex@example.test',
      'After 6pm',
      'The applicant (applying for the victim)',
      'Sam Helper',
      'Daughter',
      'sam@example.test',
      'Declaration that the victim agreed Yes',
      'Call Alex on 07700 900982 after 6pm',
      'Shouting and banging at night, time 1',
      'Shouting and banging at night, time 3',
      'Outside 12 Civic Way',
      'The council The police',
      'CR-2',
      'We cannot sleep and the children are frightened.',
      'Reported to the council and police; a warning letter was sent.',
      'For the noise to stop.',
      'Threshold met: 3 of 3 qualifying incidents counted',
      '3 of your incidents were reported in the last six months; 3 are needed.',
      'It is not a decision: you decide',
      'The threshold has not been decided yet.',
      'Single point of contact Not assigned yet',
      'How it came in Online',
      'Status: Received',
      'Application submitted online',
      'Email: Acknowledgement to sam@example.test',
      'Email: New application notice to the officers’ mailbox to asb-team@council.test',
    ]) {
      expect(words).toContain(expected);
    }
    expect(page.text).toContain(`href="/admin/cases/${reference}/actions/acknowledge">Acknowledge the application</a>`);
    // Received: the threshold is decided after the acknowledgement, so it is not offered yet.
    expect(page.text).not.toContain(`href="/admin/cases/${reference}/actions/decide-threshold"`);
    expect(page.text).toContain(`href="/admin/cases/${reference}/actions/add-note">Add a note</a>`);

    await officer.get(`/admin/cases/${reference.toLowerCase()}`);
    const audits = await query<{ action: string; actor: string; officer_id: string; case_id: string }>(
      "SELECT action, actor, officer_id, case_id FROM audit_entry WHERE action = 'viewed case'",
    );
    expect(audits).toEqual([
      { action: 'viewed case', actor: 'officer', officer_id: officerId, case_id: row?.id },
      { action: 'viewed case', actor: 'officer', officer_id: officerId, case_id: row?.id },
    ]);
    const again = await officer.get(`/admin/cases/${reference}`);
    expect(text(again.text)).toContain('Who has looked at this case (2)');
  });

  it('puts status changes, notes and audit entries on one timeline, oldest first', async () => {
    const received = new Date('2026-01-05T10:00:00Z');
    const { id, reference } = await insertCase(testDatabaseUrl, { status: 'closed', receivedAt: received, officerId, thresholdMet: false });
    await query(
      `INSERT INTO note (id, case_id, officer_id, text, created_at) VALUES (gen_random_uuid(), $1, $2, 'Phoned the victim.', '2026-01-05T10:30:00Z')`,
      [id, officerId],
    );
    const page = await officer.get(`/admin/cases/${reference}`);
    const words = text(page.text);
    const order = [
      'Status: Received 5 January 2026 at 10am, The applicant',
      'Application submitted online',
      'Note 5 January 2026 at 10:30am, Officer Person Phoned the victim.',
      // The fixture walks the shortest path: the acknowledgement comes before the decision.
      'Status: Received to Acknowledged 5 January 2026 at 11am, Officer Person',
      'Status: Acknowledged to Threshold not met 5 January 2026 at midday, Officer Person',
      'Status: Threshold not met to Closed 5 January 2026 at 1pm, Officer Person',
    ].map((item) => words.indexOf(item));
    expect(order, JSON.stringify(order)).not.toContain(-1);
    expect([...order].sort((x, y) => x - y)).toEqual(order);
    expect(words).toContain('Threshold not met: 2 of 3 qualifying incidents counted');
    expect(words).toContain('Decision Threshold not met');
    expect(words).toContain('This case is closed: nothing more can be done.');
  });

  it('says "Case not found" with status 404 for an unknown or malformed reference', async () => {
    for (const path of ['/admin/cases/ASB-2026-ZZZZZZ', '/admin/cases/not-a-reference', '/admin/cases/ASB-2026-ZZZZZZ/consent-file']) {
      const response = await officer.get(path);
      expect(response.status).toBe(404);
      expect(response.text).toContain('Case not found');
    }
    expect(await query("SELECT 1 FROM audit_entry WHERE actor = 'officer'")).toHaveLength(0);
  });

  it('downloads the signed consent form as an attachment, and audits it', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
    const { id, reference } = await insertCase(testDatabaseUrl, {
      consentFile: { fileName: 'signed-consent-form.pdf', mediaType: 'application/pdf', data: pdf },
    });
    const page = await officer.get(`/admin/cases/${reference}`);
    expect(page.text).toContain(
      `href="/admin/cases/${reference}/consent-file" download>Download the signed consent form (signed-consent-form.pdf, ${pdf.length} bytes)</a>`,
    );
    expect(text(page.text)).toContain('How consent was given Signed consent form uploaded');

    const file = await officer.agent.get(`/admin/cases/${reference}/consent-file`).responseType('blob');
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.headers['content-disposition']).toBe('attachment; filename="signed-consent-form.pdf"');
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    expect(file.headers['cache-control']).toBe('no-store');
    expect(Buffer.compare(file.body as Buffer, pdf)).toBe(0);
    const audits = await query<{ action: string; officer_id: string }>(
      'SELECT action, officer_id FROM audit_entry WHERE case_id = $1 AND actor = $2 ORDER BY at',
      [id, 'officer'],
    );
    expect(audits).toEqual([
      { action: 'viewed case', officer_id: officerId },
      { action: 'downloaded consent form', officer_id: officerId },
    ]);

    const withoutFile = await insertCase(testDatabaseUrl, { applicant: { name: 'Sam Helper' } });
    expect((await officer.get(`/admin/cases/${withoutFile.reference}/consent-file`)).status).toBe(404);
  });

  it('is only for signed-in officers', async () => {
    const { reference } = await insertCase(testDatabaseUrl);
    const stranger = visitor(portal.app);
    for (const path of ['/admin', '/admin/cases', `/admin/cases/${reference}`, `/admin/cases/${reference}/consent-file`]) {
      const response = await stranger.get(path);
      expect(response.status).toBe(303);
      expect(response.headers.location).toBe('/admin/sign-in');
    }
  });
});
