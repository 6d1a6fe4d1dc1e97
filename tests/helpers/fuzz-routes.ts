import type { Express } from 'express';

/**
 * The app's routes, read from Express's own router stack (not listed by hand), so a route added
 * tomorrow is found by the tests that use this. Express 5's router (2.x) keeps each layer's
 * mount path in `rawPath`; a route layer has `route.path` and `route.methods`, a router mounted
 * with `use` has the nested router as `handle`, with its own `stack`.
 */
export interface FoundRoute {
  method: string;
  /** The full path with its parameters, e.g. /admin/cases/:reference/actions/acknowledge. */
  path: string;
}

interface RouterLayer {
  rawPath?: unknown;
  route?: { path: unknown; methods: Record<string, boolean | undefined> };
  handle?: unknown;
}

const stackOf = (handle: unknown): RouterLayer[] | null => {
  if (typeof handle !== 'function') return null;
  const stack = (handle as { stack?: unknown }).stack;
  return Array.isArray(stack) ? (stack as RouterLayer[]) : null;
};

const join = (prefix: string, path: string) => {
  const joined = `${prefix}/${path}`.replace(/\/{2,}/g, '/');
  return joined.length > 1 ? joined.replace(/\/$/, '') : joined;
};

/** Every layer path as strings; a regular expression or anything else is a failure, not a skip. */
function pathsOf(raw: unknown, where: string): string[] {
  const list = Array.isArray(raw) ? (raw.flat(Infinity) as unknown[]) : [raw];
  return list.map((item) => {
    if (typeof item !== 'string')
      throw new Error(`A route or mount under ${where || '/'} has a path this test cannot read: ${String(item)}`);
    return item;
  });
}

function walk(stack: RouterLayer[], prefix: string, found: FoundRoute[]): void {
  for (const layer of stack) {
    if (layer.route) {
      const methods = Object.entries(layer.route.methods)
        .filter(([, on]) => on)
        .map(([method]) => (method === '_all' ? 'ALL' : method.toUpperCase()));
      for (const path of pathsOf(layer.route.path, prefix)) for (const method of methods) found.push({ method, path: join(prefix, path) });
      continue;
    }
    const nested = stackOf(layer.handle);
    if (!nested) continue;
    for (const mount of pathsOf(layer.rawPath ?? '/', prefix)) walk(nested, join(prefix, mount), found);
  }
}

export function allRoutes(app: Express): FoundRoute[] {
  const stack = stackOf((app as unknown as { router: unknown }).router);
  if (!stack) throw new Error('The Express app has no router stack to read');
  const found: FoundRoute[] = [];
  walk(stack, '', found);
  return found;
}

const changesState = new Set(['POST', 'PUT', 'PATCH', 'DELETE', 'ALL']);

/** The routes a browser form (or anything else) can change something with, without duplicates. */
export function stateChangingRoutes(app: Express): FoundRoute[] {
  const seen = new Set<string>();
  return allRoutes(app).filter((route) => {
    const key = `${route.method} ${route.path}`;
    if (!changesState.has(route.method) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Puts real values in a route's parameters; a parameter with no value given is an error. */
export function fillPath(path: string, params: Record<string, string>): string {
  return path.replace(/:([A-Za-z_]\w*)/g, (_match, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`No value for :${name} in ${path}`);
    return encodeURIComponent(value);
  });
}
