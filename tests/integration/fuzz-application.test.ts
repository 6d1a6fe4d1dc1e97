import ejs from 'ejs';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { londonDate } from '../../src/domain/calendar-date.ts';
import { limits, normaliseForm, type FormFields, type FormValues } from '../../src/journey/fields.ts';
import { incidentSchema } from '../../src/journey/schemas.ts';
import { contextFor, steps, type Answers, type FormStep } from '../../src/journey/steps.ts';
import { incidentFields } from '../../src/routes/apply/incidents.ts';
import { createTestApp, csrfTokenFrom, visitor, type TestApp, type Visitor } from '../helpers/app.ts';
import { testDatabaseUrl, truncateAll } from '../helpers/database.ts';
import {
  anyFieldValue,
  encodeForm,
  hostileText,
  fuzzTimeout,
  RunCounter,
  runs,
  scriptPayloads,
  stringsIn,
  unescapedPayloads,
  hasUnwantedControl,
} from '../helpers/fuzz-values.ts';
import { fillApplication } from '../helpers/journey.ts';
import { createOfficer, signIn } from '../helpers/officers.ts';
import { TestSmtpServer } from '../helpers/smtp.ts';

/**
 * Property-based tests of the resident's form with hostile input: every page of the journey table
 * (src/journey/steps.ts, so a new step is fuzzed without editing this file) and the incident
 * pages, with random, huge, unicode and script-laden values. Whatever is sent: never a server
 * error, never a payload shown unescaped, never a stored value over its limit or with control
 * characters in it; and an application of such values, once sent, is escaped on the officers'
 * case page and in the emails.
 */

const smtp = new TestSmtpServer();
let portal: TestApp;
let db: pg.Client;
let resident: Visitor;
let token: string;
let draftId: string;
let original: Answers;
let officer: Visitor;
const counter = new RunCounter();
const today = () => londonDate(new Date());

beforeAll(async () => {
  await smtp.start();
  await truncateAll();
  // The worker starts at the end, to deliver what the fuzzed applications queued.
  portal = createTestApp({ smtp, worker: false, env: { RATE_LIMIT_SUBMISSIONS_PER_IP: '100000' } });
  db = new pg.Client({ connectionString: testDatabaseUrl });
  await db.connect();
  resident = visitor(portal.app);
  // On behalf of someone, so every step of the table is on the resident's path.
  await fillApplication(resident, { onBehalf: true, incidents: 1 });
  token = csrfTokenFrom((await resident.get('/apply/check-answers')).text);
  const { rows } = await db.query<{ id: string; answers: Answers }>('SELECT id, answers FROM draft');
  expect(rows).toHaveLength(1);
  draftId = rows[0]?.id ?? '';
  original = rows[0]?.answers as Answers;
  const account = await createOfficer(portal, 'officer');
  officer = visitor(portal.app);
  await signIn(officer, account.email);
});
afterAll(async () => {
  console.info(`fuzz-application cases run:\n${counter.summary()}`);
  await db.end();
  await portal.close();
  await smtp.stop();
});

/** Puts the resident's draft back as fillApplication left it, so every case starts from the same place. */
async function resetDraft(): Promise<void> {
  await db.query('UPDATE draft SET answers = $1::jsonb, submitted_case_id = NULL WHERE id = $2', [JSON.stringify(original), draftId]);
}

/** A page of the form that takes a POST: its URL, the fields it reads and valid answers for them. */
interface Target {
  name: string;
  path: string;
  fields: FormFields;
  valid: () => FormValues;
  schema?: () => z.ZodType;
}

const formSteps = steps.filter((step): step is FormStep => step.kind === 'form');

function targets(): Target[] {
  const list: Target[] = formSteps.map((step) => ({
    name: step.slug,
    path: `/apply/${step.slug}`,
    fields: step.fields,
    valid: () => original.steps[step.slug] ?? {},
    schema: () => step.schema(contextFor(original, today())),
  }));
  // The journey table's 'incidents' step is the add-another pattern: these pages make it up.
  const incident = () => original.incidents[0] ?? {};
  list.push(
    {
      name: 'incident-details (add)',
      path: '/apply/incident-details',
      fields: incidentFields,
      valid: incident,
      schema: () => incidentSchema(today()),
    },
    {
      name: 'incident-details (change)',
      path: '/apply/incident-details/1',
      fields: incidentFields,
      valid: incident,
      schema: () => incidentSchema(today()),
    },
    { name: 'incidents (add another?)', path: '/apply/incidents', fields: { single: ['addAnother'] }, valid: () => ({ addAnother: 'no' }) },
    { name: 'remove an incident', path: '/apply/incidents/1/remove', fields: { single: ['confirm'] }, valid: () => ({ confirm: 'no' }) },
    // Not ticked: a fuzz case must never send the application (the draft would be gone).
    {
      name: 'check your answers',
      path: '/apply/check-answers',
      fields: { single: ['declaration', 'submissionKey'] },
      valid: () => ({ declaration: '', submissionKey: draftId }),
    },
  );
  return list;
}

