import type { PrismaClient } from '../generated/prisma/client.ts';

/** Settings, failed emails and the audit trail. */
export function administrationRepository(_prisma: PrismaClient) {
  return {};
}

export type AdministrationRepository = ReturnType<typeof administrationRepository>;
