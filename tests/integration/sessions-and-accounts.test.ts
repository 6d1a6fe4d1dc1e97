import { dictionary } from '@zxcvbn-ts/language-common';
import { generate } from 'otplib';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestApp, csrfTokenFrom, visitor, type TestApp, type Visitor } from '../helpers/app.ts';
import { truncateAll } from '../helpers/database.ts';
import { createOfficer, officerPassword, signIn } from '../helpers/officers.ts';
import { TestSmtpServer } from '../helpers/smtp.ts';

/**
 * Officers' sessions and accounts beyond officer-sign-in.test.ts: ids that stop working, cookie
 * flags in production, idle and absolute timeouts on a moved clock, the lockout's second factor
 * and its end, and the password rules at their edges.
 */
const smtp = new TestSmtpServer();
let portal: TestApp; // second factor required, as in production
let demo: TestApp; // second factor optional: quicker to sign in
let production: TestApp;
let timed: TestApp; // idle 5 minutes, absolute 1 hour

beforeAll(async () => {
  await smtp.start();
  portal = createTestApp({ smtp, worker: false });
  demo = createTestApp({ smtp, worker: false, env: { OFFICER_MFA: 'optional' } });
  production = createTestApp({ smtp, worker: false, env: { NODE_ENV: 'production', TRUST_PROXY: '1' } });
  timed = createTestApp({ smtp, worker: false, env: { OFFICER_MFA: 'optional', SESSION_IDLE_MINUTES: '5', SESSION_ABSOLUTE_HOURS: '1' } });
});
afterAll(async () => {
  await Promise.all([portal.close(), demo.close(), production.close(), timed.close()]);
  await smtp.stop();
});
beforeEach(() => truncateAll());
afterEach(() => {
  vi.useRealTimers();
});

/** The session cookie the visitor's browser holds now, as a Cookie header. */
function cookieOf(v: Visitor): string {
  const cookie = v.agent.jar.getCookie('asb.sid', { domain: '127.0.0.1', path: '/', secure: false, script: false });
  if (!cookie) throw new Error('The visitor has no session cookie');
  return cookie.toValueString();
}

/** GET /admin with only this cookie: where a browser holding it ends up. */
async function adminWith(app: TestApp, cookie: string): Promise<string> {
  const response = await request(app.app).get('/admin').set('Cookie', cookie);
  return response.status === 200 ? 'dashboard' : `${response.status} ${response.headers.location ?? ''}`;
}

const setCookie = (headers: Record<string, unknown>) => String(headers['set-cookie'] ?? '');

describe('session ids', () => {
  it('gives a new id after the password and again after the code; the ids from before no longer work', async () => {
    await createOfficer(portal, 'officer');
    const v = visitor(portal.app);
    await v.get('/admin/sign-in');
    const beforeSignIn = cookieOf(v);
    const password = await v.submit('/admin/sign-in', { email: 'officer@council.test', password: officerPassword });
    expect(password.headers.location).toBe('/admin/two-factor/set-up');
    const afterPassword = cookieOf(v);
    const page = await v.get('/admin/two-factor/set-up');
    const secret = /<code class="app-secret">([A-Z2-7]+)<\/code>/.exec(page.text)?.[1] ?? '';
    const done = await v.agent
      .post('/admin/two-factor/set-up')
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), code: await generate({ secret }) });
    expect(done.headers.location).toBe('/admin');
    const signedIn = cookieOf(v);

    expect(new Set([beforeSignIn, afterPassword, signedIn]).size).toBe(3);
    expect(await adminWith(portal, signedIn)).toBe('dashboard');
    expect(await adminWith(portal, beforeSignIn)).toBe('303 /admin/sign-in');
    expect(await adminWith(portal, afterPassword)).toBe('303 /admin/sign-in');
  });

  it('ends the session on the server at sign-out: a copy of the cookie no longer works', async () => {
    await createOfficer(demo, 'officer');
    const v = visitor(demo.app);
    await signIn(v, 'officer@council.test');
    const copy = cookieOf(v);
    expect(await adminWith(demo, copy)).toBe('dashboard');
    const dashboard = await v.get('/admin');
    await v.agent
      .post('/admin/sign-out')
      .type('form')
      .send({ _csrf: csrfTokenFrom(dashboard.text) });
    expect(await adminWith(demo, copy)).toBe('303 /admin/sign-in');
  });
});

