import session from 'express-session';
import type { RequestHandler } from 'express';
import type { Config } from '../config.ts';

declare module 'express-session' {
  interface SessionData {
    /** The resident's application in progress. */
    draftId?: string;
    /** Cases this browser submitted, so a repeat submit shows the original confirmation. */
    submittedReferences?: string[];
  }
}

export function sessions(store: session.Store, config: Config['session']): RequestHandler {
  const idleMs = config.idleMinutes * 60_000;
  return session({
    name: 'asb.sid',
    secret: config.secret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    proxy: undefined,
    cookie: { httpOnly: true, sameSite: 'lax', secure: config.secureCookie, maxAge: idleMs, path: '/' },
  });
}
