import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import type { IsoDate } from '../domain/calendar-date.ts';
import type { CaseStatus } from '../domain/case-status.ts';
import type { NewEmail } from './cases.ts';

/**
 * Writes for the officers' actions on a case. Each action runs in ONE transaction that first locks
 * the case row (SELECT ... FOR UPDATE), so two officers acting at once are serialised and each sees
 * the status the other left. Inside it the service decides (status machine, rules) and writes the
 * status change, the audit entry, the outbox emails and the next deadline through `CaseWork`.
 */

export interface PersonSnapshot {
  name: string;
  organisationName: string | null;
  email: string | null;
  phone: string | null;
  /** Address lines then town and postcode, without blanks (for a letter's address block). */
  address: string[];
  relationship: string | null;
  organisation: string | null;
  dateOfBirth: IsoDate | null;
}

export interface RecommendationSnapshot {
  id: string;
  action: string;
  agency: string;
  dueOn: IsoDate;
  done: boolean;
  doneAt: Date | null;
}

export interface InformationRequestSnapshot {
  id: string;
  agency: string;
  asked: string | null;
  requestedAt: Date;
  dueOn: IsoDate;
  reply: string | null;
  repliedAt: Date | null;
}

export interface AgencyContribution {
  agency: string;
  shared: string;
  actionsTaken: string;
}

export interface ReviewSnapshot {
  id: string;
  scheduledFor: Date;
  agenciesInvited: string[];
  independentChair: string | null;
  victimAttendance: string;
  notInvitedReason: string | null;
  contributions: AgencyContribution[];
  heldAt: Date | null;
}

export interface AppealSnapshot {
  id: string;
  receivedAt: Date;
  about: string;
  appellant: string | null;
  result: string | null;
  upheld: boolean | null;
  sentBack: boolean | null;
  concludedAt: Date | null;
}

export interface CaseSnapshot {
  id: string;
  reference: string;
  status: CaseStatus;
  channel: string;
  receivedAt: Date;
  acknowledgementDueOn: IsoDate;
  acknowledgedAt: Date | null;
  nextDeadlineOn: IsoDate | null;
  applyingOnBehalf: boolean;
  thresholdAdvice: { met: boolean; reasons: string[]; flags: string[] };
  decision: string | null;
  decisionReason: string | null;
  rejectionGround: string | null;
  overrideReason: string | null;
  decidedAt: Date | null;
  spoc: { id: string; name: string } | null;
  actionPlanComments: string | null;
  actionPlanCommentsAt: Date | null;
  outcomeSummary: string | null;
  outcomeSentAt: Date | null;
  closedAt: Date | null;
  closureReason: string | null;
  victim: PersonSnapshot | null;
  applicant: PersonSnapshot | null;
  recommendations: RecommendationSnapshot[];
  informationRequests: InformationRequestSnapshot[];
  /** The latest review meeting (a rescheduled meeting updates the same one until it is held). */
  review: ReviewSnapshot | null;
  /** The latest appeal. */
  appeal: AppealSnapshot | null;
}

/** A form's one-time key and what it is for on the case ('add-note', 'information-reply:<id>'). */
export interface OneTimeKey {
  scope: string;
  key: string;
}

/** Fields of the case an action may set; undefined leaves a field as it is. */
export interface CaseFieldUpdate {
  acknowledgedAt?: Date;
  spocOfficerId?: string;
  decision?: string;
  decisionReason?: string;
  rejectionGround?: string | null;
  overrideReason?: string | null;
  decidedAt?: Date;
  actionPlanComments?: string;
  actionPlanCommentsAt?: Date;
  outcomeSummary?: string;
  outcomeSentAt?: Date;
  closedAt?: Date;
  closureReason?: string;
  nextDeadlineOn?: IsoDate | null;
}

/** What an action can do to the case it holds locked. */
export interface CaseWork {
  readonly snapshot: CaseSnapshot;
  /** One move through the status machine: a status_change row (from the current status) and the new status. */
  move(to: CaseStatus, reason: string): Promise<void>;
  update(fields: CaseFieldUpdate): Promise<void>;
  audit(action: string, detail: Record<string, string | number | boolean | null | string[]>): Promise<void>;
  queueEmails(emails: NewEmail[]): Promise<void>;
  findEnabledOfficer(id: string): Promise<{ id: string; name: string } | null>;
  addNote(text: string): Promise<void>;
  addInformationRequest(request: { agency: string; asked: string; dueOn: IsoDate }): Promise<void>;
  recordInformationReply(id: string, reply: { text: string; repliedAt: Date }): Promise<boolean>;
  /** Creates the review meeting, or updates the one not yet held (rescheduling). */
  scheduleReview(review: {
    scheduledFor: Date;
    agenciesInvited: string[];
    independentChair: string | null;
    victimAttendance: string;
    notInvitedReason: string | null;
  }): Promise<void>;
  holdReview(reviewId: string, held: { contributions: AgencyContribution[]; heldAt: Date }): Promise<void>;
  addRecommendation(recommendation: { action: string; agency: string; dueOn: IsoDate }): Promise<void>;
  markRecommendationDone(id: string): Promise<boolean>;
  recordAppeal(appeal: { receivedAt: Date; about: string; appellant: string }): Promise<void>;
  concludeAppeal(appealId: string, result: { result: string; upheld: boolean; sentBack: boolean }): Promise<void>;
}

