import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, csrfTokenFrom, visitor, type TestApp, type Visitor } from '../helpers/app.ts';
import { query, truncateAll } from '../helpers/database.ts';
import { fillApplication, send } from '../helpers/journey.ts';
import { createOfficer, officerPassword } from '../helpers/officers.ts';
import { TestSmtpServer } from '../helpers/smtp.ts';

/**
 * Real, low limits (the other test files run with the defaults). TRUST_PROXY=1 lets each request
 * say which IP address it comes from through X-Forwarded-For, as a proxy in front would.
 */
const limits = {
  OFFICER_MFA: 'optional',
  TRUST_PROXY: '1',
  RATE_LIMIT_SIGN_IN_PER_IP: '4',
  RATE_LIMIT_SIGN_IN_PER_EMAIL: '3',
  RATE_LIMIT_SIGN_IN_MINUTES: '15',
  RATE_LIMIT_RESUME_LINK_PER_IP: '3',
  RATE_LIMIT_RESUME_LINK_PER_EMAIL: '2',
  RATE_LIMIT_RESUME_LINK_MINUTES: '60',
  RATE_LIMIT_SUBMISSIONS_PER_IP: '1',
  RATE_LIMIT_SUBMISSIONS_MINUTES: '60',
};

const smtp = new TestSmtpServer();
let portal: TestApp;
let second: TestApp; // another instance on the same database
let shortWindow: TestApp; // a window of 1.2 seconds

beforeAll(async () => {
  await smtp.start();
  portal = createTestApp({ smtp, worker: false, env: limits });
  second = createTestApp({ smtp, worker: false, env: limits });
  shortWindow = createTestApp({ smtp, worker: false, env: { ...limits, RATE_LIMIT_SIGN_IN_MINUTES: '0.02' } });
});
afterAll(async () => {
  await Promise.all([portal.close(), second.close(), shortWindow.close()]);
  await smtp.stop();
});
beforeEach(() => truncateAll());

/** GET the form for its token, then POST it from the given IP address. */
async function post(v: Visitor, path: string, fields: Record<string, string>, ip: string) {
  const page = await v.get(path);
  return v.agent
    .post(path)
    .set('X-Forwarded-For', ip)
    .type('form')
    .send({ _csrf: csrfTokenFrom(page.text), ...fields });
}

const signIn = (app: TestApp, email: string, password: string, ip = '203.0.113.10') =>
  post(visitor(app.app), '/admin/sign-in', { email, password }, ip);

function expectTooMany(response: { status: number; text: string; headers: Record<string, string> }, minutes: number) {
  expect(response.status).toBe(429);
  expect(response.text).toContain('<h1 class="govuk-heading-l">Too many attempts</h1>');
  expect(response.text).toContain(`Wait ${minutes} ${minutes === 1 ? 'minute' : 'minutes'} and try again.`);
  const retryAfter = Number(response.headers['retry-after']);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(minutes * 60);
}

