import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { steps } from '../../src/journey/steps.ts';
import { createTestApp, csrfTokenFrom, visitor, type TestApp, type Visitor } from '../helpers/app.ts';
import { truncateAll } from '../helpers/database.ts';
import { fillApplication, incident } from '../helpers/journey.ts';
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
beforeEach(() => truncateAll());

/** The ids on the page, to prove each error summary link goes somewhere. */
const idsOn = (html: string) => new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]));

function expectGovukErrors(html: string, messages: string[]) {
  expect(html).toContain('There is a problem');
  expect(html).toMatch(/<title>Error: /);
  const ids = idsOn(html);
  const links = [...html.matchAll(/<li><a href="#([^"]+)">([^<]+)<\/a><\/li>/g)].map((m) => ({ id: m[1], text: m[2] }));
  expect(links.length).toBeGreaterThan(0);
  for (const link of links) expect(ids.has(link.id), `error link #${link.id} has a field`).toBe(true);
  for (const message of messages) {
    expect(links.map((l) => l.text)).toContain(message);
    // ...and the same message inline, by the field.
    expect(html).toContain(`<span class="govuk-visually-hidden">Error:</span> ${message}`);
  }
}

/**
 * Every form page: sent empty, it answers 400 with the GOV.UK error summary and inline messages;
 * sent with one bad value, what the person typed is kept.
 */
const cases: Array<{ slug: string; onBehalf?: boolean; empty: string[]; partial: Record<string, string>; kept: string[] }> = [
  { slug: 'who-is-applying', empty: ['Select if you are applying for yourself or for someone else'], partial: { applyingAs: 'nonsense' }, kept: [] },
  { slug: 'victim-type', empty: ['Select if you are applying as a person, a business or a community group'], partial: {}, kept: [] },
  {
    slug: 'victim-details',
    empty: ['Enter your full name', 'Enter address line 1, typically the building and street', 'Enter town or city', 'Enter postcode'],
    partial: { fullName: 'Alex <b>Example</b>', addressLine1: '1 High St', town: 'Swadlincote', postcode: 'NOT A CODE', 'dateOfBirth-day': '31', 'dateOfBirth-month': '2', 'dateOfBirth-year': '1980' },
    kept: ['value="Alex &lt;b&gt;Example&lt;/b&gt;"', 'value="NOT A CODE"', 'Enter a real postcode', 'Date of birth must be a real date', 'value="31"'],
  },
  {
    slug: 'victim-contact',
    empty: ['Select how you would like us to contact you'],
    partial: { email: 'not-an-email', phone: '', preferredContact: 'phone', safeTimes: 'Evenings' },
    kept: ['value="not-an-email"', 'Enter an email address in the correct format, like name@example.com', 'Enter a telephone number, or choose another way to be contacted', 'value="Evenings"'],
  },
  {
    slug: 'applicant-details',
    onBehalf: true,
    empty: ['Enter your full name', 'Enter your relationship to the victim, for example daughter, carer or councillor', 'Enter an email address or a telephone number so we can contact you'],
    partial: { fullName: 'Sam Helper', relationship: '', email: '', phone: '123' },
    kept: ['value="Sam Helper"', 'value="123"', 'Enter a telephone number, like 01632 960 001 or 07700 900 982'],
  },
  {
    slug: 'consent',
    onBehalf: true,
    empty: ['Select how you will show the victim has agreed to this application'],
    partial: { consentMethod: 'declaration', howToConfirm: 'Phone after 6' },
    kept: ['Confirm that the victim has agreed to you applying for them', 'Phone after 6'],
  },
  {
    slug: 'related-incidents',
    empty: ['Select if the incidents are related', 'Select if other households have reported related incidents'],
    partial: { incidentsRelated: 'yes', otherHouseholds: 'yes', householdsCount: 'lots' },
    kept: ['value="lots"', 'Number of households must be a whole number between 2 and 1000'],
  },
  {
    slug: 'impact',
    empty: ['Enter how the anti-social behaviour has affected you and your household', 'Select yes if anyone in the household is vulnerable or has a disability', 'Select if you think the behaviour was motivated by hate'],
    partial: { impact: 'Cannot sleep', vulnerable: 'yes', vulnerability: '', hateMotivated: 'yes' },
    kept: ['Cannot sleep', 'Enter who is vulnerable and how', 'Select what you think the hate was about'],
  },
  {
    slug: 'action-so-far',
    empty: ['Enter what has been done about the anti-social behaviour so far', 'Enter what you hope the review will achieve'],
    partial: { actionSoFar: 'x'.repeat(5001), hopedOutcome: 'Peace' },
    kept: ['What has been done so far must be 5000 characters or less', 'Peace'],
  },
];

