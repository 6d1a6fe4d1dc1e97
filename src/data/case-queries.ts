import { Prisma, type PrismaClient } from '../generated/prisma/client.ts';
import { containsPattern, type CaseListQuery } from '../domain/case-list-query.ts';
import type { IsoDate } from '../domain/calendar-date.ts';
import type { CaseStatus } from '../domain/case-status.ts';

/**
 * Reads for the officers' dashboard, case list and case page, and the audit entry for each view.
 *
 * The list and dashboard use raw SQL (tagged templates: every value is a bound parameter) so the
 * keyset conditions and the joins stay in shapes the indexes serve: case(received_at, id),
 * case(next_deadline_on, id), case(status, received_at), person(search_name) trigram,
 * person(postcode), person(email).
 */

export interface CaseListRow {
  id: string;
  reference: string;
  status: CaseStatus;
  channel: string;
  receivedAt: Date;
  nextDeadlineOn: IsoDate | null;
  victimName: string | null;
}

export interface DashboardCaseRow {
  id: string;
  reference: string;
  receivedAt: Date;
  dueOn: IsoDate | null;
}

export interface DashboardCounts {
  newApplications: number;
  acknowledgementsDueToday: number;
  acknowledgementsOverdue: number;
  decisionsDue: number;
  reviewsComingUp: number;
  outcomesDue: number;
  openAppeals: number;
  failedEmails: number;
}

export type DashboardSection = 'new' | 'ack-today' | 'ack-overdue' | 'decisions' | 'reviews' | 'outcomes' | 'appeals';

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

/** Start of a London calendar day, as an instant, in SQL. */
const londonMidnight = (date: IsoDate, plusDays = 0) =>
  Prisma.sql`((${date}::date + ${plusDays}::int)::timestamp AT TIME ZONE 'Europe/London')`;

/** The WHERE conditions of a case list query (filters and search), on "case" c. */
function listConditions(query: CaseListQuery, today: IsoDate): Prisma.Sql[] {
  const conditions: Prisma.Sql[] = [];
  if (query.statuses.length > 0) {
    conditions.push(Prisma.sql`c.status IN (${Prisma.join(query.statuses.map((status) => Prisma.sql`${status}::"CaseStatus"`))})`);
  }
  if (query.channel) conditions.push(Prisma.sql`c.channel = ${query.channel}::"Channel"`);
  if (query.deadline === 'overdue') conditions.push(Prisma.sql`c.next_deadline_on < ${today}::date`);
  if (query.deadline === 'today') conditions.push(Prisma.sql`c.next_deadline_on = ${today}::date`);
  if (query.receivedFrom) conditions.push(Prisma.sql`c.received_at >= ${londonMidnight(query.receivedFrom)}`);
  if (query.receivedTo) conditions.push(Prisma.sql`c.received_at < ${londonMidnight(query.receivedTo, 1)}`);
  const search = query.search;
  if (search?.kind === 'reference') conditions.push(Prisma.sql`c.reference = ${search.value}`);
  if (search?.kind === 'postcode') conditions.push(Prisma.sql`c.id IN (SELECT p.case_id FROM person p WHERE p.postcode = ${search.value})`);
  if (search?.kind === 'email') conditions.push(Prisma.sql`c.id IN (SELECT p.case_id FROM person p WHERE p.email = ${search.value})`);
  if (search?.kind === 'name') {
    conditions.push(Prisma.sql`c.id IN (SELECT p.case_id FROM person p WHERE p.search_name ILIKE ${containsPattern(search.value)})`);
  }
  return conditions;
}

type Ordering = 'received-desc' | 'received-asc' | 'deadline-asc' | 'deadline-desc';

const orderings: Record<Ordering, string[]> = {
  'received-desc': ['received_at DESC', 'id DESC'],
  'received-asc': ['received_at ASC', 'id ASC'],
  'deadline-asc': ['next_deadline_on ASC NULLS LAST', 'id ASC'],
  'deadline-desc': ['next_deadline_on DESC NULLS FIRST', 'id DESC'],
};

/** ORDER BY text for a fixed ordering on a table alias (constants only, never input). */
const orderBy = (ordering: Ordering, alias: string) => Prisma.raw(orderings[ordering].map((part) => `${alias}.${part}`).join(', '));

/**
 * The keyset parts of one page, in the direction it is read: each part is a condition that one
 * index range serves. Sorting by deadline puts cases with no open deadline last; a row comparison
 * never matches NULL, so a page that crosses from dated to undated rows is read as two ranges
 * joined with UNION ALL.
 */
