import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { southDerbyshire } from '../../src/council.ts';
import { addCalendarDays, londonDate } from '../../src/domain/calendar-date.ts';
import { isIdempotentRequest } from '../../src/middleware/idempotency.ts';
import { createTestApp, csrfTokenFrom, type TestApp } from '../helpers/app.ts';
import { insertCase } from '../helpers/case-fixtures.ts';
import { query, testDatabaseUrl, truncateAll } from '../helpers/database.ts';
import { fillApplication, incident, send } from '../helpers/journey.ts';
import { createOfficer, signIn } from '../helpers/officers.ts';
import { TestSmtpServer } from '../helpers/smtp.ts';

/**
 * Every post that adds something carries a one-time key (read off the form, as a browser sends
 * it back), and a repeat of the same post changes nothing and answers as the first did: the
 * resident pressing the button again after an error page, a double click, a retry.
 */

const smtp = new TestSmtpServer();
let portal: TestApp;
let app: Express;
/** Set to make the next POST fail after its route has done its work (its response fails: a 500). */
let failNextResponse = false;
/** Whether each POST said it was safe to repeat (isIdempotentRequest), by path. */
const declared = new Map<string, boolean>();

beforeAll(async () => {
  await smtp.start();
  portal = createTestApp({ smtp });
  // The portal behind a fault: a POST whose transaction commits, then its answer fails (the
  // redirect throws, as a dropped connection after the commit would), so the resident sees the
  // "try again" page for a change that was made.
  app = express();
  app.use((req, res, next) => {
    if (req.method === 'POST') {
      res.on('finish', () => declared.set(req.originalUrl.split('?')[0] ?? '', isIdempotentRequest(req, res)));
      if (failNextResponse) {
        failNextResponse = false;
        res.redirect = () => {
          throw new Error('the response failed after the commit');
        };
      }
    }
    next();
  });
  app.use(portal.app);
});
afterAll(async () => {
  await portal.close();
  await smtp.stop();
});
beforeEach(async () => {
  await truncateAll();
  smtp.messages.length = 0;
  failNextResponse = false;
  declared.clear();
});
afterEach(async () => {
  await expect
    .poll(async () => (await query("SELECT 1 FROM outbox_message WHERE status IN ('pending', 'sending')")).length, { timeout: 15_000 })
    .toBe(0);
});

/** A browser: keeps cookies; `open` reads a page's form (its CSRF token and one-time key) as a browser would hold it. */
function browser() {
  const agent = request.agent(app);
  return {
    agent,
    get: (path: string) => agent.get(path),
    async submit(path: string, fields: Record<string, string | string[]>, action = path) {
      const page = await agent.get(path);
      return agent
        .post(action)
        .type('form')
        .send({ _csrf: csrfTokenFrom(page.text), ...fields });
    },
    /** The form on the page: sending it posts the same key each time, like pressing its button again. */
    async open(path: string) {
      const page = await agent.get(path);
      expect(page.status, `GET ${path}`).toBe(200);
      // (A page without a key still gets one sent, so a route that ignores keys shows up as a
      // duplicate below; 'every form that adds something carries a one-time key' checks the pages.)
      const key = /name="idempotencyKey" value="([^"]+)"/.exec(page.text)?.[1] ?? randomUUID();
      const hidden = { _csrf: csrfTokenFrom(page.text), idempotencyKey: key };
      return {
        key,
        send: (fields: Record<string, string | string[]>, action = path) =>
          agent
            .post(action)
            .type('form')
            .send({ ...hidden, ...fields }),
        upload: (file: Buffer, action = path) => {
          const post = agent.post(action).field('_csrf', hidden._csrf).field('idempotencyKey', key);
          return post.attach('consentFile', file, { filename: 'consent.png', contentType: 'image/png' });
        },
      };
    },
  };
}
type Browser = ReturnType<typeof browser>;

const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const today = () => londonDate(new Date());
const dateFields = (prefix: string, iso: string) => {
  const [year = '', month = '', day = ''] = iso.split('-');
  return { [`${prefix}-day`]: String(Number(day)), [`${prefix}-month`]: String(Number(month)), [`${prefix}-year`]: year };
};
const count = (text: string, needle: string) => text.split(needle).length - 1;
const incidentCards = async (v: Browser) => count((await v.get('/apply/check-answers')).text, 'govuk-summary-card__title">Incident ');

