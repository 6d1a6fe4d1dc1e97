import session from 'express-session';
import type { Request, RequestHandler } from 'express';
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
  return [sessionMiddleware, saveBeforeRedirect, saveBeforeRender];
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

/** The session as express-session compares it to decide whether to save it: without its cookie. */
const contentOf = (session: Request['session'] | undefined) => {
  if (!session) return '';
  return JSON.stringify(session, function (this: unknown, key: string, value: unknown) {
    return this === session && key === 'cookie' ? undefined : value;
  });
};

/**
 * The same for pages: a page whose rendering changed the session (the first form page hands out a
 * CSRF token, kept in the session) is sent only once the session is saved. express-session would
 * send the page and save after; when that save failed, the resident held a token the server never
 * kept, and their first answer was refused as "your session has expired". Now a failed save is an
 * error like any other: the "try again" page, and a fresh token on the next visit. A page that
 * changed nothing in the session costs no extra write.
 */
type RenderCallback = (error: Error | null, html: string) => void;

const saveBeforeRender: RequestHandler = (req, res, next) => {
  const before = contentOf(req.session);
  const render = res.render.bind(res) as (view: string, options?: object, callback?: RenderCallback) => void;
  res.render = ((view: string, options?: object | RenderCallback, callback?: RenderCallback) => {
    if (typeof options === 'function') return render(view, undefined, options as RenderCallback);
    if (callback) return render(view, options, callback);
    render(view, options, (error, html) => {
      if (error) return next(error);
      if (!req.session || contentOf(req.session) === before) return res.send(html);
      req.session.save((saveError) => (saveError ? next(saveError) : res.send(html)));
    });
  }) as typeof res.render;
  next();
};