export interface ChronologyEntry {
  at: Date;
  fromStatus: CaseStatus | null;
  toStatus: CaseStatus;
  reason: string | null;
  officerName: string | null;
}

export interface SentEmail {
  kind: string;
  to: string;
  subject: string;
  text: string;
  createdAt: Date;
  status: string;
  sentAt: Date | null;
}

export interface IncidentRecord {
  position: number;
  occurredOn: IsoDate;
  occurredOnApproximate: boolean;
  description: string;
  location: string;
  reportedTo: string[];
  reportedToOther: string | null;
  reportedOn: IsoDate | null;
  reference: string | null;
}

/** What the appeal pack adds to the snapshot: the application, the chronology and what was sent. */
export interface AppealPackRecord {
  snapshot: CaseSnapshot;
  application: {
    victimType: string;
    incidentsRelated: string;
    householdsReporting: number | null;
    impact: string;
    vulnerability: string | null;
    hateMotivated: string;
    hateTypes: string[];
    actionSoFar: string;
    hopedOutcome: string;
    incidents: IncidentRecord[];
  };
  chronology: ChronologyEntry[];
  emails: SentEmail[];
  appeals: AppealSnapshot[];
}

const asDate = (iso: IsoDate) => new Date(`${iso}T00:00:00Z`);
const isoOf = (date: Date): IsoDate => date.toISOString().slice(0, 10);

const snapshotInclude = {
  spoc: { select: { id: true, name: true } },
  people: true,
  recommendations: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
  informationRequests: { orderBy: [{ requestedAt: 'asc' }, { id: 'asc' }] },
  reviews: { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: 1 },
  appeals: { orderBy: [{ receivedAt: 'desc' }, { id: 'desc' }] },
} satisfies Prisma.CaseInclude;

type CaseRow = Prisma.CaseGetPayload<{ include: typeof snapshotInclude }>;
type PersonRow = CaseRow['people'][number];

function person(row: PersonRow | undefined): PersonSnapshot | null {
  if (!row) return null;
  return {
    name: row.name,
    organisationName: row.organisationName,
    email: row.email,
    phone: row.phone,
    address: [row.addressLine1, row.addressLine2, row.town, row.postcode].filter((line): line is string => Boolean(line)),
    relationship: row.relationship,
    organisation: row.organisation,
    dateOfBirth: row.dateOfBirth ? isoOf(row.dateOfBirth) : null,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function contributions(value: unknown): AgencyContribution[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).map((item) => ({
    agency: String(item.agency ?? ''),
    shared: String(item.shared ?? ''),
    actionsTaken: String(item.actionsTaken ?? ''),
  }));
}

function appeal(row: Prisma.AppealGetPayload<object>): AppealSnapshot {
  return {
    id: row.id,
    receivedAt: row.receivedAt,
    about: row.about,
    appellant: row.appellant,
    result: row.result,
    upheld: row.upheld,
    sentBack: row.sentBack,
    concludedAt: row.concludedAt,
  };
}

function toSnapshot(row: CaseRow): CaseSnapshot {
  const advice = isRecord(row.thresholdAdvice) ? row.thresholdAdvice : {};
  const review = row.reviews[0];
  const latestAppeal = row.appeals[0];
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
    thresholdAdvice: {
      met: advice.met === true || (advice.met === undefined && row.thresholdMet),
      reasons: strings(advice.reasons),
      flags: strings(advice.flags),
    },
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
    victim: person(row.people.find((p) => p.role === 'victim')),
    applicant: person(row.people.find((p) => p.role === 'applicant')),
    recommendations: row.recommendations.map((r) => ({
      id: r.id,
      action: r.action,
      agency: r.agency,
      dueOn: isoOf(r.dueOn),
      done: r.done,
      doneAt: r.doneAt,
    })),
    informationRequests: row.informationRequests.map((r) => ({
      id: r.id,
      agency: r.agency,
      asked: r.asked,
      requestedAt: r.requestedAt,
      dueOn: isoOf(r.dueOn),
      reply: r.reply,
      repliedAt: r.repliedAt,
    })),
    review: review
      ? {
          id: review.id,
          scheduledFor: review.scheduledFor,
          agenciesInvited: review.agenciesInvited,
          independentChair: review.independentChair,
          victimAttendance: review.victimAttendance,
          notInvitedReason: review.notInvitedReason,
          contributions: contributions(review.agencyContributions),
          heldAt: review.heldAt,
        }
      : null,
    appeal: latestAppeal ? appeal(latestAppeal) : null,
  };
}

