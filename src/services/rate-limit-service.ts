import { createHmac } from 'node:crypto';
import type { RateLimits } from '../config.ts';
import type { AttemptCounter, Consumed, RateLimitStore } from '../data/rate-limits.ts';

export type LimitCheck = Consumed;

interface Who {
  /** The client's IP address (as Express sees it through TRUST_PROXY). */
  ip?: string;
  /** The email address typed in the form, if any. */
  email?: string;
}

/**
 * Rate limits on the actions someone could abuse at scale: guessing officers' passwords, sending
 * resume-link emails to someone's inbox, flooding the officers with applications. Each action
 * counts per IP address and, where a form names one, per email address; an attempt is refused
 * when any of its counters is used up, and the wait is the longest of those refused.
 *
 * The database holds a keyed hash of the IP or email, never the value: a counter row must not be
 * a list of who tried to sign in.
 */
export function rateLimitService(deps: { store: RateLimitStore; limits: RateLimits; secret: string }) {
  const { store, limits } = deps;
  const counters = {
    signInPerIp: store.counter('sign-in:ip', limits.signIn.perIp),
    signInPerEmail: store.counter('sign-in:email', limits.signIn.perEmail),
    twoFactorPerIp: store.counter('two-factor:ip', limits.twoFactor.perIp),
    twoFactorPerSignIn: store.counter('two-factor:sign-in', limits.twoFactor.perSignIn),
    resumeLinkPerIp: store.counter('resume-link:ip', limits.resumeLink.perIp),
    resumeLinkPerEmail: store.counter('resume-link:email', limits.resumeLink.perEmail),
    submissionPerIp: store.counter('submission:ip', limits.submissions.perIp),
  };
  const keyOf = (value: string) => createHmac('sha256', deps.secret).update(value).digest('base64url');
  const normalisedEmail = (email: string | undefined) => email?.trim().toLowerCase() || undefined;

  async function check(attempts: Array<[AttemptCounter, string | undefined]>): Promise<LimitCheck> {
    const counted = attempts.filter((attempt): attempt is [AttemptCounter, string] => Boolean(attempt[1]));
    const results = await Promise.all(counted.map(([counter, value]) => counter.consume(keyOf(value))));
    const waits = results.flatMap((result) => (result.allowed ? [] : [result.retryAfterMs]));
    if (waits.length) return { allowed: false, retryAfterMs: Math.max(...waits) };
    return { allowed: true, remaining: Math.min(Infinity, ...results.map((result) => (result.allowed ? result.remaining : 0))) };
  }

  return {
    /** An officer's email and password sent to the sign-in page. */
    signIn: (who: Who) =>
      check([
        [counters.signInPerIp, who.ip],
        [counters.signInPerEmail, normalisedEmail(who.email)],
      ]),
    /** A code sent to the second-factor step (or its set-up), from this IP address. */
    twoFactor: (who: Who) => check([[counters.twoFactorPerIp, who.ip]]),
    /**
     * A code sent for one half-finished sign-in (password checked; `signIn` is its random id).
     * `remaining` 0 means that was its last: the sign-in ends and the officer starts again.
     */
    codeForSignIn: (signIn: string) => check([[counters.twoFactorPerSignIn, signIn]]),
    /** A resident asking for a "save and come back later" link. */
    resumeLink: (who: Who) =>
      check([
        [counters.resumeLinkPerIp, who.ip],
        [counters.resumeLinkPerEmail, normalisedEmail(who.email)],
      ]),
    /** A resident sending their application. */
    submission: (who: Who) => check([[counters.submissionPerIp, who.ip]]),
    /** Housekeeping: forget counters whose window has ended. */
    sweepExpired: (now: Date) => store.sweepExpired(now),
  };
}

export type RateLimitService = ReturnType<typeof rateLimitService>;
