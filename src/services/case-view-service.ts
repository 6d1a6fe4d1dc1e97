import type { Config } from '../config.ts';
import type { CaseQueryRepository } from '../data/case-queries.ts';
import { caseListPageSize, type CaseListQuery } from '../domain/case-list-query.ts';
import { londonDate } from '../domain/calendar-date.ts';
import { isReference, normaliseReference } from '../domain/reference.ts';
import { caseCountLimit, presentCaseList, type CaseListView } from './case-view/case-list-presenter.ts';
import { presentCase, type CasePageView } from './case-view/case-page-presenter.ts';
import { dashboardSections, presentDashboard, reviewHorizonDays, type DashboardView } from './case-view/dashboard-presenter.ts';

export type { CaseListItem, CaseListView } from './case-view/case-list-presenter.ts';
export type { CasePageView, Row } from './case-view/case-page-presenter.ts';
export type { TimelineEntry } from './case-view/case-timeline-presenter.ts';
export type { DashboardCase, DashboardSectionView, DashboardView } from './case-view/dashboard-presenter.ts';
export type { Deadline } from './case-view/format.ts';
export { caseCountLimit, reviewHorizonDays };
export { deadlineWords, formatDate, formatDateTime, tableDate } from './case-view/format.ts';

/**
 * The officers' read side: the dashboard, the case list and the case page, shaped for the views
 * (every date already in words) by the presenters in ./case-view/. Every view of a case, and of
 * its consent form, is audited.
 */

export interface ConsentDownload {
  fileName: string;
  mediaType: string;
  data: Uint8Array;
}

const dashboardListLength = 5;

export function caseViewService(deps: { queries: CaseQueryRepository; config: Pick<Config, 'council'>; now?: () => Date }) {
  const { queries } = deps;
  const now = deps.now ?? (() => new Date());

  return {
    async dashboard(): Promise<DashboardView> {
      const today = londonDate(now());
      const [counts, lists] = await Promise.all([
        queries.dashboardCounts(today, reviewHorizonDays),
        queries.dashboardLists(
          dashboardSections.map((spec) => spec.section),
          today,
          reviewHorizonDays,
          dashboardListLength,
        ),
      ]);
      return presentDashboard(today, counts, lists);
    },

    async list(query: CaseListQuery): Promise<CaseListView> {
      const today = londonDate(now());
      const [page, total] = await Promise.all([
        queries.listCases(query, today, caseListPageSize),
        queries.countCases(query, today, caseCountLimit + 1),
      ]);
      return presentCaseList(query, page, total, today);
    },

    /** The case page, or null for an unknown or malformed reference. Writes the audit entry. */
    async casePage(reference: string, officerId: string): Promise<CasePageView | null> {
      if (!isReference(reference)) return null;
      const record = await queries.findCase(normaliseReference(reference));
      if (!record) return null;
      await queries.recordView({ caseId: record.id, officerId, action: 'viewed case' });
      return presentCase(record, londonDate(now()));
    },

    /** The signed consent form's bytes, or null when the case has none. Writes the audit entry. */
    async consentFile(reference: string, officerId: string): Promise<ConsentDownload | null> {
      if (!isReference(reference)) return null;
      const file = await queries.findConsentFile(normaliseReference(reference));
      if (!file) return null;
      await queries.recordView({ caseId: file.caseId, officerId, action: 'downloaded consent form' });
      return { fileName: file.fileName, mediaType: file.mediaType, data: file.data };
    },
  };
}

export type CaseViewService = ReturnType<typeof caseViewService>;
