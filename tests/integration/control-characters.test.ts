import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addCalendarDays, londonDate } from '../../src/domain/calendar-date.ts';
import { southDerbyshire } from '../../src/council.ts';
import { createTestApp, csrfTokenFrom, visitor, type TestApp, type Visitor } from '../helpers/app.ts';
import { insertCase } from '../helpers/case-fixtures.ts';
import { query, testDatabaseUrl, truncateAll } from '../helpers/database.ts';
import { allRoutes } from '../helpers/fuzz-routes.ts';
import { fillApplication, send, victim, victimContact } from '../helpers/journey.ts';
import { createOfficer, signIn } from '../helpers/officers.ts';
import { TestSmtpServer } from '../helpers/smtp.ts';

/**
 * What the portal does with characters nobody can see (src/domain/control-characters.ts): none in
 * a single-line field (line breaks folded to a space), tab and LF in multi-line ones, every other
 * C0 and C1 control removed, in query strings, paths and bodies alike; never a server error.
 */
const smtp = new TestSmtpServer();
let portal: TestApp;

beforeAll(async () => {
  await smtp.start();
  portal = createTestApp({ smtp, worker: false });
});
afterAll(async () => {
  await portal.close();
  await smtp.stop();
});
beforeEach(async () => {
  await truncateAll();
  smtp.messages.length = 0;
});

/** A control character a page must never show raw (tab, LF and CR are ordinary in HTML source). */
const rawControl = /(?![\t\n\r])\p{Cc}/u;

/** Control characters as a URL carries them: C0 (NUL first), DEL, C1 as UTF-8, and bytes that are not UTF-8. */
const urlControls: Array<{ name: string; encoded: string }> = [
  { name: 'NUL', encoded: '%00' },
  { name: 'SOH', encoded: '%01' },
  { name: 'BEL', encoded: '%07' },
  { name: 'backspace', encoded: '%08' },
  { name: 'tab', encoded: '%09' },
  { name: 'LF', encoded: '%0A' },
  { name: 'CRLF', encoded: '%0D%0A' },
  { name: 'vertical tab', encoded: '%0B' },
  { name: 'escape', encoded: '%1B' },
  { name: 'unit separator', encoded: '%1F' },
  { name: 'DEL', encoded: '%7F' },
  { name: 'C1 NEL', encoded: '%C2%85' },
  { name: 'C1 CSI', encoded: '%C2%9B' },
  { name: 'a byte that is not UTF-8', encoded: '%85' },
];

/** The same in a form body (as text: supertest encodes it). CR and LF have their own tests. */
const bodyControls: Array<{ name: string; text: string }> = [
  { name: 'NUL', text: '\u0000' },
  { name: 'BEL', text: '\u0007' },
  { name: 'backspace', text: '\u0008' },
  { name: 'vertical tab', text: '\u000b' },
  { name: 'form feed', text: '\u000c' },
  { name: 'escape', text: '\u001b' },
  { name: 'unit separator', text: '\u001f' },
  { name: 'DEL', text: '\u007f' },
  { name: 'C1 NEL', text: '\u0085' },
  { name: 'C1 CSI', text: '\u009b' },
  { name: 'NUL and escape together', text: '\u0000\u001b\u009b' },
];

type Role = 'officer' | 'manager' | 'administrator';

async function signedIn(role: Role): Promise<{ v: Visitor; id: string }> {
  const created = await createOfficer(portal, role);
  const v = visitor(portal.app);
  await signIn(v, created.email);
  return { v, id: created.id };
}

const today = () => londonDate(new Date());
function dateFields(prefix: string, iso: string): Record<string, string> {
  const [year = '', month = '', day = ''] = iso.split('-');
  return { [`${prefix}-day`]: String(Number(day)), [`${prefix}-month`]: String(Number(month)), [`${prefix}-year`]: year };
}

