import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Response } from 'supertest';
import { createApp } from '../../src/app.ts';
import type { Services } from '../../src/composition.ts';
import { createTestApp, csrfTokenFrom, visitor, type TestApp, type Visitor } from '../helpers/app.ts';
import { truncateAll } from '../helpers/database.ts';
import { fillApplication, send } from '../helpers/journey.ts';
import { createOfficer, officerPassword, signIn } from '../helpers/officers.ts';
import { TestSmtpServer } from '../helpers/smtp.ts';

/**
 * The security headers on one page of every kind the portal serves, in production (HSTS, secure
 * cookies behind a TLS-terminating proxy) and in development (no HSTS: it would pin localhost to
 * https). security-and-operations.test.ts checks a few public pages in the test configuration;
 * this file covers every page type.
 */

const smtp = new TestSmtpServer();

interface Mode {
  env: 'production' | 'development';
  portal: TestApp;
  /** The same portal whose figures service fails: the "sorry, there is a problem" page. */
  broken: TestApp['app'];
  resident: Visitor;
  submitted: Visitor;
  officer: Visitor;
  anonymous: Visitor;
  reference: string;
}

const modes: Partial<Record<Mode['env'], Mode>> = {};

/**
 * A browser on https behind the proxy. supertest talks plain http to the app, so the proxy's
 * X-Forwarded-Proto header is added to every request and the cookie jar is told to send the
 * session cookie even though it is marked Secure (a browser would, on https).
 */
function browser(app: TestApp['app'], https: boolean): Visitor {
  const v = visitor(app);
  if (https) {
    v.agent.set('X-Forwarded-Proto', 'https');
    const jar = v.agent.jar;
    const setCookies = jar.setCookies.bind(jar);
    jar.setCookies = (cookies, domain, path) =>
      setCookies(
        (typeof cookies === 'string' ? [cookies] : [...cookies]).map((cookie) => cookie.replace(/;\s*Secure/gi, '')),
        domain,
        path,
      );
  }
  return v;
}

async function setUp(env: Mode['env']): Promise<Mode> {
  const production = env === 'production';
  // What src/config.ts requires in production: a real DATABASE_URL and SESSION_SECRET (both given
  // by createTestApp), officers' second factor not optional; one proxy in front, doing TLS.
  const portal = createTestApp({ smtp, worker: false, env: { NODE_ENV: env, ...(production ? { TRUST_PROXY: '1' } : {}) } });
  const failing: Services = {
    ...portal.services,
    figures: { ...portal.services.figures, years: () => Promise.reject(new Error('The figures are not available (test)')) },
  };
  const resident = browser(portal.app, production);
  await fillApplication(resident, { incidents: 3 });
  const submitted = browser(portal.app, production);
  await fillApplication(submitted, { incidents: 3 });
  const { response } = await send(submitted);
  expect(response.headers.location).toBe('/apply/confirmation');
  const reference = /ASB-\d{4}-[2-9A-Z]{6}/.exec((await submitted.get('/apply/confirmation')).text)?.[0] ?? '';
  expect(reference).not.toBe('');
  const officer = browser(portal.app, production);
  const account = await createOfficer(portal, 'administrator', `admin-${env}@council.test`);
  await signIn(officer, account.email);
  return { env, portal, broken: createApp(failing), resident, submitted, officer, anonymous: browser(portal.app, production), reference };
}

beforeAll(async () => {
  await smtp.start();
  await truncateAll();
  modes.production = await setUp('production');
  modes.development = await setUp('development');
});
afterAll(async () => {
  for (const mode of Object.values(modes)) await mode.portal.close();
  await smtp.stop();
});

interface PageType {
  name: string;
  html: boolean;
  status: number;
  /** Holds personal data or a form in progress: never stored by a browser or proxy. */
  noStore: boolean;
  open(mode: Mode): Promise<Response>;
}

