import type { PrismaClient } from '../generated/prisma/client.ts';
import type { IsoDate } from '../domain/calendar-date.ts';
import type { CaseStatus } from '../domain/case-status.ts';

/**
 * The whole of one case, read once for its printed record (a meeting file): the application,
 * the people, consent, incidents, the decision, information requests, every review meeting, the
 * action plan, appeals, the chronology of status changes, notes and the letters and emails sent.
 * Plain values only: no Prisma types leave this file.
 */

export interface CaseRecordPerson {
  role: 'victim' | 'applicant';
  name: string;
  organisationName: string | null;
  address: string[];
  dateOfBirth: IsoDate | null;
  email: string | null;
  phone: string | null;
  preferredContact: string | null;
  safeTimes: string | null;
  needs: string | null;
  relationship: string | null;
  organisation: string | null;
}

export interface CaseRecordData {
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
  decision: string | null;
  decisionReason: string | null;
  rejectionGround: string | null;
  overrideReason: string | null;
  decidedAt: Date | null;
  spoc: { name: string; email: string } | null;
  actionPlanComments: string | null;
  actionPlanCommentsAt: Date | null;
  outcomeSummary: string | null;
  outcomeSentAt: Date | null;
  closedAt: Date | null;
  closureReason: string | null;
  people: CaseRecordPerson[];
  consent: {
    method: string;
    declared: boolean;
    howToConfirm: string | null;
    confirmedAt: Date | null;
    upload: { fileName: string; size: number } | null;
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
  informationRequests: Array<{
    id: string;
    agency: string;
    asked: string | null;
    requestedAt: Date;
    dueOn: IsoDate;
    reply: string | null;
    repliedAt: Date | null;
  }>;
  reviews: Array<{
    scheduledFor: Date;
    agenciesInvited: string[];
    independentChair: string | null;
    victimAttendance: string;
    notInvitedReason: string | null;
    contributions: unknown;
    heldAt: Date | null;
  }>;
  recommendations: Array<{
    action: string;
    agency: string;
    dueOn: IsoDate;
    done: boolean;
    doneAt: Date | null;
    victimComments: string | null;
  }>;
  appeals: Array<{
    receivedAt: Date;
    about: string;
    appellant: string | null;
    result: string | null;
    upheld: boolean | null;
    sentBack: boolean | null;
    concludedAt: Date | null;
  }>;
  statusChanges: Array<{
    at: Date;
    fromStatus: CaseStatus | null;
    toStatus: CaseStatus;
    reason: string | null;
    officerName: string | null;
  }>;
  notes: Array<{ createdAt: Date; text: string; officerName: string | null }>;
  emails: Array<{ kind: string; to: string; subject: string; createdAt: Date; status: string; sentAt: Date | null }>;
}

const isoOf = (date: Date): IsoDate => date.toISOString().slice(0, 10);

export function caseRecordRepository(prisma: PrismaClient) {
  return {
    async find(reference: string): Promise<CaseRecordData | null> {
      const row = await prisma.case.findUnique({
        where: { reference },
        include: {
          spoc: { select: { name: true, email: true } },
          people: { orderBy: { role: 'asc' } },
          consent: { include: { upload: { select: { fileName: true, size: true } } } },
          incidents: { orderBy: { position: 'asc' } },
          informationRequests: { orderBy: [{ requestedAt: 'asc' }, { id: 'asc' }] },
          reviews: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
          recommendations: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
          appeals: { orderBy: [{ receivedAt: 'asc' }, { id: 'asc' }] },
          statusChanges: { orderBy: [{ at: 'asc' }, { id: 'asc' }], include: { officer: { select: { name: true } } } },
          notes: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], include: { officer: { select: { name: true } } } },
          outboxMessages: {
            where: { kind: { not: 'new-application' } },
            orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
            select: { kind: true, to: true, subject: true, createdAt: true, status: true, sentAt: true },
          },
        },
      });
      if (!row) return null;
      return {
        id: row.id,
        reference: row.reference,
        status: row.status,
        channel: row.channel,
        receivedAt: row.receivedAt,
        acknowledgementDueOn: isoOf(row.acknowledgementDueOn),
        acknowledgedAt: row.acknowledgedAt,
        nextDeadlineOn: row.nextDeadlineOn ? isoOf(row.nextDeadlineOn) : null,
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
        decision: row.decision,
        decisionReason: row.decisionReason,
        rejectionGround: row.rejectionGround,
        overrideReason: row.overrideReason,
        decidedAt: row.decidedAt,
        spoc: row.spoc,
        actionPlanComments: row.actionPlanComments,
        actionPlanCommentsAt: row.actionPlanCommentsAt,
        outcomeSummary: row.outcomeSummary,
        outcomeSentAt: row.outcomeSentAt,
        closedAt: row.closedAt,
        closureReason: row.closureReason,
        // The victim first, then the applicant applying for them.
        people: [...row.people]
          .sort((a, b) => (a.role === b.role ? 0 : a.role === 'victim' ? -1 : 1))
          .map((person) => ({
            role: person.role,
            name: person.name,
            organisationName: person.organisationName,
            address: [person.addressLine1, person.addressLine2, person.town, person.postcode].filter((line): line is string =>
              Boolean(line),
            ),
            dateOfBirth: person.dateOfBirth ? isoOf(person.dateOfBirth) : null,
            email: person.email,
            phone: person.phone,
            preferredContact: person.preferredContact,
            safeTimes: person.safeTimes,
            needs: person.needs,
            relationship: person.relationship,
            organisation: person.organisation,
          })),
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
          reportedOn: incident.reportedOn ? isoOf(incident.reportedOn) : null,
          reference: incident.reference,
        })),
        informationRequests: row.informationRequests.map((request) => ({
          id: request.id,
          agency: request.agency,
          asked: request.asked,
          requestedAt: request.requestedAt,
          dueOn: isoOf(request.dueOn),
          reply: request.reply,
          repliedAt: request.repliedAt,
        })),
        reviews: row.reviews.map((review) => ({
          scheduledFor: review.scheduledFor,
          agenciesInvited: review.agenciesInvited,
          independentChair: review.independentChair,
          victimAttendance: review.victimAttendance,
          notInvitedReason: review.notInvitedReason,
          contributions: review.agencyContributions,
          heldAt: review.heldAt,
        })),
        recommendations: row.recommendations.map((recommendation) => ({
          action: recommendation.action,
          agency: recommendation.agency,
          dueOn: isoOf(recommendation.dueOn),
          done: recommendation.done,
          doneAt: recommendation.doneAt,
          victimComments: recommendation.victimComments,
        })),
        appeals: row.appeals.map((appeal) => ({
          receivedAt: appeal.receivedAt,
          about: appeal.about,
          appellant: appeal.appellant,
          result: appeal.result,
          upheld: appeal.upheld,
          sentBack: appeal.sentBack,
          concludedAt: appeal.concludedAt,
        })),
        statusChanges: row.statusChanges.map((change) => ({
          at: change.at,
          fromStatus: change.fromStatus,
          toStatus: change.toStatus,
          reason: change.reason,
          officerName: change.officer?.name ?? null,
        })),
        notes: row.notes.map((note) => ({ createdAt: note.createdAt, text: note.text, officerName: note.officer?.name ?? null })),
        emails: row.outboxMessages,
      };
    },

    /** Every view of a case is audited; printing its record is one. */
    async recordPrint(caseId: string, officerId: string): Promise<void> {
      await prisma.auditEntry.create({ data: { caseId, officerId, actor: 'officer', action: 'printed case record' } });
    },
  };
}

export type CaseRecordRepository = ReturnType<typeof caseRecordRepository>;
