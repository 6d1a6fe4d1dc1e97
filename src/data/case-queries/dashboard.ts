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
  section: number;
  id: string;
  reference: string;
  received_at: Date;
  due_on: string | null;
}

/**
 * One section's list: its cases in the order the dashboard shows them, read in the order of an
 * index so it stops after `limit` rows. `k1`, `k2` and `id` are the sort keys, selected so the
 * combined query can number each list's rows in the same order.
 */
function sectionList(section: DashboardSection, today: IsoDate, reviewDays: number, limit: number): { rows: Prisma.Sql; order: Prisma.Sql } {
  const select = Prisma.sql`SELECT c.id, c.reference, c.received_at`;
  if (section === 'reviews') {
    return {
      rows: Prisma.sql`${select}, (c.next_review_at AT TIME ZONE 'Europe/London')::date::text AS due_on,
          c.next_review_at AS k1, NULL::timestamptz AS k2 FROM "case" c
        WHERE c.status = 'review_scheduled' AND c.next_review_at < ${londonMidnight(today, reviewDays + 1)}
        ORDER BY c.next_review_at, c.id LIMIT ${limit}::int`,
      order: Prisma.sql`s.k1, s.id`,
    };
  }
  if (section === 'new' || section === 'ack-today' || section === 'ack-overdue') {
    const extra =
      section === 'ack-today'
        ? Prisma.sql`AND c.acknowledgement_due_on = ${today}::date`
        : section === 'ack-overdue'
          ? Prisma.sql`AND c.acknowledgement_due_on < ${today}::date`
          : Prisma.empty;
    return {
      rows: Prisma.sql`${select}, c.acknowledgement_due_on::text AS due_on, c.acknowledgement_due_on AS k1, c.received_at AS k2
        FROM "case" c WHERE c.status = 'received' ${extra}
        ORDER BY c.acknowledgement_due_on, c.received_at, c.id LIMIT ${limit}::int`,
      order: Prisma.sql`s.k1, s.k2, s.id`,
    };
  }
  const status = section === 'decisions' ? 'acknowledged' : section === 'outcomes' ? 'review_held' : 'appeal_received';
  return {
    rows: Prisma.sql`${select}, c.next_deadline_on::text AS due_on, c.next_deadline_on AS k1, c.received_at AS k2
      FROM "case" c WHERE c.status = ${status}::"CaseStatus"
      ORDER BY c.next_deadline_on ASC NULLS LAST, c.received_at, c.id LIMIT ${limit}::int`,
    order: Prisma.sql`s.k1 ASC NULLS LAST, s.k2, s.id`,
  };
}

export function dashboardQueries(prisma: PrismaClient) {
  return {
    /** Every count on the dashboard, in one statement. */
    async dashboardCounts(today: IsoDate, reviewDays: number): Promise<DashboardCounts> {
      const [counts] = await prisma.$queryRaw<DashboardCounts[]>`
        SELECT cases.*,
               (SELECT count(*)::int FROM "case"
                 WHERE status = 'review_scheduled' AND next_review_at < ${londonMidnight(today, reviewDays + 1)}) AS "reviewsComingUp",
               (SELECT count(*)::int FROM outbox_message WHERE status = 'failed') AS "failedEmails"
        FROM (
          SELECT count(*) FILTER (WHERE status = 'received')::int AS "newApplications",
                 count(*) FILTER (WHERE status = 'received' AND acknowledgement_due_on = ${today}::date)::int AS "acknowledgementsDueToday",
                 count(*) FILTER (WHERE status = 'received' AND acknowledgement_due_on < ${today}::date)::int AS "acknowledgementsOverdue",
                 count(*) FILTER (WHERE status = 'acknowledged')::int AS "decisionsDue",
                 count(*) FILTER (WHERE status = 'review_held')::int AS "outcomesDue",
                 count(*) FILTER (WHERE status = 'appeal_received')::int AS "openAppeals"
          FROM "case" WHERE status IN ('received', 'acknowledged', 'review_held', 'appeal_received')
        ) AS cases`;
      return {
        newApplications: counts?.newApplications ?? 0,
        acknowledgementsDueToday: counts?.acknowledgementsDueToday ?? 0,
        acknowledgementsOverdue: counts?.acknowledgementsOverdue ?? 0,
        decisionsDue: counts?.decisionsDue ?? 0,
        reviewsComingUp: counts?.reviewsComingUp ?? 0,
        outcomesDue: counts?.outcomesDue ?? 0,
        openAppeals: counts?.openAppeals ?? 0,
        failedEmails: counts?.failedEmails ?? 0,
      };
    },

    /**
     * The first few cases of each dashboard section, most urgent first, in one statement (one
     * round trip instead of one per section): each section's list, numbered in its own order, then
     * all of them together. Returns the lists in the order of `sections`.
     */
    async dashboardLists(sections: DashboardSection[], today: IsoDate, reviewDays: number, limit: number): Promise<DashboardCaseRow[][]> {
      if (sections.length === 0) return [];
      const lists = sections.map((section, index) => {
        const { rows, order } = sectionList(section, today, reviewDays, limit);
        return Prisma.sql`SELECT ${index}::int AS section, row_number() OVER (ORDER BY ${order}) AS position,
            s.id::text AS id, s.reference, s.received_at, s.due_on FROM (${rows}) AS s`;
      });
      const rows = await prisma.$queryRaw<RawDashboardRow[]>`
        SELECT section, id, reference, received_at, due_on FROM (${Prisma.join(lists, ' UNION ALL ')}) AS lists
        ORDER BY section, position`;
      const bySection: DashboardCaseRow[][] = sections.map(() => []);
      for (const row of rows) {
        bySection[row.section]?.push({ id: row.id, reference: row.reference, receivedAt: row.received_at, dueOn: row.due_on });
      }
      return bySection;
    },
  };
}
