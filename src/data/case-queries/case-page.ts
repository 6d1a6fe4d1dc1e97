import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { IsoDate } from '../../domain/calendar-date.ts';
import type { CaseStatus } from '../../domain/case-status.ts';

/** One case read whole for its page, its signed consent form, and the audit entry for each view. */

interface OfficerName {
  name: string;
}

export interface CaseRecord {
  id: string;
  reference: string;
  status: CaseStatus;
  channel: string;
  receivedAt: Date;
  acknowledgementDueOn: IsoDate;
  acknowledgedAt: Date | null;
  nextDeadlineOn: IsoDate | null;
  applyingOnBehalf: boolean;
  victimType: string;
  incidentsRelated: string;
  householdsReporting: number | null;
  impact: string;
  vulnerability: string | null;
  hateMotivated: string;
  hateTypes: string[];
  actionSoFar: string;
  hopedOutcome: string;
  thresholdAdvice: unknown;
  thresholdMet: boolean;
  decision: string | null;
  decisionReason: string | null;
  rejectionGround: string | null;
  decidedAt: Date | null;
  outcomeSentAt: Date | null;
  closedAt: Date | null;
  closureReason: string | null;
  anonymisedAt: Date | null;
  spoc: { name: string; email: string } | null;
  people: Array<{
    role: 'victim' | 'applicant';
    name: string;
    organisationName: string | null;
    addressLine1: string | null;
    addressLine2: string | null;
    town: string | null;
    postcode: string | null;
    dateOfBirth: IsoDate | null;
    phone: string | null;
    email: string | null;
    preferredContact: string | null;
    safeTimes: string | null;
    needs: string | null;
    relationship: string | null;
    organisation: string | null;
  }>;
  consent: {
    method: string;
    declared: boolean;
    howToConfirm: string | null;
    confirmedAt: Date | null;
    upload: { fileName: string; mediaType: string; size: number } | null;
  } | null;
  incidents: Array<{
    position: number;
    occurredOn: IsoDate;
    occurredOnApproximate: boolean;
    description: string;
    location: string;
    reportedTo: string[];
    reportedToOther: string | null;
    reportedOn: IsoDate | null;
    reference: string | null;
  }>;
  statusChanges: Array<{
    fromStatus: CaseStatus | null;
    toStatus: CaseStatus;
    reason: string | null;
    at: Date;
    officer: OfficerName | null;
  }>;
  notes: Array<{ text: string; createdAt: Date; officer: OfficerName | null }>;
  auditEntries: Array<{ actor: string; action: string; at: Date; officer: OfficerName | null }>;
  emails: Array<{
    kind: string;
    to: string;
    status: string;
    attempts: number;
    lastError: string | null;
    sentAt: Date | null;
    createdAt: Date;
  }>;
  informationRequests: Array<{ agency: string; requestedAt: Date; dueOn: IsoDate; repliedAt: Date | null; reply: string | null }>;
  reviews: Array<{
    scheduledFor: Date;
    agenciesInvited: string[];
    independentChair: string | null;
    victimAttendance: string;
    notInvitedReason: string | null;
    heldAt: Date | null;
    createdAt: Date;
  }>;
  recommendations: Array<{ action: string; agency: string; dueOn: IsoDate; done: boolean; victimComments: string | null }>;
  appeals: Array<{ receivedAt: Date; about: string; result: string | null; upheld: boolean | null; concludedAt: Date | null }>;
}

export interface ConsentFile {
  caseId: string;
  fileName: string;
  mediaType: string;
  data: Uint8Array;
}

const isoOf = (date: Date): IsoDate => date.toISOString().slice(0, 10);
const isoOrNull = (date: Date | null): IsoDate | null => (date ? isoOf(date) : null);

