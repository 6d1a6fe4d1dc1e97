import { generate } from 'otplib';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { outboxRepository } from '../../src/data/outbox.ts';
import { OutboxWorker } from '../../src/jobs/outbox-worker.ts';
import { createLogger } from '../../src/logger.ts';
import { createMailer } from '../../src/services/mailer.ts';
import { createTestApp, csrfTokenFrom, visitor, type TestApp, type Visitor } from '../helpers/app.ts';
import { query, truncateAll } from '../helpers/database.ts';
import { fillApplication, send } from '../helpers/journey.ts';
import { createOfficer, officerPassword, signIn } from '../helpers/officers.ts';
import { TestSmtpServer } from '../helpers/smtp.ts';

/** Officer accounts, settings, failed emails and the audit trail, through the real pages. */
const smtp = new TestSmtpServer();
let portal: TestApp;
let second: TestApp; // another instance on the same database

beforeAll(async () => {
  await smtp.start();
  portal = createTestApp({ smtp, worker: false });
  second = createTestApp({ smtp, worker: false });
});
afterAll(async () => {
  await portal.close();
  await second.close();
  await smtp.stop();
});
beforeEach(async () => {
  await truncateAll();
  smtp.messages.length = 0;
  smtp.refuse.clear();
});

const oneTimePassword = (html: string) => /<code class="app-one-time-password">([^<]+)<\/code>/.exec(html)?.[1] ?? '';
const summaryErrors = (html: string) =>
  [...html.matchAll(/<li><a href="(#[^"]+)">([^<]+)<\/a><\/li>/g)].map((match) => `${match[1]} ${match[2]}`);

async function signedIn(role: 'officer' | 'manager' | 'administrator', email = `${role}@council.test`) {
  const officer = await createOfficer(portal, role, email);
  const v = visitor(portal.app);
  const secret = await signIn(v, email);
  return { officer, v, secret: secret ?? '' };
}

/** A second sign-in of an officer with an authenticator app: the code of the next 30-second step. */
async function signInWithCode(v: Visitor, email: string, password: string, secret: string) {
  const first = await v.submit('/admin/sign-in', { email, password });
  expect(first.headers.location).toBe('/admin/two-factor');
  const code = await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });
  const done = await v.submit('/admin/two-factor', { code });
  expect(done.headers.location).toBe('/admin');
}

/** POSTs a form button found on `page` (with its CSRF token). */
async function press(v: Visitor, page: string, action: string, fields: Record<string, string> = {}) {
  const html = (await v.get(page)).text;
  expect(html).toContain(`action="${action}"`);
  return v.agent
    .post(action)
    .type('form')
    .send({ _csrf: csrfTokenFrom(html), ...fields });
}

const auditRows = (action: string) =>
  query<{ officer_id: string; detail: Record<string, unknown> }>(
    'SELECT officer_id, detail FROM audit_entry WHERE action = $1 ORDER BY at',
    [action],
  );

