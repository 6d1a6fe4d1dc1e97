import type { CaseListRow } from '../../data/case-queries.ts';
import { caseListHref, channelLabels, type CaseChannel, type CaseListCursor, type CaseListQuery } from '../../domain/case-list-query.ts';
import { londonDate, type IsoDate } from '../../domain/calendar-date.ts';
import { caseHref, deadlineWords, plural, tableDate, type Deadline } from './format.ts';
import { label, statusTag } from './labels.ts';

/** One page of the case list shaped for the view: its rows, the total in words, and the page links. */

export interface CaseListItem {
  reference: string;
  href: string;
  victimName: string;
  status: { label: string; classes: string };
  channel: string;
  received: string;
  deadline: Deadline | null;
}

export interface CaseListView {
  /** '1 case', '42 cases', 'More than 1,000 cases'. */
  totalText: string;
  rows: CaseListItem[];
  previousHref: string | null;
  nextHref: string | null;
}

/** The case list counts matches up to this many; beyond it says "more than". */
export const caseCountLimit = 1000;

const listItem = (row: CaseListRow, today: IsoDate): CaseListItem => ({
  reference: row.reference,
  href: caseHref(row.reference),
  victimName: row.victimName ?? 'Not given',
  status: statusTag(row.status),
  channel: label(channelLabels, row.channel as CaseChannel),
  received: tableDate(londonDate(row.receivedAt)),
  deadline: row.nextDeadlineOn ? deadlineWords(row.nextDeadlineOn, today) : null,
});

/** The page read for `query` (`more`: there are rows beyond it in the direction read), and the capped total. */
export function presentCaseList(
  query: CaseListQuery,
  page: { rows: CaseListRow[]; more: boolean },
  total: number,
  today: IsoDate,
): CaseListView {
  const { rows, more } = page;
  const keyOf = (row: CaseListRow) => (query.sort === 'received' ? row.receivedAt.toISOString() : row.nextDeadlineOn);
  const cursorAt = (row: CaseListRow | undefined, direction: CaseListCursor['direction']) =>
    row ? caseListHref(query, { direction, key: keyOf(row), id: row.id }) : null;
  const cameFrom = query.cursor?.direction;
  const hasPrevious = cameFrom === 'after' || (cameFrom === 'before' && more);
  const hasNext = cameFrom === 'before' || more;
  return {
    totalText:
      total > caseCountLimit
        ? `More than ${caseCountLimit.toLocaleString('en-GB')} cases`
        : plural(total, 'case').replace(/^(\d+)/, (n) => Number(n).toLocaleString('en-GB')),
    rows: rows.map((row) => listItem(row, today)),
    previousHref: hasPrevious ? cursorAt(rows[0], 'before') : null,
    nextHref: hasNext ? cursorAt(rows[rows.length - 1], 'after') : null,
  };
}
