import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Test } from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, csrfTokenFrom, visitor, type TestApp, type Visitor } from '../helpers/app.ts';
import { insertCase } from '../helpers/case-fixtures.ts';
import { testDatabaseUrl, truncateAll } from '../helpers/database.ts';
import { stateChangingRoutes, fillPath, type FoundRoute } from '../helpers/fuzz-routes.ts';
import { fillApplication } from '../helpers/journey.ts';
import { createOfficer, signIn } from '../helpers/officers.ts';
import { TestSmtpServer } from '../helpers/smtp.ts';

/**
 * Every state-changing route the app has (found by walking Express's router stack, so a route
 * added later is covered without editing this file) refuses a request from a signed-in browser
 * that does not carry this session's CSRF token, and changes nothing.
 */

// POST routes counted in the router on the day this test was written (src/app.ts and everything it
// mounts). Fewer found means the walk lost a branch of the router and would check too little.
const postRoutesCounted = 64;

const smtp = new TestSmtpServer();
let portal: TestApp;
let db: pg.Client;

beforeAll(async () => {
  await smtp.start();
  await truncateAll();
  portal = createTestApp({ smtp, worker: false });
  db = new pg.Client({ connectionString: testDatabaseUrl });
  await db.connect();
});
afterAll(async () => {
  await db.end();
  await portal.close();
  await smtp.stop();
});

/**
 * A fingerprint of every row of every table, except the sessions (express-session's store touches
 * a session's expiry on any request) and the migration bookkeeping.
 */
async function fingerprint(): Promise<Record<string, string>> {
  const { rows: tables } = await db.query<{ tablename: string }>(
    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('_prisma_migrations', 'session') ORDER BY tablename",
  );
  const sql = tables
    .map(
      ({ tablename }) =>
        `SELECT '${tablename}' AS name, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS hash FROM "${tablename}" t`,
    )
    .join(' UNION ALL ');
  const { rows } = await db.query<{ name: string; hash: string }>(sql);
  return Object.fromEntries(rows.map((row) => [row.name, row.hash]));
}

/** Real ids for every parameter, so a request that got through would find something to change. */
async function realParameters(officerId: string): Promise<(path: string) => Record<string, string>> {
  const { id: caseId, reference } = await insertCase(testDatabaseUrl, { status: 'review_held' });
  const informationRequestId = randomUUID();
  const recommendationId = randomUUID();
  const failedEmailId = randomUUID();
  await db.query(
    `INSERT INTO information_request (id, case_id, agency, due_on, asked) VALUES ($1, $2, 'Derbyshire Constabulary', current_date + 5, 'Call-outs')`,
    [informationRequestId, caseId],
  );
  await db.query(
    `INSERT INTO recommendation (id, case_id, action, agency, due_on) VALUES ($1, $2, 'Patrols', 'Derbyshire Constabulary', current_date + 20)`,
    [recommendationId, caseId],
  );
  await db.query(
    `INSERT INTO outbox_message (id, case_id, kind, "to", subject, text, html, status, attempts) VALUES ($1, $2, 'decision', 'alex@example.test', 'Decision', 't', '<p>t</p>', 'failed', 5)`,
    [failedEmailId, caseId],
  );
  await db.query(
    `INSERT INTO historic_figures (financial_year, applications_received, threshold_not_met, reviews_carried_out, reviews_with_recommendations, appeals_received, appeals_upheld, updated_at)
     VALUES ('2022/23', 9, 2, 6, 5, 1, 0, now())`,
  );
  // The :id of a route is whatever the segment before it names.
  const ids: Record<string, string> = {
    'information-requests': informationRequestId,
    recommendations: recommendationId,
    officers: officerId,
    'failed-emails': failedEmailId,
  };
  return (path) => {
    const owner = /\/([^/]+)\/:id(?:\/|$)/.exec(path)?.[1] ?? '';
    return { reference, id: ids[owner] ?? randomUUID(), n: '1', year: '2022-23', token: 'x'.repeat(43), letter: 'decision' };
  };
}

type Attempt = { name: string; send: (v: Visitor, url: string) => Test };

let routes: FoundRoute[];
let v: Visitor;
let ownToken: string;
let attackerToken: string;
let params: (path: string) => Record<string, string>;

