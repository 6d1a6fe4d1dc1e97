import { csrfSync } from 'csrf-sync';
import type { RequestHandler } from 'express';
import type { Logger } from '../logger.ts';

/**
 * Synchroniser-token CSRF protection on every state-changing request. The token lives in the
 * session and comes back in the form field `_csrf` (or the x-csrf-token header).
 */
const { csrfSynchronisedProtection, generateToken, invalidCsrfTokenError } = csrfSync({
  getTokenFromRequest: (req) => {
    const body = req.body as Record<string, unknown> | undefined;
    const fromBody = body?._csrf;
    if (typeof fromBody === 'string') return fromBody;
    const header = req.headers['x-csrf-token'];
    return typeof header === 'string' ? header : undefined;
  },
});

/**
 * With `secureCookie` (production) a browser never sends the session cookie back over plain HTTP,
 * so every form post it makes that way fails here: each such refusal leaves the administrator a
 * line in the log saying why (the resident sees only the "session expired" page).
 */
export function csrfProtection(options: { secureCookie: boolean; logger: Logger }): RequestHandler {
  if (!options.secureCookie) return csrfSynchronisedProtection;
  return (req, res, next) => {
    csrfSynchronisedProtection(req, res, (error?: unknown) => {
      if (error === invalidCsrfTokenError && !req.secure) {
        options.logger.warn(
          { reqId: req.id, protocol: req.protocol },
          'session cookie is Secure but the request came over HTTP: serve the portal over HTTPS or set TRUST_PROXY',
        );
      }
      next(error);
    });
  };
}

/** Makes `csrfToken()` available to views; the token is made only when a form asks for it. */
export function csrfLocals(): RequestHandler {
  return (req, res, next) => {
    res.locals.csrfToken = () => generateToken(req);
    next();
  };
}
