import { randomInt } from 'node:crypto';
import { verify } from '@node-rs/argon2';
import type { Config } from '../config.ts';
import type { AdministrationRepository, AuditRow, FailedEmailRow, StaleClaimRow } from '../data/administration.ts';
import type { ChangeResult, OfficerChange, OfficerRecord, OfficerRepository } from '../data/officers.ts';
import type { OfficerRole } from '../domain/officer-roles.ts';
import type { Logger } from '../logger.ts';
import { lockout, type AuthService } from './auth-service.ts';
import { councilSettings } from './council-settings.ts';

/** What the officers' list and an officer's page show: never the password hash or TOTP secret. */
export interface OfficerSummary {
  id: string;
  name: string;
  email: string;
  role: OfficerRole;
  secondFactorSetUp: boolean;
  lastSignInAt: Date | null;
  disabled: boolean;
  locked: boolean;
}

/** An action refused: 404 when there is no such officer or email, 409 when a guard rail stops it. */
export type Outcome<T = object> = ({ ok: true } & T) | { ok: false; status: 404 | 409; message: string };

export type PasswordChange = { ok: true } | { ok: false; field: 'currentPassword' | 'newPassword'; message: string };

export interface AuditPage {
  entries: AuditRow[];
  /** Cursor for the next (older) page, or null on the last page. */
  older: string | null;
}

export const auditPageSize = 50;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Ids from URLs: anything but a well-formed uuid cannot exist (and must not reach a uuid column). */
export const isUuid = (value: string): boolean => uuidPattern.test(value);

// No look-alike characters (0/o, 1/l/i): the password is read out or copied by hand.
const passwordAlphabet = 'abcdefghjkmnpqrstuvwxyz23456789';

/** A one-time password: 4 groups of 5 random characters, about 99 bits. */
export function oneTimePassword(): string {
  const group = () => Array.from({ length: 5 }, () => passwordAlphabet[randomInt(passwordAlphabet.length)]).join('');
  return [group(), group(), group(), group()].join('-');
}

export function encodeAuditCursor(entry: { at: Date; id: string }): string {
  return Buffer.from(`${entry.at.toISOString()}|${entry.id}`).toString('base64url');
}

export function decodeAuditCursor(cursor: string): { at: Date; id: string } | null {
  const [iso, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!iso || !id || !isUuid(id)) return null;
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? null : { at, id };
}

const summary = (officer: OfficerRecord): OfficerSummary => ({
  id: officer.id,
  name: officer.name,
  email: officer.email,
  role: officer.role,
  secondFactorSetUp: officer.totpSecret !== null,
  lastSignInAt: officer.lastSignInAt,
  disabled: officer.disabled,
  locked: officer.lockedUntil !== null && officer.lockedUntil > new Date(),
});

const notFound = { ok: false, status: 404, message: 'Officer not found' } as const;
const lastAdministrator = 'There must always be at least one administrator who can sign in. Make another officer an administrator first.';

function outcomeOf(result: ChangeResult): Outcome {
  if (result === 'not-found') return notFound;
  if (result === 'last-administrator') return { ok: false, status: 409, message: lastAdministrator };
  return { ok: true };
}