function keyset(query: CaseListQuery): { parts: Array<Prisma.Sql | null>; ordering: Ordering; reversed: boolean } {
  const cursor = query.cursor;
  const backwards = cursor?.direction === 'before';
  if (query.sort === 'received') {
    const ordering: Ordering = backwards ? 'received-asc' : 'received-desc';
    if (!cursor || cursor.key === null) return { parts: [null], ordering, reversed: backwards };
    const bound = Prisma.sql`(${cursor.key}::timestamptz, ${cursor.id}::uuid)`;
    return {
      parts: [backwards ? Prisma.sql`(c.received_at, c.id) > ${bound}` : Prisma.sql`(c.received_at, c.id) < ${bound}`],
      ordering,
      reversed: backwards,
    };
  }
  const ordering: Ordering = backwards ? 'deadline-desc' : 'deadline-asc';
  if (!cursor) return { parts: [null], ordering, reversed: false };
  const id = Prisma.sql`${cursor.id}::uuid`;
  if (cursor.key === null) {
    const parts = backwards
      ? [Prisma.sql`c.next_deadline_on IS NULL AND c.id < ${id}`, Prisma.sql`c.next_deadline_on IS NOT NULL`]
      : [Prisma.sql`c.next_deadline_on IS NULL AND c.id > ${id}`];
    return { parts, ordering, reversed: backwards };
  }
  const bound = Prisma.sql`(${cursor.key}::date, ${id})`;
  const parts = backwards
    ? [Prisma.sql`(c.next_deadline_on, c.id) < ${bound}`]
    : [Prisma.sql`(c.next_deadline_on, c.id) > ${bound}`, Prisma.sql`c.next_deadline_on IS NULL`];
  return { parts, ordering, reversed: backwards };
}

interface RawListRow {
  id: string;
  reference: string;
  status: CaseStatus;
  channel: string;
  received_at: Date;
  next_deadline_on: string | null;
  victim_name: string | null;
}

interface RawDashboardRow {
  id: string;
  reference: string;
  received_at: Date;
  due_on: string | null;
}

