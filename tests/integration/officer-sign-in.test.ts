import { generate } from 'otplib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, csrfTokenFrom, visitor, type TestApp } from '../helpers/app.ts';
import { query, truncateAll } from '../helpers/database.ts';
import { createOfficer, officerPassword, signIn } from '../helpers/officers.ts';
import { TestSmtpServer } from '../helpers/smtp.ts';

const smtp = new TestSmtpServer();
let portal: TestApp; // production-like: second factor required
let demo: TestApp; // the embedded-demo setting: second factor optional

beforeAll(async () => {
  await smtp.start();
  portal = createTestApp({ smtp, worker: false });
  demo = createTestApp({ smtp, worker: false, env: { OFFICER_MFA: 'optional', SESSION_ABSOLUTE_HOURS: '0.0003' } });
});
afterAll(async () => {
  await portal.close();
  await demo.close();
  await smtp.stop();
});
beforeEach(() => truncateAll());

const sessionCookie = (headers: Record<string, unknown>) => /asb\.sid=([^;]+)/.exec(String(headers['set-cookie'] ?? ''))?.[1];

describe('officer sign-in', () => {
  it('requires setting up a second factor at first sign-in, then asks for the code every time', async () => {
    await createOfficer(portal, 'officer');
    const v = visitor(portal.app);
    expect((await v.get('/admin')).headers.location).toBe('/admin/sign-in');
    const secret = await signIn(v, 'officer@council.test');
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    const dashboard = await v.get('/admin');
    expect(dashboard.status).toBe(200);
    expect(dashboard.text).toContain('Signed in as <strong>Officer Person</strong>');

    const again = visitor(portal.app);
    const password = await again.submit('/admin/sign-in', { email: 'officer@council.test', password: officerPassword });
    expect(password.headers.location).toBe('/admin/two-factor');
    // Before the code, the officers' area stays shut.
    expect((await again.get('/admin')).headers.location).toBe('/admin/sign-in');
    const wrong = await again.submit('/admin/two-factor', { code: '000000' });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('Enter the 6-digit code shown in your authenticator app');
    // The code used at set-up a moment ago cannot be used again; the next one can.
    const reused = await again.submit('/admin/two-factor', { code: await generate({ secret: secret ?? '' }) });
    expect(reused.status).toBe(400);
    const next = await generate({ secret: secret ?? '', epoch: Math.floor(Date.now() / 1000) + 30 });
    const right = await again.submit('/admin/two-factor', { code: next });
    expect(right.headers.location).toBe('/admin');
    expect((await again.get('/admin')).status).toBe(200);
  });

  it('lets the embedded demo sign in without a second factor, when configured so', async () => {
    await createOfficer(demo, 'administrator');
    const v = visitor(demo.app);
    expect(await signIn(v, 'administrator@council.test')).toBeNull();
    expect((await v.get('/admin')).status).toBe(200);
  });

  it('gives the same message for an unknown email and a wrong password', async () => {
    await createOfficer(demo, 'officer');
    const unknown = await visitor(demo.app).submit('/admin/sign-in', { email: 'nobody@council.test', password: 'whatever it is 123' });
    const wrong = await visitor(demo.app).submit('/admin/sign-in', { email: 'officer@council.test', password: 'not the password 123' });
    expect(unknown.status).toBe(400);
    expect(wrong.status).toBe(400);
    const message = (text: string) => /<li><a href="#email">([^<]+)<\/a><\/li>/.exec(text)?.[1];
    expect(message(unknown.text)).toBe(message(wrong.text));
    expect(message(wrong.text)).toContain('Enter a correct email address and password');
  });

  it('locks the account after five wrong passwords, even against the right one', async () => {
    await createOfficer(demo, 'officer');
    for (let i = 0; i < 5; i += 1) {
      expect((await visitor(demo.app).submit('/admin/sign-in', { email: 'officer@council.test', password: `wrong password ${i}!` })).status).toBe(400);
    }
    const locked = await visitor(demo.app).submit('/admin/sign-in', { email: 'officer@council.test', password: officerPassword });
    expect(locked.status).toBe(400);
    const [row] = await query<{ locked: boolean }>("SELECT locked_until > now() AS locked FROM officer WHERE email = 'officer@council.test'");
    expect(row?.locked).toBe(true);
    const audit = await query<{ action: string }>("SELECT action FROM audit_entry WHERE action = 'sign-in failed'");
    expect(audit).toHaveLength(5);
  });

  it('gives a new session id at sign-in (no fixation) and signs out for good', async () => {
    await createOfficer(demo, 'officer');
    const v = visitor(demo.app);
    const before = sessionCookie((await v.get('/admin/sign-in')).headers);
    const page = await v.get('/admin/sign-in');
    const response = await v.agent.post('/admin/sign-in').type('form').send({ _csrf: csrfTokenFrom(page.text), email: 'officer@council.test', password: officerPassword });
    const after = sessionCookie(response.headers);
    expect(before).toBeDefined();
    expect(after).toBeDefined();
    expect(after).not.toBe(before);

    const dashboard = await v.get('/admin');
    const out = await v.agent.post('/admin/sign-out').type('form').send({ _csrf: csrfTokenFrom(dashboard.text) });
    expect(out.headers.location).toBe('/admin/signed-out');
    expect((await v.get('/admin')).headers.location).toBe('/admin/sign-in');
  });

  it('signs an officer out after the absolute session time, however active', async () => {
    await createOfficer(demo, 'officer');
    const v = visitor(demo.app);
    await signIn(v, 'officer@council.test');
    expect((await v.get('/admin')).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    expect((await v.get('/admin')).headers.location).toBe('/admin/sign-in?expired=1');
  });

  it('refuses short and common passwords, without composition rules', async () => {
    const create = (password: string) => portal.services.auth.createOfficer({ email: 'new@council.test', name: 'New', role: 'officer', password });
    await expect(create('short')).rejects.toThrow('Password must be 12 characters or more');
    await expect(create('password1234')).rejects.toThrow('This password is too common');
    await expect(create('aaaaaaaaaaaaaaa')).rejects.toThrow();
    // Only lower-case words, no digits or symbols: long enough, so allowed.
    await expect(create('lantern orbit pebble')).resolves.toMatchObject({ email: 'new@council.test' });
    const [row] = await query<{ password_hash: string }>("SELECT password_hash FROM officer WHERE email = 'new@council.test'");
    expect(row?.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });
});