describe('officer accounts', () => {
  it('adds an officer, who signs in with the one-time password and sets up an authenticator app', async () => {
    const { officer: admin, v } = await signedIn('administrator');
    const empty = await v.submit('/admin/officers/new', { name: '', email: 'nope', role: '' });
    expect(empty.status).toBe(400);
    expect(summaryErrors(empty.text)).toEqual([
      '#name Enter the officer’s full name',
      '#email Enter an email address in the correct format, like name@example.gov.uk',
      '#role Select a role',
    ]);

    const created = await v.submit('/admin/officers/new', { name: 'Priya Shah', email: 'Priya.Shah@council.test', role: 'manager' });
    expect(created.status).toBe(200);
    expect(created.text).toContain('Officer account created');
    const password = oneTimePassword(created.text);
    expect(password).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);

    const again = await v.submit('/admin/officers/new', { name: 'Priya Again', email: 'priya.shah@council.test', role: 'officer' });
    expect(again.status).toBe(409);
    expect(again.text).toContain('An officer with this email address already exists');

    const priya = visitor(portal.app);
    expect(await signIn(priya, 'priya.shah@council.test', password)).toMatch(/^[A-Z2-7]+$/);
    const dashboard = await priya.get('/admin');
    expect(dashboard.text).toContain('Signed in as <strong>Priya Shah</strong>');
    expect((await priya.get('/admin/audit')).status).toBe(200);

    const list = await v.get('/admin/officers');
    const row = /<tr class="govuk-table__row">\s*<td[^>]*><a[^>]*>Priya Shah<\/a>[\s\S]*?<\/tr>/.exec(list.text)?.[0] ?? '';
    expect(row).toContain('priya.shah@council.test');
    expect(row).toContain('Manager');
    expect(row).toContain('Set up');
    expect(row).not.toContain('Never');
    expect(row).toContain('Active');

    const [audit] = await auditRows('officer account created');
    expect(audit?.officer_id).toBe(admin.id);
    expect(audit?.detail).toMatchObject({ email: 'priya.shah@council.test', role: 'manager' });
    expect(JSON.stringify(audit?.detail)).not.toContain(password);
  });

  it('disables an officer (signed out at once, cannot sign in) and enables them again', async () => {
    const { officer: admin, v } = await signedIn('administrator');
    const { officer, v: them, secret } = await signedIn('officer');
    const page = `/admin/officers/${officer.id}`;

    const disabled = await press(v, page, `${page}/disable`);
    expect(disabled.headers.location).toBe(`${page}?done=disabled`);
    expect((await v.get(disabled.headers.location ?? '')).text).toContain('The account has been disabled');
    expect((await them.get('/admin')).headers.location).toBe('/admin/sign-in');
    const refused = await visitor(portal.app).submit('/admin/sign-in', { email: 'officer@council.test', password: officerPassword });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Enter a correct email address and password');
    expect((await v.get('/admin/officers')).text).toContain('Disabled');

    expect((await press(v, page, `${page}/enable`)).headers.location).toBe(`${page}?done=enabled`);
    await signInWithCode(visitor(portal.app), 'officer@council.test', officerPassword, secret);

    const audits = await query<{ action: string; officer_id: string; detail: Record<string, unknown> }>(
      "SELECT action, officer_id, detail FROM audit_entry WHERE action LIKE 'officer account %abled' ORDER BY at",
    );
    expect(audits).toEqual([
      {
        action: 'officer account disabled',
        officer_id: admin.id,
        detail: { targetOfficerId: officer.id, disabled: { from: false, to: true } },
      },
      {
        action: 'officer account enabled',
        officer_id: admin.id,
        detail: { targetOfficerId: officer.id, disabled: { from: true, to: false } },
      },
    ]);
  });

  it('resets a locked officer’s password: the old one stops working, the new one unlocks', async () => {
    const { v } = await signedIn('administrator');
    const { officer, secret } = await signedIn('officer');
    for (let i = 0; i < 5; i += 1)
      await visitor(portal.app).submit('/admin/sign-in', { email: 'officer@council.test', password: `wrong ${i} password!` });
    expect((await v.get('/admin/officers')).text).toContain('Locked');

    const page = `/admin/officers/${officer.id}`;
    const reset = await press(v, page, `${page}/reset-password`);
    expect(reset.status).toBe(200);
    expect(reset.text).toContain('Password reset');
    const password = oneTimePassword(reset.text);
    expect(password).not.toBe('');

    expect((await visitor(portal.app).submit('/admin/sign-in', { email: 'officer@council.test', password: officerPassword })).status).toBe(
      400,
    );
    await signInWithCode(visitor(portal.app), 'officer@council.test', password, secret);
    const [audit] = await auditRows('officer password reset');
    expect(audit?.detail).toMatchObject({ targetOfficerId: officer.id });
    expect(JSON.stringify(audit?.detail)).not.toContain(password);
  });

  it('resets the second factor: the officer is signed out and sets up an app again', async () => {
    const { v } = await signedIn('administrator');
    const { officer, v: them } = await signedIn('officer');
    const page = `/admin/officers/${officer.id}`;
    expect((await v.get(page)).text).toMatch(/Authenticator app<\/dt>\s*<dd[^>]*>Set up/);

    expect((await press(v, page, `${page}/reset-second-factor`)).headers.location).toBe(`${page}?done=second-factor`);
    expect((await v.get(page)).text).toMatch(/Authenticator app<\/dt>\s*<dd[^>]*>Not set up/);
    expect((await them.get('/admin')).headers.location).toBe('/admin/sign-in');

    const back = visitor(portal.app);
    const password = await back.submit('/admin/sign-in', { email: 'officer@council.test', password: officerPassword });
    expect(password.headers.location).toBe('/admin/two-factor/set-up');
    expect(await signIn(visitor(portal.app), 'officer@council.test')).toMatch(/^[A-Z2-7]+$/);
    expect(await auditRows('officer second factor reset')).toHaveLength(1);
  });

  it('applies a role change at the officer’s next request', async () => {
    const { officer: admin, v } = await signedIn('administrator');
    const { officer, v: them } = await signedIn('officer');
    expect((await them.get('/admin/audit')).status).toBe(403);
    expect((await them.get('/admin')).text).not.toContain('Audit trail');

    const page = `/admin/officers/${officer.id}`;
    expect((await press(v, page, `${page}/role`, { role: 'manager' })).headers.location).toBe(`${page}?done=role`);
    const now = await them.get('/admin/audit');
    expect(now.status).toBe(200);
    expect(now.text).toContain('<h1 class="govuk-heading-l">Audit trail</h1>');
    expect((await them.get('/admin/officers')).status).toBe(403);
    const [audit] = await auditRows('officer role changed');
    expect(audit).toEqual({ officer_id: admin.id, detail: { targetOfficerId: officer.id, role: { from: 'officer', to: 'manager' } } });
  });

  it('keeps an administrator from locking themselves or everyone out', async () => {
    const { officer: admin, v } = await signedIn('administrator');
    const own = `/admin/officers/${admin.id}`;
    const ownPage = (await v.get(own)).text;
    expect(ownPage).toContain('You cannot change your own role');
    expect(ownPage).toContain('You cannot disable your own account');
    // The buttons are not shown; a crafted request is refused all the same.
    const token = csrfTokenFrom(ownPage);
    const demote = await v.agent.post(`${own}/role`).type('form').send({ _csrf: token, role: 'officer' });
    expect(demote.status).toBe(409);
    expect(summaryErrors(demote.text)).toEqual(['#role You cannot change your own role. Ask another administrator to do it.']);
    const disable = await v.agent.post(`${own}/disable`).type('form').send({ _csrf: token });
    expect(disable.status).toBe(409);
    expect(disable.text).toContain('You cannot disable your own account');

    // Two administrators remove each other at the same moment: one of them must stay.
    const other = await createOfficer(portal, 'administrator', 'second-admin@council.test');
    const adminRecord = await portal.services.auth.findOfficer(admin.id);
    const otherRecord = await portal.services.auth.findOfficer(other.id);
    if (!adminRecord || !otherRecord) throw new Error('officers missing');
    const results = await Promise.all([
      portal.services.administration.changeRole(adminRecord, other.id, 'officer'),
      portal.services.administration.setDisabled(otherRecord, admin.id, true),
    ]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.find((result) => !result.ok)).toMatchObject({
      status: 409,
      message: 'There must always be at least one administrator who can sign in. Make another officer an administrator first.',
    });
    const [remaining] = await query<{ count: string }>("SELECT count(*) FROM officer WHERE role = 'administrator' AND NOT disabled");
    expect(remaining?.count).toBe('1');
    expect(
      await query('SELECT 1 FROM audit_entry WHERE action IN ($1, $2)', ['officer role changed', 'officer account disabled']),
    ).toHaveLength(1);
  });

  it('lets any officer change their own password, refusing a wrong current one and a common one', async () => {
    const { officer, v, secret } = await signedIn('officer');
    const elsewhere = visitor(portal.app);
    await signInWithCode(elsewhere, 'officer@council.test', officerPassword, secret);

    const wrong = await v.submit('/admin/account/password', {
      currentPassword: 'not my password 1',
      newPassword: 'violet tractor sunrise',
    });
    expect(wrong.status).toBe(400);
    expect(summaryErrors(wrong.text)).toEqual(['#currentPassword Your current password is not correct']);
    const common = await v.submit('/admin/account/password', { currentPassword: officerPassword, newPassword: 'password1234' });
    expect(common.status).toBe(400);
    expect(summaryErrors(common.text)[0]).toContain('#newPassword This password is too common');
    const short = await v.submit('/admin/account/password', { currentPassword: officerPassword, newPassword: 'short' });
    expect(summaryErrors(short.text)).toEqual(['#newPassword Password must be 12 characters or more']);

    const changed = await v.submit('/admin/account/password', { currentPassword: officerPassword, newPassword: 'violet tractor sunrise' });
    expect(changed.headers.location).toBe('/admin/account/password?changed=1');
    expect((await v.get('/admin/account/password?changed=1')).text).toContain('Your password has been changed');
    // This session carries on; the officer's other session ends.
    expect((await v.get('/admin')).status).toBe(200);
    expect((await elsewhere.get('/admin')).headers.location).toBe('/admin/sign-in');

    expect((await visitor(portal.app).submit('/admin/sign-in', { email: 'officer@council.test', password: officerPassword })).status).toBe(
      400,
    );
    const fresh = await visitor(portal.app).submit('/admin/sign-in', { email: 'officer@council.test', password: 'violet tractor sunrise' });
    expect(fresh.headers.location).toBe('/admin/two-factor');
    const [audit] = await auditRows('own password changed');
    expect(audit).toEqual({ officer_id: officer.id, detail: { targetOfficerId: officer.id, changed: ['password'] } });
    expect(await auditRows('password change refused')).toHaveLength(1);
  });

  it('shows a missing or malformed officer id as page not found', async () => {
    const { v } = await signedIn('administrator');
    for (const id of ['5b0c6f8e-9b4e-4a3c-8f8e-1d2c3b4a5f6e', 'not-a-uuid']) {
      const page = await v.get(`/admin/officers/${id}`);
      expect(page.status).toBe(404);
      expect(page.text).toContain('Page not found');
    }
  });
});

