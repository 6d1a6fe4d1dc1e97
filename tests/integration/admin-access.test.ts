import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officerRoles, type OfficerRole } from '../../src/domain/officer-roles.ts';
import { adminRoutes } from '../../src/routes/admin/index.ts';
import { createTestApp, csrfTokenFrom, visitor, type TestApp, type Visitor } from '../helpers/app.ts';
import { query, truncateAll } from '../helpers/database.ts';
import { fillApplication, send } from '../helpers/journey.ts';
import { createOfficer, signIn } from '../helpers/officers.ts';
import { TestSmtpServer } from '../helpers/smtp.ts';

/**
 * Every route of the officers' area, found by walking the Express router that src/routes/admin
 * builds, requested by every kind of visitor. A route nobody listed below fails, and so does a
 * route whose guard lets the wrong people in: adding a route means deciding who may use it.
 */
type Access = 'open' | OfficerRole;

/**
 * Who may use each route: first matching rule wins. `/**` covers a path and everything under it.
 * The open rules are exact on purpose: only the sign-in pages work without signing in.
 */
const accessRules: ReadonlyArray<{ pattern: string; access: Access }> = [
  { pattern: '/admin/sign-in', access: 'open' },
  { pattern: '/admin/two-factor', access: 'open' },
  { pattern: '/admin/two-factor/set-up', access: 'open' },
  { pattern: '/admin/sign-out', access: 'open' },
  { pattern: '/admin/signed-out', access: 'open' },
  // More than an ASB officer.
  { pattern: '/admin/audit/**', access: 'manager' },
  { pattern: '/admin/subject-access/**', access: 'manager' },
  { pattern: '/admin/officers/**', access: 'administrator' },
  { pattern: '/admin/settings/**', access: 'administrator' },
  { pattern: '/admin/figures/historic/**', access: 'administrator' },
  // Every ASB officer.
  { pattern: '/admin', access: 'officer' },
  { pattern: '/admin/cases/**', access: 'officer' },
  { pattern: '/admin/paper-applications/**', access: 'officer' },
  { pattern: '/admin/failed-emails/**', access: 'officer' },
  { pattern: '/admin/account/**', access: 'officer' },
  { pattern: '/admin/figures', access: 'officer' },
];

function accessFor(path: string): Access | null {
  const rule = accessRules.find(({ pattern }) =>
    pattern.endsWith('/**') ? path === pattern.slice(0, -3) || path.startsWith(pattern.slice(0, -2)) : path === pattern,
  );
  return rule?.access ?? null;
}

interface AdminRoute {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** As registered, with its parameters: /admin/officers/:id/role */
  path: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
const joinPaths = (...parts: string[]) => `/${parts.join('/').split('/').filter(Boolean).join('/')}`;
const testedMethods = ['get', 'post', 'put', 'patch', 'delete'] as const;

/**
 * The routes of an Express 5 router (the `router` package): each layer with a `route` is an
 * endpoint; a layer whose handle has its own `stack` is a mounted router, at the layer's
 * `rawPath`. Anything the walk cannot read fails loudly rather than being skipped.
 */
function collectRoutes(router: unknown, prefix: string): AdminRoute[] {
  const stack: unknown = isRecord(router) || typeof router === 'function' ? (router as { stack?: unknown }).stack : undefined;
  if (!Array.isArray(stack)) throw new Error(`Not a router at ${prefix}`);
  return stack.flatMap((layer: unknown): AdminRoute[] => {
    if (!isRecord(layer)) return [];
    const { route, handle, rawPath } = layer;
    if (isRecord(route)) {
      if (typeof route.path !== 'string') throw new Error(`A route under ${prefix} has a path that is not a string`);
      const path = joinPaths(prefix, route.path);
      const methods = isRecord(route.methods)
        ? Object.keys(route.methods).filter((method) => route.methods && (route.methods as Record<string, unknown>)[method])
        : [];
      const named = methods.flatMap((method) => (method === '_all' ? ['get', 'post'] : [method]));
      return named.map((method) => {
        const known = testedMethods.find((candidate) => candidate === method);
        if (!known) throw new Error(`${method.toUpperCase()} ${path}: add the method to the access test`);
        return { method: known, path };
      });
    }
    if (typeof handle === 'function' && 'stack' in handle && Array.isArray(handle.stack)) {
      if (typeof rawPath !== 'string') throw new Error(`A router mounted under ${prefix} has a path that is not a string`);
      return collectRoutes(handle, joinPaths(prefix, rawPath));
    }
    return [];
  });
}

const unknownUuid = '3f2b8c1e-7d4a-4e5f-9a6b-0c1d2e3f4a5b';

/** A concrete URL: `:reference` gets the given reference, every other parameter the given id. */
function concrete(path: string, values: { reference: string; id: string }): string {
  return path
    .replace(/\{[^}]*\}/g, '')
    .replace(/[:*]([A-Za-z0-9_]+)/g, (_match, name: string) => encodeURIComponent(/reference/i.test(name) ? values.reference : values.id));
}

const smtp = new TestSmtpServer();
let portal: TestApp;
let routes: AdminRoute[];
let reference: string;
const visitors = new Map<'anonymous' | OfficerRole, { v: Visitor; token: string }>();

