import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { councilSchema, southDerbyshire, type Council } from './council.ts';

/** Every environment variable the portal reads. `.env.example` documents each one. */
const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    BASE_URL: z.url().optional(),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgres:// or postgresql://')
      .optional(),
    DATABASE_POOL_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
    DATA_DIR: z.string().default('./data'),
    SESSION_SECRET: z.string().min(32, 'SESSION_SECRET must be at least 32 characters').optional(),
    SESSION_IDLE_MINUTES: z.coerce.number().int().positive().default(60),
    SESSION_ABSOLUTE_HOURS: z.coerce.number().positive().default(10),
    OFFICER_MFA: z.enum(['required', 'optional']).optional(),
    TRUST_PROXY: z.coerce.number().int().min(0).default(0),
    SMTP_HOST: z.string().optional(),
    SMTP_PORT: z.coerce.number().int().positive().default(587),
    SMTP_SECURE: z.enum(['true', 'false']).default('false'),
    SMTP_USER: z.string().optional(),
    SMTP_PASSWORD: z.string().optional(),
    SMTP_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
    MAIL_FROM: z.string().default('ASB Case Review <no-reply@localhost>'),
    OFFICER_MAILBOX: z.email().optional(),
    OUTBOX_POLL_MS: z.coerce.number().int().positive().default(2_000),
    OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().positive().default(8),
    OUTBOX_WORKER: z.enum(['on', 'off']).default('on'),
    OUTBOX_LEASE_SECONDS: z.coerce.number().positive().max(3_600).default(60),
    UPLOAD_MAX_MB: z.coerce.number().positive().max(20).default(5),
    COUNCIL_CONFIG_FILE: z.string().optional(),
    // Rate limits: how many attempts each key may make in its window (the next one gets 429).
    RATE_LIMIT_SIGN_IN_PER_IP: z.coerce.number().int().positive().default(50),
    RATE_LIMIT_SIGN_IN_PER_EMAIL: z.coerce.number().int().positive().default(10),
    RATE_LIMIT_SIGN_IN_MINUTES: z.coerce.number().positive().default(15),
    RATE_LIMIT_TWO_FACTOR_PER_IP: z.coerce.number().int().positive().default(50),
    // Codes one half-finished sign-in may try before it ends and the officer starts again.
    RATE_LIMIT_TWO_FACTOR_PER_SIGN_IN: z.coerce.number().int().positive().default(3),
    RATE_LIMIT_TWO_FACTOR_MINUTES: z.coerce.number().positive().default(15),
    RATE_LIMIT_RESUME_LINK_PER_IP: z.coerce.number().int().positive().default(20),
    RATE_LIMIT_RESUME_LINK_PER_EMAIL: z.coerce.number().int().positive().default(5),
    RATE_LIMIT_RESUME_LINK_MINUTES: z.coerce.number().positive().default(60),
    RATE_LIMIT_SUBMISSIONS_PER_IP: z.coerce.number().int().positive().default(20),
    RATE_LIMIT_SUBMISSIONS_MINUTES: z.coerce.number().positive().default(60),
    // How long the published figures' monthly counts are kept before they are counted again.
    FIGURES_CACHE_SECONDS: z.coerce.number().int().min(0).default(60),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.SESSION_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['SESSION_SECRET'], message: 'SESSION_SECRET is required in production' });
    }
    if (env.NODE_ENV === 'production' && env.OFFICER_MFA === 'optional') {
      ctx.addIssue({
        code: 'custom',
        path: ['OFFICER_MFA'],
        message: 'OFFICER_MFA cannot be optional in production: every officer signs in with a second factor (OWASP ASVS 5.0 level 2)',
      });
    }
    if (env.NODE_ENV === 'production' && !env.DATABASE_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['DATABASE_URL'],
        message: 'DATABASE_URL is required in production (the embedded database is for a single demo process)',
      });
    }
  });

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  baseUrl: string;
  /** Postgres: `poolTimeoutMs` is how long a query waits for a free connection before failing (503). */
  database: { kind: 'postgres'; url: string; poolTimeoutMs?: number } | { kind: 'pglite'; dataDir: string | null };
  dataDir: string;
  session: { secret: string; idleMinutes: number; absoluteHours: number; secureCookie: boolean };
  /** Whether officers must use a second factor (always in production; optional only for the embedded demo). */
  officerMfaRequired: boolean;
  trustProxy: number;
  mail: {
    from: string;
    officerMailbox: string;
    smtp: { host: string; port: number; secure: boolean; user?: string; password?: string; timeoutMs: number } | null;
    /** Where messages are written as .eml files when no SMTP server is configured. */
    fileDir: string;
  };
  /** `leaseMs`: how long a worker's claim on a message holds unless renewed (it is, while the worker lives). */
  outbox: { pollMs: number; maxAttempts: number; enabled: boolean; leaseMs: number };
  uploadMaxBytes: number;
  rateLimits: RateLimits;
  /** Seconds the published figures' monthly counts are served before they are counted again (0: every request). */
  figuresCacheSeconds: number;
  council: Council;
  logLevel: string;
}

/** One limit: `points` attempts per key in each window of `windowMs`. */
export interface RateLimit {
  points: number;
  windowMs: number;
}

export interface RateLimits {
  signIn: { perIp: RateLimit; perEmail: RateLimit };
  twoFactor: { perIp: RateLimit; perSignIn: RateLimit };
  resumeLink: { perIp: RateLimit; perEmail: RateLimit };
  submissions: { perIp: RateLimit };
}

export class ConfigError extends Error {}

