import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * When the database drops a connection (a restart, a failover, pg_terminate_backend), the query on
 * it fails although nothing is wrong with the query. Such an operation is tried once more, on a
 * fresh connection, when trying it again cannot change the outcome:
 *
 * - any operation whose repository says so: reads, and writes that set a value rather than add
 *   one (the session store, a draft's answers);
 * - every operation of a request that is safe to repeat as a whole: GET and HEAD, a POST carrying
 *   an idempotency key, and routes marked idempotent (the final submit, idempotent by its
 *   submission key). The app says which, per request, through `requestSafety`.
 *
 * The retry is of the one operation (a repository call), never of the whole Express request: the
 * work already done by the request stays done, and nothing is sent to the browser twice.
 */

/** Postgres error codes meaning the connection is gone: admin/crash shutdown, cannot connect now, class 08. */
const lostCodes = /^(57P01|57P02|57P03|08[0-9A-Z]{3}|ECONNRESET|EPIPE|ECONNREFUSED|ETIMEDOUT)$/;
/** pg's and Prisma's words for a dead connection, when no code comes with them. */
const lostMessages =
  /Connection terminated unexpectedly|not queryable|Server has closed the connection|terminating connection|Connection terminated$|Can't reach database server/i;
/** pg-pool found no free connection in time (DATABASE_POOL_TIMEOUT_MS). */
const poolTimeoutMessages = /timeout exceeded when trying to connect|Connection terminated due to connection timeout/i;

interface Inspectable {
  code?: unknown;
  originalCode?: unknown;
  message?: unknown;
  originalMessage?: unknown;
  cause?: unknown;
  meta?: { driverAdapterError?: unknown };
}

/** The error and what it wraps: `cause` chains and Prisma's driver adapter error. */
function* layers(error: unknown): Generator<Inspectable> {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length) {
    const next = queue.shift();
    if (!next || typeof next !== 'object' || seen.has(next)) continue;
    seen.add(next);
    const layer = next as Inspectable;
    yield layer;
    queue.push(layer.cause, layer.meta?.driverAdapterError);
  }
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** Whether the error only says the connection died under the operation. */
export function isConnectionLoss(error: unknown): boolean {
  if (isPoolTimeout(error)) return false;
  for (const layer of layers(error)) {
    if (lostCodes.test(text(layer.code)) || lostCodes.test(text(layer.originalCode))) return true;
    if (lostMessages.test(text(layer.message)) || lostMessages.test(text(layer.originalMessage))) return true;
  }
  return false;
}

/** Whether the error says every connection of the pool was busy for DATABASE_POOL_TIMEOUT_MS. */
export function isPoolTimeout(error: unknown): boolean {
  for (const layer of layers(error)) {
    if (poolTimeoutMessages.test(text(layer.message)) || poolTimeoutMessages.test(text(layer.originalMessage))) return true;
  }
  return false;
}

/** The database is unreachable for now (lost connection or saturated pool): "try again" (503). */
export function isDatabaseUnavailable(error: unknown): boolean {
  return isPoolTimeout(error) || isConnectionLoss(error);
}

const repeatable = new AsyncLocalStorage<{ repeatable: boolean }>();

/** Which requests are safe to repeat as a whole; set by the app for each request. */
export const requestSafety = {
  /** Runs the rest of the request knowing whether it is safe to repeat. */
  run<T>(safeToRepeat: boolean, work: () => T): T {
    return repeatable.run({ repeatable: safeToRepeat }, work);
  },
  /** This request is safe to repeat after all (a route that is idempotent by a key of its own). */
  markRepeatable(): void {
    const store = repeatable.getStore();
    if (store) store.repeatable = true;
  },
  isRepeatable(): boolean {
    return repeatable.getStore()?.repeatable ?? false;
  },
};

/** Long enough for the pool to hear of other connections dropped at the same moment. */
const retryDelayMs = 50;

/**
 * `work()`, and once more if it failed only because its connection died and it is safe to repeat
 * (`always`, or the request is safe to repeat as a whole).
 */
export async function retryOnConnectionLoss<T>(work: () => Promise<T>, always = false): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!isConnectionLoss(error) || !(always || requestSafety.isRepeatable())) throw error;
    await new Promise((resolve) => setTimeout(resolve, retryDelayMs));
    return work();
  }
}

/**
 * The repository with each of its asynchronous functions retried once on connection loss: those
 * named in `alwaysSafe` in any request, the others only in a request that is safe to repeat.
 */
export function retrying<R extends object>(repository: R, alwaysSafe: ReadonlyArray<keyof R> = []): R {
  const wrapped = { ...repository } as Record<string, unknown>;
  for (const [name, value] of Object.entries(repository)) {
    if (typeof value !== 'function') continue;
    const always = alwaysSafe.includes(name as keyof R);
    const fn = value as (...args: unknown[]) => unknown;
    wrapped[name] = (...args: unknown[]) => {
      const first = fn.apply(repository, args);
      if (!(first instanceof Promise)) return first;
      let tried = false;
      return retryOnConnectionLoss(() => {
        if (tried) return fn.apply(repository, args) as Promise<unknown>;
        tried = true;
        return first;
      }, always);
    };
  }
  return wrapped as R;
}