/** Every GET page that reads its query string, with each parameter it reads. */
const queryRoutes: Array<{ path: string; params: string[]; as: Role | 'anonymous' }> = [
  { path: '/check-if-you-can-apply', params: ['reported', 'incidents', 'aboutStaff'], as: 'anonymous' },
  { path: '/forms/application-form', params: ['format'], as: 'anonymous' },
  { path: '/admin/sign-in', params: ['expired'], as: 'anonymous' },
  { path: '/apply/who-is-applying', params: ['change'], as: 'anonymous' },
  {
    path: '/admin/cases',
    params: [
      'q',
      'status',
      'deadline',
      'channel',
      'sort',
      'after',
      'before',
      'receivedFrom-day',
      'receivedFrom-month',
      'receivedFrom-year',
      'receivedTo-day',
      'receivedTo-month',
      'receivedTo-year',
    ],
    as: 'officer',
  },
  { path: '/admin/cases/:reference', params: ['done', 'letter'], as: 'officer' },
  { path: '/admin/cases/:reference/print', params: ['format'], as: 'officer' },
  { path: '/admin/figures', params: ['year'], as: 'officer' },
  { path: '/admin/failed-emails', params: ['queued'], as: 'officer' },
  { path: '/admin/account/password', params: ['changed'], as: 'officer' },
  { path: '/admin/paper-applications/who-is-applying', params: ['change'], as: 'officer' },
  {
    path: '/admin/audit',
    params: ['officer', 'from-day', 'from-month', 'from-year', 'to-day', 'to-month', 'to-year', 'older'],
    as: 'manager',
  },
  { path: '/admin/officers/:officer', params: ['done'], as: 'administrator' },
  { path: '/admin/settings', params: ['saved'], as: 'administrator' },
];

describe('control characters in the query string of every GET page that reads one', () => {
  let visitors: Record<string, Visitor>;
  let reference: string;
  let officerId: string;

  beforeEach(async () => {
    visitors = { anonymous: visitor(portal.app) };
    for (const role of ['officer', 'manager', 'administrator'] as const) {
      const { v, id } = await signedIn(role);
      if (role === 'officer') officerId = id;
      visitors[role] = v;
    }
    ({ reference } = await insertCase(testDatabaseUrl, { victim: { name: 'Alex Example' } }));
  });

  for (const route of queryRoutes) {
    it(`${route.path}: never a server error, never shown back raw`, async () => {
      const path = route.path.replace(':reference', reference).replace(':officer', officerId);
      const v = visitors[route.as] as Visitor;
      const failures: string[] = [];
      const check = async (url: string, what: string) => {
        const response = await v.get(url);
        if (response.status >= 500) failures.push(`${url}: ${response.status}`);
        else if (rawControl.test(response.text)) failures.push(`${url}: the page shows a raw ${what}`);
      };
      for (const control of urlControls) {
        for (const param of route.params) await check(`${path}?${param}=a${control.encoded}%3Cscript%3E`, control.name);
        // Every parameter at once, the way a tampered filter form sends them.
        await check(`${path}?${route.params.map((param) => `${param}=${control.encoded}x`).join('&')}`, control.name);
      }
      expect(failures).toEqual([]);
    });
  }

  it('the case list search with a NUL searches for what is left, and shows it back without it', async () => {
    const response = await visitors.officer?.get('/admin/cases?q=%00%3Cscript%3E');
    expect(response?.status).toBe(200);
    expect(response?.text).toContain('value="&lt;script&gt;"');
    expect(response?.text).toContain('No cases match');
    expect(response?.text).not.toContain('\u0000');
  });

  it('a search with a line break in it is one line: the case is found by its name', async () => {
    const response = await visitors.officer?.get('/admin/cases?q=Alex%0D%0A%00Example');
    expect(response?.status).toBe(200);
    expect(response?.text).toContain('value="Alex Example"');
    expect(response?.text).toContain(reference);
  });
});

