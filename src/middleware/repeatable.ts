import type { Request, RequestHandler } from 'express';
import { requestSafety } from '../data/connection-loss.ts';

/**
 * Whether the whole request is safe to repeat, for the data layer: an operation whose database
 * connection dies under it is then tried once more (src/data/connection-loss.ts). Reads (GET,
 * HEAD) always are; a POST is when its form carries a one-time idempotency key (a repeat of it
 * changes nothing), or when its route says so (`markIdempotent`).
 */
export function requestSafetyContext(): RequestHandler {
  return (req, _res, next) => requestSafety.run(safeToRepeat(req), next);
}

function safeToRepeat(req: Request): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') return true;
  // The one-time key read by idempotencyKeys() (src/middleware/idempotency.ts), which runs first.
  return req.idempotencyKey !== null && req.idempotencyKey !== undefined;
}
