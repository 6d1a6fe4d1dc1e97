import { Router } from 'express';
import type { Services } from '../../composition.ts';
import { requireRole } from '../../middleware/officer-auth.ts';
import { accountRoutes } from './administration-account.ts';
import { auditRoutes } from './administration-audit.ts';
import { failedEmailRoutes } from './administration-failed-emails.ts';
import { officerAccountRoutes } from './administration-officers.ts';
import { settingsRoutes } from './administration-settings.ts';

/**
 * Officers, settings, failed emails and the audit trail. Mounted after requireOfficer; each area's
 * role guard sits on its mount, so a route added inside an area is guarded like its neighbours.
 */
export function administrationRoutes(services: Services): Router {
  const router = Router();
  router.use('/officers', requireRole('administrator'), officerAccountRoutes(services));
  router.use('/settings', requireRole('administrator'), settingsRoutes(services));
  router.use('/audit', requireRole('manager'), auditRoutes(services));
  router.use('/failed-emails', failedEmailRoutes(services));
  router.use('/account', accountRoutes(services));
  return router;
}
