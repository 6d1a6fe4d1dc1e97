import type { RequestHandler } from 'express';

/** Form and admin pages hold personal data: never keep them in a browser or proxy cache. */
export function noStore(): RequestHandler {
  return (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  };
}