/** Sends the application and returns how many incidents its case holds. */
async function storedIncidents(v: Browser): Promise<number> {
  const { response } = await send(v);
  expect(response.headers.location).toBe('/apply/confirmation');
  const rows = await query<{ n: number }>('SELECT count(*)::int AS n FROM incident');
  return rows[0]?.n ?? -1;
}

/** A resident with one incident added, on check-your-answers; ready to add another. */
async function residentWithOneIncident(): Promise<Browser> {
  const v = browser();
  await fillApplication(v, { incidents: 1 });
  return v;
}

const oneTimeKey = /<input type="hidden" name="idempotencyKey" value="[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}">/g;

describe('every form that adds something carries a one-time key', () => {
  it('a new key each time the page is shown, on the incident, removal, upload and officers’ action forms', async () => {
    const v = browser();
    await fillApplication(v, { onBehalf: true, incidents: 2 });
    const officer = await createOfficer(portal, 'officer');
    const o = browser();
    await signIn(o, officer.email);
    const { reference } = await insertCase(testDatabaseUrl, { status: 'review_held' });
    await query(
      `INSERT INTO recommendation (id, case_id, action, agency, due_on) SELECT gen_random_uuid(), id, 'Patrols', 'Police', current_date + 9 FROM "case"`,
    );
    const pages: Array<[Browser, string]> = [
      [v, '/apply/incident-details'],
      [v, '/apply/incident-details/1'],
      [v, '/apply/incidents/1/remove'],
      [v, '/apply/consent-upload'],
      ...['add-note', 'add-recommendation', 'request-information', 'record-victim-comments', 'assign-spoc'].map(
        (slug): [Browser, string] => [o, `/admin/cases/${reference}/actions/${slug}`],
      ),
    ];
    for (const [who, path] of pages) {
      if (path === '/apply/consent-upload') await v.submit('/apply/consent?change=1', { consentMethod: 'upload' });
      const [firstPage, second] = [await who.get(path), (await who.get(path)).text];
      const first = firstPage.text;
      expect(firstPage.status, `${path} ${firstPage.headers.location ?? ''}`).toBe(200);
      expect(first.match(oneTimeKey)?.length, path).toBeGreaterThanOrEqual(1);
      expect(first.match(oneTimeKey)?.[0], path).not.toBe(second.match(oneTimeKey)?.[0]);
    }
    // The action plan's "Mark as done" button too.
    expect((await o.get(`/admin/cases/${reference}/actions/add-recommendation`)).text.match(oneTimeKey)?.length).toBe(2);
  });
});

describe('the resident adds an incident', () => {
  it('sent twice with the same key (the answer to the first failed): one incident on check your answers and in the case', async () => {
    const v = await residentWithOneIncident();
    const form = await v.open('/apply/incident-details');
    failNextResponse = true;
    const first = await form.send(incident(2));
    expect(first.status).toBe(500);
    expect(first.text).toContain('Your answers so far have been saved');
    const again = await form.send(incident(2));
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe('/apply/incidents');
    expect((await v.get('/apply/incidents')).text).toContain('You have added 2 incidents');
    expect((await v.submit('/apply/incidents', { addAnother: 'no' })).status).toBe(303);
    expect(await incidentCards(v)).toBe(2);
    expect(await storedIncidents(v)).toBe(2);
    expect(declared.get('/apply/incident-details')).toBe(true);
  });

  it('a double click (the same post twice, both answered): one incident', async () => {
    const v = await residentWithOneIncident();
    const form = await v.open('/apply/incident-details');
    const [a, b] = [await form.send(incident(2)), await form.send(incident(2))];
    expect([a.status, a.headers.location, b.status, b.headers.location]).toEqual([303, '/apply/incidents', 303, '/apply/incidents']);
    await v.submit('/apply/incidents', { addAnother: 'no' });
    expect(await incidentCards(v)).toBe(2);
  });

  it('two forms (two keys), even with the same words: two incidents', async () => {
    const v = await residentWithOneIncident();
    const first = await v.open('/apply/incident-details');
    const second = await v.open('/apply/incident-details');
    expect(first.key).not.toBe(second.key);
    expect((await first.send(incident(2))).status).toBe(303);
    expect((await second.send(incident(2))).status).toBe(303);
    await v.submit('/apply/incidents', { addAnother: 'no' });
    expect(await incidentCards(v)).toBe(3);
    expect(await storedIncidents(v)).toBe(3);
  });

  it('the same form sent again with other answers (a page the browser kept) is a new incident, not a repeat', async () => {
    const v = await residentWithOneIncident();
    const form = await v.open('/apply/incident-details');
    await form.send(incident(2));
    await form.send(incident(3));
    await v.submit('/apply/incidents', { addAnother: 'no' });
    expect(await incidentCards(v)).toBe(3);
  });

  it('a form opened before keys existed (no key) is still added, and is not declared safe to repeat', async () => {
    const v = await residentWithOneIncident();
    const response = await v.submit('/apply/incident-details', incident(2));
    expect(response.status).toBe(303);
    expect(declared.get('/apply/incident-details')).toBe(false);
    await v.submit('/apply/incidents', { addAnother: 'no' });
    expect(await incidentCards(v)).toBe(2);
  });

  it('removing an incident sent twice removes one, not the one that moved up into its place', async () => {
    const v = browser();
    await fillApplication(v, { incidents: 3 });
    const form = await v.open('/apply/incidents/1/remove');
    expect((await form.send({ confirm: 'yes' })).status).toBe(303);
    expect((await form.send({ confirm: 'yes' })).headers.location).toBe('/apply/incidents');
    expect((await v.get('/apply/incidents')).text).toContain('You have added 2 incidents');
  });
});

