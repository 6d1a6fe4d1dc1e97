import session from 'express-session';
import type { RequestHandler } from 'express';
import type { Config } from '../config.ts';

declare module 'express-session' {
  interface SessionData {
    /** The resident's application in progress. */
    draftId?: string;
  }
}

/**
 * The session cookie's name. Where it is Secure (production) it carries the `__Host-` prefix: a
 * browser then accepts it only when Secure, for Path=/ and with no Domain, so neither a sibling
 * subdomain nor a plain-http page can set or shadow it.
 */
export function sessionCookieName(secure: boolean): string {
  return secure ? '__Host-asb.sid' : 'asb.sid';
}

/** The session cookie's attributes: sign-out clears it with the same ones, so the clearing header is as strict. */
export function sessionCookieOptions(config: Pick<Config['session'], 'secureCookie'>) {
  return { httpOnly: true, sameSite: 'lax', secure: config.secureCookie, path: '/' } as const;
}

export function sessions(store: session.Store, config: Config['session']): RequestHandler[] {
  const idleMs = config.idleMinutes * 60_000;
  const sessionMiddleware = session({
    name: sessionCookieName(config.secureCookie),
    secret: config.secret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    proxy: undefined,
    cookie: { ...sessionCookieOptions(config), maxAge: idleMs },
  });
  return [sessionMiddleware, saveBeforeRedirect];
}

/**
 * express-session saves the session while the response is ending, after the headers have gone: a
 * browser can follow a redirect before the save lands and load the old session (seen with sign-in
 * and with the application form). Every redirect waits for the session to be saved first.
 */
const saveBeforeRedirect: RequestHandler = (req, res, next) => {
  const redirect = res.redirect.bind(res) as (status: number, url: string) => void;
  res.redirect = ((status: number | string, url?: string) => {
    const [code, location] = typeof status === 'number' ? [status, url ?? '/'] : [302, status];
    if (!req.session) return redirect(code, location);
    req.session.save((error) => (error ? next(error) : redirect(code, location)));
  }) as typeof res.redirect;
  next();
};
