import { Router } from 'express';
import type { Services } from '../../composition.ts';

/** The officer's dashboard at /admin: what is new, due and overdue, each linking to the filtered case list. */
export function dashboardRoutes(services: Services): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    const dashboard = await services.caseViews.dashboard();
    res.render('admin/dashboard', { title: 'Dashboard', dashboard });
  });
  return router;
}
