import type { PrismaClient } from '../generated/prisma/client.ts';
import { casePageQueries } from './case-queries/case-page.ts';
import { caseListQueries } from './case-queries/case-list.ts';
import { dashboardQueries } from './case-queries/dashboard.ts';

export type { CaseListRow } from './case-queries/case-list.ts';
export type { CaseRecord, ConsentFile } from './case-queries/case-page.ts';
export type { DashboardCaseRow, DashboardCounts, DashboardSection } from './case-queries/dashboard.ts';

/**
 * Reads for the officers' dashboard, case list and case page, and the audit entry for each view:
 * one repository for the composition root, built from the queries for each job.
 */
export function caseQueryRepository(prisma: PrismaClient) {
  return {
    ...caseListQueries(prisma),
    ...dashboardQueries(prisma),
    ...casePageQueries(prisma),
  };
}

export type CaseQueryRepository = ReturnType<typeof caseQueryRepository>;