const pageTypes: PageType[] = [
  { name: 'an information page', html: true, status: 200, noStore: false, open: (m) => m.anonymous.get('/guidance') },
  { name: 'a form step', html: true, status: 200, noStore: true, open: (m) => m.resident.get('/apply/victim-details') },
  { name: 'check your answers', html: true, status: 200, noStore: true, open: (m) => m.resident.get('/apply/check-answers') },
  { name: 'the confirmation', html: true, status: 200, noStore: true, open: (m) => m.submitted.get('/apply/confirmation') },
  { name: 'an officer’s page', html: true, status: 200, noStore: true, open: (m) => m.officer.get(`/admin/cases/${m.reference}`) },
  { name: 'the officers’ case list', html: true, status: 200, noStore: true, open: (m) => m.officer.get('/admin/cases') },
  {
    name: 'a print page with personal data',
    html: true,
    status: 200,
    noStore: true,
    open: (m) => m.officer.get(`/admin/cases/${m.reference}/print`),
  },
  { name: 'a public print page', html: true, status: 200, noStore: false, open: (m) => m.anonymous.get('/forms/application-form') },
  { name: 'the figures CSV', html: false, status: 200, noStore: false, open: (m) => m.anonymous.get('/figures.csv') },
  {
    name: 'a fingerprinted static asset',
    html: false,
    status: 200,
    noStore: false,
    open: async (m) => {
      const href = /<link rel="stylesheet" href="([^"]+)"/.exec((await m.anonymous.get('/')).text)?.[1] ?? '';
      expect(href).toMatch(/^\/assets\/app\.[0-9a-f]+\.css$/);
      return m.anonymous.get(href);
    },
  },
  { name: 'a plain static asset', html: false, status: 200, noStore: false, open: (m) => m.anonymous.get('/assets/app.css') },
  { name: 'page not found', html: true, status: 404, noStore: false, open: (m) => m.anonymous.get('/no-such-page') },
  { name: 'page not found in the form', html: true, status: 404, noStore: true, open: (m) => m.resident.get('/apply/no-such-step') },
  {
    name: 'the error page',
    html: true,
    status: 500,
    noStore: false,
    open: (m) => browser(m.broken, m.env === 'production').get('/figures'),
  },
  {
    name: 'the CSRF refusal page',
    html: true,
    status: 403,
    noStore: false,
    open: (m) => m.resident.agent.post('/apply/impact').type('form').send({ impact: 'no token' }),
  },
  {
    name: 'the too-large page',
    html: true,
    status: 413,
    noStore: false,
    open: async (m) => {
      const token = csrfTokenFrom((await m.resident.get('/apply/impact')).text);
      return m.resident.agent
        .post('/apply/impact')
        .type('form')
        .send({ _csrf: token, impact: 'x'.repeat(300_000) });
    },
  },
];

/** Every Set-Cookie of a response: the cookie's name and value, and its attributes (names in lower case). */
function setCookies(response: Response): Array<{ name: string; value: string; attributes: Map<string, string>; line: string }> {
  const header = response.headers['set-cookie'] as string[] | string | undefined;
  const lines = Array.isArray(header) ? header : header ? [header] : [];
  return lines.map((line) => {
    const [pair = '', ...rest] = line.split(';').map((part) => part.trim());
    const attributes = new Map(
      rest.map((attribute) => {
        const [name = '', ...value] = attribute.split('=');
        return [name.toLowerCase(), value.join('=')] as const;
      }),
    );
    return { name: pair.slice(0, pair.indexOf('=')), value: pair.slice(pair.indexOf('=') + 1), attributes, line };
  });
}

/**
 * The only cookie the portal sets is the session cookie, and every Set-Cookie of it (setting it,
 * and clearing it at sign-out) carries the same attributes: HttpOnly, SameSite=Lax, Path=/, no
 * Domain; in production Secure and the __Host- prefix (which a browser honours only with exactly
 * Secure, Path=/ and no Domain). Returns how many were seen.
 */
function expectSessionCookies(response: Response, env: Mode['env'], where: string): number {
  const cookies = setCookies(response);
  expect(cookies.length, `${where}: at most one Set-Cookie`).toBeLessThanOrEqual(1);
  for (const { name, attributes, line } of cookies) {
    expect(name, `${where}: ${line}`).toBe(env === 'production' ? '__Host-asb.sid' : 'asb.sid');
    expect(attributes.get('path'), `${where}: ${line}`).toBe('/');
    expect(attributes.has('domain'), `${where}: ${line}`).toBe(false);
    expect(attributes.has('httponly'), `${where}: ${line}`).toBe(true);
    expect(attributes.get('samesite'), `${where}: ${line}`).toBe('Lax');
    expect(attributes.has('secure'), `${where}: ${line}`).toBe(env === 'production');
    expect(attributes.has('expires'), `${where}: ${line}`).toBe(true);
  }
  return cookies.length;
}

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((tokens) => tokens[0])
      .map(([name = '', ...values]) => [name, values]),
  );
}

