import type { DashboardCaseRow, DashboardCounts, DashboardSection } from '../../data/case-queries.ts';
import { caseListHref, type CaseListQuery } from '../../domain/case-list-query.ts';
import { formatShortDate, londonDate, type IsoDate } from '../../domain/calendar-date.ts';
import { caseHref, deadlineWords, tableDate, type Deadline } from './format.ts';

/** The dashboard's sections (what each counts and lists, and where it links), shaped for the view. */

export interface DashboardCase {
  reference: string;
  href: string;
  received: string;
  due: Deadline | null;
}

export interface DashboardSectionView {
  id: string;
  title: string;
  count: number;
  href: string;
  dueHeading: string;
  cases: DashboardCase[];
  none: string;
}

export interface DashboardView {
  today: string;
  sections: DashboardSectionView[];
  failedEmails: number;
}

/** Reviews on the dashboard: meetings in the next this-many days (and any not yet recorded). */
export const reviewHorizonDays = 14;

interface SectionSpec {
  section: DashboardSection;
  title: string;
  count: keyof DashboardCounts;
  list: Partial<CaseListQuery>;
  dueHeading: string;
  none: string;
}

export const dashboardSections: SectionSpec[] = [
  {
    section: 'new',
    title: 'New applications',
    count: 'newApplications',
    list: { statuses: ['received'] },
    dueHeading: 'Due',
    none: 'No new applications.',
  },
  {
    section: 'ack-today',
    title: 'Acknowledgements due today',
    count: 'acknowledgementsDueToday',
    list: { statuses: ['received'], deadline: 'today' },
    dueHeading: 'Due',
    none: 'No acknowledgements are due today.',
  },
  {
    section: 'ack-overdue',
    title: 'Acknowledgements overdue',
    count: 'acknowledgementsOverdue',
    list: { statuses: ['received'], deadline: 'overdue' },
    dueHeading: 'Due',
    none: 'No acknowledgements are overdue.',
  },
  {
    section: 'decisions',
    title: 'Threshold decisions due',
    count: 'decisionsDue',
    list: { statuses: ['acknowledged'], sort: 'deadline' },
    dueHeading: 'Due',
    none: 'No threshold decisions are waiting.',
  },
  {
    section: 'reviews',
    title: `Reviews in the next ${reviewHorizonDays} days`,
    count: 'reviewsComingUp',
    list: { statuses: ['review_scheduled'], sort: 'deadline' },
    dueHeading: 'Meeting',
    none: `No review meetings in the next ${reviewHorizonDays} days.`,
  },
  {
    section: 'outcomes',
    title: 'Outcomes to send',
    count: 'outcomesDue',
    list: { statuses: ['review_held'], sort: 'deadline' },
    dueHeading: 'Due',
    none: 'No outcomes are waiting to be sent.',
  },
  {
    section: 'appeals',
    title: 'Open appeals',
    count: 'openAppeals',
    list: { statuses: ['appeal_received'], sort: 'deadline' },
    dueHeading: 'Due',
    none: 'No appeals are open.',
  },
];

const dashboardCase = (row: DashboardCaseRow, today: IsoDate): DashboardCase => ({
  reference: row.reference,
  href: caseHref(row.reference),
  received: tableDate(londonDate(row.receivedAt)),
  due: row.dueOn ? deadlineWords(row.dueOn, today) : null,
});

/** The dashboard, given the counts and each section's first cases (in `dashboardSections` order). */
export function presentDashboard(today: IsoDate, counts: DashboardCounts, lists: DashboardCaseRow[][]): DashboardView {
  return {
    today: formatShortDate(today),
    failedEmails: counts.failedEmails,
    sections: dashboardSections.map((spec, index) => ({
      id: spec.section,
      title: spec.title,
      count: counts[spec.count],
      href: caseListHref(spec.list),
      dueHeading: spec.dueHeading,
      none: spec.none,
      cases: (lists[index] ?? []).map((row) => dashboardCase(row, today)),
    })),
  };
}
