import { generate } from 'otplib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestApp, csrfTokenFrom, visitor, type TestApp, type Visitor } from '../helpers/app.ts';
import { query, truncateAll } from '../helpers/database.ts';
import { createOfficer, officerPassword, signIn } from '../helpers/officers.ts';
import { TestSmtpServer } from '../helpers/smtp.ts';

/**
 * Someone who has an officer's password must not be able to guess the second factor: the
 * account's lockout holds at the code step too (codes sent in parallel included), each
 * half-finished sign-in gets a few codes and then ends, and codes are limited per IP address.
 * TRUST_PROXY=1 lets each request say which address it comes from (X-Forwarded-For). The
 * password limits are raised here so that they are not what stops the guessing.
 */
const smtp = new TestSmtpServer();
let portal: TestApp;
let strictIp: TestApp; // four codes per IP address

const env = { TRUST_PROXY: '1', RATE_LIMIT_SIGN_IN_PER_IP: '1000', RATE_LIMIT_SIGN_IN_PER_EMAIL: '1000' };

beforeAll(async () => {
  await smtp.start();
  portal = createTestApp({ smtp, worker: false, env });
  strictIp = createTestApp({ smtp, worker: false, env: { ...env, RATE_LIMIT_TWO_FACTOR_PER_IP: '4' } });
});
afterAll(async () => {
  await Promise.all([portal.close(), strictIp.close()]);
  await smtp.stop();
});
beforeEach(() => truncateAll());
afterEach(() => {
  vi.useRealTimers();
});

const email = 'officer@council.test';
const generic = 'Enter a correct email address and password. After 5 wrong attempts the account is locked for 15 minutes.';
const wrongCode = 'Enter the 6-digit code shown in your authenticator app';
const startAgain = 'You entered a wrong code too many times. Sign in again with your email address and password.';

/** An officer whose authenticator app is set up; returns its secret. */
async function officerWithApp(app: TestApp, address = email): Promise<string> {
  await createOfficer(app, 'officer', address);
  return (await signIn(visitor(app.app), address)) ?? '';
}

/** A code from the officer's app that has not been used yet (the set-up used the current one). */
const freshCode = (secret: string, offsetSeconds = 30) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSeconds });

/** A browser at the code page, with the page's CSRF token (the session keeps it until sign-in). */
type AtCode = Visitor & { token: string };

/** The right password from a new browser: a half-finished sign-in, waiting for the code. */
async function pending(app: TestApp, address = email, ip = '203.0.113.1'): Promise<AtCode> {
  const v = visitor(app.app);
  const page = await v.get('/admin/sign-in');
  const response = await v.agent
    .post('/admin/sign-in')
    .set('X-Forwarded-For', ip)
    .type('form')
    .send({ _csrf: csrfTokenFrom(page.text), email: address, password: officerPassword });
  expect(response.headers.location).toBe('/admin/two-factor');
  const codePage = await v.get('/admin/two-factor');
  expect(codePage.status).toBe(200);
  return Object.assign(v, { token: csrfTokenFrom(codePage.text) });
}

/** Sends a code from the code page, as from `ip`. */
const sendCode = (v: AtCode, code: string, ip = '203.0.113.1') =>
  v.agent.post('/admin/two-factor').set('X-Forwarded-For', ip).type('form').send({ _csrf: v.token, code });

/** The password again, from a new browser: where it ends up. */
async function passwordAgain(app: TestApp) {
  const response = await visitor(app.app).submit('/admin/sign-in', { email, password: officerPassword });
  return response.status === 303 ? String(response.headers.location) : response.text;
}

/** What a browser sees after sending a code. */
function outcome(response: { status: number; text: string; headers: Record<string, string> }): string {
  if (response.status === 303) return response.headers.location === '/admin/sign-in' ? 'back to sign-in' : `303 ${response.headers.location}`;
  if (response.status !== 400) return String(response.status);
  if (response.text.includes(startAgain)) return 'start again';
  if (response.text.includes(generic)) return 'locked';
  return response.text.includes(wrongCode) ? 'wrong code' : '400';
}

const failedCodes = async () => (await query("SELECT 1 FROM audit_entry WHERE action = 'second factor failed'")).length;
const lockedNow = async () =>
  (await query<{ locked: boolean }>('SELECT coalesce(locked_until > now(), false) AS locked FROM officer WHERE email = $1', [email]))[0]?.locked;
const signedIn = async (v: Visitor) => (await v.get('/admin')).status === 200;