describe.each(['production', 'development'] as const)('headers on every page type (%s)', (env) => {
  const nonces: string[] = [];
  let cookiesSeen = 0;

  it.each(pageTypes)('$name', async (page) => {
    const mode = modes[env];
    if (!mode) throw new Error(`The ${env} portal was not set up`);
    const response = await page.open(mode);
    expect(response.status).toBe(page.status);

    const csp = directives(String(response.headers['content-security-policy'] ?? ''));
    const scriptSrc = csp.get('script-src') ?? [];
    const nonce = /^'nonce-([A-Za-z0-9+/=]+)'$/.exec(scriptSrc[0] ?? '')?.[1];
    expect(nonce, 'script-src allows scripts by this response’s nonce').toBeDefined();
    // Scripts by nonce only: nothing inline without it, no eval, no host or scheme that lets anything in.
    expect(scriptSrc).toHaveLength(1);
    expect(String(response.headers['content-security-policy'])).not.toMatch(/unsafe-inline|unsafe-eval|unsafe-hashes|\*/);
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'self'"]);
    expect(csp.has('upgrade-insecure-requests')).toBe(env === 'production');

    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-powered-by']).toBeUndefined();
    // The same answer as frame-ancestors 'none' for browsers that only read this header.
    expect(response.headers['x-frame-options']).toBe('DENY');
    cookiesSeen += expectSessionCookies(response, env, page.name);
    if (env === 'production') expect(response.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    else expect(response.headers['strict-transport-security']).toBeUndefined();
    if (page.noStore) expect(response.headers['cache-control']).toBe('no-store');

    if (page.html) {
      expect(response.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
      const tags = [...response.text.matchAll(/<script\b[^>]*>/gi)].map((match) => match[0]);
      for (const tag of tags) expect(tag, 'every script tag carries the nonce').toContain(`nonce="${nonce}"`);
      nonces.push(nonce ?? '');
    }
  });

  it('a different nonce on every response', () => {
    expect(nonces.length).toBe(pageTypes.filter((page) => page.html).length);
    expect(new Set(nonces).size).toBe(nonces.length);
  });

  it('the session cookie is Secure in production only, and always HttpOnly and SameSite', async () => {
    const mode = modes[env];
    if (!mode) throw new Error(`The ${env} portal was not set up`);
    const response = await browser(mode.portal.app, env === 'production').get('/apply/who-is-applying');
    expect(expectSessionCookies(response, env, 'the first form step')).toBe(1);
    // The page types above carry the cookie too (sessions are rolling), each with the same attributes.
    expect(cookiesSeen).toBeGreaterThan(5);
  });

  it('every Set-Cookie from sign-in to sign-out, the clearing one included, has the session cookie’s attributes', async () => {
    const mode = modes[env];
    if (!mode) throw new Error(`The ${env} portal was not set up`);
    const production = env === 'production';
    const account = await createOfficer(mode.portal, 'officer', `cookies-${env}@council.test`);
    const first = browser(mode.portal.app, production);
    const secret = (await signIn(first, account.email)) ?? '';
    const v = browser(mode.portal.app, production);
    const seen: Array<[string, Response]> = [];
    const step = async (where: string, response: Promise<Response>) => {
      const answer = await response;
      seen.push([where, answer]);
      return answer;
    };
    const page = await step('GET /admin/sign-in', v.get('/admin/sign-in'));
    const password = await step(
      'POST /admin/sign-in',
      v.agent.post('/admin/sign-in').type('form').send({ _csrf: csrfTokenFrom(page.text), email: account.email, password: officerPassword }),
    );
    expect(password.headers.location).toBe('/admin/two-factor');
    const codePage = await step('GET /admin/two-factor', v.get('/admin/two-factor'));
    const wrong = await step('POST /admin/two-factor (wrong code)', v.agent.post('/admin/two-factor').type('form').send({ _csrf: csrfTokenFrom(codePage.text), code: '000000' }));
    expect(wrong.status).toBe(400);
    const code = await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });
    const right = await step('POST /admin/two-factor', v.agent.post('/admin/two-factor').type('form').send({ _csrf: csrfTokenFrom(wrong.text), code }));
    expect(right.headers.location).toBe('/admin');
    const dashboard = await step('GET /admin', v.get('/admin'));
    const out = await step('POST /admin/sign-out', v.agent.post('/admin/sign-out').type('form').send({ _csrf: csrfTokenFrom(dashboard.text) }));
    expect(out.headers.location).toBe('/admin/signed-out');
    await step('GET /admin/signed-out', v.get('/admin/signed-out'));

    for (const [where, response] of seen) expectSessionCookies(response, env, where);
    const [cleared] = setCookies(out);
    expect(cleared, 'sign-out clears the session cookie').toBeDefined();
    expect(cleared?.value).toBe('');
    expect(new Date(cleared?.attributes.get('expires') ?? '').getTime()).toBeLessThan(Date.now());
    // Setting the cookie at sign-in and clearing it at sign-out: the same attributes, bar the expiry.
    const [set] = setCookies(password);
    const withoutExpiry = (attributes: Map<string, string> | undefined) => [...(attributes ?? [])].filter(([name]) => name !== 'expires').sort();
    expect(withoutExpiry(cleared?.attributes)).toEqual(withoutExpiry(set?.attributes));
  });
});
