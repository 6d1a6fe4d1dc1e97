import querystring from 'node:querystring';
import type { RequestHandler } from 'express';
import { hasControls, oneLine, withoutControls } from '../domain/control-characters.ts';

/**
 * The edge of the rule in src/domain/control-characters.ts: no route sees a control character
 * it did not ask for, whatever the request carries (a NUL in any text reaching Postgres was a
 * server error). Three places, one rule:
 *
 * - the query string: every GET form here is filters and search boxes, single-line all, so each
 *   value is read with its line breaks folded and other controls removed;
 * - the path: references, ids, tokens and numbers never hold a control character, so such a path
 *   names no page (404) before any route looks it up;
 * - the parsed body (urlencoded and multipart fields alike): controls removed, tab and LF kept,
 *   CRLF made LF. Which fields are single-line is known where each form's fields and schema are
 *   declared, and normaliseForm folds those.
 */

/** Express's "query parser" (the default "simple" parser, node:querystring), every value on one line. */
export function queryWithoutControls(text: string): querystring.ParsedUrlQuery {
  const parsed = querystring.parse(text);
  for (const [key, value] of Object.entries(parsed)) {
    parsed[key] = Array.isArray(value) ? value.map(oneLine) : oneLine(value ?? '');
  }
  return parsed;
}

/** A path with a control character in it (once decoded) is a page that does not exist. */
export function pathWithoutControls(): RequestHandler {
  return (req, res, next) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(req.path);
    } catch {
      // Not percent-encoding at all: the router says so itself (400 for a parameter, else 404).
      return next();
    }
    if (!hasControls(decoded)) return next();
    res.status(404).render('errors/not-found', { title: 'Page not found' });
  };
}

// Passwords are hashed, never stored, shown or sent, and are taken exactly as typed.
const exactFields = /password$/i;

function clean(value: unknown): unknown {
  if (typeof value === 'string') return withoutControls(value);
  if (Array.isArray(value)) return value.map(clean);
  if (value && typeof value === 'object') {
    const fields = value as Record<string, unknown>;
    for (const key of Object.keys(fields)) if (!exactFields.test(key)) fields[key] = clean(fields[key]);
  }
  return value;
}

/** The parsed form body without control characters (tab and LF kept); runs after body parsing. */
export function bodyWithoutControls(): RequestHandler {
  return (req, _res, next) => {
    clean(req.body);
    next();
  };
}
