import type { PrismaClient } from '../generated/prisma/client.ts';
import type { OfficerRole } from '../domain/officer-roles.ts';

export interface OfficerRecord {
  id: string;
  email: string;
  name: string;
  role: OfficerRole;
  passwordHash: string;
  totpSecret: string | null;
  totpLastStep: number | null;
  disabled: boolean;
  failedSignIns: number;
  lockedUntil: Date | null;
  lastSignInAt: Date | null;
  createdAt: Date;
}

export function officerRepository(prisma: PrismaClient) {
  return {
    count: () => prisma.officer.count(),
    findByEmail: (email: string): Promise<OfficerRecord | null> => prisma.officer.findUnique({ where: { email: email.toLowerCase() } }),
    findById: (id: string): Promise<OfficerRecord | null> => prisma.officer.findUnique({ where: { id } }),
    list: (): Promise<OfficerRecord[]> => prisma.officer.findMany({ orderBy: [{ disabled: 'asc' }, { name: 'asc' }] }),

    create(data: { email: string; name: string; role: OfficerRole; passwordHash: string }): Promise<OfficerRecord> {
      return prisma.officer.create({ data: { ...data, email: data.email.toLowerCase() } });
    },

    /** Counts a failed sign-in; locks the account once `lockAfter` failures are reached. */
    async recordFailure(id: string, lockAfter: number, lockForMs: number): Promise<void> {
      const updated = await prisma.officer.update({ where: { id }, data: { failedSignIns: { increment: 1 } } });
      if (updated.failedSignIns >= lockAfter) {
        await prisma.officer.update({ where: { id }, data: { lockedUntil: new Date(Date.now() + lockForMs), failedSignIns: 0 } });
      }
    },

    recordSuccess: (id: string, totpStep: number | null) =>
      prisma.officer.update({
        where: { id },
        data: { failedSignIns: 0, lockedUntil: null, lastSignInAt: new Date(), ...(totpStep === null ? {} : { totpLastStep: totpStep }) },
      }),
    setTotpSecret: (id: string, secret: string | null) => prisma.officer.update({ where: { id }, data: { totpSecret: secret } }),
    setPassword: (id: string, passwordHash: string) =>
      prisma.officer.update({ where: { id }, data: { passwordHash, failedSignIns: 0, lockedUntil: null } }),
    update: (id: string, data: { role?: OfficerRole; disabled?: boolean; name?: string }) => prisma.officer.update({ where: { id }, data }),

    audit: (entry: { officerId: string | null; action: string; detail?: object }) =>
      prisma.auditEntry.create({ data: { actor: entry.officerId ? 'officer' : 'system', officerId: entry.officerId, action: entry.action, detail: entry.detail } }),
  };
}

export type OfficerRepository = ReturnType<typeof officerRepository>;
