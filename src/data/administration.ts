import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';

export interface StoredSetting {
  value: unknown;
  updatedAt: Date;
  updatedBy: string | null;
}

export interface FailedEmailRow {
  id: string;
  kind: string;
  to: string;
  caseReference: string | null;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
}

/** A message claimed by a worker whose claim has run out unrenewed, not sent. */
export interface StaleClaimRow {
  id: string;
  kind: string;
  to: string;
  caseReference: string | null;
  attempts: number;
  claimedAt: Date | null;
  leaseUntil: Date;
}

export interface AuditFilter {
  officerId: string | null;
  /** Entries at or after this instant. */
  from: Date | null;
  /** Entries before this instant. */
  before: Date | null;
  /** Keyset cursor: entries older than this one (newest first). */
  after: { at: Date; id: string } | null;
  limit: number;
}

export interface AuditRow {
  id: string;
  at: Date;
  actor: string;
  officerName: string | null;
  action: string;
  caseReference: string | null;
  detail: unknown;
}

const failedEmailsShown = 200;

/** Settings, failed emails and the audit trail. */
export function administrationRepository(prisma: PrismaClient) {
  return {
    async readSetting(key: string): Promise<StoredSetting | null> {
      const row = await prisma.setting.findUnique({ where: { key } });
      return row ? { value: row.value, updatedAt: row.updatedAt, updatedBy: row.updatedBy } : null;
    },

    /** Stores a setting and its audit entry together. */
    async saveSetting(key: string, value: object, audit: { officerId: string; action: string; detail: object }): Promise<void> {
      const json = JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;
      await prisma.$transaction([
        prisma.setting.upsert({
          where: { key },
          create: { key, value: json, updatedBy: audit.officerId },
          update: { value: json, updatedBy: audit.officerId },
        }),
        prisma.auditEntry.create({ data: { actor: 'officer', officerId: audit.officerId, action: audit.action, detail: audit.detail } }),
      ]);
    },

    /** Emails the worker gave up on, newest first. */
    async failedEmails(): Promise<FailedEmailRow[]> {
      const rows = await prisma.outboxMessage.findMany({
        where: { status: 'failed' },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: failedEmailsShown,
        select: { id: true, kind: true, to: true, attempts: true, lastError: true, createdAt: true, case: { select: { reference: true } } },
      });
      return rows.map(({ case: owner, ...row }) => ({ ...row, caseReference: owner?.reference ?? null }));
    },

    /**
     * Emails claimed ("sending") whose claim has run out: the worker that claimed them stopped
     * renewing it (stopped, killed, or lost the database), and no worker has taken them since.
     */
    async staleClaims(): Promise<StaleClaimRow[]> {
      const now = new Date();
      // A claim from an instance from before leases holds five minutes from when it was made.
      const oldStyleBefore = new Date(now.getTime() - 5 * 60_000);
      const rows = await prisma.outboxMessage.findMany({
        where: { status: 'sending', OR: [{ leaseUntil: { lt: now } }, { leaseUntil: null, lockedAt: { lt: oldStyleBefore } }] },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: failedEmailsShown,
        select: {
          id: true,
          kind: true,
          to: true,
          attempts: true,
          lockedAt: true,
          leaseUntil: true,
          case: { select: { reference: true } },
        },
      });
      return rows.map(({ case: owner, lockedAt, leaseUntil, ...row }) => ({
        ...row,
        caseReference: owner?.reference ?? null,
        claimedAt: lockedAt,
        leaseUntil: leaseUntil ?? new Date((lockedAt ?? now).getTime() + 5 * 60_000),
      }));
    },

    /**
     * Puts a failed email back in the queue (pending, no attempts, due now) with its audit entry.
     * 'not-failed' when it is queued or sent already (a second click, or another officer was first).
     */
    async retryFailedEmail(id: string, officerId: string): Promise<'queued' | 'not-failed' | 'not-found'> {
      return prisma.$transaction(async (tx) => {
        const message = await tx.outboxMessage.findUnique({ where: { id }, select: { status: true, kind: true, caseId: true } });
        if (!message) return 'not-found';
        const updated = await tx.outboxMessage.updateMany({
          where: { id, status: 'failed' },
          data: { status: 'pending', attempts: 0, nextAttemptAt: new Date(), lockedAt: null, lockedBy: null },
        });
        if (updated.count === 0) return 'not-failed';
        await tx.auditEntry.create({
          data: {
            actor: 'officer',
            officerId,
            caseId: message.caseId,
            action: 'failed email sent again',
            detail: { messageId: id, kind: message.kind },
          },
        });
        return 'queued';
      });
    },

    /** Newest first, `limit` rows (ask for one more to learn whether there is another page). */
    async auditEntries(filter: AuditFilter): Promise<AuditRow[]> {
      const conditions: Prisma.AuditEntryWhereInput[] = [];
      if (filter.officerId) conditions.push({ officerId: filter.officerId });
      if (filter.from) conditions.push({ at: { gte: filter.from } });
      if (filter.before) conditions.push({ at: { lt: filter.before } });
      if (filter.after) {
        const { at, id } = filter.after;
        conditions.push({ OR: [{ at: { lt: at } }, { at, id: { lt: id } }] });
      }
      const rows = await prisma.auditEntry.findMany({
        where: { AND: conditions },
        orderBy: [{ at: 'desc' }, { id: 'desc' }],
        take: filter.limit,
        select: {
          id: true,
          at: true,
          actor: true,
          action: true,
          detail: true,
          officer: { select: { name: true } },
          case: { select: { reference: true } },
        },
      });
      return rows.map(({ officer, case: owner, ...row }) => ({
        ...row,
        officerName: officer?.name ?? null,
        caseReference: owner?.reference ?? null,
      }));
    },
  };
}

export type AdministrationRepository = ReturnType<typeof administrationRepository>;
