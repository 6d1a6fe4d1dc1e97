import { createRequire } from 'node:module';
import { hash, verify } from '@node-rs/argon2';
import type * as LanguageCommon from '@zxcvbn-ts/language-common';
import type * as Otplib from 'otplib';
import type { OfficerRecord, OfficerRepository } from '../data/officers.ts';
import type { OfficerRole } from '../domain/officer-roles.ts';
import { passwordProblem } from '../domain/password-policy.ts';

/** argon2id at OWASP's minimum: 19 MiB memory, 2 iterations, 1 lane. */
// algorithm 2 is Argon2id (a const enum in @node-rs/argon2's types, which isolated modules cannot import).
export const argon2Options = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

// Loaded on first use, not at start-up: the password list holds about 11 MB and otplib 4 MB, and
// neither is needed until an officer signs in or sets a password.
const load = createRequire(import.meta.url);
const otp = () => load('otplib') as typeof Otplib;
let common: ReadonlySet<string> | undefined;
/** About 49,000 common and breached passwords, shipped in @zxcvbn-ts/language-common. */
const commonPasswords = (): ReadonlySet<string> =>
  (common ??= new Set((load('@zxcvbn-ts/language-common') as typeof LanguageCommon).dictionary['passwords-common'].map((word) => word.toLowerCase())));

export const lockout = { afterFailures: 5, forMs: 15 * 60_000 } as const;

export type SignInResult =
  | { ok: true; officer: OfficerRecord; needsSecondFactor: boolean; mustSetUpSecondFactor: boolean }
  | { ok: false; reason: 'invalid' | 'locked' };

export type CodeResult = { ok: true; step: number } | { ok: false; reason: 'wrong' | 'locked' };

// A real hash of a random password: checking against it when there is no account to check (the
// email unknown, the account disabled or locked) takes as long as a real check, so response time
// does not reveal which emails have accounts, nor which are locked.
const decoyHash = hash(`decoy-${Math.random()}`, argon2Options);

/** Locked now: by failed sign-ins, until `lockedUntil` passes or an administrator lifts it. */
const isLocked = (officer: OfficerRecord) => officer.lockedUntil !== null && officer.lockedUntil > new Date();

/**
 * The second factor: a 6-digit code from the officer's authenticator app (30 s either side
 * allowed). Returns the code's time step, or null. A code already used is refused (ASVS: a
 * one-time password works once).
 */
async function checkCode(officer: OfficerRecord, code: string, secret = officer.totpSecret): Promise<number | null> {
  if (!secret || !/^\d{6}$/.test(code)) return null;
  const result = await otp().verify({ secret, token: code, epochTolerance: 30 }).catch(() => ({ valid: false as const }));
  if (!result.valid) return null;
  const step = Math.floor(Date.now() / 30_000) + result.delta;
  if (officer.totpLastStep !== null && step <= officer.totpLastStep) return null;
  return step;
}

export function authService(deps: { officers: OfficerRepository; mfaRequired: boolean; issuer: string }) {
  const { officers } = deps;

  return {
    passwordProblem: (password: string, email?: string) => passwordProblem(password, { commonPasswords: commonPasswords(), email }),
    hashPassword: (password: string) => hash(password, argon2Options),

    /**
     * Email and password. Failures are generic and cost the same argon2 work whatever the reason;
     * five (wrong passwords and wrong codes together) lock the account for 15 minutes.
     */
    async signIn(email: string, password: string): Promise<SignInResult> {
      const officer = await officers.findByEmail(email.trim());
      if (!officer || officer.disabled || isLocked(officer)) {
        await verify(await decoyHash, password).catch(() => false);
        return { ok: false, reason: officer && !officer.disabled ? 'locked' : 'invalid' };
      }
      const valid = await verify(officer.passwordHash, password).catch(() => false);
      if (!valid) {
        await officers.recordFailure(officer.id, lockout.afterFailures, lockout.forMs);
        await officers.audit({ officerId: officer.id, action: 'sign-in failed' });
        return { ok: false, reason: 'invalid' };
      }
      return {
        ok: true,
        officer,
        needsSecondFactor: officer.totpSecret !== null,
        mustSetUpSecondFactor: officer.totpSecret === null && deps.mfaRequired,
      };
    },

    /** Checks a code without counting it: for setting up the authenticator app (see `attemptCode`). */
    checkCode,

    /**
     * A code at the second-factor step, counted against the account's lockout before it is
     * checked (see `takeSecondFactorAttempt`): a locked account's code is never checked, and codes
     * sent at the same moment cannot between them try more than the lockout allows. A right code
     * then clears the count (`completeSignIn`).
     */
    async attemptCode(officer: OfficerRecord, code: string): Promise<CodeResult> {
      if (!(await officers.takeSecondFactorAttempt(officer.id, lockout.afterFailures, lockout.forMs))) return { ok: false, reason: 'locked' };
      const step = await checkCode(officer, code);
      if (step === null) {
        await officers.audit({ officerId: officer.id, action: 'second factor failed' });
        return { ok: false, reason: 'wrong' };
      }
      return { ok: true, step };
    },

    isLocked,

    async completeSignIn(officer: OfficerRecord, totpStep: number | null): Promise<void> {
      await officers.recordSuccess(officer.id, totpStep);
      await officers.audit({ officerId: officer.id, action: 'signed in' });
    },

    newTotpSecret: () => otp().generateSecret(),
    /** The otpauth:// address an authenticator app reads from the QR code. */
    totpUri: (officer: OfficerRecord, secret: string) => otp().generateURI({ issuer: deps.issuer, label: officer.email, secret }),

    async enableTotp(officer: OfficerRecord, secret: string): Promise<void> {
      await officers.setTotpSecret(officer.id, secret);
      await officers.audit({ officerId: officer.id, action: 'second factor set up' });
    },

    findOfficer: (id: string) => officers.findById(id),

    async createOfficer(data: { email: string; name: string; role: OfficerRole; password: string }): Promise<OfficerRecord> {
      const problem = passwordProblem(data.password, { commonPasswords: commonPasswords(), email: data.email });
      if (problem) throw new Error(problem);
      return officers.create({ email: data.email, name: data.name, role: data.role, passwordHash: await hash(data.password, argon2Options) });
    },

    hasOfficers: async () => (await officers.count()) > 0,

    /**
     * A signed-in officer sets up an authenticator app from their account: the code from the new
     * key turns it on (and is then used up, as at sign-in). False when the code is not right.
     */
    async confirmNewSecondFactor(officer: OfficerRecord, secret: string, code: string): Promise<boolean> {
      const step = await checkCode(officer, code, secret);
      if (step === null) return false;
      await officers.setTotpSecretConfirmed(officer.id, secret, step);
      await officers.audit({ officerId: officer.id, action: 'second factor set up' });
      return true;
    },
  };
}

export type AuthService = ReturnType<typeof authService>;
