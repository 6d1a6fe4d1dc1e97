// Sessions the benchmarks need, made the way a person makes them: through the real pages, the
// real session cookie and the real CSRF token. No JavaScript runs in this client: the journey
// works without it.
import { generate } from 'otplib';
import { incident, victim, victimContact } from '../../helpers/journey.ts';
import { Visitor } from './http.ts';

export interface CompleteDraft {
  cookie: string;
  token: string;
  submissionKey: string;
}

/** The whole application form for one resident (self, three incidents), up to check-your-answers. */
export async function completeDraft(origin: string, n: number): Promise<CompleteDraft> {
  const v = new Visitor(origin);
  const page = await v.get('/apply/who-is-applying');
  if (page.status !== 200 || !v.token) throw new Error(`GET /apply/who-is-applying gave ${page.status}`);
  const step = async (slug: string, fields: Record<string, string | string[]>, next: string) => {
    const response = await v.post(`/apply/${slug}`, fields);
    if (response.status !== 303 || response.location !== `/apply/${next}`) {
      throw new Error(`POST /apply/${slug} gave ${response.status} to ${response.location}: ${response.text.slice(0, 300)}`);
    }
  };
  await step('who-is-applying', { applyingAs: 'self' }, 'victim-type');
  await step('victim-type', { victimType: 'person' }, 'victim-details');
  await step('victim-details', { ...victim, fullName: `Bench Resident ${n}` }, 'victim-contact');
  await step('victim-contact', { ...victimContact, email: `resident-${n}@example.test` }, 'incidents');
  for (let i = 1; i <= 3; i += 1) await step('incident-details', incident(i), 'incidents');
  await step('incidents', { addAnother: 'no' }, 'related-incidents');
  await step('related-incidents', { incidentsRelated: 'yes', otherHouseholds: 'no', householdsCount: '' }, 'impact');
  await step('impact', { impact: 'We cannot sleep and the children are frightened.', vulnerable: 'no', vulnerability: '', hateMotivated: 'no' }, 'action-so-far');
  await step(
    'action-so-far',
    { actionSoFar: 'Reported to the council and police; a warning letter was sent.', hopedOutcome: 'For the noise to stop.' },
    'check-answers',
  );
  const check = await v.get('/apply/check-answers');
  const submissionKey = /name="submissionKey" value="([^"]+)"/.exec(check.text)?.[1];
  if (check.status !== 200 || !submissionKey) throw new Error(`GET /apply/check-answers gave ${check.status}`);
  return { cookie: v.cookie, token: v.token, submissionKey };
}

/** Runs `work(i)` for i in [0, count) with at most `concurrency` at once; results in order. */
export async function inParallel<T>(count: number, concurrency: number, work: (i: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await work(i);
      }
    }),
  );
  return results;
}

/**
 * Signs an officer in as a person would: email and password, then setting up the authenticator
 * app with the secret the page shows and a code made from it. Returns the session cookie.
 */
export async function officerSession(origin: string, email: string, password: string): Promise<string> {
  const v = new Visitor(origin);
  await v.get('/admin/sign-in');
  const signIn = await v.post('/admin/sign-in', { email, password });
  if (signIn.status !== 303 || signIn.location !== '/admin/two-factor/set-up') {
    throw new Error(`Officer sign-in gave ${signIn.status} to ${signIn.location}`);
  }
  const setUp = await v.get('/admin/two-factor/set-up');
  const secret = /<code class="app-secret">([A-Z2-7]+)<\/code>/.exec(setUp.text)?.[1];
  if (!secret) throw new Error('No TOTP secret on the set-up page');
  const done = await v.post('/admin/two-factor/set-up', { code: await generate({ secret }) });
  if (done.status !== 303 || done.location !== '/admin') throw new Error(`TOTP set-up gave ${done.status} to ${done.location}`);
  return v.cookie;
}