describe('the signed consent form uploaded twice with the same key', () => {
  for (const mount of [
    { name: 'by the resident', base: '/apply' },
    { name: 'by an officer entering a paper application', base: '/admin/paper-applications' },
  ]) {
    it(`${mount.name}: one file stored, shown once, linked to the case`, async () => {
      const v = browser();
      const b = mount.base;
      if (b !== '/apply') {
        const officer = await createOfficer(portal, 'officer');
        await signIn(v, officer.email);
        expect((await v.submit(b, { channel: 'paper', ...dateFields('receivedOn', today()) })).status).toBe(303);
      }
      await fillApplication(v, { onBehalf: true, base: b });
      expect((await v.submit(`${b}/consent?change=1`, { consentMethod: 'upload' })).headers.location).toBe(`${b}/consent-upload`);
      const form = await v.open(`${b}/consent-upload`);
      failNextResponse = true;
      expect((await form.upload(png)).status).toBe(500);
      const again = await form.upload(png);
      expect(again.status).toBe(303);
      expect(again.headers.location).toBe(`${b}/incidents`);
      expect(await query('SELECT id FROM upload')).toHaveLength(1);
      await v.submit(`${b}/incidents`, { addAnother: 'no' });
      const check = await v.get(`${b}/check-answers`);
      expect(count(check.text, 'Signed consent form uploaded')).toBe(1);
      await send(v, b);
      const rows = await query<{ linked: boolean }>('SELECT (c.upload_id = u.id) AS linked FROM upload u JOIN consent c ON true');
      expect(rows).toEqual([{ linked: true }]);
      expect(declared.get(`${b}/consent-upload`)).toBe(true);
    });
  }
});