describe('the second factor’s lockout', () => {
  it('refuses the right code after five wrong ones, in every half-finished sign-in, with the sign-in page’s message', async () => {
    const secret = await officerWithApp(portal);
    // Three browsers get past the password before any code is wrong.
    const [first, second, third] = [await pending(portal), await pending(portal), await pending(portal)];
    for (let i = 0; i < 3; i += 1) await sendCode(first, '000000');
    expect(await lockedNow()).toBe(false);
    expect((await sendCode(second, '111111')).text).toContain(wrongCode);
    expect((await sendCode(second, '222222')).text).toContain(wrongCode);
    expect(await lockedNow()).toBe(true);

    // The sixth wrong code, and then the right one, in sign-ins begun before the lock.
    const sixth = await sendCode(second, '333333');
    expect(sixth.status).toBe(400);
    expect(sixth.text).toContain(generic);
    const right = await sendCode(third, await freshCode(secret));
    expect(right.status).toBe(400);
    expect(right.headers.location).toBeUndefined();
    expect(right.text).toContain(generic);
    expect(await signedIn(third)).toBe(false);
    // The half-finished sign-in is over: the code page sends the browser back to the password.
    expect((await third.get('/admin/two-factor')).headers.location).toBe('/admin/sign-in');
    // Only five codes were ever checked, the lock stands, and the password is refused too.
    expect(await failedCodes()).toBe(5);
    expect(await lockedNow()).toBe(true);
    expect(await passwordAgain(portal)).toContain(generic);
  });

  it('lifts the lock 15 minutes later, not before; after it a wrong code locks the account again at once', async () => {
    const secret = await officerWithApp(portal);
    const start = Date.now();
    vi.useFakeTimers({ toFake: ['Date'], now: start });
    for (const v of [await pending(portal), await pending(portal)]) {
      for (let i = 0; i < 3 && !(await lockedNow()); i += 1) await sendCode(v, '000000');
    }
    expect(await failedCodes()).toBe(5);

    vi.setSystemTime(start + 14 * 60_000);
    expect(await passwordAgain(portal)).toContain(generic);

    vi.setSystemTime(start + 15 * 60_000 + 1_000);
    // Open again, but the five failures still count: one more wrong code locks it for another 15 minutes...
    const [guesser, officer] = [await pending(portal), await pending(portal)];
    expect((await sendCode(guesser, '000000')).text).toContain(wrongCode);
    const refused = await sendCode(officer, await freshCode(secret));
    expect(refused.text).toContain(generic);
    expect(await signedIn(officer)).toBe(false);

    // ...which ends on time as well; then the right code signs in and the count starts again.
    vi.setSystemTime(start + 30 * 60_000 + 2_000);
    const again = await pending(portal);
    expect((await sendCode(again, await freshCode(secret))).headers.location).toBe('/admin');
    expect(await signedIn(again)).toBe(true);
    const [row] = await query<{ failed_sign_ins: number; locked_until: Date | null }>(
      'SELECT failed_sign_ins, locked_until FROM officer WHERE email = $1',
      [email],
    );
    expect(row).toEqual({ failed_sign_ins: 0, locked_until: null });
  });

  it('lets many codes sent at the same moment, from many addresses and sign-ins, check no more than five between them', async () => {
    await officerWithApp(portal);
    const browsers = await Promise.all(Array.from({ length: 10 }, (_, i) => pending(portal, email, `198.51.100.${i + 1}`)));
    // 40 wrong codes, four from each sign-in, each from its own address, all at once.
    const responses = await Promise.all(
      browsers.flatMap((v, i) =>
        Array.from({ length: 4 }, (_, j) =>
          v.agent
            .post('/admin/two-factor')
            .set('X-Forwarded-For', `192.0.2.${i * 4 + j + 1}`)
            .type('form')
            .send({ _csrf: v.token, code: String(100_000 + i * 4 + j) }),
        ),
      ),
    );
    // Each is refused: the code page again, the sign-in page, or (once a sign-in has ended) sent back to it.
    expect(responses.map(outcome).filter((seen) => !['wrong code', 'start again', 'locked', 'back to sign-in'].includes(seen))).toEqual([]);
    expect(await failedCodes()).toBe(5);
    expect(responses.filter((response) => outcome(response) === 'wrong code').length).toBeLessThanOrEqual(5);
    expect(await lockedNow()).toBe(true);
    expect(await passwordAgain(portal)).toContain(generic);
  });

  it('refuses setting up the authenticator app while the account is locked', async () => {
    await createOfficer(portal, 'officer', email);
    const v = visitor(portal.app);
    const password = await v.submit('/admin/sign-in', { email, password: officerPassword });
    expect(password.headers.location).toBe('/admin/two-factor/set-up');
    const page = await v.get('/admin/two-factor/set-up');
    const secret = /<code class="app-secret">([A-Z2-7]+)<\/code>/.exec(page.text)?.[1] ?? '';
    // Meanwhile, someone else locks the account with wrong passwords.
    for (let i = 0; i < 5; i += 1) await visitor(portal.app).submit('/admin/sign-in', { email, password: `wrong password ${i}!` });
    const done = await v.agent
      .post('/admin/two-factor/set-up')
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), code: await generate({ secret }) });
    expect(done.status).toBe(400);
    expect(done.text).toContain(generic);
    expect(await signedIn(v)).toBe(false);
    const [row] = await query<{ totp_secret: string | null }>('SELECT totp_secret FROM officer WHERE email = $1', [email]);
    expect(row?.totp_secret).toBeNull();
  });

  it('ends the half-finished sign-ins when an administrator resets the password (which lifts the lock)', async () => {
    const secret = await officerWithApp(portal);
    const guesser = await pending(portal);
    await portal.services.administration.resetPassword(
      await createOfficer(portal, 'administrator'),
      (await query<{ id: string }>('SELECT id::text AS id FROM officer WHERE email = $1', [email]))[0]?.id ?? '',
    );
    // Its session is gone (so is its CSRF token): the right code does not sign in.
    const after = await sendCode(guesser, await freshCode(secret));
    expect(after.status).toBe(403);
    expect(await signedIn(guesser)).toBe(false);
    expect((await guesser.get('/admin/two-factor')).headers.location).toBe('/admin/sign-in');
  });
});