describe('the session cookie', () => {
  it('is HttpOnly, SameSite=Lax and for the whole site, before and after signing in', async () => {
    await createOfficer(demo, 'officer');
    const v = visitor(demo.app);
    const page = await v.get('/admin/sign-in');
    const signedIn = await v.agent
      .post('/admin/sign-in')
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), email: 'officer@council.test', password: officerPassword });
    expect(signedIn.headers.location).toBe('/admin');
    for (const cookie of [setCookie(page.headers), setCookie(signedIn.headers)]) {
      expect(cookie).toMatch(/^asb\.sid=/);
      expect(cookie).toContain('HttpOnly');
      expect(cookie).toContain('SameSite=Lax');
      expect(cookie).toContain('Path=/');
      // Not Secure outside production: the embedded demo runs on http://localhost.
      expect(cookie).not.toContain('Secure');
    }
  });

  it('is Secure in production, and never sent over plain HTTP', async () => {
    const https = await request(production.app).get('/admin/sign-in').set('X-Forwarded-Proto', 'https');
    expect(https.status).toBe(200);
    const cookie = setCookie(https.headers);
    // The __Host- prefix: a browser takes it only Secure, for Path=/ and with no Domain.
    expect(cookie).toMatch(/^__Host-asb\.sid=/);
    expect(cookie).toContain('Secure');
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');

    // After the password, the new (pending) session's cookie is Secure too.
    await createOfficer(production, 'officer');
    const password = await request(production.app)
      .post('/admin/sign-in')
      .set('X-Forwarded-Proto', 'https')
      .set('Cookie', cookie.split(';')[0] ?? '')
      .type('form')
      .send({ _csrf: csrfTokenFrom(https.text), email: 'officer@council.test', password: officerPassword });
    expect(password.headers.location).toBe('/admin/two-factor/set-up');
    expect(setCookie(password.headers)).toContain('Secure');

    const plain = await request(production.app).get('/admin/sign-in');
    expect(plain.status).toBe(200);
    expect(plain.headers['set-cookie']).toBeUndefined();
  });
});

describe('officer session timeouts (on a moved clock)', () => {
  const minutes = (n: number) => n * 60_000;

  it('signs an officer out after 5 idle minutes; each page they open starts the 5 minutes again', async () => {
    await createOfficer(timed, 'officer');
    const start = Date.now();
    vi.useFakeTimers({ toFake: ['Date'], now: start });
    const v = visitor(timed.app);
    await signIn(v, 'officer@council.test');
    const cookie = cookieOf(v);
    vi.setSystemTime(start + minutes(4));
    expect(await adminWith(timed, cookie)).toBe('dashboard');
    vi.setSystemTime(start + minutes(8));
    expect(await adminWith(timed, cookie)).toBe('dashboard');
    vi.setSystemTime(start + minutes(13) + 1_000);
    expect(await adminWith(timed, cookie)).toBe('303 /admin/sign-in');
  });

  it('signs an officer out an hour after signing in, however active', async () => {
    await createOfficer(timed, 'officer');
    const start = Date.now();
    vi.useFakeTimers({ toFake: ['Date'], now: start });
    const v = visitor(timed.app);
    await signIn(v, 'officer@council.test');
    const cookie = cookieOf(v);
    for (const at of [4, 8, 12, 16, 20, 24, 28, 32, 36, 40, 44, 48, 52, 56, 59]) {
      vi.setSystemTime(start + minutes(at));
      expect(await adminWith(timed, cookie), `after ${at} minutes`).toBe('dashboard');
    }
    vi.setSystemTime(start + minutes(61));
    expect(await adminWith(timed, cookie)).toBe('303 /admin/sign-in?expired=1');
  });
});