export function casePageQueries(prisma: PrismaClient) {
  return {
    /** Everything about one case, for its page. Null when there is no such case. */
    async findCase(reference: string): Promise<CaseRecord | null> {
      const row = await prisma.case.findUnique({
        where: { reference },
        include: {
          people: { orderBy: { role: 'asc' } },
          consent: { include: { upload: { select: { fileName: true, mediaType: true, size: true } } } },
          incidents: { orderBy: { position: 'asc' } },
          statusChanges: { orderBy: { at: 'asc' } },
          notes: { orderBy: { createdAt: 'asc' } },
          auditEntries: { orderBy: { at: 'asc' } },
          outboxMessages: {
            orderBy: { createdAt: 'asc' },
            select: { kind: true, to: true, status: true, attempts: true, lastError: true, sentAt: true, createdAt: true },
          },
          informationRequests: { orderBy: { requestedAt: 'asc' } },
          reviews: { orderBy: { createdAt: 'asc' } },
          recommendations: { orderBy: { createdAt: 'asc' } },
          appeals: { orderBy: { receivedAt: 'asc' } },
        },
      });
      if (!row) return null;
      // The officers named on the page (the SPoC, and who changed, noted or viewed what), in one
      // query rather than one per kind of entry.
      const officerIds = new Set<string>();
      for (const id of [
        row.spocOfficerId,
        ...row.statusChanges.map((c) => c.officerId),
        ...row.notes.map((n) => n.officerId),
        ...row.auditEntries.map((e) => e.officerId),
      ]) {
        if (id) officerIds.add(id);
      }
      const officers = new Map(
        (officerIds.size
          ? await prisma.officer.findMany({ where: { id: { in: [...officerIds] } }, select: { id: true, name: true, email: true } })
          : []
        ).map((officer) => [officer.id, officer]),
      );
      const named = (id: string | null) => {
        const officer = id ? officers.get(id) : undefined;
        return officer ? { name: officer.name } : null;
      };
      const spoc = row.spocOfficerId ? officers.get(row.spocOfficerId) : undefined;
      return {
        id: row.id,
        reference: row.reference,
        status: row.status,
        channel: row.channel,
        receivedAt: row.receivedAt,
        acknowledgementDueOn: isoOf(row.acknowledgementDueOn),
        acknowledgedAt: row.acknowledgedAt,
        nextDeadlineOn: isoOrNull(row.nextDeadlineOn),
        applyingOnBehalf: row.applyingOnBehalf,
        victimType: row.victimType,
        incidentsRelated: row.incidentsRelated,
        householdsReporting: row.householdsReporting,
        impact: row.impact,
        vulnerability: row.vulnerability,
        hateMotivated: row.hateMotivated,
        hateTypes: row.hateTypes,
        actionSoFar: row.actionSoFar,
        hopedOutcome: row.hopedOutcome,
        thresholdAdvice: row.thresholdAdvice,
        thresholdMet: row.thresholdMet,
        decision: row.decision,
        decisionReason: row.decisionReason,
        rejectionGround: row.rejectionGround,
        decidedAt: row.decidedAt,
        outcomeSentAt: row.outcomeSentAt,
        closedAt: row.closedAt,
        closureReason: row.closureReason,
        anonymisedAt: row.anonymisedAt,
        spoc: spoc ? { name: spoc.name, email: spoc.email } : null,
        people: row.people.map((person) => ({ ...person, dateOfBirth: isoOrNull(person.dateOfBirth) })),
        consent: row.consent
          ? {
              method: row.consent.method,
              declared: row.consent.declared,
              howToConfirm: row.consent.howToConfirm,
              confirmedAt: row.consent.confirmedAt,
              upload: row.consent.upload,
            }
          : null,
        incidents: row.incidents.map((incident) => ({
          position: incident.position,
          occurredOn: isoOf(incident.occurredOn),
          occurredOnApproximate: incident.occurredOnApproximate,
          description: incident.description,
          location: incident.location,
          reportedTo: incident.reportedTo,
          reportedToOther: incident.reportedToOther,
          reportedOn: isoOrNull(incident.reportedOn),
          reference: incident.reference,
        })),
        statusChanges: row.statusChanges.map((change) => ({
          fromStatus: change.fromStatus,
          toStatus: change.toStatus,
          reason: change.reason,
          at: change.at,
          officer: named(change.officerId),
        })),
        notes: row.notes.map((note) => ({ text: note.text, createdAt: note.createdAt, officer: named(note.officerId) })),
        auditEntries: row.auditEntries.map((entry) => ({
          actor: entry.actor,
          action: entry.action,
          at: entry.at,
          officer: named(entry.officerId),
        })),
        emails: row.outboxMessages,
        informationRequests: row.informationRequests.map((request) => ({
          agency: request.agency,
          requestedAt: request.requestedAt,
          dueOn: isoOf(request.dueOn),
          repliedAt: request.repliedAt,
          reply: request.reply,
        })),
        reviews: row.reviews.map((review) => ({
          scheduledFor: review.scheduledFor,
          agenciesInvited: review.agenciesInvited,
          independentChair: review.independentChair,
          victimAttendance: review.victimAttendance,
          notInvitedReason: review.notInvitedReason,
          heldAt: review.heldAt,
          createdAt: review.createdAt,
        })),
        recommendations: row.recommendations.map((recommendation) => ({
          action: recommendation.action,
          agency: recommendation.agency,
          dueOn: isoOf(recommendation.dueOn),
          done: recommendation.done,
          victimComments: recommendation.victimComments,
        })),
        appeals: row.appeals.map((appeal) => ({
          receivedAt: appeal.receivedAt,
          about: appeal.about,
          result: appeal.result,
          upheld: appeal.upheld,
          concludedAt: appeal.concludedAt,
        })),
      };
    },

    /** The signed consent form uploaded with a case, with its bytes. */
    async findConsentFile(reference: string): Promise<ConsentFile | null> {
      const row = await prisma.case.findUnique({
        where: { reference },
        select: { id: true, consent: { select: { upload: { select: { fileName: true, mediaType: true, data: true } } } } },
      });
      const upload = row?.consent?.upload;
      if (!row || !upload) return null;
      return { caseId: row.id, fileName: upload.fileName, mediaType: upload.mediaType, data: upload.data };
    },

    async recordView(entry: { caseId: string; officerId: string; action: string }): Promise<void> {
      await prisma.auditEntry.create({
        data: { caseId: entry.caseId, officerId: entry.officerId, actor: 'officer', action: entry.action },
      });
    },
  };
}
