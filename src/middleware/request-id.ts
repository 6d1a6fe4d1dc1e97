import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';

declare module 'express-serve-static-core' {
  interface Request {
    /** This request's id, in logs and on the error page. */
    id: string;
  }
}

const safeId = /^[A-Za-z0-9-]{8,64}$/;

/** Gives every request an id (a proxy's X-Request-Id when it looks safe) for logs and error pages. */
export function requestId(): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('x-request-id');
    req.id = incoming && safeId.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', req.id);
    next();
  };
}