describe('codes per half-finished sign-in', () => {
  it('ends the sign-in after three wrong codes: the officer starts again from the password', async () => {
    const secret = await officerWithApp(portal);
    const v = await pending(portal);
    for (let i = 1; i <= 2; i += 1) {
      const wrong = await sendCode(v, '000000');
      expect(wrong.status).toBe(400);
      expect(wrong.text).toContain(wrongCode);
    }
    const third = await sendCode(v, '000000');
    expect(third.status).toBe(400);
    expect(third.text).toContain(startAgain);
    expect(third.text).toContain('action="/admin/sign-in"');
    // The right code now is too late: back to the password.
    expect((await v.get('/admin/two-factor')).headers.location).toBe('/admin/sign-in');
    const late = await sendCode(v, await freshCode(secret));
    expect(late.headers.location).toBe('/admin/sign-in');
    expect(await signedIn(v)).toBe(false);
    // From the password again, the right code signs in (three failures do not lock the account).
    const again = await pending(portal);
    expect((await sendCode(again, await freshCode(secret))).headers.location).toBe('/admin');
  });

  it('checks at most three codes of one sign-in sent at the same moment', async () => {
    await officerWithApp(portal);
    const v = await pending(portal);
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        v.agent
          .post('/admin/two-factor')
          .set('X-Forwarded-For', `192.0.2.${i + 1}`)
          .type('form')
          .send({ _csrf: v.token, code: String(200_000 + i) }),
      ),
    );
    expect(responses.map(outcome).filter((seen) => !['wrong code', 'start again', 'back to sign-in'].includes(seen))).toEqual([]);
    expect(await failedCodes()).toBe(3);
    // The first two wrong codes checked show the code page again; every other answer ends the sign-in.
    expect(responses.filter((response) => outcome(response) === 'wrong code').length).toBeLessThanOrEqual(2);
    expect(await lockedNow()).toBe(false);
  });
});

describe('codes per IP address', () => {
  it('refuses the code after the limit from one address, across sign-ins and officers, and keeps the sign-in', async () => {
    const secret = await officerWithApp(strictIp, 'first@council.test');
    await officerWithApp(strictIp, 'second@council.test');
    const [a, b] = [await pending(strictIp, 'first@council.test'), await pending(strictIp, 'second@council.test')];
    for (const v of [a, a, b, b]) expect((await sendCode(v, '000000', '198.51.100.7')).text).toContain(wrongCode);
    const refused = await sendCode(a, await freshCode(secret), '198.51.100.7');
    expect(refused.status).toBe(429);
    expect(refused.text).toContain('<h1 class="govuk-heading-l">Too many attempts</h1>');
    expect(refused.text).toContain('action="/admin/two-factor"');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(await signedIn(a)).toBe(false);
    // From another address the same sign-in carries on, and the right code signs in.
    expect((await sendCode(a, await freshCode(secret), '198.51.100.8')).headers.location).toBe('/admin');
  });
});
