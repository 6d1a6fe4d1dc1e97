import { Prisma, type PrismaClient } from '../generated/prisma/client.ts';
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

/** What an administrator (or the officer themself) can change on an account. */
export interface OfficerChange {
  role?: OfficerRole;
  disabled?: boolean;
  passwordHash?: string;
  /** Forget the authenticator app, so the officer sets one up again at their next sign-in. */
  clearSecondFactor?: boolean;
  /** Forget failed sign-ins and any lock. */
  clearLock?: boolean;
  /** Sign the officer out everywhere, and end their half-finished sign-ins, except the session with this id (null: everywhere). */
  endSessions?: { except: string | null };
}

export interface AuditNote {
  officerId: string;
  action: string;
  detail: object;
}

export type ChangeResult = 'done' | 'not-found' | 'last-administrator';

export function officerRepository(prisma: PrismaClient) {
  return {
    count: () => prisma.officer.count(),
    findByEmail: (email: string): Promise<OfficerRecord | null> => prisma.officer.findUnique({ where: { email: email.toLowerCase() } }),
    findById: (id: string): Promise<OfficerRecord | null> => prisma.officer.findUnique({ where: { id } }),
    list: (): Promise<OfficerRecord[]> => prisma.officer.findMany({ orderBy: [{ disabled: 'asc' }, { name: 'asc' }] }),

    create(data: { email: string; name: string; role: OfficerRole; passwordHash: string }): Promise<OfficerRecord> {
      return prisma.officer.create({ data: { ...data, email: data.email.toLowerCase() } });
    },

    /**
     * Counts a failed sign-in and, from the `lockAfter`th on, locks the account for `lockForMs`, in
     * one statement: failures at the same moment are each counted. The count is not reset by the
     * lock (only by a complete sign-in, a new password or an administrator), so once an account
     * has locked, each further failure locks it again.
     */
    async recordFailure(id: string, lockAfter: number, lockForMs: number): Promise<void> {
      const lockUntil = new Date(Date.now() + lockForMs);
      await prisma.$executeRaw`
        UPDATE "officer" SET "failed_sign_ins" = "failed_sign_ins" + 1,
          "locked_until" = CASE WHEN "failed_sign_ins" + 1 >= ${lockAfter} THEN ${lockUntil} ELSE "locked_until" END
        WHERE "id" = ${id}::uuid`;
    },

    /**
     * Takes one attempt at the second factor for an account that is not locked (or disabled), and
     * counts it as a failure before the code is checked; a right code then clears it
     * (`recordSuccess`). One statement, so attempts made at the same moment queue on the row: once
     * one of them reaches `lockAfter` and locks the account, the rest find it locked. False when
     * the account is locked: the code must not be checked at all.
     */
    async takeSecondFactorAttempt(id: string, lockAfter: number, lockForMs: number): Promise<boolean> {
      const now = new Date();
      const lockUntil = new Date(now.getTime() + lockForMs);
      const taken = await prisma.$executeRaw`
        UPDATE "officer" SET "failed_sign_ins" = "failed_sign_ins" + 1,
          "locked_until" = CASE WHEN "failed_sign_ins" + 1 >= ${lockAfter} THEN ${lockUntil} ELSE "locked_until" END
        WHERE "id" = ${id}::uuid AND NOT "disabled" AND ("locked_until" IS NULL OR "locked_until" <= ${now})`;
      return taken === 1;
    },

    recordSuccess: (id: string, totpStep: number | null) =>
      prisma.officer.update({
        where: { id },
        data: { failedSignIns: 0, lockedUntil: null, lastSignInAt: new Date(), ...(totpStep === null ? {} : { totpLastStep: totpStep }) },
      }),
    setTotpSecret: (id: string, secret: string | null) => prisma.officer.update({ where: { id }, data: { totpSecret: secret } }),
    /** A new authenticator key, with the time step of the code that confirmed it (used up). */
    setTotpSecretConfirmed: (id: string, secret: string, totpStep: number) =>
      prisma.officer.update({ where: { id }, data: { totpSecret: secret, totpLastStep: totpStep } }),
    setPassword: (id: string, passwordHash: string) =>
      prisma.officer.update({ where: { id }, data: { passwordHash, failedSignIns: 0, lockedUntil: null } }),
    update: (id: string, data: { role?: OfficerRole; disabled?: boolean; name?: string }) => prisma.officer.update({ where: { id }, data }),

    /** A new account and its audit entry, together. Null when the email address is taken. */
    async createAudited(
      data: { email: string; name: string; role: OfficerRole; passwordHash: string },
      audit: { officerId: string; action: string },
    ): Promise<OfficerRecord | null> {
      try {
        return await prisma.$transaction(async (tx) => {
          const officer = await tx.officer.create({ data: { ...data, email: data.email.toLowerCase() } });
          await tx.auditEntry.create({
            data: {
              actor: 'officer',
              officerId: audit.officerId,
              action: audit.action,
              detail: { targetOfficerId: officer.id, email: officer.email, name: officer.name, role: officer.role },
            },
          });
          return officer;
        });
      } catch (error) {
        if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') return null;
        throw error;
      }
    },

    /**
     * Changes an account and writes its audit entry in one transaction. The rows of every enabled
     * administrator are locked first, so two administrators demoting each other at the same moment
     * cannot leave the portal with none: the second waits, then sees the first change.
     */
    async changeAudited(id: string, change: OfficerChange, audit: AuditNote): Promise<ChangeResult> {
      return prisma.$transaction(async (tx) => {
        const administrators = await tx.$queryRaw<Array<{ id: string }>>`
          SELECT "id"::text AS "id" FROM "officer" WHERE "role" = 'administrator' AND NOT "disabled" ORDER BY "id" FOR UPDATE`;
        const target = await tx.officer.findUnique({ where: { id } });
        if (!target) return 'not-found';
        const staysEnabledAdministrator = (change.role ?? target.role) === 'administrator' && !(change.disabled ?? target.disabled);
        const isEnabledAdministrator = administrators.some((row) => row.id === id);
        if (isEnabledAdministrator && !staysEnabledAdministrator && administrators.length <= 1) return 'last-administrator';
        await tx.officer.update({
          where: { id },
          data: {
            ...(change.role === undefined ? {} : { role: change.role }),
            ...(change.disabled === undefined ? {} : { disabled: change.disabled }),
            ...(change.passwordHash === undefined ? {} : { passwordHash: change.passwordHash }),
            ...(change.clearSecondFactor ? { totpSecret: null, totpLastStep: null } : {}),
            ...(change.clearLock ? { failedSignIns: 0, lockedUntil: null } : {}),
          },
        });
        if (change.endSessions) {
          const except = change.endSessions.except ?? '';
          // Half-finished sign-ins too: a password checked before a reset must not go on to the code.
          await tx.$executeRaw`
            DELETE FROM "session"
            WHERE ("data"->'officer'->>'id' = ${id} OR "data"->'pendingSignIn'->>'officerId' = ${id}) AND "sid" <> ${except}`;
        }
        await tx.auditEntry.create({ data: { actor: 'officer', officerId: audit.officerId, action: audit.action, detail: audit.detail } });
        return 'done';
      });
    },

    audit: (entry: { officerId: string | null; action: string; detail?: object }) =>
      prisma.auditEntry.create({
        data: { actor: entry.officerId ? 'officer' : 'system', officerId: entry.officerId, action: entry.action, detail: entry.detail },
      }),
  };
}

export type OfficerRepository = ReturnType<typeof officerRepository>;
