import { Router, type RequestHandler } from 'express';
import type { Services } from '../../composition.ts';
import { hasRole, type OfficerRole } from '../../domain/officer-roles.ts';
import { requireOfficer, requireRole } from '../../middleware/officer-auth.ts';
import { administrationRoutes } from './administration.ts';
import { caseActionRoutes } from './case-actions.ts';
import { casePrintRoutes } from './case-print.ts';
import { caseRoutes } from './cases.ts';
import { dashboardRoutes } from './dashboard.ts';
import { figuresAdminRoutes } from './figures.ts';
import { paperApplicationRoutes } from './paper-applications.ts';
import { signInRoutes } from './sign-in.ts';
import { subjectAccessRoutes } from './subject-access.ts';

/** The officers' menu; each item shows only to the roles that can open it. */
export const adminNavigation: Array<{ href: string; text: string; role: OfficerRole }> = [
  { href: '/admin', text: 'Dashboard', role: 'officer' },
  { href: '/admin/cases', text: 'Cases', role: 'officer' },
  { href: '/admin/paper-applications', text: 'Enter a paper application', role: 'officer' },
  { href: '/admin/failed-emails', text: 'Failed emails', role: 'officer' },
  { href: '/admin/figures', text: 'Figures', role: 'officer' },
  { href: '/admin/audit', text: 'Audit trail', role: 'manager' },
  { href: '/admin/subject-access', text: 'Subject access', role: 'manager' },
  { href: '/admin/officers', text: 'Officers', role: 'administrator' },
  { href: '/admin/settings', text: 'Settings', role: 'administrator' },
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

  router.use(dashboardRoutes(services));
  router.use('/cases', caseRoutes(services));
  router.use('/cases', caseActionRoutes(services));
  router.use('/cases', casePrintRoutes(services));
  router.use('/paper-applications', paperApplicationRoutes(services));
  router.use(figuresAdminRoutes(services));
  router.use(administrationRoutes(services));
  // Everything about one person across every case at once: more than an ASB officer's casework
  // needs, so managers (and administrators) only, like the audit trail.
  router.use('/subject-access', requireRole('manager'), subjectAccessRoutes(services));

  return router;
}
