import { Prisma, type PrismaClient } from '../generated/prisma/client.ts';
import { caseRecordRepository, type CaseRecordData } from './case-record.ts';

/** Who a subject access request is about: an email address, or a full name with a postcode. */
export type SubjectCriteria = { kind: 'email'; email: string } | { kind: 'name-and-postcode'; name: string; postcode: string };

/** One place the person appears: a case where they are the victim or the applicant. */
export interface SubjectMatch {
  caseId: string;
  reference: string;
  role: 'victim' | 'applicant';
  name: string;
  email: string | null;
  postcode: string | null;
  receivedAt: Date;
  status: string;
}

export interface SubjectCase {
  record: CaseRecordData;
  /** Emails sent to the person on this case, with their words. */
  emails: Array<{ kind: string; to: string; subject: string; text: string; status: string; createdAt: Date; sentAt: Date | null }>;
  /** Everything the audit trail holds about the case: who looked and what they did. */
  audit: Array<{ at: Date; actor: string; action: string; officerName: string | null; detail: unknown }>;
}

/**
 * Finding everything held about one person, for a subject access request (UK GDPR article 15).
 * Names match whole and ignoring case and spacing; emails and postcodes are stored normalised
 * (lower case; upper case with one space), so they match exactly and through their indexes.
 */
export function subjectAccessRepository(prisma: PrismaClient) {
  const records = caseRecordRepository(prisma);

  return {
    async find(criteria: SubjectCriteria): Promise<SubjectMatch[]> {
      const condition =
        criteria.kind === 'email'
          ? Prisma.sql`p.email = ${criteria.email}`
          : Prisma.sql`p.postcode = ${criteria.postcode} AND lower(regexp_replace(btrim(p.name), '\\s+', ' ', 'g')) = ${criteria.name}`;
      return prisma.$queryRaw<SubjectMatch[]>`
        SELECT c.id::text AS "caseId", c.reference, p.role::text AS role, p.name, p.email, p.postcode,
               c.received_at AS "receivedAt", c.status::text AS status
          FROM person p JOIN "case" c ON c.id = p.case_id
         WHERE ${condition}
         ORDER BY c.received_at, c.id, p.role`;
    },

    /** The whole of each case, the emails sent to the person's addresses, and the case's audit trail. */
    async cases(matches: SubjectMatch[]): Promise<SubjectCase[]> {
      const references = [...new Set(matches.map((match) => match.reference))];
      return Promise.all(
        references.map(async (reference): Promise<SubjectCase> => {
          const record = await records.find(reference);
          if (!record) throw new Error('A matched case disappeared while it was being exported');
          const addresses = matches.filter((match) => match.reference === reference).flatMap((match) => (match.email ? [match.email] : []));
          const [emails, audit] = await Promise.all([
            prisma.outboxMessage.findMany({
              where: { caseId: record.id, to: { in: addresses } },
              orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
              select: { kind: true, to: true, subject: true, text: true, status: true, createdAt: true, sentAt: true },
            }),
            prisma.auditEntry.findMany({
              where: { caseId: record.id },
              orderBy: [{ at: 'asc' }, { id: 'asc' }],
              select: { at: true, actor: true, action: true, detail: true, officer: { select: { name: true } } },
            }),
          ]);
          return {
            record,
            emails,
            audit: audit.map((entry) => ({
              at: entry.at,
              actor: entry.actor,
              action: entry.action,
              officerName: entry.officer?.name ?? null,
              detail: entry.detail,
            })),
          };
        }),
      );
    },

    /** One entry for the export, and one on each case it covers (so the case's trail shows it too). */
    async recordExport(
      officerId: string,
      summary: { searchedBy: SubjectCriteria['kind']; cases: number },
      caseIds: string[],
    ): Promise<void> {
      await prisma.auditEntry.createMany({
        data: [
          { actor: 'officer', officerId, action: 'subject access export', detail: summary },
          ...caseIds.map((caseId) => ({
            actor: 'officer',
            officerId,
            caseId,
            action: 'subject access export',
            detail: { searchedBy: summary.searchedBy },
          })),
        ],
      });
    },

    /** A search on its own, before the download: audited too (who searched, how, how many found). */
    async recordSearch(officerId: string, summary: { searchedBy: SubjectCriteria['kind']; matches: number }): Promise<void> {
      await prisma.auditEntry.create({ data: { actor: 'officer', officerId, action: 'subject access search', detail: summary } });
    },
  };
}

export type SubjectAccessRepository = ReturnType<typeof subjectAccessRepository>;
