import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { acknowledgementDueDate } from '../../src/domain/working-days.ts';
import { formatLongDate } from '../../src/domain/calendar-date.ts';
import { createTestApp, visitor, type TestApp } from '../helpers/app.ts';
import { query, truncateAll } from '../helpers/database.ts';
import { fillApplication, send } from '../helpers/journey.ts';
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
beforeEach(async () => {
  await truncateAll();
  smtp.messages.length = 0;
});
afterEach(async () => {
  await smtp.start().catch(() => undefined); // a test that stopped SMTP leaves it running again
  // Let the worker finish this test's emails so none arrive during the next test.
  await query("UPDATE outbox_message SET next_attempt_at = now() WHERE status = 'pending'");
  await expect.poll(async () => (await query("SELECT 1 FROM outbox_message WHERE status IN ('pending', 'sending')")).length, { timeout: 15_000 }).toBe(0);
});

describe('a resident applying for themselves', () => {
  it('goes from the start page to the confirmation, and the case, incidents and emails are real', async () => {
    const v = visitor(portal.app);
    const start = await v.get('/');
    expect(start.status).toBe(200);
    expect(start.text).toContain('href="/apply/who-is-applying"');

    await fillApplication(v, { incidents: 3 });
    const check = await v.get('/apply/check-answers');
    expect(check.status).toBe(200);
    expect(check.text).toContain('Alex Example');
    expect(check.text).toContain('Shouting and banging at night, time 2');
    expect(check.text).toContain('href="/apply/victim-details?change=1"');

    const { response } = await send(v);
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/apply/confirmation');
    const confirmation = await v.get('/apply/confirmation');
    expect(confirmation.status).toBe(200);
    const reference = /ASB-\d{4}-[2-9A-Z]{6}/.exec(confirmation.text)?.[0];
    expect(reference).toBeDefined();
    const dueDate = formatLongDate(acknowledgementDueDate(new Date(), 5));
    expect(confirmation.text).toContain(dueDate);

    const cases = await query<{ reference: string; status: string; threshold_met: boolean; channel: string }>(
      'SELECT reference, status, threshold_met, channel FROM "case"',
    );
    expect(cases).toEqual([{ reference, status: 'received', threshold_met: true, channel: 'online' }]);
    const incidents = await query<{ position: number; reported_to: string[] }>('SELECT position, reported_to FROM incident ORDER BY position');
    expect(incidents.map((row) => row.position)).toEqual([1, 2, 3]);
    expect(incidents[0]?.reported_to).toEqual(['council', 'police']);
    const victims = await query<{ name: string; postcode: string }>("SELECT name, postcode FROM person WHERE role = 'victim'");
    expect(victims).toEqual([{ name: 'Alex Example', postcode: 'DE11 0AH' }]);
    const audit = await query<{ actor: string; action: string }>('SELECT actor, action FROM audit_entry');
    expect(audit).toEqual([{ actor: 'public', action: 'application submitted online' }]);

    await smtp.waitFor(2);
    const [ack] = smtp.to('alex@example.test');
    expect(ack?.subject).toContain(reference);
    expect(ack?.text).toContain(reference);
    expect(ack?.text).toContain(dueDate);
    const [notice] = smtp.to('asb-team@council.test');
    expect(notice?.text).toContain(`http://portal.test/admin/cases/${reference}`);
    // The officers' notice names no one and carries no detail of the case.
    expect(notice?.text).not.toContain('Alex');
    expect(notice?.text).not.toContain('Civic Way');
  });

  it('records the threshold advice as not met when only two incidents were reported, without telling the resident no', async () => {
    const v = visitor(portal.app);
    await fillApplication(v, { incidents: 2 });
    await send(v);
    const confirmation = await v.get('/apply/confirmation');
    expect(confirmation.text).toContain('What happens next');
    expect(confirmation.text).not.toMatch(/not met|does not meet/i);
    const [row] = await query<{ threshold_met: boolean; threshold_advice: { reasons: string[] } }>('SELECT threshold_met, threshold_advice FROM "case"');
    expect(row?.threshold_met).toBe(false);
    expect(row?.threshold_advice.reasons.join(' ')).toContain('2 of your incidents were reported in the last six months; 3 are needed');
  });
});