/** Officer accounts, council settings, failed emails and the audit trail. */
export function administrationService(deps: {
  administration: AdministrationRepository;
  officers: OfficerRepository;
  auth: AuthService;
  config: Config;
  onEmailsQueued: () => void;
  logger: Logger;
}) {
  const { administration, officers, auth } = deps;
  const settings = councilSettings({
    repository: administration,
    defaults: deps.config.council,
    onProblem: (problem) => deps.logger.error({ err: problem }, 'council settings could not be read'),
  });

  /** One audited change to another officer's account (the actor's own id is in the audit entry). */
  const change = async (actor: OfficerRecord, targetId: string, data: OfficerChange, action: string, detail: object): Promise<Outcome> => {
    if (!isUuid(targetId)) return notFound;
    return outcomeOf(
      await officers.changeAudited(targetId, data, { officerId: actor.id, action, detail: { targetOfficerId: targetId, ...detail } }),
    );
  };

  async function findOfficer(id: string): Promise<OfficerSummary | null> {
    if (!isUuid(id)) return null;
    const officer = await officers.findById(id);
    return officer ? summary(officer) : null;
  }

  return {
    councilSettings: settings,

    async listOfficers(): Promise<OfficerSummary[]> {
      return (await officers.list()).map(summary);
    },

    findOfficer,

    /** A new account with a one-time password, returned once for the administrator to pass on. */
    async createOfficer(
      actor: OfficerRecord,
      input: { email: string; name: string; role: OfficerRole },
    ): Promise<Outcome<{ officer: OfficerSummary; password: string }>> {
      const password = oneTimePassword();
      const created = await officers.createAudited(
        { ...input, passwordHash: await auth.hashPassword(password) },
        { officerId: actor.id, action: 'officer account created' },
      );
      if (!created) return { ok: false, status: 409, message: 'An officer with this email address already exists' };
      return { ok: true, officer: summary(created), password };
    },

    async changeRole(actor: OfficerRecord, targetId: string, role: OfficerRole): Promise<Outcome> {
      if (targetId === actor.id && role !== actor.role) {
        return { ok: false, status: 409, message: 'You cannot change your own role. Ask another administrator to do it.' };
      }
      const target = await findOfficer(targetId);
      if (!target) return notFound;
      if (target.role === role) return { ok: true };
      return change(actor, targetId, { role }, 'officer role changed', { role: { from: target.role, to: role } });
    },

    /** Disabling also signs the officer out everywhere. */
    async setDisabled(actor: OfficerRecord, targetId: string, disabled: boolean): Promise<Outcome> {
      if (targetId === actor.id && disabled) return { ok: false, status: 409, message: 'You cannot disable your own account' };
      const target = await findOfficer(targetId);
      if (!target) return notFound;
      if (target.disabled === disabled) return { ok: true };
      return change(
        actor,
        targetId,
        { disabled, ...(disabled ? { endSessions: { except: null } } : {}) },
        disabled ? 'officer account disabled' : 'officer account enabled',
        { disabled: { from: !disabled, to: disabled } },
      );
    },

    /** A new one-time password; clears failed sign-ins and the lock, and signs the officer out. */
    async resetPassword(actor: OfficerRecord, targetId: string): Promise<Outcome<{ password: string }>> {
      if (!isUuid(targetId)) return notFound;
      const password = oneTimePassword();
      const passwordHash = await auth.hashPassword(password);
      const outcome = await change(
        actor,
        targetId,
        { passwordHash, clearLock: true, endSessions: { except: null } },
        'officer password reset',
        { changed: ['password', 'failed sign-ins', 'lock'] },
      );
      return outcome.ok ? { ok: true, password } : outcome;
    },

    /** Forgets the authenticator app: set up again at the next sign-in. Signs the officer out. */
    resetSecondFactor: (actor: OfficerRecord, targetId: string): Promise<Outcome> =>
      change(actor, targetId, { clearSecondFactor: true, endSessions: { except: null } }, 'officer second factor reset', {
        changed: ['second factor'],
      }),

    /**
     * An officer changes their own password. Wrong current passwords count towards the lock, as
     * at sign-in; other sessions of the officer end.
     */
    async changeOwnPassword(
      officer: OfficerRecord,
      input: { currentPassword: string; newPassword: string; sessionId: string },
    ): Promise<PasswordChange> {
      const fresh = await officers.findById(officer.id);
      if (!fresh) return { ok: false, field: 'currentPassword', message: 'Your account could not be found' };
      if (fresh.lockedUntil && fresh.lockedUntil > new Date()) {
        return { ok: false, field: 'currentPassword', message: 'Too many wrong passwords. Try again in 15 minutes.' };
      }
      if (!input.currentPassword) return { ok: false, field: 'currentPassword', message: 'Enter your current password' };
      const valid = await verify(fresh.passwordHash, input.currentPassword).catch(() => false);
      if (!valid) {
        await officers.recordFailure(fresh.id, lockout.afterFailures, lockout.forMs);
        await officers.audit({ officerId: fresh.id, action: 'password change refused', detail: { reason: 'wrong current password' } });
        return { ok: false, field: 'currentPassword', message: 'Your current password is not correct' };
      }
      const problem = auth.passwordProblem(input.newPassword, fresh.email);
      if (problem) return { ok: false, field: 'newPassword', message: problem };
      if (input.newPassword === input.currentPassword) {
        return { ok: false, field: 'newPassword', message: 'Your new password must be different from your current password' };
      }
      await officers.changeAudited(
        fresh.id,
        { passwordHash: await auth.hashPassword(input.newPassword), clearLock: true, endSessions: { except: input.sessionId } },
        { officerId: fresh.id, action: 'own password changed', detail: { targetOfficerId: fresh.id, changed: ['password'] } },
      );
      return { ok: true };
    },

    failedEmails: (): Promise<FailedEmailRow[]> => administration.failedEmails(),

    /** Emails a worker claimed and stopped renewing its claim on, not sent (shown with the failed ones). */
    staleClaims: (): Promise<StaleClaimRow[]> => administration.staleClaims(),

    /** Back to the queue; the worker is nudged to send it now. */
    async retryFailedEmail(actor: OfficerRecord, messageId: string): Promise<'queued' | 'not-failed' | 'not-found'> {
      if (!isUuid(messageId)) return 'not-found';
      const result = await administration.retryFailedEmail(messageId, actor.id);
      if (result === 'queued') deps.onEmailsQueued();
      return result;
    },

    /** One page of the audit trail, newest first. `cursor` comes from the previous page's `older`. */
    async auditTrail(filter: {
      officerId: string | null;
      from: Date | null;
      before: Date | null;
      cursor: string | null;
    }): Promise<AuditPage> {
      const after = filter.cursor ? decodeAuditCursor(filter.cursor) : null;
      const rows = await administration.auditEntries({
        officerId: filter.officerId && isUuid(filter.officerId) ? filter.officerId : null,
        from: filter.from,
        before: filter.before,
        after,
        limit: auditPageSize + 1,
      });
      const entries = rows.slice(0, auditPageSize);
      const last = entries[entries.length - 1];
      return { entries, older: rows.length > auditPageSize && last ? encodeAuditCursor(last) : null };
    },
  };
}

export type AdministrationService = ReturnType<typeof administrationService>;