describe('settings', () => {
  it('explains each wrong value and keeps what was typed', async () => {
    const { v } = await signedIn('administrator');
    const form = await v.get('/admin/settings');
    expect(form.text).toContain('value="South Derbyshire District Council"');
    const values = Object.fromEntries(
      [...form.text.matchAll(/<input class="govuk-input[^"]*" id="([^"]+)" name="\1" type="[a-z]+" value="([^"]*)"/g)].map((m) => [
        m[1],
        m[2],
      ]),
    );
    const response = await v.agent
      .post('/admin/settings')
      .type('form')
      .send({
        ...values,
        _csrf: csrfTokenFrom(form.text),
        name: '',
        contactAddress: '',
        contactEmail: 'not-an-email',
        reportAsbUrl: 'javascript:alert(1)',
        complaintsUrl: 'https://www.southderbyshire.gov.uk/complaints',
        minimumIncidents: '4',
        windowMonths: '7',
        lateReportMonths: 'two',
        singleHateIncidentMeets: 'no',
        householdsVariantOn: 'yes',
        householdsVariant: '',
        partnerAgencies: 'Police',
      });
    expect(response.status).toBe(400);
    expect(summaryErrors(response.text)).toEqual([
      '#name Enter the council’s name',
      '#contactAddress Enter the postal address',
      '#contactEmail Enter an email address in the correct format, like name@example.gov.uk',
      '#reportAsbUrl Enter a full web address starting with https://, like https://www.example.gov.uk/page',
      '#minimumIncidents The minimum number of incidents must be 3 or fewer: the law lets a council set a lower number, never a higher one',
      '#windowMonths The period the incidents must fall in must be 6 months or fewer',
      '#lateReportMonths Months before a report counts as late must be a whole number, like 5',
      '#householdsVariant Enter the number of households',
    ]);
    expect(response.text).toContain('value="not-an-email"');
    expect(response.text).toContain('value="7"');
    expect(response.text).toContain('id="contactEmail-error"');
    expect(await query('SELECT 1 FROM setting')).toHaveLength(0);
  });

  it('stores a valid change, audits it, and every instance uses it', async () => {
    const { officer: admin, v } = await signedIn('administrator');
    const settings = portal.services.administration.councilSettings;
    const elsewhere = second.services.administration.councilSettings;
    await elsewhere.load();
    expect(elsewhere.current().threshold.minimumIncidents).toBe(3);

    const form = await v.get('/admin/settings');
    const values = Object.fromEntries(
      [...form.text.matchAll(/<input class="govuk-input[^"]*" id="([^"]+)" name="\1" type="[a-z]+" value="([^"]*)"/g)].map((m) => [
        m[1],
        m[2],
      ]),
    );
    const textarea = (id: string) => new RegExp(`<textarea[^>]* id="${id}"[^>]*>([^<]*)</textarea>`).exec(form.text)?.[1] ?? '';
    const saved = await v.agent
      .post('/admin/settings')
      .type('form')
      .send({
        ...values,
        _csrf: csrfTokenFrom(form.text),
        contactAddress: textarea('contactAddress'),
        contactPhone: '01283 000000',
        minimumIncidents: '2',
        singleHateIncidentMeets: 'yes',
        householdsVariantOn: 'yes',
        householdsVariant: '5',
        partnerAgencies: 'Derbyshire Constabulary\nTrent & Dove Housing\n',
      });
    expect(saved.headers.location).toBe('/admin/settings?saved=1');
    const after = await v.get('/admin/settings?saved=1');
    expect(after.text).toContain('The settings have been saved');
    expect(after.text).toContain('value="01283 000000"');
    expect(after.text).toMatch(/id="minimumIncidents-2" name="minimumIncidents" type="radio" value="2" checked/);

    expect(settings.current()).toMatchObject({
      contact: { phone: '01283 000000', email: 'community.safety@southderbyshire.gov.uk' },
      threshold: { minimumIncidents: 2, singleHateIncidentMeets: true, householdsVariant: 5, windowMonths: 6 },
      partnerAgencies: ['Derbyshire Constabulary', 'Trent & Dove Housing'],
    });
    // Residents see the change at once: the public pages and the eligibility check read the live settings.
    const start = await visitor(portal.app).get('/');
    expect(start.text).toContain('01283 000000');
    const check = await visitor(portal.app).get('/check-if-you-can-apply');
    expect(check.text).toContain('2 or more');
    const [row] = await query<{ updated_by: string; value: Record<string, unknown> }>(
      "SELECT updated_by, value FROM setting WHERE key = 'council'",
    );
    expect(row?.updated_by).toBe(admin.id);
    expect(row?.value).toMatchObject({ threshold: { minimumIncidents: 2 } });
    const [audit] = await auditRows('council settings changed');
    expect(audit?.officer_id).toBe(admin.id);
    const changed = (audit?.detail.changes as Array<{ field: string }>).map((change) => change.field).sort();
    expect(changed).toEqual([
      'contact.phone',
      'partnerAgencies',
      'threshold.householdsVariant',
      'threshold.minimumIncidents',
      'threshold.singleHateIncidentMeets',
    ]);

    // The other instance keeps its cached copy for up to 30 seconds, then reads the new one.
    expect(elsewhere.current().threshold.minimumIncidents).toBe(3);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 31_000);
      expect(elsewhere.current().threshold.minimumIncidents).toBe(3); // served from cache; a read starts
      await vi.waitFor(() => expect(elsewhere.current().threshold.minimumIncidents).toBe(2));
      expect(elsewhere.current().contact.phone).toBe('01283 000000');
    } finally {
      vi.useRealTimers();
    }
  });

  it('is for administrators only', async () => {
    const { v } = await signedIn('manager');
    const page = await v.get('/admin/settings');
    expect(page.status).toBe(403);
    expect(page.text).toContain('You do not have access to this page');
  });
});

