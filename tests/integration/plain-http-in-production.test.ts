// Production over plain HTTP: the session cookie is Secure, so the browser never sends it back and
// every form post is refused as a CSRF failure. The portal cannot make that work, but it says why,
// in the log, for the administrator: once at start-up, and on each refusal it causes.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, csrfTokenFrom, type TestApp } from '../helpers/app.ts';
import { freePort, killAllPortals, removeLogs, startPortal, type PortalProcess } from '../helpers/faults-process.ts';
import { TestSmtpServer } from '../helpers/smtp.ts';

const smtp = new TestSmtpServer();
const startUpWarning = 'NODE_ENV is production but BASE_URL is http:// and TRUST_PROXY is 0';
const refusalLine = 'session cookie is Secure but the request came over HTTP: serve the portal over HTTPS or set TRUST_PROXY';
const typedEmail = 'jo.bloggs@council.test';

let portal: PortalProcess;
let behindProxy: TestApp;
let development: TestApp;

beforeAll(async () => {
  await smtp.start();
  // The real server process, as deployed by mistake: production, http:// address, no proxy trusted.
  portal = await startPortal({
    name: 'plain-http-production',
    port: await freePort(),
    smtpPort: smtp.port,
    env: { NODE_ENV: 'production' },
  });
  behindProxy = createTestApp({ smtp, worker: false, env: { NODE_ENV: 'production', TRUST_PROXY: '1', BASE_URL: 'https://portal.test' } });
  development = createTestApp({ smtp, worker: false, env: { NODE_ENV: 'development' } });
}, 40_000);

afterAll(async () => {
  await killAllPortals();
  removeLogs();
  await behindProxy.close();
  await development.close();
  await smtp.stop();
});

/** The sign-in form fetched and posted back as a browser would, over the given origin or app. */
async function signInOver(target: Parameters<typeof request>[0], headers: Record<string, string> = {}) {
  const agent = request.agent(target);
  const form = await agent.get('/admin/sign-in').set(headers);
  expect(form.status).toBe(200);
  return {
    form,
    posted: await agent
      .post('/admin/sign-in')
      .set(headers)
      .type('form')
      .send({ _csrf: csrfTokenFrom(form.text), email: typedEmail }),
  };
}

const linesOf = (log: string, text: string) => log.split('\n').filter((line) => line.includes(text));

describe('production over plain HTTP', () => {
  it('warns at start-up that forms cannot work, and names the settings', () => {
    const warnings = linesOf(portal.log(), startUpWarning);
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0] ?? '{}')).toMatchObject({ level: 40 });
    expect(warnings[0]).toContain('every form will answer 403');
  });

  it('refuses the form post (no session cookie came back) and logs one line saying why, without what was typed', async () => {
    const { form, posted } = await signInOver(portal.origin);
    expect(form.headers['set-cookie']).toBeUndefined();
    expect(posted.status).toBe(403);
    expect(posted.text).toContain('Your session has expired or the form was not sent from this site');
    await expect.poll(() => linesOf(portal.log(), refusalLine).length, { timeout: 5_000 }).toBe(1);
    const line = linesOf(portal.log(), refusalLine)[0] ?? '';
    expect(JSON.parse(line)).toMatchObject({ level: 40, protocol: 'http' });
    expect(portal.log()).not.toContain(typedEmail);
  });
});

describe('where the session cookie does come back', () => {
  it('says nothing of HTTP behind a trusted proxy that ended TLS, even on a refused form', async () => {
    expect(linesOf(behindProxy.logs.join(''), startUpWarning)).toEqual([]);
    const agent = request.agent(behindProxy.app);
    const posted = await agent
      .post('/admin/sign-in')
      .set('X-Forwarded-Proto', 'https')
      .type('form')
      .send({ _csrf: 'forged', email: typedEmail });
    expect(posted.status).toBe(403);
    expect(linesOf(behindProxy.logs.join(''), refusalLine)).toEqual([]);
  });

  it('says nothing in development, where the cookie is not Secure', async () => {
    const { posted } = await signInOver(development.app);
    expect(posted.status).not.toBe(403);
    const forged = await request(development.app).post('/admin/sign-in').type('form').send({ _csrf: 'forged', email: typedEmail });
    expect(forged.status).toBe(403);
    expect(linesOf(development.logs.join(''), refusalLine)).toEqual([]);
  });
});