const allFields = (target: Target) => [...target.fields.single, ...(target.fields.multiple ?? [])];

async function storedDraft(): Promise<unknown> {
  const { rows } = await db.query<{ answers: unknown }>('SELECT answers FROM draft WHERE id = $1', [draftId]);
  return rows[0]?.answers;
}

/** What every response to a fuzzed POST must be, and what the pages shown after it must not contain. */
async function expectHandled(target: Target, response: { status: number; text: string; headers: Record<string, string> }, sent: string) {
  const where = `${target.name} with ${sent.slice(0, 300)}`;
  counter.add(`  answered ${response.status}`);
  expect([303, 400, 413], where).toContain(response.status);
  expect(unescapedPayloads(response.text), where).toEqual([]);
  if (response.status === 400) expect(response.text, where).toContain('There is a problem');
  if (response.status === 413) expect(response.text, where).toContain('What you sent is too large');
  if (response.status !== 303) return;
  // Saved: nothing over the longest limit of any field, and no control characters.
  for (const { path, text } of stringsIn(await storedDraft())) {
    expect(text.length, `${where}: ${path} stored ${text.length} characters`).toBeLessThanOrEqual(limits.long);
    expect(hasUnwantedControl(text), `${where}: ${path} stored a control character`).toBe(false);
  }
  // ...and shown again escaped, on the page itself and on check your answers.
  for (const page of [target.path, '/apply/check-answers']) {
    const shown = await resident.agent.get(page).redirects(3);
    expect(shown.status, `${where}: GET ${page}`).toBeLessThan(500);
    expect(unescapedPayloads(shown.text), `${where}: GET ${page}`).toEqual([]);
  }
}

const post = (target: Target, fields: Record<string, string | string[]>) =>
  resident.agent
    .post(target.path)
    .type('form')
    .send(encodeForm({ _csrf: token, ...fields }));

describe('the application form with hostile input', () => {
  it('finds every form step of the journey table, each on the resident’s path', async () => {
    expect(formSteps.length).toBeGreaterThanOrEqual(9);
    await resetDraft();
    for (const target of targets()) {
      const page = await resident.get(target.path);
      expect(page.status, target.path).toBe(200);
    }
  });

  it('anything in any field: never a server error, never shown unescaped, never stored over a limit', { timeout: fuzzTimeout(90_000) }, async () => {
    for (const target of targets()) {
      const nastyKeys = fc.constantFrom(
        '__proto__',
        'constructor',
        'toString',
        `${allFields(target)[0] ?? 'x'}[]`,
        `${allFields(target)[0] ?? 'x'}[0]`,
      );
      const body = fc.tuple(
        fc.record(Object.fromEntries(allFields(target).map((field) => [field, anyFieldValue])), { requiredKeys: [] }),
        fc.dictionary(nastyKeys, anyFieldValue, { maxKeys: 2 }),
      );
      await fc.assert(
        fc.asyncProperty(body, async ([fields, extra]) => {
          counter.add('anything in any field');
          await resetDraft();
          const sent = { ...extra, ...fields } as Record<string, string | string[]>;
          await expectHandled(target, await post(target, sent), JSON.stringify(sent));
        }),
        { numRuns: runs(3) },
      );
    }
  });

  it('valid answers with one or two fields replaced by hostile or huge values', { timeout: fuzzTimeout(90_000) }, async () => {
    for (const target of targets()) {
      const replaced = fc.tuple(
        fc.subarray(allFields(target), { minLength: 1, maxLength: Math.min(2, allFields(target).length) }),
        fc.array(anyFieldValue, { minLength: 2, maxLength: 2 }),
      );
      await fc.assert(
        fc.asyncProperty(replaced, async ([fields, values]) => {
          counter.add('valid answers, one or two fields hostile');
          await resetDraft();
          const sent: Record<string, string | string[]> = { ...target.valid() };
          fields.forEach((field, index) => (sent[field] = values[index] ?? ''));
          await expectHandled(target, await post(target, sent), JSON.stringify(Object.fromEntries(fields.map((f) => [f, sent[f]]))));
        }),
        { numRuns: runs(4) },
      );
    }
  });

  // Every field, one at a time, against its step's schema (what decides whether the route keeps the
  // raw value in the draft): the same check over HTTP for each field would take a minute here.
  it('a value of 100,000 characters is refused in every field of every step, whatever else is answered', () => {
    for (const target of targets()) {
      const schema = target.schema?.();
      if (!schema) continue;
      for (const field of allFields(target)) {
        for (const huge of ['7'.repeat(100_000), ['7'.repeat(100_000)]]) {
          counter.add('100,000 characters in each field (schema)');
          const values = normaliseForm({ ...target.valid(), [field]: huge }, target.fields);
          // Accepted only if the huge value did not reach the answers.
          if (schema.safeParse(values).success) {
            const kept = JSON.stringify(values);
            expect(kept.includes('7'.repeat(5_001)), `${target.name}.${field}`).toBe(false);
          }
        }
      }
    }
  });
});