describe('failed emails', () => {
  it('lists an email that failed for good and sends it again when an officer asks', async () => {
    const resident = visitor(portal.app);
    await fillApplication(resident);
    expect((await send(resident)).response.status).toBe(303);
    const [created] = await query<{ reference: string }>('SELECT reference FROM "case"');
    const reference = created?.reference ?? '';

    smtp.refuse.add('alex@example.test');
    const silent = createLogger('silent');
    const worker = new OutboxWorker(outboxRepository(portal.database.prisma), createMailer(portal.services.config.mail, silent), silent, {
      pollMs: 50,
      maxAttempts: 1,
    });
    await worker.runOnce();
    expect(smtp.to('alex@example.test')).toHaveLength(0);

    const { officer, v } = await signedIn('officer');
    const list = await v.get('/admin/failed-emails');
    expect(list.status).toBe(200);
    const cards = [...list.text.matchAll(/<div class="govuk-summary-card app-failed-email">([\s\S]*?)<\/form>/g)].map(
      (match) => match[1] ?? '',
    );
    expect(cards).toHaveLength(1);
    const row = cards[0] ?? '';
    expect(row).toContain('The acknowledgement email to <span class="govuk-!-text-break-word">alex@example.test</span>');
    expect(row).toContain(`<a class="govuk-link" href="/admin/cases/${reference}">${reference}</a>`);
    expect(row).toContain('Mailbox unavailable');
    expect(row).toMatch(/Attempts<\/dt>\s*<dd class="govuk-summary-list__value">1<\/dd>/);
    const action = /action="(\/admin\/failed-emails\/[0-9a-f-]+\/retry)"/.exec(row)?.[1] ?? '';

    smtp.refuse.clear();
    portal.services.outboxWorker.start();
    try {
      const retried = await v.agent
        .post(action)
        .type('form')
        .send({ _csrf: csrfTokenFrom(list.text) });
      expect(retried.headers.location).toBe('/admin/failed-emails?queued=1');
      await vi.waitFor(() => expect(smtp.to('alex@example.test')).toHaveLength(1), { timeout: 5_000 });
    } finally {
      await portal.services.outboxWorker.stop();
    }
    const after = await v.get('/admin/failed-emails?queued=1');
    expect(after.text).toContain('The email is back in the queue');
    expect(after.text).toContain('There are no failed emails.');
    const [audit] = await query<{ officer_id: string; case_id: string | null }>(
      "SELECT officer_id, case_id FROM audit_entry WHERE action = 'failed email sent again'",
    );
    expect(audit?.officer_id).toBe(officer.id);
    expect(audit?.case_id).not.toBeNull();
    const unknown = await v.agent
      .post('/admin/failed-emails/5b0c6f8e-9b4e-4a3c-8f8e-1d2c3b4a5f6e/retry')
      .type('form')
      .send({ _csrf: csrfTokenFrom(list.text) });
    expect(unknown.status).toBe(404);
  });
});

