import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseStatuses, type CaseStatus } from '../../src/domain/case-status.ts';
import { limits } from '../../src/journey/fields.ts';
import { createTestApp, csrfTokenFrom, visitor, type TestApp, type Visitor } from '../helpers/app.ts';
import { insertCase } from '../helpers/case-fixtures.ts';
import { testDatabaseUrl, truncateAll } from '../helpers/database.ts';
import { plausibleAnswers, readForm, typedFields, type FormField } from '../helpers/fuzz-forms.ts';
import { fillPath, stateChangingRoutes, type FoundRoute } from '../helpers/fuzz-routes.ts';
import { anyFieldValue, encodeForm, fuzzTimeout, hasUnwantedControl, RunCounter, runs, stringsIn, unescapedPayloads } from '../helpers/fuzz-values.ts';
import { createOfficer, signIn } from '../helpers/officers.ts';
import { TestSmtpServer } from '../helpers/smtp.ts';

/**
 * Property-based tests of the officers' forms with hostile input: every action on a case (the
 * POST routes under /admin/cases found in the router, their fields read off each form page) and
 * the administration forms. Whatever an officer (or a stolen session) sends: never a server
 * error, never a payload shown unescaped on the case page, a letter, the emails or the next page,
 * never a stored value over its limit or with control characters.
 */

const smtp = new TestSmtpServer();
let portal: TestApp;
let db: pg.Client;
let admin: Visitor;
let token: string;
let adminId: string;
const counter = new RunCounter();

/** The column limits, from the schemas of the action forms (src/routes/admin/case-actions-*.ts). */
const columnLimits: Record<string, number> = {
  'note.text': limits.long,
  'case.decision_reason': limits.long,
  'case.decision_override_reason': limits.long,
  'case.action_plan_comments': limits.long,
  'case.outcome_summary': limits.long,
  'case.closure_reason': limits.long,
  'status_change.reason': limits.long,
  'information_request.asked': limits.long,
  'information_request.reply': limits.long,
  'review.independent_chair': limits.short,
  'review.not_invited_reason': limits.long,
  'recommendation.action': limits.medium,
  'recommendation.victim_comments': limits.long,
  'appeal.appellant': limits.short,
  'appeal.result': limits.long,
};
const caseTables = ['note', 'status_change', 'information_request', 'review', 'recommendation', 'appeal', 'audit_entry', 'outbox_message'];

beforeAll(async () => {
  await smtp.start();
  await truncateAll();
  portal = createTestApp({ smtp, worker: false });
  db = new pg.Client({ connectionString: testDatabaseUrl });
  await db.connect();
  const account = await createOfficer(portal, 'administrator');
  adminId = account.id;
  admin = visitor(portal.app);
  await signIn(admin, account.email);
  token = csrfTokenFrom((await admin.get('/admin/cases')).text);
});
afterAll(async () => {
  console.info(`fuzz-officer-actions cases run:\n${counter.summary()}`);
  await db.end();
  await portal.close();
  await smtp.stop();
});

interface FuzzCase {
  id: string;
  reference: string;
  informationRequestId: string;
  recommendationId: string;
}

/**
 * A case at this status with everything an action might need: a request to an agency, a
 * recommendation and the victim's comments on the plan (the outcome needs them).
 */
async function freshCase(status: CaseStatus): Promise<FuzzCase> {
  const { id, reference } = await insertCase(testDatabaseUrl, { status, applicant: { name: 'Sam Helper', email: 'sam@example.test' } });
  const informationRequestId = randomUUID();
  const recommendationId = randomUUID();
  await db.query(
    `INSERT INTO information_request (id, case_id, agency, due_on, asked) VALUES ($1, $2, 'Derbyshire Constabulary', current_date + 5, 'Call-outs')`,
    [informationRequestId, id],
  );
  await db.query(
    `INSERT INTO recommendation (id, case_id, action, agency, due_on) VALUES ($1, $2, 'Patrols', 'Derbyshire Constabulary', current_date + 20)`,
    [recommendationId, id],
  );
  await db.query(`UPDATE "case" SET action_plan_comments = 'The victim agrees with the plan.' WHERE id = $1`, [id]);
  return { id, reference, informationRequestId, recommendationId };
}

const urlFor = (route: FoundRoute, fixture: FuzzCase) =>
  fillPath(route.path, {
    reference: fixture.reference,
    id: route.path.includes('/information-requests/') ? fixture.informationRequestId : fixture.recommendationId,
  });

