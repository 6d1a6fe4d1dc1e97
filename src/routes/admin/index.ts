import { Router, type RequestHandler } from 'express';
import type { Services } from '../../composition.ts';
import { hasRole, type OfficerRole } from '../../domain/officer-roles.ts';
import { requireOfficer } from '../../middleware/officer-auth.ts';
import { signInRoutes } from './sign-in.ts';

/** The officers' menu; each item shows only to the roles that can open it. */
export const adminNavigation: Array<{ href: string; text: string; role: OfficerRole }> = [
  { href: '/admin', text: 'Dashboard', role: 'officer' },
];

const navigation: RequestHandler = (req, res, next) => {
  const role = req.officer?.role ?? 'officer';
  res.locals.adminNavigation = adminNavigation.filter((item) => hasRole(role, item.role));
  next();
};

/**
 * The officers' area. Sign-in pages are open; everything after `requireOfficer` needs a signed-in
 * officer, and pages for managers and administrators add `requireRole` where they are mounted.
 */
export function adminRoutes(services: Services): Router {
  const router = Router();
  router.use(signInRoutes(services));
  router.use(requireOfficer(services.auth, services.config.session.absoluteHours * 3_600_000), navigation);

  router.get('/', (_req, res) => {
    res.render('admin/dashboard', { title: 'Dashboard' });
  });

  return router;
}
