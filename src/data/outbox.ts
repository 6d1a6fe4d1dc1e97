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
 * row; a row left "sending" by a process that died is claimed again after `staleAfterMs`.
 */
export function outboxRepository(prisma: PrismaClient) {
  return {
    async enqueue(email: NewEmail & { caseId?: string | null }): Promise<void> {
      await prisma.outboxMessage.create({ data: email });
    },

    async claim(workerId: string, batchSize: number, staleAfterMs: number): Promise<ClaimedMessage[]> {
      const staleBefore = new Date(Date.now() - staleAfterMs);
      return prisma.$queryRaw<ClaimedMessage[]>`
        UPDATE "outbox_message" SET "status" = 'sending', "locked_at" = now(), "locked_by" = ${workerId}, "attempts" = "attempts" + 1
        WHERE "id" IN (
          SELECT "id" FROM "outbox_message"
          WHERE ("status" = 'pending' AND "next_attempt_at" <= now())
             OR ("status" = 'sending' AND "locked_at" < ${staleBefore})
          ORDER BY "next_attempt_at"
          LIMIT ${batchSize}
          FOR UPDATE SKIP LOCKED
        )
        RETURNING "id", "to", "subject", "text", "html", "attempts"`;
    },

    async markSent(id: string, workerId: string): Promise<void> {
      await prisma.outboxMessage.updateMany({
        where: { id, lockedBy: workerId, status: 'sending' },
        data: { status: 'sent', sentAt: new Date(), lockedAt: null, lastError: null },
      });
    },

    async markForRetry(id: string, workerId: string, error: string, nextAttemptAt: Date): Promise<void> {
      await prisma.outboxMessage.updateMany({
        where: { id, lockedBy: workerId, status: 'sending' },
        data: { status: 'pending', nextAttemptAt, lockedAt: null, lockedBy: null, lastError: error },
      });
    },

    /** Hands claimed messages back unsent (this worker is stopping), due at once for any worker. */
    async release(ids: string[], workerId: string): Promise<void> {
      if (ids.length === 0) return;
      await prisma.$executeRaw`
        UPDATE "outbox_message" SET "status" = 'pending', "locked_at" = NULL, "locked_by" = NULL, "attempts" = "attempts" - 1
        WHERE "id" = ANY(${ids}::uuid[]) AND "locked_by" = ${workerId} AND "status" = 'sending'`;
    },

    async markFailed(id: string, workerId: string, error: string): Promise<void> {
      await prisma.outboxMessage.updateMany({
        where: { id, lockedBy: workerId, status: 'sending' },
        data: { status: 'failed', lockedAt: null, lastError: error },
      });
    },
  };
}

export type OutboxRepository = ReturnType<typeof outboxRepository>;
