import { createHash, randomUUID } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { requestSafety } from '../data/connection-loss.ts';

/**
 * One-time keys for the forms that add something (an incident, an upload, a note, a
 * recommendation, an information request, any officer action on a case). The form carries a
 * random UUID in the hidden field `idempotencyKey` (views/components/idempotency-key.ejs, made
 * when the page is rendered); the route stores the key in the same transaction as its change, so
 * a repeat of the same post (a second press after a failed response, a retry) changes nothing and
 * answers as the first did.
 *
 * A post without a key (a form opened before keys existed, a tampered one) is a fresh post: it is
 * done, as it always was, and it is not idempotent.
 *
 * For a transparent retry (of a request whose database connection died): `isIdempotentRequest`
 * says whether the request can be run again safely.
 */

export const idempotencyField = 'idempotencyKey';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

declare module 'express-serve-static-core' {
  interface Request {
    /**
     * The post's one-time key, or null when it carries none (or a malformed one). It is the form's
     * key bound to what was sent: the same form sent again with the same answers (and file) has the
     * same key; the same form sent with other answers (a page a browser kept and showed again) is a
     * new post, not a repeat, so nothing a resident typed is dropped as a repeat.
     */
    idempotencyKey?: string | null;
  }
}

/** A UUID-shaped digest of the form's key and everything else the form sent. */
function boundKey(formKey: string, body: Record<string, unknown>, file: Buffer | undefined): string {
  const hash = createHash('sha256').update(formKey);
  for (const name of Object.keys(body).sort()) {
    if (name === '_csrf' || name === idempotencyField) continue;
    hash.update(JSON.stringify([name, body[name]]));
  }
  if (file) hash.update(file);
  const hex = hash.digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Reads the key a form sent, and gives views `idempotencyKey()`: a new key for each form on a
 * page, or the posted key again on a form shown again with its errors (nothing was done with it).
 */
export function idempotencyKeys(): RequestHandler {
  return (req, res, next) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const sent = body[idempotencyField];
    const formKey = typeof sent === 'string' && uuidPattern.test(sent) ? sent.toLowerCase() : null;
    req.idempotencyKey = formKey ? boundKey(formKey, body, req.file?.buffer) : null;
    res.locals.idempotencyKey = () => formKey ?? randomUUID();
    next();
  };
}

/**
 * A route says its change is safe to repeat: it stores the post's key with the change (or the
 * change sets a value, so doing it twice leaves it as once). Call it before the first write.
 */
export function markIdempotent(res: Response): void {
  res.locals.idempotent = true;
  // And for the data layer: an operation whose connection dies under it is tried once more.
  requestSafety.markRepeatable();
}

/**
 * Whether running this request again cannot duplicate anything a person sees: a GET or HEAD (reads;
 * opening a case page, a letter or the appeal pack also writes a "viewed" audit entry, so a rerun
 * records the view twice), or a post whose route called `markIdempotent`: the form steps (they set
 * a page's answers), sending the application (one case per draft), and the posts that add
 * something when they carry a key. A rerun must send the same body (and the same uploaded file).
 */
export function isIdempotentRequest(req: Request, res: Response): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') return true;
  return res.locals.idempotent === true;
}
