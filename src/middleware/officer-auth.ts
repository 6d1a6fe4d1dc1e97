import type { RequestHandler } from 'express';
import type { OfficerRecord } from '../data/officers.ts';
import { hasRole, type OfficerRole } from '../domain/officer-roles.ts';
import type { AuthService } from '../services/auth-service.ts';

declare module 'express-session' {
  interface SessionData {
    /** A signed-in officer (after the second factor when they have one). */
    officer?: { id: string; signedInAt: number };
    /** Password checked, second factor still to do; `id` names this sign-in to its rate limit. */
    pendingSignIn?: { id: string; officerId: string; at: number; setupSecret?: string };
  }
}

declare module 'express-serve-static-core' {
  interface Request {
    officer?: OfficerRecord;
  }
}

/**
 * Lets a request through only for a signed-in, enabled officer. Signed out: redirect to sign-in.
 * Signed in too long ago (absolute timeout) or disabled since: signed out.
 */
export function requireOfficer(auth: AuthService, absoluteMs: number): RequestHandler {
  return async (req, res, next) => {
    const signedIn = req.session.officer;
    if (!signedIn) return res.redirect(303, '/admin/sign-in');
    const officer = Date.now() - signedIn.signedInAt > absoluteMs ? null : await auth.findOfficer(signedIn.id);
    if (!officer || officer.disabled) {
      delete req.session.officer;
      return res.redirect(303, '/admin/sign-in?expired=1');
    }
    req.officer = officer;
    res.locals.officer = officer;
    res.locals.layout = 'layouts/admin';
    next();
  };
}

/** After requireOfficer: only officers with at least this role; others get a 403 page. */
export function requireRole(minimum: OfficerRole): RequestHandler {
  return (req, res, next) => {
    if (req.officer && hasRole(req.officer.role, minimum)) return next();
    res.status(403).render('admin/forbidden', { title: 'You do not have access to this page' });
  };
}
