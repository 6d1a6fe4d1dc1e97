import { pino, type Logger, type DestinationStream } from 'pino';

/**
 * Structured logs. Personal data never belongs in a log line: request logs carry the route, not
 * the URL's query or body, and these paths are redacted in case someone logs an object that has them.
 */
export const redactedPaths = [
  'name',
  'email',
  'phone',
  'postcode',
  'address',
  'answers',
  'body',
  'to',
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  '*.name',
  '*.email',
  '*.phone',
  '*.postcode',
  '*.to',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({ level, redact: { paths: redactedPaths, censor: '[redacted]' } }, destination);
}

export type { Logger };