describe('officer sign-in', () => {
  it('refuses the attempt after the limit per email address, even with the right password, and keeps the email typed', async () => {
    await createOfficer(portal, 'officer');
    for (let i = 1; i <= 3; i += 1) {
      const wrong = await signIn(portal, 'officer@council.test', `wrong password ${i}!`, `203.0.113.${i}`);
      expect(wrong.status, `attempt ${i}`).toBe(400);
    }
    const fourth = await signIn(portal, 'Officer@Council.test ', officerPassword, '203.0.113.4');
    expectTooMany(fourth, 15);
    expect(fourth.headers.location).toBeUndefined();
    // The form again, with the email typed and an empty password box.
    expect(fourth.text).toContain('action="/admin/sign-in"');
    expect(fourth.text).toMatch(/id="email" name="email" type="email" value="Officer@Council.test"/);
    expect(fourth.text).toMatch(/id="password" name="password" type="password" value=""/);
    expect(fourth.text).not.toContain(officerPassword);
    // The refusal is in the log (route and status), without the email typed.
    const logs = portal.logs.join('');
    expect(logs).toContain('"route":"/admin/sign-in","status":429');
    expect(logs.toLowerCase()).not.toContain('officer@council.test');
    // Another officer's email from the same addresses is not affected.
    expect((await signIn(portal, 'someone-else@council.test', 'a wrong password 1', '203.0.113.1')).status).toBe(400);
  });

  it('refuses the attempt after the limit per IP address, whatever the email, and other addresses carry on', async () => {
    for (let i = 1; i <= 4; i += 1) {
      expect((await signIn(portal, `person${i}@council.test`, 'a wrong password 1', '198.51.100.7')).status, `attempt ${i}`).toBe(400);
    }
    expectTooMany(await signIn(portal, 'person5@council.test', 'a wrong password 1', '198.51.100.7'), 15);
    expect((await signIn(portal, 'person5@council.test', 'a wrong password 1', '198.51.100.8')).status).toBe(400);
  });

  it('counts attempts on every instance against the same limit', async () => {
    expect((await signIn(portal, 'shared@council.test', 'a wrong password 1', '192.0.2.1')).status).toBe(400);
    expect((await signIn(second, 'shared@council.test', 'a wrong password 1', '192.0.2.2')).status).toBe(400);
    expect((await signIn(portal, 'shared@council.test', 'a wrong password 1', '192.0.2.3')).status).toBe(400);
    expectTooMany(await signIn(second, 'shared@council.test', 'a wrong password 1', '192.0.2.4'), 15);
  });

  it('counts attempts made at the same moment on two instances exactly', async () => {
    const visitors = await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const v = visitor((i % 2 ? second : portal).app);
        return { v, token: csrfTokenFrom((await v.get('/admin/sign-in')).text) };
      }),
    );
    // No password: the form is refused at once (400) when the limit lets it through.
    const statuses = await Promise.all(
      visitors.map(({ v, token }, i) =>
        v.agent
          .post('/admin/sign-in')
          .set('X-Forwarded-For', `192.0.2.${50 + i}`)
          .type('form')
          .send({ _csrf: token, email: 'rushed@council.test', password: '' })
          .then((response) => response.status),
      ),
    );
    expect(statuses.filter((status) => status === 400)).toHaveLength(3);
    expect(statuses.filter((status) => status === 429)).toHaveLength(7);
  });

  it('lets the person try again once the window is over', async () => {
    await createOfficer(shortWindow, 'officer');
    for (let i = 1; i <= 3; i += 1) expect((await signIn(shortWindow, 'officer@council.test', `wrong password ${i}!`)).status).toBe(400);
    const refused = await signIn(shortWindow, 'officer@council.test', officerPassword);
    expectTooMany(refused, 1);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(2);
    await new Promise((resolve) => setTimeout(resolve, 1_400));
    const after = await signIn(shortWindow, 'officer@council.test', officerPassword);
    expect(after.status).toBe(303);
    expect(after.headers.location).toBe('/admin');
  });
});

describe('save and come back later', () => {
  async function withDraft(app: TestApp): Promise<Visitor> {
    const v = visitor(app.app);
    await v.submit('/apply/who-is-applying', { applyingAs: 'self' });
    return v;
  }

  it('sends a limited number of links to one address, then keeps the address typed', async () => {
    const v = await withDraft(portal);
    for (let i = 1; i <= 2; i += 1) {
      const sent = await post(v, '/apply/save-and-return', { email: 'alex@example.test' }, `203.0.113.${i}`);
      expect(sent.status).toBe(200);
      expect(sent.text).toContain('We have sent a link to <strong>alex@example.test</strong>');
    }
    const refused = await post(await withDraft(second), '/apply/save-and-return', { email: 'ALEX@example.test' }, '203.0.113.9');
    expectTooMany(refused, 60);
    expect(refused.text).toMatch(/id="email" name="email" type="email" value="ALEX@example.test"/);
    expect(refused.text).toContain('Your answers so far have been saved.');
    expect(refused.text).toContain('<a class="govuk-link" href="/apply">Go back to your application</a>');
    const links = await query<{ to: string }>('SELECT "to" FROM outbox_message WHERE kind = \'resume-link\'');
    expect(links).toHaveLength(2);
    // Another address is not affected.
    expect((await post(v, '/apply/save-and-return', { email: 'sam@example.test' }, '203.0.113.1')).status).toBe(200);
  });

  it('sends a limited number of links from one IP address, whatever the email', async () => {
    const v = await withDraft(portal);
    for (let i = 1; i <= 3; i += 1) {
      expect((await post(v, '/apply/save-and-return', { email: `person${i}@example.test` }, '198.51.100.20')).status).toBe(200);
    }
    expectTooMany(await post(v, '/apply/save-and-return', { email: 'person4@example.test' }, '198.51.100.20'), 60);
  });
});

describe('sending an application', () => {
  it('accepts a limited number from one IP address; the next keeps its answers for later', async () => {
    const first = visitor(portal.app);
    const next = visitor(second.app);
    await Promise.all([fillApplication(first), fillApplication(next)]);
    expect((await send(first)).response.headers.location).toBe('/apply/confirmation');
    const { response } = await send(next);
    expectTooMany(response, 60);
    expect(response.text).toContain('Your answers have been saved. Nothing you have typed has been lost.');
    expect(response.text).toContain('<a class="govuk-link" href="/apply/check-answers">Go back to check your answers</a>');
    expect(await query('SELECT 1 FROM "case"')).toHaveLength(1);
    // The answers are still there to send later.
    const check = await next.get('/apply/check-answers');
    expect(check.status).toBe(200);
    expect(check.text).toContain('Alex Example');
  });
});
