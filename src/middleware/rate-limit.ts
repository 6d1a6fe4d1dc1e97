import type { Request, RequestHandler } from 'express';
import type { LimitCheck } from '../services/rate-limit-service.ts';

/** A field of the form shown again on the "Too many attempts" page, with what was typed in it. */
export interface TooManyField {
  id: string;
  name: string;
  label: string;
  type?: string;
  value?: string;
  autocomplete?: string;
}

/** What the "Too many attempts" page offers, so nothing the person typed is lost. */
export interface TooManyPage {
  layout?: string;
  /** Why there is a limit, in a sentence. */
  reason: string;
  /** The same form again, to send once the wait is over. */
  form?: { action: string; fields: TooManyField[]; button: string };
  /** Reassurance that answers are kept, for forms whose answers are saved already. */
  saved?: string;
  link?: { href: string; text: string };
  /** Where to get help now (default: the council's team and phone number). */
  help?: string;
}

/**
 * Counts the request against its rate limit before the route runs. When the limit is reached:
 * 429, a Retry-After header in seconds, and a page that says how many minutes to wait and shows
 * the form again with what was typed (never a password).
 */
export function rateLimit(check: (req: Request) => Promise<LimitCheck>, page: (req: Request) => TooManyPage): RequestHandler {
  return async (req, res, next) => {
    const result = await check(req);
    if (result.allowed) return next();
    const minutes = Math.max(1, Math.ceil(result.retryAfterMs / 60_000));
    res.set('Retry-After', String(Math.ceil(result.retryAfterMs / 1000)));
    res.status(429).render('errors/too-many', { title: 'Too many attempts', minutes, ...page(req) });
  };
}

/** A single text value from a form body (the body parser gives arrays for repeated fields). */
export function formValue(req: Request, name: string): string {
  const value: unknown = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value.trim().slice(0, 1_000) : '';
}