describe('emails held by a worker that stopped', () => {
  it('lists a claim whose lease has run out, not sent, and not one a live worker holds', async () => {
    const resident = visitor(portal.app);
    await fillApplication(resident);
    expect((await send(resident)).response.status).toBe(303);
    const [created] = await query<{ reference: string }>('SELECT reference FROM "case"');
    const reference = created?.reference ?? '';
    // One email is being sent by a live worker (a minute's lease); the other was claimed by one
    // that died at once (a lease of a tenth of a second, never renewed).
    const outbox = outboxRepository(portal.database.prisma);
    const [live] = await outbox.claim('live-worker', 1, 60_000);
    const [dead] = await outbox.claim('dead-worker', 1, 100);
    expect(live && dead).toBeTruthy();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const [{ kind } = { kind: '' }] = await query<{ kind: string }>('SELECT kind FROM outbox_message WHERE id = $1', [dead?.id]);
    const [{ kind: liveKind } = { kind: '' }] = await query<{ kind: string }>('SELECT kind FROM outbox_message WHERE id = $1', [live?.id]);

    const { v } = await signedIn('officer');
    const page = await v.get('/admin/failed-emails');
    expect(page.status).toBe(200);
    expect(page.text).toContain('1 email is held by a worker that stopped');
    const table = /<table class="govuk-table app-stale-claims">([\s\S]*?)<\/table>/.exec(page.text)?.[1] ?? '';
    const rows = [...table.matchAll(/<tr class="govuk-table__row">\s*<td([\s\S]*?)<\/tr>/g)].map((match) => match[1] ?? '');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain(`The ${kind} email to <span class="govuk-!-text-break-word">${dead?.to}</span>`);
    expect(rows[0]).toContain(`<a class="govuk-link" href="/admin/cases/${reference}">${reference}</a>`);
    expect(table).not.toContain(`The ${liveKind} email`);
    expect(page.text).toContain('There are no failed emails.');

    // Once a worker has taken it and sent it, the page no longer shows it.
    const silent = createLogger('silent');
    await new OutboxWorker(outbox, createMailer(portal.services.config.mail, silent), silent, { pollMs: 50, maxAttempts: 3 }).runOnce();
    expect(smtp.messages).toHaveLength(1);
    const after = await v.get('/admin/failed-emails');
    expect(after.text).not.toContain('held by a worker that stopped');
  });
});

