import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, visitor, type TestApp } from '../helpers/app.ts';
import { query, truncateAll } from '../helpers/database.ts';
import { fillApplication, send, victim, victimContact } from '../helpers/journey.ts';
import { TestSmtpServer } from '../helpers/smtp.ts';

const smtp = new TestSmtpServer();
let portal: TestApp;

beforeAll(async () => {
  await smtp.start();
  portal = createTestApp({ smtp });
});
afterAll(async () => {
  await portal.close();
  await smtp.stop();
});
beforeEach(() => truncateAll());

describe('security headers', () => {
  for (const path of ['/', '/guidance', '/apply/who-is-applying', '/no-such-page']) {
    it(`${path}: strict CSP with a nonce on every script, no framing, no <base>, no X-Powered-By`, async () => {
      const response = await visitor(portal.app).get(path);
      const csp = response.headers['content-security-policy'] ?? '';
      const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
      expect(nonce).toBeDefined();
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("base-uri 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(response.headers['x-powered-by']).toBeUndefined();
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
      const scripts = [...response.text.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      expect(scripts.length).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    });
  }

  it('a new nonce on every response', async () => {
    const v = visitor(portal.app);
    const a = (await v.get('/')).headers['content-security-policy'];
    const b = (await v.get('/')).headers['content-security-policy'];
    expect(a).not.toBe(b);
  });

  it('form pages are never cached; the session cookie is HttpOnly and SameSite', async () => {
    const response = await visitor(portal.app).get('/apply/who-is-applying');
    expect(response.headers['cache-control']).toBe('no-store');
    const cookie = String(response.headers['set-cookie'] ?? '');
    expect(cookie).toContain('asb.sid=');
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
  });

  it('information pages set no cookie at all', async () => {
    const response = await visitor(portal.app).get('/guidance');
    expect(response.headers['set-cookie']).toBeUndefined();
  });

  it('refuses an oversized form body with an explanation, not a crash', async () => {
    const v = visitor(portal.app);
    const response = await v.submit('/apply/who-is-applying', { applyingAs: 'self', padding: 'x'.repeat(300_000) });
    expect(response.status).toBe(413);
    expect(response.text).toContain('What you sent is too large');
  });
});

describe('sessions live in the database', () => {
  it('a second app instance on the same database carries on the same application', async () => {
    const other = createTestApp({ smtp, worker: false });
    try {
      const v = visitor(portal.app);
      await v.submit('/apply/who-is-applying', { applyingAs: 'self' });
      const cookie = String(v.agent.jar.getCookie('asb.sid', { domain: '127.0.0.1', path: '/', secure: false, script: false })?.toValueString() ?? '');
      expect(cookie).toContain('asb.sid=');
      const response = await (await import('supertest')).default(other.app).get('/apply/victim-type').set('Cookie', cookie);
      expect(response.status).toBe(200);
      expect(response.text).toContain('Are you applying as a person, a business or a community group?');
    } finally {
      await other.close();
    }
  });
});

describe('health', () => {
  it('/healthz says the process is alive and /readyz that the database answers', async () => {
    const v = visitor(portal.app);
    expect((await v.get('/healthz')).text).toBe('ok');
    const ready = await v.get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.text).toBe('ready');
  });
});

describe('logs', () => {
  it('carry no personal data from an application', async () => {
    portal.logs.length = 0;
    const v = visitor(portal.app);
    await fillApplication(v, { onBehalf: true });
    await send(v);
    await expect.poll(async () => (await query("SELECT 1 FROM outbox_message WHERE status = 'sent'")).length, { timeout: 15_000 }).toBe(3);
    const logs = portal.logs.join('\n');
    expect(logs).toContain('"route":"/apply/check-answers"');
    for (const personal of [victim.fullName, victim.addressLine1, 'DE11 0AH', victimContact.email, victimContact.phone, 'Sam Helper', 'sam@example.test']) {
      expect(logs).not.toContain(personal);
    }
  });
});