/** The most characters a free-text field takes (from the step's zod schema), or null when it is not free text. */
function freeTextLimit(schema: z.ZodType, base: FormValues, field: string): number | null {
  const passes = (value: string) => schema.safeParse({ ...base, [field]: value }).success;
  if (!passes(scriptPayloads[0]) || !passes('a')) return null;
  if (passes('a'.repeat(200_000))) throw new Error(`${field} takes 200,000 characters: it has no maximum length`);
  let low = 1;
  let high = 200_000;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (passes('a'.repeat(middle))) low = middle;
    else high = middle;
  }
  return low;
}

const loneSurrogates = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Hostile text that is a valid answer: at most `limit` UTF-16 units (what zod counts), ending in a
 * visible character so trimming never leaves it empty, and without lone surrogates (they cannot
 * survive UTF-8 and would arrive as three replacement characters, over the limit).
 */
const fitTo = (text: string, limit: number): string => {
  let fitted = text.replace(loneSurrogates, '');
  while (fitted.length > limit - 1) fitted = fitted.slice(0, limit - 1).replace(loneSurrogates, '');
  return `${fitted}Z`;
};
const validHostile = (limit: number) =>
  fc.oneof(
    { weight: 3, arbitrary: hostileText(10).map((text) => fitTo(text, limit)) },
    // Right at the limit, in characters that are more than one UTF-16 unit or more than one byte.
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('😀', 'e\u0301', 'مرحبا ', scriptPayloads[0], scriptPayloads[1])
        .map((text) => fitTo(text.repeat(limit), limit)),
    },
  );