async function reach(v: Visitor, onBehalf: boolean) {
  await fillApplication(v, { onBehalf });
}

describe('every form page explains mistakes and keeps what was typed', () => {
  it('covers every form step of the journey table', () => {
    const formSlugs = steps.filter((step) => step.kind === 'form').map((step) => step.slug);
    expect(cases.map((c) => c.slug).sort()).toEqual([...formSlugs].sort());
  });

  for (const c of cases) {
    it(`${c.slug}: empty gives 400 with the error summary; a bad value is kept`, async () => {
      const v = visitor(portal.app);
      await reach(v, c.onBehalf ?? false);
      const page = await v.get(`/apply/${c.slug}`);
      expect(page.status).toBe(200);
      const token = csrfTokenFrom(page.text);

      const empty = await v.agent.post(`/apply/${c.slug}`).type('form').send({ _csrf: token });
      expect(empty.status).toBe(400);
      expectGovukErrors(empty.text, c.empty);

      if (Object.keys(c.partial).length) {
        const partial = await v.agent.post(`/apply/${c.slug}`).type('form').send({ _csrf: token, ...c.partial });
        expect(partial.status).toBe(400);
        for (const text of c.kept) expect(partial.text).toContain(text);
      }
      // Nothing of the earlier answers was lost.
      expect((await v.get('/apply/check-answers')).status).toBe(200);
    });
  }

  it('incident details: empty gives 400; dates are checked; typed values are kept', async () => {
    const v = visitor(portal.app);
    await reach(v, false);
    const page = await v.get('/apply/incident-details');
    const token = csrfTokenFrom(page.text);
    const empty = await v.agent.post('/apply/incident-details').type('form').send({ _csrf: token });
    expect(empty.status).toBe(400);
    expectGovukErrors(empty.text, ['Enter date it happened', 'Enter what happened', 'Enter where it happened', 'Select who you reported it to, or select ‘I have not reported it’']);

    const future = new Date().getFullYear() + 1;
    const bad = await v.agent
      .post('/apply/incident-details')
      .type('form')
      .send({ _csrf: token, ...incident(1), 'occurredOn-year': String(future), 'reportedOn-day': '', 'reportedOn-month': '', 'reportedOn-year': '', description: 'Stones thrown at the window' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Date it happened must be today or in the past');
    expect(bad.text).toContain('Enter date you reported it');
    expect(bad.text).toContain('Stones thrown at the window');
    expect(bad.text).toContain(`value="${future}"`);

    const missingMonth = await v.agent.post('/apply/incident-details').type('form').send({ _csrf: token, ...incident(1), 'occurredOn-month': '' });
    expect(missingMonth.text).toContain('Date it happened must include a month');
  });

  it('check your answers: the declaration must be ticked', async () => {
    const v = visitor(portal.app);
    await reach(v, false);
    const page = await v.get('/apply/check-answers');
    const key = /name="submissionKey" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const response = await v.agent.post('/apply/check-answers').type('form').send({ _csrf: csrfTokenFrom(page.text), submissionKey: key });
    expect(response.status).toBe(400);
    expectGovukErrors(response.text, ['Confirm that the information you have given is true to the best of your knowledge']);
  });
});
