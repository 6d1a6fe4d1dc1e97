import type { PrismaClient } from '../generated/prisma/client.ts';

/** Writes for the actions on a case: each with its status change, audit entry and emails, in one transaction. */
export function caseActionRepository(_prisma: PrismaClient) {
  return {};
}

export type CaseActionRepository = ReturnType<typeof caseActionRepository>;