beforeAll(async () => {
  routes = stateChangingRoutes(portal.app);
  // One browser: an administrator who is also part-way through an application and a paper one.
  const admin = await createOfficer(portal, 'administrator');
  const target = await createOfficer(portal, 'officer', 'target@council.test');
  v = visitor(portal.app);
  await signIn(v, admin.email);
  await fillApplication(v, { onBehalf: true, incidents: 1 });
  const start = await v.get('/admin/paper-applications');
  await v.agent
    .post('/admin/paper-applications')
    .type('form')
    .send({ _csrf: csrfTokenFrom(start.text), channel: 'paper', 'receivedOn-day': '', 'receivedOn-month': '', 'receivedOn-year': '' });
  ownToken = csrfTokenFrom((await v.get('/apply/who-is-applying')).text);
  // Somebody else's session, and a real token of theirs: an attacker's own token must not work here.
  const attacker = visitor(portal.app);
  attackerToken = csrfTokenFrom((await attacker.get('/apply/who-is-applying')).text);
  params = await realParameters(target.id);
});

describe('CSRF on every state-changing route', () => {
  it('finds the routes in the router, not in a list', () => {
    const posts = routes.filter((route) => route.method === 'POST');
    expect(posts.length).toBeGreaterThanOrEqual(postRoutesCounted);
    expect(routes.map((route) => `${route.method} ${route.path}`)).toEqual(
      expect.arrayContaining([
        'POST /apply/who-is-applying',
        'POST /admin/paper-applications/check-answers',
        'POST /admin/cases/:reference/actions/acknowledge',
        'POST /admin/settings',
        'POST /admin/sign-out',
      ]),
    );
    expect(attackerToken).not.toBe(ownToken);
  });

  it('refuses each one without this session’s token (403, the explanation page) and stores nothing', { timeout: 90_000 }, async () => {
    const attempts: Attempt[] = [
      { name: 'no token', send: (visitor, url) => visitor.agent.post(url).type('form').send({ answer: 'x' }) },
      {
        name: 'a made-up token',
        send: (visitor, url) =>
          visitor.agent
            .post(url)
            .type('form')
            .send({ _csrf: ownToken.replace(/.$/, (c) => (c === 'a' ? 'b' : 'a')) }),
      },
      {
        name: 'another session’s token',
        send: (visitor, url) => visitor.agent.post(url).set('x-csrf-token', attackerToken).type('form').send({ _csrf: attackerToken }),
      },
      // A token in the address leaks through logs and history: only the body or the header count.
      {
        name: 'the token in the query string',
        send: (visitor, url) =>
          visitor.agent
            .post(`${url}?_csrf=${encodeURIComponent(ownToken)}`)
            .type('form')
            .send({}),
      },
      {
        name: 'a multipart body without a token',
        send: (visitor, url) =>
          visitor.agent.post(url).field('answer', 'x').attach('consentFile', Buffer.from('%PDF-1.4 test'), 'consent.pdf'),
      },
    ];

    const refusedWrongly: string[] = [];
    const changed: string[] = [];
    for (const route of routes) {
      const url = fillPath(route.path, params(route.path));
      const before = await fingerprint();
      for (const attempt of attempts) {
        const response = await attempt.send(v, url);
        if (response.status !== 403 || !response.text.includes('Your session has expired or the form was not sent from this site')) {
          refusedWrongly.push(`${route.method} ${route.path} with ${attempt.name}: ${response.status}`);
        }
      }
      const after = await fingerprint();
      for (const table of Object.keys(after))
        if (after[table] !== before[table]) changed.push(`${route.method} ${route.path} changed ${table}`);
    }
    expect(refusedWrongly).toEqual([]);
    expect(changed).toEqual([]);
  });

  it('refused them for the token alone: the same session with its token gets through to each route', { timeout: 60_000 }, async () => {
    // Sign-out last: it ends the session.
    const ordered = [...routes.filter((r) => r.path !== '/admin/sign-out'), ...routes.filter((r) => r.path === '/admin/sign-out')];
    const blocked: string[] = [];
    for (const route of ordered) {
      const response = await v.agent
        .post(fillPath(route.path, params(route.path)))
        .type('form')
        .send({ _csrf: ownToken });
      if (response.status === 403 || response.status >= 500) blocked.push(`${route.method} ${route.path}: ${response.status}`);
    }
    expect(blocked).toEqual([]);
  });
});
