import type { PrismaClient } from '../generated/prisma/client.ts';

/** Reads for the officers' dashboard, case list and case page. */
export function caseQueryRepository(_prisma: PrismaClient) {
  return {};
}

export type CaseQueryRepository = ReturnType<typeof caseQueryRepository>;
