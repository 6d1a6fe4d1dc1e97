import { Prisma, type PrismaClient } from '../../generated/prisma/client.ts';
import type { IsoDate } from '../../domain/calendar-date.ts';
import { londonMidnight } from './london-midnight.ts';

/**
 * The officers' dashboard: how many cases wait at each step, and the first few of each.
 *
 * Raw SQL (tagged templates: every value is a bound parameter) so the queries stay in shapes the
 * indexes serve: case(status, acknowledgement_due_on, received_at, id), case(status, next_deadline_on,
 * received_at, id), case(status, next_review_at, id).
 */

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

interface RawDashboardRow {
  id: string;
  reference: string;
  received_at: Date;
  due_on: string | null;
}

export function dashboardQueries(prisma: PrismaClient) {
  return {
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
        SELECT count(*)::int AS count FROM "case"
        WHERE status = 'review_scheduled' AND next_review_at < ${londonMidnight(today, reviewDays + 1)}`;
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
     * The first few cases of a dashboard section, most urgent first. Each list reads one status
     * in the order it shows it, so an index on (status, due date, received_at, id) stops after
     * `limit` rows however many cases there are.
     */
    async dashboardCases(section: DashboardSection, today: IsoDate, reviewDays: number, limit: number): Promise<DashboardCaseRow[]> {
      const select = Prisma.sql`SELECT c.id::text AS id, c.reference, c.received_at`;
      let rows: RawDashboardRow[];
      if (section === 'reviews') {
        rows = await prisma.$queryRaw<RawDashboardRow[]>`
          ${select}, (c.next_review_at AT TIME ZONE 'Europe/London')::date::text AS due_on FROM "case" c
          WHERE c.status = 'review_scheduled' AND c.next_review_at < ${londonMidnight(today, reviewDays + 1)}
          ORDER BY c.next_review_at, c.id LIMIT ${limit}::int`;
      } else if (section === 'new' || section === 'ack-today' || section === 'ack-overdue') {
        const extra =
          section === 'ack-today'
            ? Prisma.sql`AND c.acknowledgement_due_on = ${today}::date`
            : section === 'ack-overdue'
              ? Prisma.sql`AND c.acknowledgement_due_on < ${today}::date`
              : Prisma.empty;
        rows = await prisma.$queryRaw<RawDashboardRow[]>`
          ${select}, c.acknowledgement_due_on::text AS due_on FROM "case" c WHERE c.status = 'received' ${extra}
          ORDER BY c.acknowledgement_due_on, c.received_at, c.id LIMIT ${limit}::int`;
      } else {
        const status = section === 'decisions' ? 'acknowledged' : section === 'outcomes' ? 'review_held' : 'appeal_received';
        rows = await prisma.$queryRaw<RawDashboardRow[]>`
          ${select}, c.next_deadline_on::text AS due_on FROM "case" c WHERE c.status = ${status}::"CaseStatus"
          ORDER BY c.next_deadline_on ASC NULLS LAST, c.received_at, c.id LIMIT ${limit}::int`;
      }
      return rows.map((row) => ({ id: row.id, reference: row.reference, receivedAt: row.received_at, dueOn: row.due_on }));
    },
  };
}
