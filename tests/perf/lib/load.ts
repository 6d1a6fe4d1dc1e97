// Load with autocannon: a warm-up, then a fixed-length run whose every response time is kept, so
// p50, p95 and p99 are exact (autocannon's own summary has no p95).
import autocannon from 'autocannon';
import { proxyHeaders } from './http.ts';

export interface LoadOptions {
  origin: string;
  /** The path of each request, in turn. */
  paths: string[];
  /** Session cookies, used in turn (one per request: the 50 connections share the sessions). */
  cookies?: string[];
  headers?: Record<string, string>;
  connections: number;
  seconds: number;
  warmupSeconds: number;
  /** The only status a request may get (anything else is reported as an error). */
  expectStatus?: number;
}

export interface LoadResult {
  requests: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  /** Responses with another status than expected, and socket errors or timeouts. */
  failures: number;
  statuses: Record<string, number>;
  /** Mean bytes per response, headers included, as received (compressed when compressed). */
  bytesPerResponse: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

function rotate<T>(items: T[]): () => T {
  let next = 0;
  return () => items[next++ % items.length] as T;
}

async function once(options: LoadOptions, seconds: number, keep: boolean): Promise<LoadResult> {
  const nextPath = rotate(options.paths);
  const nextCookie = options.cookies?.length ? rotate(options.cookies) : null;
  const headers = { ...proxyHeaders, ...options.headers };
  const times: number[] = [];
  const statuses: Record<string, number> = {};
  let bytes = 0;
  const instance = autocannon({
    url: options.origin,
    connections: options.connections,
    duration: seconds,
    requests: [
      {
        method: 'GET',
        setupRequest: (request) => ({
          ...request,
          path: nextPath(),
          headers: nextCookie ? { ...headers, cookie: nextCookie() } : headers,
        }),
      },
    ],
  });
  // autocannon emits (client, status, bytes, ms); its typings leave out the client.
  (instance as unknown as NodeJS.EventEmitter).on('response', (_client: unknown, status: number, resBytes: number, ms: number) => {
    if (!keep) return;
    times.push(ms);
    bytes += resBytes;
    statuses[status] = (statuses[status] ?? 0) + 1;
  });
  const result = await instance;
  times.sort((a, b) => a - b);
  const expected = options.expectStatus ?? 200;
  const wrong = Object.entries(statuses).reduce((sum, [status, count]) => (Number(status) === expected ? sum : sum + count), 0);
  return {
    requests: times.length,
    perSecond: times.length / seconds,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    failures: wrong + result.errors + result.timeouts,
    statuses,
    bytesPerResponse: times.length ? bytes / times.length : 0,
  };
}

export async function load(options: LoadOptions): Promise<LoadResult> {
  if (options.warmupSeconds > 0) await once(options, options.warmupSeconds, false);
  return once(options, options.seconds, true);
}
