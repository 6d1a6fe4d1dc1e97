// The case page: only the actions the status allows (next step first, grouped by stage), a
// success banner after each action, the printable record and letters, and no threshold decision
// before the acknowledgement.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, visitor, type TestApp, type Visitor } from '../helpers/app.ts';
import { truncateAll } from '../helpers/database.ts';
import { fillApplication, send } from '../helpers/journey.ts';
import { createOfficer, signIn } from '../helpers/officers.ts';
import { TestSmtpServer } from '../helpers/smtp.ts';

const smtp = new TestSmtpServer();
let portal: TestApp;
beforeAll(async () => {
  await smtp.start();
  portal = createTestApp({ smtp, worker: false });
});
afterAll(async () => {
  await portal.close();
  await smtp.stop();
});
beforeEach(async () => {
  await truncateAll();
});

async function apply(): Promise<string> {
  const resident = visitor(portal.app);
  await fillApplication(resident, {});
  await send(resident);
  const reference = /ASB-\d{4}-[2-9A-Z]{6}/.exec((await resident.get('/apply/confirmation')).text)?.[0];
  if (!reference) throw new Error('No reference');
  return reference;
}

async function officer(): Promise<{ v: Visitor; id: string }> {
  const created = await createOfficer(portal, 'officer');
  const v = visitor(portal.app);
  await signIn(v, created.email);
  return { v, id: created.id };
}

const aside = (html: string) => html.slice(html.indexOf('id="actions-heading"'), html.indexOf('</aside>'));

describe('the case page', () => {
  it('at Received offers Acknowledge first and nothing of a later stage; deciding first is refused', async () => {
    const reference = await apply();
    const { v } = await officer();
    const page = (await v.get(`/admin/cases/${reference}`)).text;
    const actions = aside(page);
    expect(actions).toContain('Next step');
    expect(actions.indexOf('Acknowledge the application')).toBeGreaterThan(actions.indexOf('Next step'));
    for (const early of ['Add a recommendation', 'Record the victim’s comments', 'Decide the threshold', 'Schedule the review'])
      expect(actions).not.toContain(early);
    const decide = await v.get(`/admin/cases/${reference}/actions/decide-threshold`);
    expect(decide.status).toBe(409);
    expect(decide.text).toContain('Acknowledge the application first.');
  });

  it('after an action shows a success banner, and links the printable record and letters with their PDFs', async () => {
    const reference = await apply();
    const { v, id } = await officer();
    const done = await v.submit(`/admin/cases/${reference}/actions/acknowledge`, { spoc: id });
    expect(done.status).toBe(303);
    const page = (await v.get(String(done.headers.location))).text;
    expect(page).toContain('govuk-notification-banner--success');
    expect(page).toContain('The application is acknowledged.');
    expect(page).toContain('The case is now Acknowledged.');
    expect(page).toContain(`href="/admin/cases/${reference}/print"`);
    expect(page).toContain(`href="/admin/cases/${reference}/print?format=pdf"`);
    expect(page).toContain(`href="/admin/cases/${reference}/letters/acknowledgement"`);
    expect(page).toContain(`href="/admin/cases/${reference}/letters/acknowledgement?format=pdf"`);
    expect(aside(page)).toContain('Decide the threshold');
  });

  it('links "Record reply" for each information request with no reply', async () => {
    const reference = await apply();
    const { v, id } = await officer();
    await v.submit(`/admin/cases/${reference}/actions/acknowledge`, { spoc: id });
    const due = new Date(Date.now() + 10 * 86_400_000);
    const asked = await v.submit(`/admin/cases/${reference}/actions/request-information`, {
      agency: 'Derbyshire Constabulary',
      asked: 'Incidents reported at the address',
      'dueOn-day': String(due.getUTCDate()),
      'dueOn-month': String(due.getUTCMonth() + 1),
      'dueOn-year': String(due.getUTCFullYear()),
    });
    expect(asked.status).toBe(303);
    const page = (await v.get(`/admin/cases/${reference}`)).text;
    const link = /href="(\/admin\/cases\/[^"]+\/information-requests\/[^"]+\/reply)"/.exec(page)?.[1];
    expect(link).toBeDefined();
    expect((await v.get(String(link))).status).toBe(200);
  });
});