describe('an application made of hostile text, sent', () => {
  /** Each step's free-text fields and their limits, from the schemas. */
  const freeText = () =>
    targets()
      .filter((target) => target.schema && target.name !== 'incident-details (change)')
      .map((target) => {
        const schema = target.schema?.();
        const fields = schema ? target.fields.single.map((field) => ({ field, limit: freeTextLimit(schema, target.valid(), field) })) : [];
        return { target, fields: fields.filter((entry): entry is { field: string; limit: number } => entry.limit !== null) };
      });

  it('every free-text field has a maximum length', () => {
    const found = freeText().flatMap(({ target, fields }) => fields.map(({ field, limit }) => `${target.name}.${field}: ${limit}`));
    expect(found.length).toBeGreaterThanOrEqual(15);
    for (const entry of found) expect(Number(entry.split(': ')[1])).toBeLessThanOrEqual(limits.long);
  });

  it(
    'is accepted at every step, stored within the limits, and escaped on check your answers, the case page, the case record and in the emails',
    { timeout: fuzzTimeout(120_000) },
    async () => {
      const plan = freeText();
      const arbitrary = fc.record(
        Object.fromEntries(
          plan.flatMap(({ target, fields }) => fields.map(({ field, limit }) => [`${target.path}|${field}`, validHostile(limit)])),
        ),
      );
      const limitOf = new Map(plan.flatMap(({ target, fields }) => fields.map(({ field, limit }) => [`${target.path}|${field}`, limit])));
      // Textareas keep their line breaks and tabs; every other field is one line (src/domain/control-characters.ts).
      const multiline = new Set(plan.flatMap(({ target }) => (target.fields.multiline ?? []).map((field) => `${target.path}|${field}`)));
      const asStored = (source: string, typed: string) =>
        normaliseForm({ value: typed }, { single: ['value'], multiline: multiline.has(source) ? ['value'] : [] }).value;
      await fc.assert(
        fc.asyncProperty(arbitrary, async (hostile) => {
          counter.add('whole applications sent');
          const answersFor = (path: string): FormValues => {
            const target = targets().find((t) => t.path === path);
            if (!target) throw new Error(`The journey went to ${path}, which this test does not know`);
            const values: FormValues = { ...target.valid() };
            for (const [key, value] of Object.entries(hostile)) {
              const [keyPath, field] = key.split('|');
              if (keyPath === path && field) values[field] = value;
            }
            return values;
          };

          // A new resident walks the journey from the start, following each page's redirect.
          const v = visitor(portal.app);
          const ownToken = csrfTokenFrom((await v.get('/apply/who-is-applying')).text);
          let path = '/apply/who-is-applying';
          for (let guard = 0; path !== '/apply/check-answers'; guard += 1) {
            expect(guard, 'the journey ends at check your answers').toBeLessThan(30);
            const values = answersFor(path);
            const response = await v.agent
              .post(path)
              .type('form')
              .send(encodeForm({ _csrf: ownToken, ...values }));
            expect(response.status, `${path}: ${response.text.match(/<li><a href="#[^"]+">[^<]+/g)?.join(', ') ?? ''}`).toBe(303);
            path = response.headers.location ?? '';
          }

          const check = await v.get('/apply/check-answers');
          expect(check.status).toBe(200);
          expect(unescapedPayloads(check.text)).toEqual([]);

          const key = /name="submissionKey" value="([^"]+)"/.exec(check.text)?.[1] ?? '';
          const submitted = await v.agent
            .post('/apply/check-answers')
            .type('form')
            .send({ _csrf: ownToken, submissionKey: key, declaration: 'yes' });
          expect(submitted.headers.location).toBe('/apply/confirmation');
          const confirmation = await v.get('/apply/confirmation');
          expect(unescapedPayloads(confirmation.text)).toEqual([]);
          const reference = /ASB-\d{4}-[2-9A-Z]{6}/.exec(confirmation.text)?.[0] ?? '';
          const { rows: cases } = await db.query<{ id: string }>('SELECT id FROM "case" WHERE reference = $1', [reference]);
          const caseId = cases[0]?.id ?? '';
          expect(caseId).not.toBe('');

          // Stored: each column within the limit of the field it came from, and exactly what was sent (cleaned).
          const columns: Array<{ sql: string; from: Record<string, string> }> = [
            {
              sql: `SELECT name, organisation_name, address_line_1, address_line_2, town, safe_times, needs FROM person WHERE case_id = $1 AND role = 'victim'`,
              from: {
                name: '/apply/victim-details|fullName',
                organisation_name: '/apply/victim-details|organisationName',
                address_line_1: '/apply/victim-details|addressLine1',
                address_line_2: '/apply/victim-details|addressLine2',
                town: '/apply/victim-details|town',
                safe_times: '/apply/victim-contact|safeTimes',
                needs: '/apply/victim-contact|needs',
              },
            },
            {
              sql: `SELECT name, relationship, organisation FROM person WHERE case_id = $1 AND role = 'applicant'`,
              from: {
                name: '/apply/applicant-details|fullName',
                relationship: '/apply/applicant-details|relationship',
                organisation: '/apply/applicant-details|organisation',
              },
            },
            { sql: 'SELECT how_to_confirm FROM consent WHERE case_id = $1', from: { how_to_confirm: '/apply/consent|howToConfirm' } },
            {
              sql: 'SELECT description, location, reported_to_other, reference FROM incident WHERE case_id = $1',
              from: {
                description: '/apply/incident-details|description',
                location: '/apply/incident-details|location',
                reported_to_other: '/apply/incident-details|reportedToOther',
                reference: '/apply/incident-details|reference',
              },
            },
            {
              sql: 'SELECT impact, vulnerability, action_so_far, hoped_outcome FROM "case" WHERE id = $1',
              from: {
                impact: '/apply/impact|impact',
                vulnerability: '/apply/impact|vulnerability',
                action_so_far: '/apply/action-so-far|actionSoFar',
                hoped_outcome: '/apply/action-so-far|hopedOutcome',
              },
            },
          ];
          for (const { sql, from } of columns) {
            const { rows } = await db.query<Record<string, string | null>>(sql, [caseId]);
            expect(rows.length, sql).toBeGreaterThan(0);
            for (const row of rows) {
              for (const [column, source] of Object.entries(from)) {
                const stored = row[column];
                const limit = limitOf.get(source);
                if (stored === null || stored === undefined || limit === undefined) continue;
                expect(stored.length, `${column} from ${source}`).toBeLessThanOrEqual(limit);
                const typed = hostile[source];
                if (typed === undefined) continue;
                expect(stored, `${column} from ${source}`).toBe(asStored(source, typed));
                // ...and it was on check your answers, escaped, one line of the answer at a time.
                for (const line of stored.split('\n').filter((l) => l.trim()))
                  expect(check.text, `${source} on check your answers`).toContain(ejs.escapeXML(line));
              }
            }
          }
          // No control characters anywhere in the case, and nothing longer than the longest limit.
          for (const table of ['"case"', 'person', 'incident', 'consent']) {
            const where = table === '"case"' ? 'id = $1' : 'case_id = $1';
            const { rows } = await db.query<{ row: unknown }>(`SELECT to_jsonb(t) AS row FROM ${table} t WHERE ${where}`, [caseId]);
            for (const { path: field, text } of stringsIn(rows.map((r) => r.row))) {
              expect(hasUnwantedControl(text), `${table}.${field}`).toBe(false);
              expect(text.length, `${table}.${field}`).toBeLessThanOrEqual(limits.long);
            }
          }

          // The officers' pages show it escaped.
          const victimName = normaliseForm({ value: hostile['/apply/victim-details|fullName'] ?? '' }, { single: ['value'] })
            .value as string;
          for (const page of [`/admin/cases/${reference}`, `/admin/cases/${reference}/print`]) {
            const response = await officer.get(page);
            expect(response.status, page).toBe(200);
            expect(unescapedPayloads(response.text), page).toEqual([]);
            expect(response.text, page).toContain(ejs.escapeXML(victimName.split('\n')[0] ?? ''));
          }

          // The emails queued with the case carry it escaped in their HTML.
          const { rows: emails } = await db.query<{ html: string; text: string; to: string }>(
            'SELECT html, text, "to" FROM outbox_message WHERE case_id = $1',
            [caseId],
          );
          expect(emails.length).toBeGreaterThanOrEqual(2);
          for (const email of emails) expect(unescapedPayloads(email.html), email.to).toEqual([]);
          const applicantName = normaliseForm({ value: hostile['/apply/applicant-details|fullName'] ?? '' }, { single: ['value'] })
            .value as string;
          expect(
            emails.some((email) => email.html.includes(`Dear ${ejs.escapeXML(applicantName)},`)),
            'the applicant’s name, escaped, in their email',
          ).toBe(true);
        }),
        { numRuns: runs(3) },
      );
    },
  );

  it('the officers’ dashboard and case list, and a search for the hostile names, show them escaped', async () => {
    const { rows } = await db.query<{ name: string }>(`SELECT name FROM person WHERE role = 'victim'`);
    expect(rows.length).toBeGreaterThan(0);
    const pages = ['/admin', '/admin/cases', ...rows.map((row) => `/admin/cases?q=${encodeForm({ q: row.name.slice(0, 100) }).slice(2)}`)];
    for (const page of pages) {
      const response = await officer.get(page);
      expect(response.status, page).toBe(200);
      expect(unescapedPayloads(response.text), page).toEqual([]);
    }
  });

  it('the emails as they arrive over SMTP carry no unescaped payload', { timeout: fuzzTimeout(60_000) }, async () => {
    const { rows } = await db.query<{ count: string }>('SELECT count(*) AS count FROM outbox_message');
    const queued = Number(rows[0]?.count ?? 0);
    expect(queued).toBeGreaterThan(0);
    portal.services.outboxWorker.start();
    await smtp.waitFor(queued, 30_000);
    for (const mail of smtp.messages) {
      const html = typeof mail.html === 'string' ? mail.html : '';
      expect(html).not.toBe('');
      expect(unescapedPayloads(html), mail.subject ?? '').toEqual([]);
    }
  });
});

describe('the eligibility check (a GET form), with hostile input', () => {
  it('never a server error, the answers shown back escaped', { timeout: fuzzTimeout(60_000) }, async () => {
    const query = fc.record(
      { reported: anyFieldValue, incidents: anyFieldValue, aboutStaff: anyFieldValue, other: anyFieldValue },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(query, async (values) => {
        counter.add('eligibility check');
        const encoded = encodeForm(values as Record<string, string | string[]>).slice(0, 30_000);
        const response = await visitor(portal.app).get(`/check-if-you-can-apply?${encoded}`);
        expect(response.status).toBeLessThan(500);
        expect(unescapedPayloads(response.text)).toEqual([]);
      }),
      { numRuns: runs(6) },
    );
  });
});