/** Everything stored for the case: within each column's limit and the longest limit, and no control characters. */
async function expectStoredSafely(fixture: FuzzCase, where: string) {
  // One round trip for the case and every table that hangs off it.
  const sql = [
    `SELECT 'case' AS "table", to_jsonb(c) AS row FROM "case" c WHERE id = $1`,
    ...caseTables.map((table) => `SELECT '${table}', to_jsonb(t) FROM ${table} t WHERE case_id = $1`),
  ].join(' UNION ALL ');
  const { rows } = await db.query<{ table: string; row: unknown }>(sql, [fixture.id]);
  for (const { table, row } of rows) {
    for (const { path, text } of stringsIn(row)) {
      const column = path.split(/[.[]/)[0] ?? '';
      // The emails' own bodies are the portal's templates around the values: checked for escaping instead.
      if (table === 'outbox_message' && (column === 'html' || column === 'text')) continue;
      expect(hasUnwantedControl(text), `${where}: ${table}.${path} has a control character`).toBe(false);
      expect(text.length, `${where}: ${table}.${path}`).toBeLessThanOrEqual(columnLimits[`${table}.${column}`] ?? limits.long);
    }
  }
}

/** The pages an officer sees after the action, and the emails it queued, all escaped. */
async function expectShownSafely(fixture: FuzzCase, location: string, where: string) {
  const pages = [`/admin/cases/${fixture.reference}`, `/admin/cases/${fixture.reference}/print`];
  const letter = /[?&]letter=([a-z-]+)/.exec(location)?.[1];
  if (letter) pages.push(`/admin/cases/${fixture.reference}/letters/${letter}`);
  for (const page of pages) {
    const response = await admin.get(page);
    expect(response.status, `${where}: GET ${page}`).toBe(200);
    expect(unescapedPayloads(response.text), `${where}: GET ${page}`).toEqual([]);
  }
  const { rows } = await db.query<{ html: string; subject: string }>('SELECT html, subject FROM outbox_message WHERE case_id = $1', [
    fixture.id,
  ]);
  for (const email of rows) {
    expect(unescapedPayloads(email.html), `${where}: email ${email.subject}`).toEqual([]);
    expect(unescapedPayloads(email.subject), `${where}: email subject`).toEqual([]);
  }
}

interface ActionForm {
  route: FoundRoute;
  status: CaseStatus;
  fields: FormField[];
}

/** Each action's form: the first status (in this order) at which the case page lets the officer open it. */
async function discoverActions(): Promise<ActionForm[]> {
  const order: CaseStatus[] = [
    'received',
    'acknowledged',
    'threshold_met',
    'review_scheduled',
    'review_held',
    'outcome_sent',
    'appeal_received',
  ];
  const statuses = [...order, ...caseStatuses.filter((status) => !order.includes(status))];
  const fixtures = new Map<CaseStatus, FuzzCase>();
  for (const status of statuses) fixtures.set(status, await freshCase(status));
  const routes = stateChangingRoutes(portal.app).filter((route) => route.path.startsWith('/admin/cases/:reference/'));
  const found: ActionForm[] = [];
  for (const route of routes) {
    let form: ActionForm | null = null;
    for (const status of statuses) {
      const fixture = fixtures.get(status);
      if (!fixture) continue;
      const url = urlFor(route, fixture);
      const page = await admin.get(url);
      if (page.status === 200) {
        form = { route, status, fields: readForm(page.text, url) };
        break;
      }
      // A POST-only route (marking a recommendation done): no form, the case page has the button.
      if (page.status === 404 && !page.text.includes('Case not found')) {
        form = { route, status: 'review_held', fields: [] };
        break;
      }
    }
    if (!form) throw new Error(`No case status lets an officer open ${route.path}`);
    found.push(form);
  }
  return found;
}

let actions: ActionForm[] = [];
/** The case each action is fuzzed on; replaced once an action has been done to it. */
const current = new Map<string, FuzzCase>();
async function caseFor(action: ActionForm): Promise<FuzzCase> {
  const existing = current.get(action.route.path);
  if (existing) return existing;
  const created = await freshCase(action.status);
  current.set(action.route.path, created);
  return created;
}

async function postAction(action: ActionForm, fields: Record<string, string | string[]>, description: string) {
  const fixture = await caseFor(action);
  const where = `${action.route.path} with ${description.slice(0, 400)}`;
  const response = await admin.agent
    .post(urlFor(action.route, fixture))
    .type('form')
    .send(encodeForm({ _csrf: token, ...fields }));
  expect([303, 400, 409, 413], where).toContain(response.status);
  expect(unescapedPayloads(response.text), where).toEqual([]);
  if (response.status === 400) expect(response.text, where).toContain('There is a problem');
  counter.add(`  answered ${response.status}`);
  if (response.status === 303) {
    current.delete(action.route.path);
    await expectStoredSafely(fixture, where);
    await expectShownSafely(fixture, response.headers.location ?? '', where);
  }
  return response;
}

describe('every action on a case, with hostile input', () => {
  beforeAll(async () => {
    actions = await discoverActions();
  }, 120_000);

  it('finds the actions in the router and their fields on the forms', () => {
    expect(actions.length).toBeGreaterThanOrEqual(17);
    expect(actions.map((action) => action.route.path)).toEqual(
      expect.arrayContaining([
        '/admin/cases/:reference/actions/decide-threshold',
        '/admin/cases/:reference/information-requests/:id/reply',
      ]),
    );
    const withTypedFields = actions.filter((action) => typedFields(action.fields).length > 0);
    expect(withTypedFields.length).toBeGreaterThanOrEqual(12);
  });

  it('each form, answered plausibly, is accepted (so the fuzzing below reaches the service)', { timeout: fuzzTimeout(120_000) }, async () => {
    for (const action of actions) {
      counter.add('plausible answers');
      const response = await postAction(action, plausibleAnswers(action.fields), 'plausible answers');
      expect(response.status, `${action.route.path}: ${response.text.match(/<li><a href="#[^"]+">[^<]+/g)?.join(', ') ?? ''}`).toBe(303);
    }
  });

  it('hostile text in the typed fields: accepted or explained, stored within limits, shown escaped', { timeout: fuzzTimeout(120_000) }, async () => {
    for (const action of actions) {
      const typed = typedFields(action.fields);
      if (typed.length === 0) continue;
      await fc.assert(
        fc.asyncProperty(fc.record(Object.fromEntries(typed.map((entry) => [entry.name, anyFieldValue]))), async (hostile) => {
          counter.add('hostile typed fields');
          await postAction(action, { ...plausibleAnswers(action.fields), ...hostile }, JSON.stringify(hostile));
        }),
        { numRuns: runs(2) },
      );
    }
  });

  it('anything in any field, choices and dates included: never a server error', { timeout: fuzzTimeout(120_000) }, async () => {
    for (const action of actions) {
      const names = action.fields.map((entry) => entry.name);
      const body = fc.record(Object.fromEntries([...names, 'unexpected'].map((name) => [name, anyFieldValue])), { requiredKeys: [] });
      await fc.assert(
        fc.asyncProperty(body, async (fields) => {
          counter.add('anything in any field');
          await postAction(action, fields as Record<string, string | string[]>, JSON.stringify(fields));
        }),
        { numRuns: runs(2) },
      );
    }
  });
});

interface AdminForm {
  route: FoundRoute;
  url: string;
  page: string;
  fields: FormField[];
}

describe('the administration forms, with hostile input', () => {
  const forms: AdminForm[] = [];
  let settingsAsTheyWere: Record<string, string | string[]> = {};

  beforeAll(async () => {
    // Something for every form to act on: an officer to change, a failed email, a historic year.
    const target = await createOfficer(portal, 'officer', 'target@council.test');
    const fixture = await freshCase('received');
    await db.query(
      `INSERT INTO outbox_message (id, case_id, kind, "to", subject, text, html, status, attempts) VALUES ($1, $2, 'decision', 'alex@example.test', 'Decision', 't', '<p>t</p>', 'failed', 5)`,
      [randomUUID(), fixture.id],
    );
    await db.query(
      `INSERT INTO historic_figures (financial_year, applications_received, threshold_not_met, reviews_carried_out, reviews_with_recommendations, appeals_received, updated_at)
       VALUES ('2022/23', 9, 2, 6, 5, 1, now())`,
    );
    const { rows } = await db.query<{ id: string }>(`SELECT id FROM outbox_message WHERE status = 'failed'`);
    const params = { id: target.id, year: '2022-23' };
    // Signing in and out belongs to the sign-in tests (and would end this session); the paper
    // application's own pages are the resident's form, fuzzed in fuzz-application.test.ts.
    const skipped = /^\/admin\/(sign-in|sign-out|two-factor)|^\/admin\/cases\/|^\/admin\/paper-applications\/./;
    const routes = stateChangingRoutes(portal.app).filter((route) => route.path.startsWith('/admin') && !skipped.test(route.path));
    for (const route of routes) {
      const url = fillPath(route.path, { ...params, id: route.path.startsWith('/admin/failed-emails') ? (rows[0]?.id ?? '') : params.id });
      // The form is on the route's own page or on a page above it (an officer's page, the list).
      let found: AdminForm | null = null;
      for (let page = url; page.startsWith('/admin') && !found; page = page.replace(/\/[^/]+$/, '')) {
        const response = await admin.get(page);
        if (response.status === 200 && response.text.includes(`action="${url}"`))
          found = { route, url, page, fields: readForm(response.text, url) };
      }
      // enable and disable: the officer's page shows only the one that applies now.
      forms.push(found ?? { route, url, page: '/admin', fields: [] });
    }
    const settings = forms.find((form) => form.url === '/admin/settings');
    settingsAsTheyWere = settings ? plausibleAnswers(settings.fields) : {};
  }, 120_000);

  it('finds every administration form', () => {
    expect(forms.map((form) => form.route.path)).toEqual(
      expect.arrayContaining([
        '/admin/officers/new',
        '/admin/settings',
        '/admin/figures/historic',
        '/admin/paper-applications',
        '/admin/account/password',
      ]),
    );
  });

  it('never a server error, never shown unescaped, on the form or the pages after it', { timeout: fuzzTimeout(120_000) }, async () => {
    for (const form of forms) {
      const typed = typedFields(form.fields);
      const arbitrary = fc.record(
        Object.fromEntries([...typed.map((entry) => entry.name), 'unexpected'].map((name) => [name, anyFieldValue])),
      );
      await fc.assert(
        fc.asyncProperty(arbitrary, async (hostile) => {
          counter.add('administration forms');
          const where = `${form.route.path} with ${JSON.stringify(hostile).slice(0, 400)}`;
          const response = await admin.agent
            .post(form.url)
            .type('form')
            .send(encodeForm({ _csrf: token, ...plausibleAnswers(form.fields), ...hostile }));
          counter.add(`  administration forms answered ${response.status}`);
          expect(response.status, where).toBeLessThan(500);
          expect(response.status, where).not.toBe(403);
          expect(unescapedPayloads(response.text), where).toEqual([]);
          // The pages that show what was saved: the form's own page, the public pages for the settings
          // (the council's name and contact details are on every one), the list for an officer.
          const after = [form.page];
          if (form.url === '/admin/settings') after.push('/', '/contact', '/forms/consent-form');
          if (form.url.startsWith('/admin/officers')) after.push('/admin/officers');
          if (form.url.startsWith('/admin/figures')) after.push('/figures');
          for (const page of after) {
            const shown = await admin.get(page);
            expect(shown.status, `${where}: GET ${page}`).toBeLessThan(500);
            expect(unescapedPayloads(shown.text), `${where}: GET ${page}`).toEqual([]);
          }
          if (form.url === '/admin/settings' && response.status === 303) {
            const restored = await admin.agent
              .post('/admin/settings')
              .type('form')
              .send(encodeForm({ _csrf: token, ...settingsAsTheyWere }));
            expect(restored.status).toBe(303);
          }
        }),
        { numRuns: runs(form.url === '/admin/account/password' ? 1 : 2) },
      );
    }
    // The administrator is still who they were: no form locked them out or took their role.
    const { rows } = await db.query<{ role: string; disabled: boolean }>('SELECT role, disabled FROM officer WHERE id = $1', [adminId]);
    expect(rows[0]).toEqual({ role: 'administrator', disabled: false });
  });
});

describe('the officers’ search and filter forms (GET), with hostile input', () => {
  it.each(['/admin/cases', '/admin/audit', '/admin/figures'])(
    '%s: never a server error, the query shown back escaped',
    { timeout: fuzzTimeout(60_000) },
    async (path) => {
      const fields = readForm((await admin.get(path)).text, path);
      expect(fields.length).toBeGreaterThan(0);
      const query = fc.record(Object.fromEntries([...fields.map((entry) => entry.name), 'older'].map((name) => [name, anyFieldValue])), {
        requiredKeys: [],
      });
      await fc.assert(
        fc.asyncProperty(query, async (values) => {
          counter.add('search and filter forms');
          const where = `${path}?${JSON.stringify(values).slice(0, 400)}`;
          // Over the limit a browser or proxy takes for an address: not the app's to answer.
          const encoded = encodeForm(values as Record<string, string | string[]>).slice(0, 30_000);
          const response = await admin.get(`${path}?${encoded}`);
          expect(response.status, where).toBeLessThan(500);
          expect(unescapedPayloads(response.text), where).toEqual([]);
        }),
        { numRuns: runs(5) },
      );
    },
  );

  it('the dashboard, case list, audit trail and officers’ list show everything the fuzzing stored, escaped', async () => {
    for (const page of ['/admin', '/admin/cases', '/admin/audit', '/admin/officers', '/admin/failed-emails', '/admin/figures/historic']) {
      const response = await admin.get(page);
      expect(response.status, page).toBe(200);
      expect(unescapedPayloads(response.text), page).toEqual([]);
    }
  });
});
