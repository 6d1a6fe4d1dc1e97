import { addCalendarDays, londonDate } from '../../src/domain/calendar-date.ts';
import type { Visitor } from './app.ts';

/** A date n days ago as the three boxes of a GOV.UK date input. */
export function daysAgo(n: number, prefix: string): Record<string, string> {
  const iso = addCalendarDays(londonDate(new Date()), -n);
  const [year, month, day] = iso.split('-');
  return { [`${prefix}-day`]: String(Number(day)), [`${prefix}-month`]: String(Number(month)), [`${prefix}-year`]: year ?? '' };
}

export const victim = {
  fullName: 'Alex Example',
  addressLine1: '12 Civic Way',
  addressLine2: '',
  town: 'Swadlincote',
  postcode: 'de11 0ah',
  'dateOfBirth-day': '',
  'dateOfBirth-month': '',
  'dateOfBirth-year': '',
};

export const victimContact = { email: 'alex@example.test', phone: '07700 900982', preferredContact: 'email', safeTimes: 'After 6pm', needs: '' };

export function incident(n: number): Record<string, string | string[]> {
  return {
    ...daysAgo(10 * n + 2, 'occurredOn'),
    description: `Shouting and banging at night, time ${n}`,
    location: 'Outside 12 Civic Way',
    reportedTo: ['council', 'police'],
    reportedToOther: '',
    ...daysAgo(10 * n, 'reportedOn'),
    reference: `CR-${n}`,
  };
}

/** Answers every page of the form through real GETs and POSTs; leaves the visitor on check-your-answers. */
export async function fillApplication(v: Visitor, options: { onBehalf?: boolean; incidents?: number; base?: string } = {}): Promise<void> {
  const b = options.base ?? '/apply';
  const expectRedirect = async (response: Promise<{ status: number; text: string; headers: Record<string, string> }>, to?: string) => {
    const r = await response;
    if (r.status !== 303) throw new Error(`Expected 303, got ${r.status}: ${r.text.slice(0, 2000)}`);
    if (to && r.headers.location !== to) throw new Error(`Expected redirect to ${to}, got ${r.headers.location}`);
  };
  await expectRedirect(v.submit(`${b}/who-is-applying`, { applyingAs: options.onBehalf ? 'on-behalf' : 'self' }), `${b}/victim-type`);
  await expectRedirect(v.submit(`${b}/victim-type`, { victimType: 'person' }), `${b}/victim-details`);
  await expectRedirect(v.submit(`${b}/victim-details`, victim), `${b}/victim-contact`);
  if (options.onBehalf) {
    await expectRedirect(v.submit(`${b}/victim-contact`, victimContact), `${b}/applicant-details`);
    await expectRedirect(
      v.submit(`${b}/applicant-details`, { fullName: 'Sam Helper', relationship: 'Daughter', organisation: '', email: 'sam@example.test', phone: '' }),
      `${b}/consent`,
    );
    await expectRedirect(
      v.submit(`${b}/consent`, { consentMethod: 'declaration', consentDeclared: 'yes', howToConfirm: 'Call Alex on 07700 900982 after 6pm' }),
      `${b}/incidents`,
    );
  } else {
    await expectRedirect(v.submit(`${b}/victim-contact`, victimContact), `${b}/incidents`);
  }
  const count = options.incidents ?? 3;
  for (let n = 1; n <= count; n += 1) {
    await expectRedirect(v.submit(`${b}/incident-details`, incident(n)), `${b}/incidents`);
  }
  await expectRedirect(v.submit(`${b}/incidents`, { addAnother: 'no' }), `${b}/related-incidents`);
  await expectRedirect(v.submit(`${b}/related-incidents`, { incidentsRelated: 'yes', otherHouseholds: 'no', householdsCount: '' }), `${b}/impact`);
  await expectRedirect(
    v.submit(`${b}/impact`, { impact: 'We cannot sleep and the children are frightened.', vulnerable: 'no', vulnerability: '', hateMotivated: 'no' }),
    `${b}/action-so-far`,
  );
  await expectRedirect(
    v.submit(`${b}/action-so-far`, { actionSoFar: 'Reported to the council and police; a warning letter was sent.', hopedOutcome: 'For the noise to stop.' }),
    `${b}/check-answers`,
  );
}

/** Submits check-your-answers with the declaration ticked. */
export async function send(v: Visitor, base = '/apply') {
  const page = await v.get(`${base}/check-answers`);
  const key = /name="submissionKey" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
  const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
  return { key, token, response: await v.agent.post(`${base}/check-answers`).type('form').send({ _csrf: token, submissionKey: key, declaration: 'yes' }) };
}
