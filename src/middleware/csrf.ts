import { csrfSync } from 'csrf-sync';
import type { RequestHandler } from 'express';

/**
 * Synchroniser-token CSRF protection on every state-changing request. The token lives in the
 * session and comes back in the form field `_csrf` (or the x-csrf-token header).
 */
const { csrfSynchronisedProtection, generateToken } = csrfSync({
  getTokenFromRequest: (req) => {
    const body = req.body as Record<string, unknown> | undefined;
    const fromBody = body?._csrf;
    if (typeof fromBody === 'string') return fromBody;
    const header = req.headers['x-csrf-token'];
    return typeof header === 'string' ? header : undefined;
  },
});

export function csrfProtection(): RequestHandler {
  return csrfSynchronisedProtection;
}

/** Makes `csrfToken()` available to views; the token is made only when a form asks for it. */
export function csrfLocals(): RequestHandler {
  return (req, res, next) => {
    res.locals.csrfToken = () => generateToken(req);
    next();
  };
}
