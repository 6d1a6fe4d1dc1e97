import type { PrismaClient } from '../generated/prisma/client.ts';
import type { NewEmail } from './cases.ts';

export interface ClaimedMessage {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  attempts: number;
}

/**
 * The outbox table. Claiming uses FOR UPDATE SKIP LOCKED so several instances never take the same
 * row. A claim holds for a lease (`lease_until`) that the claiming worker renews while it holds the
 * message; a row left "sending" whose lease has run out (its worker died, or lost the database) is
 * claimed again by any worker.
 */
export function outboxRepository(prisma: PrismaClient) {
  return {
    async enqueue(email: NewEmail & { caseId?: string | null }): Promise<void> {
      await prisma.outboxMessage.create({ data: email });
    },

    async claim(workerId: string, batchSize: number, leaseMs: number): Promise<ClaimedMessage[]> {
      // A claim made by an instance from before leases (lease_until empty) holds five minutes, as it did then.
      return prisma.$queryRaw<ClaimedMessage[]>`
        UPDATE "outbox_message"
           SET "status" = 'sending', "locked_at" = now(), "locked_by" = ${workerId}, "attempts" = "attempts" + 1,
               "lease_until" = now() + make_interval(secs => ${leaseMs / 1000})
        WHERE "id" IN (
          SELECT "id" FROM "outbox_message"
          WHERE ("status" = 'pending' AND "next_attempt_at" <= now())
             OR ("status" = 'sending' AND COALESCE("lease_until", "locked_at" + interval '5 minutes') < now())
          ORDER BY "next_attempt_at"
          LIMIT ${batchSize}
          FOR UPDATE SKIP LOCKED
        )
        RETURNING "id", "to", "subject", "text", "html", "attempts"`;
    },

    /** The heartbeat: this worker still holds these messages, for another `leaseMs`. */
    async renewLease(ids: string[], workerId: string, leaseMs: number): Promise<void> {
      if (ids.length === 0) return;
      await prisma.$executeRaw`
        UPDATE "outbox_message" SET "lease_until" = now() + make_interval(secs => ${leaseMs / 1000})
        WHERE "id" = ANY(${ids}::uuid[]) AND "locked_by" = ${workerId} AND "status" = 'sending'`;
    },

    /**
     * Records a delivery. False when this worker no longer holds the message: recorded already (an
     * earlier try committed but its answer was lost), or its lease ran out and another worker took it.
     */
    async markSent(id: string, workerId: string): Promise<boolean> {
      const updated = await prisma.outboxMessage.updateMany({
        where: { id, lockedBy: workerId, status: 'sending' },
        data: { status: 'sent', sentAt: new Date(), lockedAt: null, leaseUntil: null, lastError: null },
      });
      return updated.count > 0;
    },

    async markForRetry(id: string, workerId: string, error: string, nextAttemptAt: Date): Promise<void> {
      await prisma.outboxMessage.updateMany({
        where: { id, lockedBy: workerId, status: 'sending' },
        data: { status: 'pending', nextAttemptAt, lockedAt: null, lockedBy: null, leaseUntil: null, lastError: error },
      });
    },

    /** Hands claimed messages back unsent (this worker is stopping), due at once for any worker. */
    async release(ids: string[], workerId: string): Promise<void> {
      if (ids.length === 0) return;
      await prisma.$executeRaw`
        UPDATE "outbox_message" SET "status" = 'pending', "locked_at" = NULL, "locked_by" = NULL, "lease_until" = NULL, "attempts" = "attempts" - 1
        WHERE "id" = ANY(${ids}::uuid[]) AND "locked_by" = ${workerId} AND "status" = 'sending'`;
    },

    async markFailed(id: string, workerId: string, error: string): Promise<void> {
      await prisma.outboxMessage.updateMany({
        where: { id, lockedBy: workerId, status: 'sending' },
        data: { status: 'failed', lockedAt: null, leaseUntil: null, lastError: error },
      });
    },
  };
}

export type OutboxRepository = ReturnType<typeof outboxRepository>;
