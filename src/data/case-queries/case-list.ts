import { Prisma, type PrismaClient } from '../../generated/prisma/client.ts';
import { containsPattern, type CaseListQuery } from '../../domain/case-list-query.ts';
import type { IsoDate } from '../../domain/calendar-date.ts';
import type { CaseStatus } from '../../domain/case-status.ts';
import { londonMidnight } from './london-midnight.ts';

/**
 * The officers' case list: one page at a time, read by keyset, and a capped count of the matches.
 *
 * Raw SQL (tagged templates: every value is a bound parameter) so the keyset conditions and the
 * joins stay in shapes the indexes serve: case(received_at, id), case(next_deadline_on, id),
 * person(search_name) trigram, person(postcode), person(email).
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

export function caseListQueries(prisma: PrismaClient) {
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
  };
}
