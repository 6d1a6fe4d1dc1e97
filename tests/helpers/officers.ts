import { generate } from 'otplib';
import type { OfficerRole } from '../../src/domain/officer-roles.ts';
import type { TestApp, Visitor } from './app.ts';
import { csrfTokenFrom } from './app.ts';

export const officerPassword = 'correct horse battery staple 9';

export async function createOfficer(portal: TestApp, role: OfficerRole, email = `${role}@council.test`) {
  return portal.services.auth.createOfficer({ email, name: `${role[0]?.toUpperCase()}${role.slice(1)} Person`, role, password: officerPassword });
}

/**
 * Signs a visitor in as an officer the way a person would: email and password, then (when the
 * portal requires it) setting up TOTP with the secret the page shows and a code made from it.
 * Returns the TOTP secret, if one was set up.
 */
export async function signIn(v: Visitor, email: string, password = officerPassword): Promise<string | null> {
  const response = await v.submit('/admin/sign-in', { email, password });
  if (response.status !== 303) throw new Error(`Sign-in failed: ${response.status}`);
  if (response.headers.location === '/admin/two-factor/set-up') {
    const page = await v.get('/admin/two-factor/set-up');
    const secret = /<code class="app-secret">([A-Z2-7]+)<\/code>/.exec(page.text)?.[1] ?? '';
    const done = await v.agent.post('/admin/two-factor/set-up').type('form').send({ _csrf: csrfTokenFrom(page.text), code: await generate({ secret }) });
    if (done.headers.location !== '/admin') throw new Error(`TOTP set-up failed: ${done.status}`);
    return secret;
  }
  if (response.headers.location !== '/admin') throw new Error(`Unexpected sign-in redirect to ${response.headers.location}`);
  return null;
}