describe('someone applying on behalf of a victim', () => {
  it('records the applicant, the consent declaration, and acknowledges both applicant and victim', async () => {
    const v = visitor(portal.app);
    await fillApplication(v, { onBehalf: true, incidents: 3 });
    const { response } = await send(v);
    expect(response.headers.location).toBe('/apply/confirmation');
    const people = await query<{ role: string; name: string; relationship: string | null }>('SELECT role, name, relationship FROM person ORDER BY role');
    expect(people).toEqual([
      { role: 'victim', name: 'Alex Example', relationship: null },
      { role: 'applicant', name: 'Sam Helper', relationship: 'Daughter' },
    ]);
    const consent = await query<{ method: string; declared: boolean; how_to_confirm: string }>('SELECT method, declared, how_to_confirm FROM consent');
    expect(consent).toEqual([{ method: 'declaration', declared: true, how_to_confirm: 'Call Alex on 07700 900982 after 6pm' }]);
    await smtp.waitFor(3);
    expect(smtp.to('sam@example.test')[0]?.text).toContain('on behalf of Alex Example');
    expect(smtp.to('alex@example.test')).toHaveLength(1);
    expect(smtp.to('asb-team@council.test')).toHaveLength(1);
  });
});

describe('submitting twice', () => {
  it('creates one case and shows the same confirmation (double click, or back and resubmit)', async () => {
    const v = visitor(portal.app);
    await fillApplication(v);
    const page = await v.get('/apply/check-answers');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const key = /name="submissionKey" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const post = () => v.agent.post('/apply/check-answers').type('form').send({ _csrf: token, submissionKey: key, declaration: 'yes' });
    const [first, second] = await Promise.all([post(), post()]);
    expect([first.status, second.status]).toEqual([303, 303]);
    const third = await post();
    expect(third.headers.location).toBe('/apply/confirmation');
    const cases = await query<{ count: string }>('SELECT count(*) FROM "case"');
    expect(cases[0]?.count).toBe('1');
    const [row] = await query<{ reference: string }>('SELECT reference FROM "case"');
    expect((await v.get('/apply/confirmation')).text).toContain(row?.reference);
  });
});

describe('when the mail server is down', () => {
  it('still saves the case and confirms, and the email arrives once SMTP is back', async () => {
    await smtp.stop();
    const v = visitor(portal.app);
    await fillApplication(v);
    const { response } = await send(v);
    expect(response.headers.location).toBe('/apply/confirmation');
    const confirmation = await v.get('/apply/confirmation');
    const reference = /ASB-\d{4}-[2-9A-Z]{6}/.exec(confirmation.text)?.[0] ?? 'missing';
    expect((await query('SELECT 1 FROM "case" WHERE reference = $1', [reference])).length).toBe(1);

    // The worker tried and failed; the message waits for a retry.
    await expect.poll(async () => (await query<{ attempts: number }>("SELECT attempts FROM outbox_message WHERE kind = 'acknowledgement'"))[0]?.attempts, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(smtp.messages).toHaveLength(0);

    await smtp.start();
    // Bring the retry forward rather than wait for the backoff.
    await query("UPDATE outbox_message SET next_attempt_at = now() WHERE status = 'pending'");
    await smtp.waitFor(2, 15_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(smtp.to('alex@example.test').filter((mail) => mail.subject?.includes(reference))).toHaveLength(1);
    const statuses = await query<{ status: string }>('SELECT status FROM outbox_message');
    expect(statuses.map((row) => row.status)).toEqual(['sent', 'sent']);
  });
});

describe('CSRF', () => {
  it('refuses a form without its token with a 403 page and stores nothing', async () => {
    const v = visitor(portal.app);
    await v.get('/apply/who-is-applying');
    const response = await v.agent.post('/apply/who-is-applying').type('form').send({ applyingAs: 'self' });
    expect(response.status).toBe(403);
    expect(response.text).toContain('Your session has expired or the form was not sent from this site');
    expect(await query('SELECT id FROM draft')).toHaveLength(0);
  });
});

describe('the progress guard', () => {
  it('sends someone who skips ahead back to the first page they have not finished', async () => {
    const v = visitor(portal.app);
    const skipped = await v.get('/apply/impact');
    expect(skipped.status).toBe(303);
    expect(skipped.headers.location).toBe('/apply/who-is-applying');
    await v.submit('/apply/who-is-applying', { applyingAs: 'self' });
    const ahead = await v.get('/apply/check-answers');
    expect(ahead.headers.location).toBe('/apply/victim-type');
  });
});
