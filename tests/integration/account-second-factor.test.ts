// An officer sets up an authenticator app from their own account page, also where the portal
// does not require one (the embedded demo's OFFICER_MFA=optional); from then on sign-in asks for
// a code.
import { generate } from 'otplib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, visitor, type TestApp } from '../helpers/app.ts';
import { query, truncateAll } from '../helpers/database.ts';
import { createOfficer, officerPassword, signIn } from '../helpers/officers.ts';
import { TestSmtpServer } from '../helpers/smtp.ts';

const smtp = new TestSmtpServer();
let portal: TestApp;

beforeAll(async () => {
  await smtp.start();
  portal = createTestApp({ smtp, worker: false, env: { OFFICER_MFA: 'optional' } });
});
afterAll(async () => {
  await portal.close();
  await smtp.stop();
});
beforeEach(async () => {
  await truncateAll();
});

const secretOn = (html: string) => /<code class="app-secret">([A-Z2-7]+)<\/code>/.exec(html)?.[1] ?? '';

describe('setting up an authenticator app from the account page', () => {
  it('is offered when the portal does not require it, checks the code, and then sign-in asks for one', async () => {
    await createOfficer(portal, 'administrator', 'demo@council.test');
    const v = visitor(portal.app);
    expect(await signIn(v, 'demo@council.test')).toBeNull(); // no second factor asked for

    const account = await v.get('/admin/account');
    expect(account.status).toBe(200);
    expect(account.text).toContain('Not set up');
    expect(account.text).toContain('href="/admin/account/second-factor"');
    expect((await v.get('/admin')).text).toContain('href="/admin/account"');

    const page = await v.get('/admin/account/second-factor');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<img class="app-qr-code" src="data:image/png;base64,');
    const secret = secretOn(page.text);
    expect(secret).not.toBe('');

    const empty = await v.submit('/admin/account/second-factor', { code: '' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Enter the 6-digit code shown in your authenticator app');
    const right = await generate({ secret });
    const wrong = await v.submit('/admin/account/second-factor', { code: right === '000000' ? '111111' : '000000' });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('The code is not right');
    expect(secretOn(wrong.text)).toBe(secret); // the same key: the app already scanned it
    expect(await query('SELECT 1 FROM officer WHERE totp_secret IS NOT NULL')).toHaveLength(0);

    const done = await v.submit('/admin/account/second-factor', { code: right });
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/admin/account?done=second-factor');
    const after = await v.get('/admin/account?done=second-factor');
    expect(after.text).toContain('govuk-notification-banner--success');
    expect(after.text).toContain('Your authenticator app is set up');
    expect(after.text).not.toContain('href="/admin/account/second-factor"');
    expect(await query("SELECT 1 FROM audit_entry WHERE action = 'second factor set up'")).toHaveLength(1);

    // The next sign-in asks for the code, and the code used to set it up does not work again.
    const next = visitor(portal.app);
    const first = await next.submit('/admin/sign-in', { email: 'demo@council.test', password: officerPassword });
    expect(first.headers.location).toBe('/admin/two-factor');
    const reused = await next.submit('/admin/two-factor', { code: right });
    expect(reused.status).toBe(400);
    const fresh = await next.submit('/admin/two-factor', { code: await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }) });
    expect(fresh.headers.location).toBe('/admin');
  });
});