describe('an officer’s action on a case, sent twice with the same key', () => {
  let v: Browser;
  let reference: string;
  const agency = southDerbyshire.partnerAgencies[0] ?? '';

  beforeEach(async () => {
    const officer = await createOfficer(portal, 'officer');
    v = browser();
    await signIn(v, officer.email);
    reference = (await insertCase(testDatabaseUrl, { status: 'acknowledged' })).reference;
  });

  const actionUrl = (slug: string) => `/admin/cases/${reference}/actions/${slug}`;
  const rows = async (table: string) => (await query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]?.n;

  it('a note (the answer to the first failed): one note on the case page and stored', async () => {
    const form = await v.open(actionUrl('add-note'));
    failNextResponse = true;
    expect((await form.send({ text: 'Phoned Alex to explain the plan.' })).status).toBe(500);
    const again = await form.send({ text: 'Phoned Alex to explain the plan.' });
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe(`/admin/cases/${reference}?done=add-note`);
    expect(count((await v.get(`/admin/cases/${reference}`)).text, 'Phoned Alex to explain the plan.')).toBe(1);
    expect(await rows('note')).toBe(1);
    expect(declared.get(`/admin/cases/${reference}/actions/add-note`)).toBe(true);
  });

  it('two notes from two forms (two keys) are two notes', async () => {
    const first = await v.open(actionUrl('add-note'));
    const second = await v.open(actionUrl('add-note'));
    await first.send({ text: 'Left a voicemail.' });
    await second.send({ text: 'Left a voicemail.' });
    expect(count((await v.get(`/admin/cases/${reference}`)).text, 'Left a voicemail.')).toBe(2);
    expect(await rows('note')).toBe(2);
  });

  it('a recommendation: one on the action plan and stored', async () => {
    const form = await v.open(actionUrl('add-recommendation'));
    const fields = { what: 'Install a noise monitor', agency, ...dateFields('dueOn', addCalendarDays(today(), 30)) };
    const [a, b] = [await form.send(fields), await form.send(fields)];
    expect([a.status, b.status, b.headers.location]).toEqual([303, 303, a.headers.location]);
    expect(await rows('recommendation')).toBe(1);
    expect(count((await v.get(actionUrl('add-recommendation'))).text, '<td class="govuk-table__cell">Install a noise monitor</td>')).toBe(
      1,
    );
  });

  it('an information request: one asked and stored', async () => {
    const form = await v.open(actionUrl('request-information'));
    const fields = { agency, asked: 'Call-outs to 12 Civic Way since May', ...dateFields('dueOn', addCalendarDays(today(), 10)) };
    failNextResponse = true;
    expect((await form.send(fields)).status).toBe(500);
    expect((await form.send(fields)).status).toBe(303);
    expect(await rows('information_request')).toBe(1);
    expect(
      count((await v.get(actionUrl('request-information'))).text, `Record the reply<span class="govuk-visually-hidden"> from ${agency}`),
    ).toBe(1);
  });

  it('an appeal (a status move): the repeat answers as the first did instead of refusing, one appeal stored', async () => {
    reference = (await insertCase(testDatabaseUrl, { status: 'outcome_sent' })).reference;
    const form = await v.open(actionUrl('record-appeal'));
    const fields = { ...dateFields('receivedOn', today()), about: 'outcome', appellant: 'Alex Example' };
    const [a, b] = [await form.send(fields), await form.send(fields)];
    expect(a.status).toBe(303);
    expect(b.status).toBe(303);
    expect(b.headers.location).toBe(a.headers.location);
    expect(await rows('appeal')).toBe(1);
    expect(await rows("outbox_message WHERE kind = 'appeal-acknowledgement'")).toBe(1);
  });
});

describe('the same post arriving at two instances at the same moment', () => {
  let other: TestApp;
  beforeAll(() => {
    other = createTestApp({ smtp, worker: false });
  });
  afterAll(async () => {
    await other.close();
  });

  /** The same form sent to this instance and to the other at once (the browser's cookie on both). */
  const both = (v: Browser, path: string, fields: Record<string, string>) => {
    const cookie = String(
      v.agent.jar.getCookie('asb.sid', { domain: '127.0.0.1', path: '/', secure: false, script: false })?.toValueString() ?? '',
    );
    expect(cookie).toContain('asb.sid=');
    return Promise.all([
      v.agent.post(path).type('form').send(fields),
      request(other.app).post(path).set('Cookie', cookie).type('form').send(fields),
    ]);
  };

  it('an incident: added once', async () => {
    const v = await residentWithOneIncident();
    const page = await v.get('/apply/incident-details');
    const key = /name="idempotencyKey" value="([^"]+)"/.exec(page.text)?.[1] ?? randomUUID();
    const fields = { _csrf: csrfTokenFrom(page.text), idempotencyKey: key, ...(incident(2) as Record<string, string>) };
    const answers = await both(v, '/apply/incident-details', fields);
    expect(answers.map((r) => r.status)).toEqual([303, 303]);
    await v.submit('/apply/incidents', { addAnother: 'no' });
    expect(await incidentCards(v)).toBe(2);
  });

  it('a note: stored once', async () => {
    const officer = await createOfficer(portal, 'officer');
    const v = browser();
    await signIn(v, officer.email);
    const { reference } = await insertCase(testDatabaseUrl, { status: 'acknowledged' });
    const path = `/admin/cases/${reference}/actions/add-note`;
    const page = await v.get(path);
    const key = /name="idempotencyKey" value="([^"]+)"/.exec(page.text)?.[1] ?? randomUUID();
    const answers = await both(v, path, { _csrf: csrfTokenFrom(page.text), idempotencyKey: key, text: 'Met Alex at the door.' });
    expect(answers.map((r) => [r.status, r.headers.location])).toEqual([
      [303, `/admin/cases/${reference}?done=add-note`],
      [303, `/admin/cases/${reference}?done=add-note`],
    ]);
    expect(await query('SELECT id FROM note')).toHaveLength(1);
  });
});
