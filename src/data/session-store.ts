import session from 'express-session';
import { LRUCache } from 'lru-cache';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { retryOnConnectionLoss } from './connection-loss.ts';

/**
 * A session's expiry moves forward on every request (rolling). Writing that to the database on
 * every page would double the queries of a page; the store writes it only when it would move by
 * more than this. A session may so end up to a minute before its idle time is fully up, never after.
 */
export const touchEveryMs = 60_000;

/**
 * express-session store in the shared database, so any app instance can serve any request and a
 * restart signs nobody out. Expired rows are ignored on read and swept now and then. Every
 * operation reads, or sets the session to a value, so each is tried once more when its database
 * connection dies under it (a page costs a few milliseconds more, not an error).
 */
export class PrismaSessionStore extends session.Store {
  private lastSweep = 0;
  /** The expiry each session had in the database when this instance last read or wrote it. */
  private readonly storedExpiry = new LRUCache<string, number>({ max: 20_000 });

  constructor(
    private readonly prisma: PrismaClient,
    private readonly idleMs: number,
  ) {
    super();
  }

  override get(sid: string, callback: (error: unknown, session?: session.SessionData | null) => void): void {
    retryOnConnectionLoss(() => this.prisma.session.findUnique({ where: { sid } }), true)
      .then((row) => {
        if (!row || row.expiresAt.getTime() <= Date.now()) return callback(null, null);
        this.storedExpiry.set(sid, row.expiresAt.getTime());
        callback(null, row.data as unknown as session.SessionData);
      })
      .catch((error: unknown) => callback(error));
  }

  override set(sid: string, data: session.SessionData, callback?: (error?: unknown) => void): void {
    const expiresAt = this.expiryOf(data);
    const json = JSON.parse(JSON.stringify(data)) as object;
    retryOnConnectionLoss(
      () => this.prisma.session.upsert({ where: { sid }, create: { sid, data: json, expiresAt }, update: { data: json, expiresAt } }),
      true,
    )
      .then(() => {
        this.storedExpiry.set(sid, expiresAt.getTime());
        this.sweepSometimes();
        callback?.();
      })
      .catch((error: unknown) => callback?.(error));
  }

  override destroy(sid: string, callback?: (error?: unknown) => void): void {
    this.storedExpiry.delete(sid);
    retryOnConnectionLoss(() => this.prisma.session.deleteMany({ where: { sid } }), true)
      .then(() => callback?.())
      .catch((error: unknown) => callback?.(error));
  }

  override touch(sid: string, data: session.SessionData, callback?: (error?: unknown) => void): void {
    const expiresAt = this.expiryOf(data);
    const stored = this.storedExpiry.get(sid);
    if (stored !== undefined && expiresAt.getTime() - stored < touchEveryMs) {
      callback?.();
      return;
    }
    retryOnConnectionLoss(() => this.prisma.session.updateMany({ where: { sid }, data: { expiresAt } }), true)
      .then(() => {
        this.storedExpiry.set(sid, expiresAt.getTime());
        callback?.();
      })
      .catch((error: unknown) => callback?.(error));
  }

  private expiryOf(data: session.SessionData): Date {
    const cookieExpiry = data.cookie?.expires ? new Date(data.cookie.expires) : null;
    return cookieExpiry ?? new Date(Date.now() + this.idleMs);
  }

  /** At most once a minute per instance: delete sessions that expired. */
  private sweepSometimes(): void {
    const now = Date.now();
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    void this.prisma.session.deleteMany({ where: { expiresAt: { lt: new Date(now) } } }).catch(() => undefined);
  }
}
