import { Prisma, type PrismaClient } from '../generated/prisma/client.ts';
import type { Channel, PersonRole } from '../generated/prisma/enums.ts';

export interface NewPerson {
  role: PersonRole;
  name: string;
  organisationName: string | null;
  addressLine1: string | null;
  addressLine2: string | null;
  town: string | null;
  postcode: string | null;
  dateOfBirth: string | null;
  phone: string | null;
  email: string | null;
  preferredContact: string | null;
  safeTimes: string | null;
  needs: string | null;
  relationship: string | null;
  organisation: string | null;
}

export interface NewIncident {
  occurredOn: string;
  occurredOnApproximate: boolean;
  description: string;
  location: string;
  reportedTo: string[];
  reportedToOther: string | null;
  reportedOn: string | null;
  reference: string | null;
}

export interface NewEmail {
  kind: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Everything a submission writes, committed together or not at all. */
export interface NewCase {
  reference: string;
  submissionKey: string;
  channel: Channel;
  receivedAt: Date;
  acknowledgementDueOn: string;
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
  thresholdAdvice: object;
  thresholdMet: boolean;
  people: NewPerson[];
  incidents: NewIncident[];
  consent: { method: string; declared: boolean; howToConfirm: string | null; uploadId: string | null } | null;
  /** The draft whose uploads now belong to the case (null for officer entry). */
  draftId: string | null;
  audit: { actor: string; officerId: string | null; action: string };
  emails: NewEmail[];
}

export interface SubmittedCase {
  id: string;
  reference: string;
  acknowledgementDueOn: string;
}

export class DuplicateReferenceError extends Error {}

const asDate = (iso: string) => new Date(`${iso}T00:00:00Z`);
const isoOf = (date: Date) => date.toISOString().slice(0, 10);

export function caseRepository(prisma: PrismaClient) {
  return {
    async findBySubmissionKey(submissionKey: string): Promise<SubmittedCase | null> {
      const row = await prisma.case.findUnique({
        where: { submissionKey },
        select: { id: true, reference: true, acknowledgementDueOn: true },
      });
      return row ? { id: row.id, reference: row.reference, acknowledgementDueOn: isoOf(row.acknowledgementDueOn) } : null;
    },

    /**
     * One transaction: the case, its people, incidents and consent, the first status, the audit
     * entry, the outbox emails, and the draft marked as submitted. Returns null when this
     * submission key was already used (a double submit): the caller shows the original case.
     */
    async createSubmission(data: NewCase): Promise<SubmittedCase | null> {
      try {
        return await prisma.$transaction(async (tx) => {
          const created = await tx.case.create({
            data: {
              reference: data.reference,
              submissionKey: data.submissionKey,
              channel: data.channel,
              receivedAt: data.receivedAt,
              acknowledgementDueOn: asDate(data.acknowledgementDueOn),
              nextDeadlineOn: asDate(data.acknowledgementDueOn),
              applyingOnBehalf: data.applyingOnBehalf,
              victimType: data.victimType,
              incidentsRelated: data.incidentsRelated,
              householdsReporting: data.householdsReporting,
              impact: data.impact,
              vulnerability: data.vulnerability,
              hateMotivated: data.hateMotivated,
              hateTypes: data.hateTypes,
              actionSoFar: data.actionSoFar,
              hopedOutcome: data.hopedOutcome,
              thresholdAdvice: data.thresholdAdvice,
              thresholdMet: data.thresholdMet,
              people: {
                create: data.people.map((person) => ({
                  ...person,
                  searchName: [person.name, person.organisationName].filter(Boolean).join(' ').toLowerCase(),
                  dateOfBirth: person.dateOfBirth ? asDate(person.dateOfBirth) : null,
                })),
              },
              incidents: {
                create: data.incidents.map((incident, index) => ({
                  ...incident,
                  position: index + 1,
                  occurredOn: asDate(incident.occurredOn),
                  reportedOn: incident.reportedOn ? asDate(incident.reportedOn) : null,
                })),
              },
              statusChanges: { create: { toStatus: 'received', reason: `Application received (${data.channel})`, officerId: data.audit.officerId } },
              auditEntries: { create: { actor: data.audit.actor, officerId: data.audit.officerId, action: data.audit.action } },
              outboxMessages: { create: data.emails },
            },
            select: { id: true, reference: true },
          });
          if (data.consent) {
            await tx.consent.create({ data: { ...data.consent, caseId: created.id } });
          }
          if (data.draftId) {
            await tx.upload.updateMany({ where: { draftId: data.draftId }, data: { caseId: created.id } });
            await tx.draft.update({ where: { id: data.draftId }, data: { submittedCaseId: created.id, resumeTokenHash: null } });
          }
          return { id: created.id, reference: created.reference, acknowledgementDueOn: data.acknowledgementDueOn };
        });
      } catch (error) {
        if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
          const target = JSON.stringify(error.meta ?? {});
          if (target.includes('reference')) throw new DuplicateReferenceError(data.reference);
          return null;
        }
        throw error;
      }
    },
  };
}

export type CaseRepository = ReturnType<typeof caseRepository>;