describe('control characters in a path', () => {
  it('every route with a parameter: a control character in it is a page not found, never a server error', async () => {
    const { v } = await signedIn('administrator');
    const token = csrfTokenFrom((await v.get('/admin/cases')).text);
    const withParameters = allRoutes(portal.app).filter((route) => route.path.includes('/:'));
    expect(withParameters.length).toBeGreaterThan(10);
    const failures: string[] = [];
    for (const route of withParameters) {
      for (const encoded of ['a%00b', '%07', '%C2%85', '%85']) {
        const url = route.path.replace(/:[A-Za-z_]\w*/g, encoded);
        const response =
          route.method === 'GET' ? await v.get(url) : await v.agent.post(url).type('form').send({ _csrf: token, text: 'A note' });
        // 404 for a control character; 400 for percent-encoding that is not UTF-8 (Express's own answer).
        if (![400, 404].includes(response.status)) failures.push(`${route.method} ${url}: ${response.status}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

/** The text shown in one row of a summary list (check your answers), tags stripped. */
const summaryValue = (html: string, key: string) => {
  const row = new RegExp(
    `<dt class="govuk-summary-list__key">\\s*${key}\\s*</dt>\\s*<dd class="govuk-summary-list__value">([\\s\\S]*?)</dd>`,
  ).exec(html);
  return row?.[1]?.replace(/<[^>]+>/g, '').trim() ?? null;
};

describe('control characters in form bodies (resident and officer, urlencoded and multipart)', () => {
  it('the resident’s name and incident: removed, every time, and check your answers shows what is left', async () => {
    const v = visitor(portal.app);
    await fillApplication(v, { incidents: 1 });
    for (const control of bodyControls) {
      const named = await v.submit('/apply/victim-details', {
        ...victim,
        fullName: `Alex${control.text} Example`,
        town: `Swad${control.text}lincote`,
      });
      expect(named.status, control.name).toBe(303);
      const described = await v.submit('/apply/incident-details/1', {
        ...dateFields('occurredOn', addCalendarDays(today(), -12)),
        description: `Shouting${control.text} at night`,
        location: `Outside${control.text} 12 Civic Way`,
        reportedTo: ['council'],
        reportedToOther: '',
        ...dateFields('reportedOn', addCalendarDays(today(), -10)),
        reference: `CR${control.text}-1`,
      });
      expect(described.status, control.name).toBe(303);
      const check = await v.get('/apply/check-answers');
      expect(check.status).toBe(200);
      expect(check.text, control.name).not.toMatch(rawControl);
      expect(check.text).toContain('Alex Example');
      expect(check.text).toContain('Swadlincote');
      expect(check.text).toContain('Shouting at night');
      expect(check.text).toContain('Outside 12 Civic Way');
    }
  });

  it('a multipart body is cleaned the same way as a urlencoded one', async () => {
    const v = visitor(portal.app);
    await fillApplication(v, { incidents: 1 });
    for (const control of bodyControls) {
      const page = await v.get('/apply/victim-details');
      const sent = v.agent.post('/apply/victim-details').field('_csrf', csrfTokenFrom(page.text));
      for (const [name, value] of Object.entries({ ...victim, fullName: `Sam${control.text} Multipart\r\nBcc: x@y` }))
        sent.field(name, value);
      const response = await sent;
      expect(response.status, control.name).toBe(303);
      const check = await v.get('/apply/check-answers');
      expect(check.text).not.toMatch(rawControl);
      expect(summaryValue(check.text, 'Full name')).toBe('Sam Multipart Bcc: x@y');
    }
  });

  it('check your answers: a submission key with a NUL is refused as any wrong key is, never a server error', async () => {
    const v = visitor(portal.app);
    await fillApplication(v, { incidents: 1 });
    const page = await v.get('/apply/check-answers');
    const key = /name="submissionKey" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const response = await v.agent
      .post('/apply/check-answers')
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), submissionKey: `${key}\u0000`, declaration: 'yes\u0000' });
    expect(response.status).toBeLessThan(500);
    const [{ count } = { count: '' }] = await query<{ count: string }>('SELECT count(*)::text AS count FROM "case"');
    expect(Number(count)).toBeLessThanOrEqual(1);
  });

  it('save and return, and the officer sign-in: an email with a control character is read without it', async () => {
    const resident = visitor(portal.app);
    await fillApplication(resident, { incidents: 1 });
    const saved = await resident.submit('/apply/save-and-return', { email: 'alex\u0000@example.test' });
    expect(saved.status).toBe(200);
    expect(saved.text).toContain('alex@example.test');

    const officer = await createOfficer(portal, 'officer');
    const v = visitor(portal.app);
    const signedInResponse = await v.submit('/admin/sign-in', {
      email: `${officer.email}\u0000\u001b`,
      password: 'correct horse battery staple 9',
    });
    expect(signedInResponse.status).toBe(303);
    expect(signedInResponse.headers.location).toMatch(/^\/admin/);
  });

  it('an officer’s note (multi-line) keeps its line breaks as LF and tabs; every other control is removed', async () => {
    const { v } = await signedIn('officer');
    const { reference } = await insertCase(testDatabaseUrl, { status: 'acknowledged' });
    for (const control of bodyControls) {
      const response = await v.submit(`/admin/cases/${reference}/actions/add-note`, {
        text: `First${control.text} line\r\nSecond\tline\rThird`,
      });
      expect(response.status, control.name).toBe(303);
    }
    const notes = await query<{ text: string }>('SELECT text FROM note');
    expect(notes).toHaveLength(bodyControls.length);
    for (const note of notes) expect(note.text).toBe('First line\nSecond\tline\nThird');
    const page = await v.get(`/admin/cases/${reference}`);
    expect(page.text).not.toMatch(rawControl);
  });

  it('officer forms: subject access, a new officer, a paper application, historic figures: never a server error', async () => {
    const { v } = await signedIn('administrator');
    for (const control of bodyControls) {
      const search = await v.submit('/admin/subject-access', {
        searchBy: `name-and-postcode${control.text}`,
        name: `Alex${control.text} Example`,
        postcode: `DE11${control.text} 0AH`,
        email: '',
      });
      expect(search.status, control.name).toBe(200);
      expect(search.text).not.toMatch(rawControl);

      const email = `new${bodyControls.indexOf(control)}@council.test`;
      const created = await v.submit('/admin/officers/new', {
        name: `New${control.text} Officer\nBcc: x@y`,
        email: `${email}${control.text}`,
        role: 'officer',
      });
      expect(created.status, control.name).toBe(200);
      expect(created.text).not.toMatch(rawControl);

      const started = await v.submit('/admin/paper-applications', {
        channel: `paper${control.text}`,
        ...dateFields('receivedOn', today()),
      });
      expect(started.status, control.name).toBe(303);

      const figures = await v.submit('/admin/figures/historic', {
        financialYear: `2019/20${control.text}`,
        applicationsReceived: '1',
        thresholdNotMet: '0',
        reviewsCarriedOut: '1',
        reviewsWithRecommendations: '1',
        appealsReceived: '0',
        appealsUpheld: `0${control.text}`,
      });
      expect(figures.status, control.name).toBe(303);
    }
    const officers = await query<{ name: string; email: string }>(`SELECT name, email FROM officer WHERE email LIKE 'new%'`);
    expect(officers).toHaveLength(bodyControls.length);
    for (const officer of officers) {
      expect(officer.name).toBe('New Officer Bcc: x@y');
      expect(officer.email).toMatch(/^new\d+@council\.test$/);
    }
  });
});

describe('single-line fields stay on one line, in what is stored and in the emails as they arrive', () => {
  const injected = 'Alex Example\nBcc: x@y';

  /** Every line of a text email that would start a header, or the Bcc header itself. */
  const headerLines = (text: string) => text.split('\n').filter((line) => /^bcc:/i.test(line.trim()));

  it('a whole online application: the name is folded to one line; a phone with a line break too, or refused', async () => {
    const v = visitor(portal.app);
    await fillApplication(v, { incidents: 3 });

    const details = await v.submit('/apply/victim-details', { ...victim, fullName: injected, addressLine1: '12 Civic Way\r\nBcc: x@y' });
    expect(details.status).toBe(303);
    // A phone number split over two lines is still the phone number...
    const contact = await v.submit('/apply/victim-contact', { ...victimContact, phone: '07700\n900982' });
    expect(contact.status).toBe(303);
    // ...and one with a header after it is not a phone number: refused, what was typed kept on one line.
    const bad = await v.submit('/apply/victim-contact', { ...victimContact, phone: '07700 900982\nBcc: x@y' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Enter a telephone number, like 01632 960 001 or 07700 900 982');
    expect(bad.text).toContain('value="07700 900982 Bcc: x@y"');
    expect((await v.submit('/apply/victim-contact', { ...victimContact, phone: '07700\n900982' })).status).toBe(303);

    const check = await v.get('/apply/check-answers');
    expect(summaryValue(check.text, 'Full name')).toBe('Alex Example Bcc: x@y');
    const { response } = await send(v);
    expect(response.status).toBe(303);

    const people = await query<{ name: string; phone: string; address_line_1: string }>(
      `SELECT name, phone, address_line_1 FROM person WHERE role = 'victim'`,
    );
    expect(people).toEqual([{ name: 'Alex Example Bcc: x@y', phone: '07700 900982', address_line_1: '12 Civic Way Bcc: x@y' }]);

    await portal.services.outboxWorker.runOnce();
    const [mail] = smtp.to(victimContact.email);
    expect(mail?.text).toContain('Dear Alex Example Bcc: x@y,');
    expect(headerLines(mail?.text ?? '')).toEqual([]);
    expect(mail?.bcc).toBeUndefined();
    expect(mail?.headers.has('bcc')).toBe(false);
  });

  it('an officer’s form: the independent chair’s name reaches the invitation email on one line', async () => {
    const { v } = await signedIn('officer');
    const { reference } = await insertCase(testDatabaseUrl, {
      status: 'threshold_met',
      victim: { name: 'Alex Example', email: 'alex@example.test' },
    });
    const response = await v.submit(`/admin/cases/${reference}/actions/schedule-review`, {
      ...dateFields('meetingOn', addCalendarDays(today(), 7)),
      time: '10:00\n',
      agencies: [southDerbyshire.partnerAgencies[0] ?? ''],
      independentChair: 'Dr Chair\r\nBcc: x@y\u0000',
      attendance: 'in-person',
      notInvitedReason: '',
    });
    expect(response.status).toBe(303);
    const [review] = await query<{ independent_chair: string }>('SELECT independent_chair FROM review');
    expect(review?.independent_chair).toBe('Dr Chair Bcc: x@y');

    await portal.services.outboxWorker.runOnce();
    const [mail] = smtp.to('alex@example.test');
    expect(mail?.text).toContain('The meeting will be chaired independently by Dr Chair Bcc: x@y.');
    expect(headerLines(mail?.text ?? '')).toEqual([]);
    expect(mail?.headers.has('bcc')).toBe(false);
  });

  it('a paper application entered by an officer: the name is stored and emailed on one line', async () => {
    const { v } = await signedIn('officer');
    const started = await v.submit('/admin/paper-applications', { channel: 'paper', ...dateFields('receivedOn', today()) });
    expect(started.status).toBe(303);
    const base = '/admin/paper-applications';
    await fillApplication(v, { base, incidents: 3 });
    expect((await v.submit(`${base}/victim-details`, { ...victim, fullName: injected })).status).toBe(303);
    expect((await v.submit(`${base}/victim-contact`, { ...victimContact, safeTimes: 'After 6pm\nBcc: x@y' })).status).toBe(303);
    const { response } = await send(v, base);
    expect(response.status).toBe(303);

    const people = await query<{ name: string; safe_times: string }>(`SELECT name, safe_times FROM person WHERE role = 'victim'`);
    expect(people).toEqual([{ name: 'Alex Example Bcc: x@y', safe_times: 'After 6pm Bcc: x@y' }]);

    await portal.services.outboxWorker.runOnce();
    const [mail] = smtp.to(victimContact.email);
    expect(mail?.text).toContain('Dear Alex Example Bcc: x@y,');
    expect(headerLines(mail?.text ?? '')).toEqual([]);
  });

  it('multi-line answers keep their lines: the incident description and the impact', async () => {
    const v = visitor(portal.app);
    await fillApplication(v, { incidents: 3 });
    const impact = await v.submit('/apply/impact', {
      impact: 'We cannot sleep.\r\n\r\nThe children\tare frightened.',
      vulnerable: 'no',
      vulnerability: '',
      hateMotivated: 'no',
    });
    expect(impact.status).toBe(303);
    const { response } = await send(v);
    expect(response.status).toBe(303);
    const [row] = await query<{ impact: string }>('SELECT impact FROM "case"');
    expect(row?.impact).toBe('We cannot sleep.\n\nThe children\tare frightened.');
  });
});
