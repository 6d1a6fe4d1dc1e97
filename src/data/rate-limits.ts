import { RateLimiterPrisma, RateLimiterRes } from 'rate-limiter-flexible';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { retryOnConnectionLoss } from './connection-loss.ts';

/** Allowed, with how many attempts the key has left in this window; or refused, with the wait. */
export type Consumed = { allowed: true; remaining: number } | { allowed: false; retryAfterMs: number };

/** Counts attempts for one kind of key (say, sign-ins per IP address) in fixed windows. */
export interface AttemptCounter {
  /** Counts one attempt for the key; refused once the window's points are used up. */
  consume(key: string): Promise<Consumed>;
}

/**
 * Rate-limit counters in the shared database (table rate_limit), so every app instance counts
 * against the same numbers. rate-limiter-flexible does the counting: RateLimiterPrisma resets an
 * expired window and increments in the database (an upsert), so attempts made at the same moment
 * on different instances are all counted. It goes through Prisma rather than a pg pool so the
 * embedded PGlite demo works the same way.
 */
export function rateLimitStore(prisma: PrismaClient) {
  return {
    counter(name: string, limit: { points: number; windowMs: number }): AttemptCounter {
      const limiter = new RateLimiterPrisma({
        storeClient: prisma,
        // The client's property for the RateLimit model.
        tableName: 'rateLimit',
        keyPrefix: name,
        points: limit.points,
        duration: limit.windowMs / 1000,
        // Expired rows are swept by the daily housekeeping (sweepExpired), not by a timer in
        // every limiter of every instance.
        clearExpiredByTimeout: false,
      });
      return {
        async consume(key) {
          try {
            // Tried again on a dropped connection only in a request that is safe to repeat: at
            // worst one attempt is counted twice, never one let through uncounted.
            const result = await retryOnConnectionLoss(() => limiter.consume(key));
            return { allowed: true, remaining: result.remainingPoints };
          } catch (error) {
            // The library rejects with a RateLimiterRes when the limit is reached, and with an
            // Error when the database fails (that one is a real failure, passed on).
            if (error instanceof RateLimiterRes) return { allowed: false, retryAfterMs: Math.max(error.msBeforeNext, 1_000) };
            throw error;
          }
        },
      };
    },

    /** Deletes counters whose window ended before `before`. Returns how many. */
    async sweepExpired(before: Date): Promise<number> {
      const { count } = await prisma.rateLimit.deleteMany({ where: { expire: { lt: before } } });
      return count;
    },
  };
}

export type RateLimitStore = ReturnType<typeof rateLimitStore>;