// Only for the embedded demo: a fixed secret keeps sessions across restarts on one machine.
const developmentSessionSecret = 'development-only-session-secret-not-for-production';

export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  - ${issue.path.join('.') || '(env)'}: ${issue.message}`);
    throw new ConfigError(`The portal's configuration is not valid:\n${lines.join('\n')}`);
  }
  const env = parsed.data;
  const dataDir = path.resolve(env.DATA_DIR);
  return {
    env: env.NODE_ENV,
    port: env.PORT,
    baseUrl: (env.BASE_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ''),
    database: env.DATABASE_URL
      ? { kind: 'postgres', url: env.DATABASE_URL, poolTimeoutMs: env.DATABASE_POOL_TIMEOUT_MS }
      : { kind: 'pglite', dataDir: path.join(dataDir, 'pglite') },
    dataDir,
    session: {
      secret: env.SESSION_SECRET ?? developmentSessionSecret,
      idleMinutes: env.SESSION_IDLE_MINUTES,
      absoluteHours: env.SESSION_ABSOLUTE_HOURS,
      secureCookie: env.NODE_ENV === 'production',
    },
    // Default: required everywhere except the embedded single-process demo.
    officerMfaRequired: (env.OFFICER_MFA ?? (env.DATABASE_URL || env.NODE_ENV === 'production' ? 'required' : 'optional')) === 'required',
    trustProxy: env.TRUST_PROXY,
    mail: {
      from: env.MAIL_FROM,
      officerMailbox: env.OFFICER_MAILBOX ?? 'asb-officers@localhost',
      smtp: env.SMTP_HOST
        ? {
            host: env.SMTP_HOST,
            port: env.SMTP_PORT,
            secure: env.SMTP_SECURE === 'true',
            user: env.SMTP_USER,
            password: env.SMTP_PASSWORD,
            timeoutMs: env.SMTP_TIMEOUT_MS,
          }
        : null,
      fileDir: path.join(dataDir, 'mail'),
    },
    outbox: {
      pollMs: env.OUTBOX_POLL_MS,
      maxAttempts: env.OUTBOX_MAX_ATTEMPTS,
      enabled: env.OUTBOX_WORKER === 'on',
      leaseMs: Math.round(env.OUTBOX_LEASE_SECONDS * 1000),
    },
    uploadMaxBytes: Math.round(env.UPLOAD_MAX_MB * 1024 * 1024),
    rateLimits: rateLimitsFrom(env),
    figuresCacheSeconds: env.FIGURES_CACHE_SECONDS,
    council: env.COUNCIL_CONFIG_FILE ? loadCouncil(env.COUNCIL_CONFIG_FILE) : southDerbyshire,
    logLevel: env.LOG_LEVEL,
  };
}

/**
 * Settings that start but will not work as meant, for the log at start-up. In production the
 * session cookie is Secure: over plain HTTP (no TLS, and no proxy trusted to say it had TLS) the
 * browser never sends it back, and every form post is refused as a CSRF failure.
 */
export function configWarnings(config: Config): string[] {
  const warnings: string[] = [];
  if (config.session.secureCookie && config.baseUrl.startsWith('http://') && config.trustProxy === 0) {
    warnings.push(
      'NODE_ENV is production but BASE_URL is http:// and TRUST_PROXY is 0: the session cookie is Secure, so browsers will not ' +
        'send it over plain HTTP and every form will answer 403. Serve the portal over HTTPS (behind a proxy that ends TLS, set ' +
        'TRUST_PROXY) and set BASE_URL to its https:// address.',
    );
  }
  return warnings;
}

function rateLimitsFrom(env: z.infer<typeof envSchema>): RateLimits {
  const limit = (points: number, minutes: number): RateLimit => ({ points, windowMs: Math.round(minutes * 60_000) });
  return {
    signIn: {
      perIp: limit(env.RATE_LIMIT_SIGN_IN_PER_IP, env.RATE_LIMIT_SIGN_IN_MINUTES),
      perEmail: limit(env.RATE_LIMIT_SIGN_IN_PER_EMAIL, env.RATE_LIMIT_SIGN_IN_MINUTES),
    },
    twoFactor: {
      perIp: limit(env.RATE_LIMIT_TWO_FACTOR_PER_IP, env.RATE_LIMIT_TWO_FACTOR_MINUTES),
      perSignIn: limit(env.RATE_LIMIT_TWO_FACTOR_PER_SIGN_IN, env.RATE_LIMIT_TWO_FACTOR_MINUTES),
    },
    resumeLink: {
      perIp: limit(env.RATE_LIMIT_RESUME_LINK_PER_IP, env.RATE_LIMIT_RESUME_LINK_MINUTES),
      perEmail: limit(env.RATE_LIMIT_RESUME_LINK_PER_EMAIL, env.RATE_LIMIT_RESUME_LINK_MINUTES),
    },
    submissions: { perIp: limit(env.RATE_LIMIT_SUBMISSIONS_PER_IP, env.RATE_LIMIT_SUBMISSIONS_MINUTES) },
  };
}

function loadCouncil(file: string): Council {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`COUNCIL_CONFIG_FILE ${file} could not be read as JSON: ${(error as Error).message}`);
  }
  const parsed = councilSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  - ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`COUNCIL_CONFIG_FILE ${file} is not valid:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/**
 * The same configuration, whose `council` is read from `current()` each time: the council's
 * settings can be changed by an administrator while the portal runs.
 */
export function withLiveCouncil(config: Config, current: () => Council): Config {
  return Object.defineProperty({ ...config }, 'council', { get: current, enumerable: true });
}
