import compressionMiddleware from 'compression';
import type { RequestHandler } from 'express';

/**
 * gzip or brotli for text responses (HTML, CSS, JS, CSV) of 1 KB or more, as the browser accepts.
 *
 * Not for the officers' area: its pages carry the session's CSRF token next to text the request
 * chose (the case search box), which is what a BREACH attack needs to read a secret from
 * compressed sizes. Fingerprinted assets arrive already compressed (static-assets.ts) and pass
 * through untouched.
 */
export function compression(): RequestHandler {
  return compressionMiddleware({
    filter: (req, res) => !/^\/admin(\/|$)/.test(req.path) && compressionMiddleware.filter(req, res),
  });
}