function caseWork(tx: Prisma.TransactionClient, snapshot: CaseSnapshot, officerId: string): CaseWork {
  const caseId = snapshot.id;
  // Status changes in one transaction get strictly increasing times, so the chronology keeps their order.
  let lastAt = 0;
  const tick = () => {
    lastAt = Math.max(Date.now(), lastAt + 1);
    return new Date(lastAt);
  };
  return {
    snapshot,

    async move(to, reason) {
      const from = snapshot.status;
      const moved = await tx.case.updateMany({ where: { id: caseId, status: from }, data: { status: to } });
      if (moved.count !== 1) throw new Error(`The case ${snapshot.reference} was not ${from} when moving it to ${to}`);
      await tx.statusChange.create({ data: { caseId, fromStatus: from, toStatus: to, reason, officerId, at: tick() } });
      snapshot.status = to;
    },

    async update(fields) {
      const { nextDeadlineOn, ...rest } = fields;
      await tx.case.update({
        where: { id: caseId },
        data: {
          ...rest,
          ...(nextDeadlineOn === undefined ? {} : { nextDeadlineOn: nextDeadlineOn === null ? null : asDate(nextDeadlineOn) }),
        },
      });
    },

    async audit(action, detail) {
      await tx.auditEntry.create({ data: { caseId, officerId, actor: 'officer', action, detail } });
    },

    async queueEmails(emails) {
      if (emails.length) await tx.outboxMessage.createMany({ data: emails.map((email) => ({ ...email, caseId })) });
    },

    findEnabledOfficer: (id) => tx.officer.findFirst({ where: { id, disabled: false }, select: { id: true, name: true } }),

    async addNote(text) {
      await tx.note.create({ data: { caseId, officerId, text } });
    },

    async addInformationRequest(request) {
      await tx.informationRequest.create({ data: { caseId, agency: request.agency, asked: request.asked, dueOn: asDate(request.dueOn) } });
    },

    async recordInformationReply(id, reply) {
      const updated = await tx.informationRequest.updateMany({
        where: { id, caseId },
        data: { reply: reply.text, repliedAt: reply.repliedAt },
      });
      return updated.count === 1;
    },

    async scheduleReview(review) {
      const open = await tx.review.findFirst({ where: { caseId, heldAt: null }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
      const saved = open
        ? await tx.review.update({ where: { id: open.id }, data: review })
        : await tx.review.create({ data: { ...review, caseId } });
      await tx.case.update({ where: { id: caseId }, data: { nextReviewAt: review.scheduledFor } });
      snapshot.review = { ...review, id: saved.id, contributions: [], heldAt: null };
    },

    async holdReview(reviewId, held) {
      await tx.review.update({
        where: { id: reviewId, caseId },
        data: { heldAt: held.heldAt, agencyContributions: held.contributions.map((c) => ({ ...c })) },
      });
      if (snapshot.review?.id === reviewId)
        snapshot.review = { ...snapshot.review, heldAt: held.heldAt, contributions: held.contributions };
    },

    async addRecommendation(recommendation) {
      const created = await tx.recommendation.create({
        data: { caseId, action: recommendation.action, agency: recommendation.agency, dueOn: asDate(recommendation.dueOn) },
      });
      snapshot.recommendations.push({ ...recommendation, id: created.id, done: false, doneAt: null });
    },

    async markRecommendationDone(id) {
      const updated = await tx.recommendation.updateMany({ where: { id, caseId, done: false }, data: { done: true, doneAt: new Date() } });
      return updated.count === 1;
    },

    async recordAppeal(input) {
      const created = await tx.appeal.create({
        data: { caseId, receivedAt: input.receivedAt, about: input.about, appellant: input.appellant },
      });
      snapshot.appeal = appeal(created);
    },

    async concludeAppeal(appealId, result) {
      const updated = await tx.appeal.update({
        where: { id: appealId, caseId },
        data: { result: result.result, upheld: result.upheld, sentBack: result.sentBack, concludedAt: new Date() },
      });
      snapshot.appeal = appeal(updated);
    },
  };
}

export function caseActionRepository(prisma: PrismaClient) {
  return {
    /** The case as the action pages and letters need it, or null when there is no such reference. */
    async find(reference: string): Promise<CaseSnapshot | null> {
      const row = await prisma.case.findUnique({ where: { reference }, include: snapshotInclude });
      return row ? toSnapshot(row) : null;
    },

    /**
     * Runs `work` in one transaction with the case row locked. Returns null when there is no
     * such case. Anything `work` throws rolls the whole action back.
     *
     * With a one-time key (`once`), the key is stored with what `work` returned in the same
     * transaction; when the key is already stored for this case and scope, `work` does not run and
     * the stored result comes back with `repeated: true`. The case lock makes the look-up and the
     * insert one step for every instance; the unique (case, scope, key) is the backstop.
     */
    async withCase<T extends Prisma.InputJsonObject>(
      reference: string,
      officerId: string,
      work: (caseWork: CaseWork) => Promise<T>,
      once: OneTimeKey | null = null,
    ): Promise<{ result: T; repeated: boolean } | null> {
      return prisma.$transaction(
        async (tx) => {
          const locked = await tx.$queryRaw<Array<{ id: string }>>`SELECT "id" FROM "case" WHERE "reference" = ${reference} FOR UPDATE`;
          const id = locked[0]?.id;
          if (!id) return null;
          if (once) {
            const used = await tx.idempotencyKey.findUnique({
              where: { caseId_scope_key: { caseId: id, ...once } },
              select: { result: true },
            });
            if (used) return { result: used.result as T, repeated: true };
          }
          const row = await tx.case.findUniqueOrThrow({ where: { id }, include: snapshotInclude });
          const result = await work(caseWork(tx, toSnapshot(row), officerId));
          if (once) await tx.idempotencyKey.create({ data: { caseId: id, ...once, result } });
          return { result, repeated: false };
        },
        { timeout: 15_000 },
      );
    },

    /** What an action done with this one-time key answered, or null when the key has not been used on the case. */
    async usedKey(reference: string, once: OneTimeKey): Promise<Prisma.JsonValue | null> {
      const used = await prisma.idempotencyKey.findFirst({
        where: { case: { reference }, scope: once.scope, key: once.key },
        select: { result: true },
      });
      return used?.result ?? null;
    },

    enabledOfficers: (): Promise<Array<{ id: string; name: string }>> =>
      prisma.officer.findMany({ where: { disabled: false }, select: { id: true, name: true }, orderBy: [{ name: 'asc' }, { id: 'asc' }] }),

    /** Records that an officer opened a letter or the appeal pack (every view of a case is audited). */
    async auditView(caseId: string, officerId: string, action: string): Promise<void> {
      await prisma.auditEntry.create({ data: { caseId, officerId, actor: 'officer', action } });
    },

    async appealPack(reference: string): Promise<AppealPackRecord | null> {
      const row = await prisma.case.findUnique({
        where: { reference },
        include: {
          ...snapshotInclude,
          incidents: { orderBy: { position: 'asc' } },
          statusChanges: { orderBy: [{ at: 'asc' }, { id: 'asc' }], include: { officer: { select: { name: true } } } },
          outboxMessages: { where: { kind: { not: 'new-application' } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
        },
      });
      if (!row) return null;
      return {
        snapshot: toSnapshot(row),
        application: {
          victimType: row.victimType,
          incidentsRelated: row.incidentsRelated,
          householdsReporting: row.householdsReporting,
          impact: row.impact,
          vulnerability: row.vulnerability,
          hateMotivated: row.hateMotivated,
          hateTypes: row.hateTypes,
          actionSoFar: row.actionSoFar,
          hopedOutcome: row.hopedOutcome,
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
        },
        chronology: row.statusChanges.map((change) => ({
          at: change.at,
          fromStatus: change.fromStatus,
          toStatus: change.toStatus,
          reason: change.reason,
          officerName: change.officer?.name ?? null,
        })),
        emails: row.outboxMessages.map((message) => ({
          kind: message.kind,
          to: message.to,
          subject: message.subject,
          text: message.text,
          createdAt: message.createdAt,
          status: message.status,
          sentAt: message.sentAt,
        })),
        appeals: row.appeals.map(appeal),
      };
    },
  };
}

export type CaseActionRepository = ReturnType<typeof caseActionRepository>;