describe('the audit trail', () => {
  async function seedEntries(officerId: string, count: number, start: Date, action: string) {
    await query(
      `INSERT INTO audit_entry (id, officer_id, actor, action, detail, at)
       SELECT gen_random_uuid(), $1, 'officer', $2 || ' ' || n, jsonb_build_object('n', n), $3::timestamptz + n * interval '1 minute'
       FROM generate_series(1, $4::int) AS n`,
      [officerId, action, start.toISOString(), count],
    );
  }
  const actions = (html: string) =>
    [...html.matchAll(/<td class="govuk-table__cell">((?:viewed|changed) \d+)<\/td>/g)].map((match) => match[1]);

  it('shows managers the newest entries first, 50 a page, filtered by officer and date', async () => {
    const { officer: manager, v } = await signedIn('manager');
    const other = await createOfficer(portal, 'officer', 'other@council.test');
    await query('DELETE FROM audit_entry');
    await seedEntries(manager.id, 70, new Date('2026-03-01T09:00:00Z'), 'viewed');
    await seedEntries(other.id, 40, new Date('2026-03-10T09:00:00Z'), 'changed');

    const first = await v.get('/admin/audit');
    expect(first.status).toBe(200);
    const firstPage = actions(first.text);
    expect(firstPage).toHaveLength(50);
    expect(firstPage.slice(0, 2)).toEqual(['changed 40', 'changed 39']);
    const older = /href="(\/admin\/audit\?older=[^"]+)" rel="next"/.exec(first.text)?.[1]?.replace(/&amp;/g, '&') ?? '';
    const secondPage = await v.get(older);
    expect(actions(secondPage.text)).toEqual([...Array.from({ length: 50 }, (_, i) => `viewed ${60 - i}`)]);
    const last = await v.get(/href="(\/admin\/audit\?older=[^"]+)" rel="next"/.exec(secondPage.text)?.[1]?.replace(/&amp;/g, '&') ?? '');
    expect(actions(last.text)).toEqual(Array.from({ length: 10 }, (_, i) => `viewed ${10 - i}`));
    expect(last.text).not.toContain('Older entries');
    expect(last.text).toContain('Newest entries');

    const byOfficer = await v.get(`/admin/audit?officer=${other.id}`);
    expect(actions(byOfficer.text)).toHaveLength(40);
    const rows = /<tbody class="govuk-table__body">([\s\S]*?)<\/tbody>/.exec(byOfficer.text)?.[1] ?? '';
    expect(rows).toContain('<td class="govuk-table__cell">Officer Person</td>');
    expect(rows).not.toContain('Manager Person');
    expect(byOfficer.text).toMatch(new RegExp(`<option value="${other.id}" selected>`));

    // 1 March 09:00 UTC + n minutes: the 1st of March holds all 70 "viewed" entries.
    const byDate = await v.get('/admin/audit?from-day=1&from-month=3&from-year=2026&to-day=1&to-month=3&to-year=2026');
    expect(actions(byDate.text)).toHaveLength(50);
    expect(byDate.text).not.toContain('changed');
    expect(byDate.text).toMatch(
      /href="\/admin\/audit\?from-day=1&amp;from-month=3&amp;from-year=2026&amp;to-day=1&amp;to-month=3&amp;to-year=2026&amp;older=/,
    );

    const wrongDates = await v.get('/admin/audit?from-day=31&from-month=2&from-year=2026');
    expect(wrongDates.status).toBe(400);
    expect(summaryErrors(wrongDates.text)).toEqual(['#from-day The start date must be a real date']);
  });

  it('is not for officers', async () => {
    const { v } = await signedIn('officer');
    const page = await v.get('/admin/audit');
    expect(page.status).toBe(403);
    expect(page.text).toContain('You do not have access to this page');
    expect(page.text).not.toContain('Show entries');
  });
});