describe('account lockout', () => {
  const generic = 'Enter a correct email address and password. After 5 wrong attempts the account is locked for 15 minutes.';

  it('locks the account after five wrong codes at the second factor, too', async () => {
    await createOfficer(portal, 'officer');
    await signIn(visitor(portal.app), 'officer@council.test');
    // Three wrong codes end a half-finished sign-in; two more after the password again make five.
    for (const codes of [3, 2]) {
      const v = visitor(portal.app);
      expect((await v.submit('/admin/sign-in', { email: 'officer@council.test', password: officerPassword })).headers.location).toBe(
        '/admin/two-factor',
      );
      for (let i = 0; i < codes; i += 1) expect((await v.submit('/admin/two-factor', { code: '000000' })).status).toBe(400);
    }
    const locked = await visitor(portal.app).submit('/admin/sign-in', { email: 'officer@council.test', password: officerPassword });
    expect(locked.status).toBe(400);
    expect(locked.text).toContain(generic);
  });

  it('lifts the lock 15 minutes later, not before; the locked message is the same as for a wrong password', async () => {
    await createOfficer(demo, 'officer');
    const start = Date.now();
    vi.useFakeTimers({ toFake: ['Date'], now: start });
    for (let i = 0; i < 5; i += 1) {
      await visitor(demo.app).submit('/admin/sign-in', { email: 'officer@council.test', password: `wrong password ${i}!` });
    }
    vi.setSystemTime(start + 14 * 60_000);
    const locked = await visitor(demo.app).submit('/admin/sign-in', { email: 'officer@council.test', password: officerPassword });
    expect(locked.status).toBe(400);
    expect(locked.text).toContain(generic);
    vi.setSystemTime(start + 15 * 60_000 + 1_000);
    const open = await visitor(demo.app).submit('/admin/sign-in', { email: 'officer@council.test', password: officerPassword });
    expect(open.headers.location).toBe('/admin');
  });
});

describe('passwords', () => {
  const create = (password: string, email = 'new@council.test') =>
    demo.services.auth.createOfficer({ email, name: 'New Officer', role: 'officer', password });

  it('takes any characters up to 128, spaces and emoji included, and signs in with exactly that password', async () => {
    const characters = [...`Grüße aus 🏡 Swadlincote, ${'sehr '.repeat(30)}`].slice(0, 128);
    const passphrase = characters.join('');
    expect([...passphrase].length).toBe(128);
    await expect(create(`${passphrase}x`, 'too-long@council.test')).rejects.toThrow('Password must be 128 characters or less');
    await expect(create(passphrase)).resolves.toMatchObject({ email: 'new@council.test' });
    const wrong = await visitor(demo.app).submit('/admin/sign-in', {
      email: 'new@council.test',
      password: characters.slice(0, 127).join(''),
    });
    expect(wrong.status).toBe(400);
    const right = await visitor(demo.app).submit('/admin/sign-in', { email: 'new@council.test', password: passphrase });
    expect(right.headers.location).toBe('/admin');
  });

  it('refuses a long password from the shipped list of common ones, and one made of the email address', async () => {
    const common = dictionary['passwords-common'].find((word) => word.length >= 16);
    expect(common).toBeDefined();
    await expect(create(common ?? '')).rejects.toThrow('This password is too common');
    await expect(create('priya.shah is my password', 'priya.shah@council.test')).rejects.toThrow(
      'Password must not contain your email address',
    );
  });

  it('shows an officer changing their password why a common one is refused', async () => {
    await createOfficer(demo, 'officer');
    const v = visitor(demo.app);
    await signIn(v, 'officer@council.test');
    const common = dictionary['passwords-common'].find((word) => word.length >= 16) ?? '';
    const refused = await v.submit('/admin/account/password', { currentPassword: officerPassword, newPassword: common });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('<a href="#newPassword">This password is too common');
  });
});