export function caseQueryRepository(prisma: PrismaClient) {
  return {
    /**
     * One page of the case list, in display order, plus whether there is more beyond it in the
     * direction read (`limit` + 1 rows are fetched to know).
     */
    async listCases(query: CaseListQuery, today: IsoDate, limit: number): Promise<{ rows: CaseListRow[]; more: boolean }> {
      const filters = listConditions(query, today);
      const { parts, ordering, reversed } = keyset(query);
      const ranges = parts.map((part) => {
        const conditions = part ? [...filters, part] : filters;
        const where = conditions.length > 0 ? Prisma.sql`WHERE ${Prisma.join(conditions, ' AND ')}` : Prisma.empty;
        return Prisma.sql`(SELECT c.id, c.reference, c.status, c.channel, c.received_at, c.next_deadline_on
          FROM "case" c ${where} ORDER BY ${orderBy(ordering, 'c')} LIMIT ${limit + 1}::int)`;
      });
      const rows = await prisma.$queryRaw<RawListRow[]>`
        SELECT page.id::text AS id, page.reference, page.status::text AS status, page.channel::text AS channel, page.received_at,
               page.next_deadline_on::text AS next_deadline_on, coalesce(v.organisation_name, v.name) AS victim_name
        FROM (SELECT * FROM (${Prisma.join(ranges, ' UNION ALL ')}) AS ranges ORDER BY ${orderBy(ordering, 'ranges')} LIMIT ${limit + 1}::int) AS page
        LEFT JOIN person v ON v.case_id = page.id AND v.role = 'victim'
        ORDER BY ${orderBy(ordering, 'page')}`;
      const more = rows.length > limit;
      const pageRows = rows.slice(0, limit).map((row): CaseListRow => ({
        id: row.id,
        reference: row.reference,
        status: row.status,
        channel: row.channel,
        receivedAt: row.received_at,
        nextDeadlineOn: row.next_deadline_on,
        victimName: row.victim_name,
      }));
      return { rows: reversed ? pageRows.reverse() : pageRows, more };
    },

    /**
     * How many cases match the filters and search, counting no further than `cap` (a count of
     * every one of 100,000 cases costs more than the page itself; "more than 1,000" is as useful).
     */
    async countCases(query: CaseListQuery, today: IsoDate, cap: number): Promise<number> {
      const conditions = listConditions(query, today);
      const where = conditions.length > 0 ? Prisma.sql`WHERE ${Prisma.join(conditions, ' AND ')}` : Prisma.empty;
      const [row] = await prisma.$queryRaw<Array<{ count: number }>>`
        SELECT count(*)::int AS count FROM (SELECT 1 FROM "case" c ${where} LIMIT ${cap}::int) AS capped`;
      return row?.count ?? 0;
    },

    async dashboardCounts(today: IsoDate, reviewDays: number): Promise<DashboardCounts> {
      const [cases] = await prisma.$queryRaw<Array<Omit<DashboardCounts, 'reviewsComingUp' | 'failedEmails'>>>`
        SELECT count(*) FILTER (WHERE status = 'received')::int AS "newApplications",
               count(*) FILTER (WHERE status = 'received' AND acknowledgement_due_on = ${today}::date)::int AS "acknowledgementsDueToday",
               count(*) FILTER (WHERE status = 'received' AND acknowledgement_due_on < ${today}::date)::int AS "acknowledgementsOverdue",
               count(*) FILTER (WHERE status = 'acknowledged')::int AS "decisionsDue",
               count(*) FILTER (WHERE status = 'review_held')::int AS "outcomesDue",
               count(*) FILTER (WHERE status = 'appeal_received')::int AS "openAppeals"
        FROM "case" WHERE status IN ('received', 'acknowledged', 'review_held', 'appeal_received')`;
      const [reviews] = await prisma.$queryRaw<Array<{ count: number }>>`
        SELECT count(*)::int AS count FROM "case" c
        JOIN LATERAL (SELECT r.scheduled_for FROM review r WHERE r.case_id = c.id ORDER BY r.created_at DESC LIMIT 1) latest ON true
        WHERE c.status = 'review_scheduled' AND latest.scheduled_for < ${londonMidnight(today, reviewDays + 1)}`;
      const [failed] = await prisma.$queryRaw<
        Array<{ count: number }>
      >`SELECT count(*)::int AS count FROM outbox_message WHERE status = 'failed'`;
      return {
        newApplications: cases?.newApplications ?? 0,
        acknowledgementsDueToday: cases?.acknowledgementsDueToday ?? 0,
        acknowledgementsOverdue: cases?.acknowledgementsOverdue ?? 0,
        decisionsDue: cases?.decisionsDue ?? 0,
        reviewsComingUp: reviews?.count ?? 0,
        outcomesDue: cases?.outcomesDue ?? 0,
        openAppeals: cases?.openAppeals ?? 0,
        failedEmails: failed?.count ?? 0,
      };
    },

    /**
     * The first few cases of a dashboard section, most urgent first. The cases at one open status
     * are the backlog, a few thousand at most, so they are gathered first (MATERIALIZED) and then
     * sorted: otherwise the planner may walk a date index through every closed case to find them.
     */
    async dashboardCases(section: DashboardSection, today: IsoDate, reviewDays: number, limit: number): Promise<DashboardCaseRow[]> {
      const select = Prisma.sql`SELECT c.id::text AS id, c.reference, c.received_at`;
      let rows: RawDashboardRow[];
      if (section === 'reviews') {
        rows = await prisma.$queryRaw<RawDashboardRow[]>`
          ${select}, (latest.scheduled_for AT TIME ZONE 'Europe/London')::date::text AS due_on FROM "case" c
          JOIN LATERAL (SELECT r.scheduled_for FROM review r WHERE r.case_id = c.id ORDER BY r.created_at DESC LIMIT 1) latest ON true
          WHERE c.status = 'review_scheduled' AND latest.scheduled_for < ${londonMidnight(today, reviewDays + 1)}
          ORDER BY latest.scheduled_for, c.id LIMIT ${limit}::int`;
      } else if (section === 'new' || section === 'ack-today' || section === 'ack-overdue') {
        const extra =
          section === 'ack-today'
            ? Prisma.sql`AND c.acknowledgement_due_on = ${today}::date`
            : section === 'ack-overdue'
              ? Prisma.sql`AND c.acknowledgement_due_on < ${today}::date`
              : Prisma.empty;
        rows = await prisma.$queryRaw<RawDashboardRow[]>`
          WITH c AS MATERIALIZED (SELECT c.id, c.reference, c.received_at, c.acknowledgement_due_on, c.next_deadline_on FROM "case" c WHERE c.status = 'received' ${extra})
          ${select}, c.acknowledgement_due_on::text AS due_on FROM c ORDER BY c.acknowledgement_due_on, c.received_at, c.id LIMIT ${limit}::int`;
      } else {
        const status = section === 'decisions' ? 'acknowledged' : section === 'outcomes' ? 'review_held' : 'appeal_received';
        rows = await prisma.$queryRaw<RawDashboardRow[]>`
          WITH c AS MATERIALIZED (SELECT c.id, c.reference, c.received_at, c.acknowledgement_due_on, c.next_deadline_on FROM "case" c WHERE c.status = ${status}::"CaseStatus")
          ${select}, c.next_deadline_on::text AS due_on FROM c ORDER BY c.next_deadline_on ASC NULLS LAST, c.received_at, c.id LIMIT ${limit}::int`;
      }
      return rows.map((row) => ({ id: row.id, reference: row.reference, receivedAt: row.received_at, dueOn: row.due_on }));
    },

    /** Everything about one case, for its page. Null when there is no such case. */
    async findCase(reference: string): Promise<CaseRecord | null> {
      const officer = { select: { name: true } } as const;
      const row = await prisma.case.findUnique({
        where: { reference },
        include: {
          spoc: { select: { name: true, email: true } },
          people: { orderBy: { role: 'asc' } },
          consent: { include: { upload: { select: { fileName: true, mediaType: true, size: true } } } },
          incidents: { orderBy: { position: 'asc' } },
          statusChanges: { orderBy: { at: 'asc' }, include: { officer } },
          notes: { orderBy: { createdAt: 'asc' }, include: { officer } },
          auditEntries: { orderBy: { at: 'asc' }, include: { officer } },
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
        spoc: row.spoc,
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
          officer: change.officer,
        })),
        notes: row.notes.map((note) => ({ text: note.text, createdAt: note.createdAt, officer: note.officer })),
        auditEntries: row.auditEntries.map((entry) => ({ actor: entry.actor, action: entry.action, at: entry.at, officer: entry.officer })),
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

export type CaseQueryRepository = ReturnType<typeof caseQueryRepository>;
