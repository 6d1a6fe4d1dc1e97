import { Prisma, type PrismaClient } from '../generated/prisma/client.ts';
import type { RetentionFacts } from '../domain/retention.ts';

/** What replaces a required text field whose words were personal data. */
export const removedText = 'Removed at the end of the retention period';

export interface RetentionCandidate extends RetentionFacts {
  id: string;
}

/**
 * Closed cases past their retention period, and their anonymisation. A case is anonymised rather
 * than deleted: the published figures are counted from its rows (dates received, decided, held,
 * appealed; see data/figures.ts), so the rows stay with their dates, statuses and decisions and
 * lose every word about a person. What goes:
 *
 * - the victim's and applicant's names, addresses, contact details, needs and relationship;
 * - the case's own words (impact, vulnerability, hate types, action so far, hoped-for outcome,
 *   the officers' reasons, comments and summaries);
 * - each incident's description, place, "other" agency and crime reference (its dates and the
 *   agencies it was reported to stay: they are what the threshold counted);
 * - notes, what agencies were asked and replied, review contributions, action-plan wording and
 *   comments, appellants and results, reasons typed on status changes;
 * - the signed consent form (the file itself is deleted) and how consent was to be confirmed;
 * - the submitted draft (it holds every answer again), and the emails' addresses and bodies
 *   (emails never sent are deleted).
 */
export function retentionRepository(prisma: PrismaClient) {
  return {
    /**
     * Applications started and never sent: deletes each draft last changed before `changedBefore`
     * whose resume link (if it has one) has also expired, with any file uploaded to it, in one
     * statement. Returns how many drafts went.
     */
    async deleteAbandonedDrafts(changedBefore: Date, now: Date): Promise<number> {
      const [row] = await prisma.$queryRaw<Array<{ deleted: number }>>`
        WITH gone AS (
          DELETE FROM draft
           WHERE submitted_case_id IS NULL AND updated_at < ${changedBefore}
             AND (resume_expires_at IS NULL OR resume_expires_at < ${now})
          RETURNING id
        ), files AS (
          DELETE FROM upload WHERE case_id IS NULL AND draft_id IN (SELECT id FROM gone) RETURNING id
        )
        SELECT (SELECT count(*) FROM gone)::int AS deleted, (SELECT count(*) FROM files)::int AS files`;
      return row?.deleted ?? 0;
    },

    /** Closed or withdrawn cases, not yet anonymised, closed before the instant: oldest first. */
    async closedBefore(before: Date, limit: number): Promise<RetentionCandidate[]> {
      return prisma.case.findMany({
        where: { status: { in: ['closed', 'withdrawn'] }, closedAt: { lt: before }, anonymisedAt: null },
        orderBy: [{ closedAt: 'asc' }, { id: 'asc' }],
        take: limit,
        select: { id: true, status: true, closedAt: true, anonymisedAt: true },
      });
    },

    /**
     * Removes the case's personal data and records that it happened, in one transaction. The case
     * row is claimed first (anonymised_at set only where it is still empty), so two workers
     * running at once anonymise it once: the second waits for the first's row lock, then finds
     * nothing to claim. Returns false when another run got there first.
     */
    async anonymise(caseId: string, now: Date, audit: { retentionMonths: number; closedOn: string }): Promise<boolean> {
      return prisma.$transaction(async (tx) => {
        const claimed = await tx.case.updateMany({
          where: { id: caseId, anonymisedAt: null },
          data: {
            anonymisedAt: now,
            impact: removedText,
            vulnerability: null,
            hateTypes: [],
            actionSoFar: removedText,
            hopedOutcome: removedText,
            decisionReason: null,
            overrideReason: null,
            actionPlanComments: null,
            outcomeSummary: null,
            closureReason: null,
          },
        });
        if (claimed.count === 0) return false;
        await tx.person.updateMany({
          where: { caseId },
          data: {
            name: removedText,
            organisationName: null,
            searchName: '',
            addressLine1: null,
            addressLine2: null,
            town: null,
            postcode: null,
            dateOfBirth: null,
            phone: null,
            email: null,
            preferredContact: null,
            safeTimes: null,
            needs: null,
            relationship: null,
            organisation: null,
          },
        });
        await tx.incident.updateMany({
          where: { caseId },
          data: { description: removedText, location: removedText, reportedToOther: null, reference: null },
        });
        await tx.note.updateMany({ where: { caseId }, data: { text: removedText } });
        // The consent's link to the file is cleared by its foreign key (ON DELETE SET NULL).
        const consent = await tx.consent.findUnique({ where: { caseId }, select: { uploadId: true } });
        await tx.upload.deleteMany({ where: { OR: [{ caseId }, ...(consent?.uploadId ? [{ id: consent.uploadId }] : [])] } });
        await tx.consent.updateMany({ where: { caseId }, data: { howToConfirm: null } });
        await tx.draft.deleteMany({ where: { submittedCaseId: caseId } });
        await tx.informationRequest.updateMany({ where: { caseId }, data: { asked: null, reply: null } });
        await tx.review.updateMany({ where: { caseId }, data: { notInvitedReason: null, agencyContributions: Prisma.DbNull } });
        await tx.recommendation.updateMany({ where: { caseId }, data: { action: removedText, victimComments: null } });
        await tx.appeal.updateMany({ where: { caseId }, data: { appellant: null, result: null } });
        await tx.statusChange.updateMany({ where: { caseId, reason: { not: null } }, data: { reason: null } });
        // Emails sent stay as a record that they were sent, without address or words; any never
        // sent (failed for good, or somehow still queued) could only go to a removed address.
        await tx.outboxMessage.deleteMany({ where: { caseId, status: { not: 'sent' } } });
        await tx.outboxMessage.updateMany({ where: { caseId }, data: { to: 'removed', text: '', html: '', lastError: null } });
        // The audit entry says what happened and under which rule: no personal data in it.
        await tx.auditEntry.create({
          data: { caseId, actor: 'system', action: 'anonymised at the end of the retention period', detail: audit },
        });
        return true;
      });
    },
  };
}

export type RetentionRepository = ReturnType<typeof retentionRepository>;