beforeAll(async () => {
  await smtp.start();
  portal = createTestApp({ smtp, worker: false });
  await truncateAll();
  routes = collectRoutes(adminRoutes(portal.services), '/admin');

  const resident = visitor(portal.app);
  await fillApplication(resident);
  await send(resident);
  const [row] = await query<{ reference: string }>('SELECT reference FROM "case"');
  if (!row) throw new Error('The resident journey did not create a case');
  reference = row.reference;

  const anonymous = visitor(portal.app);
  visitors.set('anonymous', { v: anonymous, token: csrfTokenFrom((await anonymous.get('/admin/sign-in')).text) });
  for (const role of officerRoles) {
    await createOfficer(portal, role);
    const v = visitor(portal.app);
    await signIn(v, `${role}@council.test`);
    visitors.set(role, { v, token: csrfTokenFrom((await v.get('/admin')).text) });
  }
});
afterAll(async () => {
  await portal.close();
  await smtp.stop();
});

/** The response, or a status of 0 when the route gives no answer within 2 seconds (they take milliseconds). */
async function request(who: { v: Visitor; token: string }, route: AdminRoute, url: string): Promise<{ status: number; location: string }> {
  const call = who.v.agent[route.method](url).timeout(2_000);
  try {
    const response = await (route.method === 'get' ? call : call.type('form').send({ _csrf: who.token }));
    return { status: response.status, location: response.headers.location ?? '' };
  } catch (error) {
    if (isRecord(error) && error.timeout) return { status: 0, location: '' };
    throw error;
  }
}

// Signing out ends the visitor's session, so it goes last.
const endsSession = (route: AdminRoute) => route.path === '/admin/sign-out';
const fine = [200, 303, 400, 404, 409];

describe('access to the officers’ area', () => {
  it('finds the routes it checks', () => {
    const found = routes.map((route) => `${route.method.toUpperCase()} ${route.path}`);
    for (const expected of [
      'GET /admin/sign-in',
      'POST /admin/sign-out',
      'GET /admin',
      'GET /admin/officers/:id',
      'POST /admin/settings',
      'GET /admin/audit',
      'GET /admin/subject-access',
      'POST /admin/subject-access',
      'POST /admin/subject-access/download',
    ]) {
      expect(found).toContain(expected);
    }
  });

  it('lets each visitor reach exactly the routes their role allows', async () => {
    const problems: string[] = [];
    const ordered = [...routes.filter((route) => !endsSession(route)), ...routes.filter(endsSession)];
    for (const who of ['anonymous', ...officerRoles] as const) {
      const visiting = visitors.get(who);
      if (!visiting) throw new Error(`No visitor for ${who}`);
      for (const route of ordered) {
        const label = `${route.method.toUpperCase()} ${route.path} as ${who}`;
        const access = accessFor(route.path);
        if (access === null) {
          if (who === 'anonymous') problems.push(`${route.method.toUpperCase()} ${route.path}: not in the access table (accessRules)`);
          continue;
        }
        const response = await request(visiting, route, concrete(route.path, { reference, id: unknownUuid }));
        const where = response.location;
        const status = response.status === 0 ? 'no answer within 2 s' : String(response.status);
        if (access === 'open') {
          if (!fine.includes(response.status)) problems.push(`${label}: ${status}, expected the page to work for anyone`);
        } else if (who === 'anonymous') {
          if (response.status !== 303 || where !== '/admin/sign-in')
            problems.push(`${label}: ${[status, where].filter(Boolean).join(' ')}, expected 303 to /admin/sign-in`);
        } else if (officerRoles.indexOf(who) < officerRoles.indexOf(access)) {
          if (response.status !== 403) problems.push(`${label}: ${status}, expected 403 (needs ${access})`);
        } else if (!fine.includes(response.status) || where.startsWith('/admin/sign-in')) {
          problems.push(`${label}: ${[status, where].filter(Boolean).join(' ')}, expected it to work (allowed from ${access})`);
        }
      }
    }
    expect(problems).toEqual([]);
  }, 120_000);

  it('answers 404, never 500, for ids and references that do not exist', async () => {
    // Its own administrator: the test above signed the others out (its last route).
    await createOfficer(portal, 'administrator', 'another-administrator@council.test');
    const v = visitor(portal.app);
    await signIn(v, 'another-administrator@council.test');
    const administrator = { v, token: csrfTokenFrom((await v.get('/admin')).text) };
    const problems: string[] = [];
    const withParameters = routes.filter((route) => /[:*]/.test(route.path) && !endsSession(route));
    for (const route of withParameters) {
      // A route that names a record (a case reference, an id) answers 404 when there is no such
      // record, even for a malformed one. Other parameters (a position in a list) must not break it.
      const namesRecord = [...route.path.matchAll(/[:*]([A-Za-z0-9_]+)/g)].some(([, name]) => /reference|id$/i.test(name ?? ''));
      for (const values of [
        { reference: 'ASB-2000-ZZZZZZ', id: unknownUuid },
        { reference: 'not-a-reference', id: 'not-a-uuid' },
      ]) {
        const url = concrete(route.path, values);
        const { status } = await request(administrator, route, url);
        if (namesRecord ? status !== 404 : !fine.includes(status)) {
          problems.push(`${route.method.toUpperCase()} ${url}: ${status}, expected ${namesRecord ? '404' : 'the page to work'}`);
        }
      }
    }
    expect(withParameters.length).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  }, 60_000);
});
