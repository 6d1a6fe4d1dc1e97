import { Router } from 'express';
import type { Services } from '../../composition.ts';

/** The officer's dashboard at /admin. */
export function dashboardRoutes(_services: Services): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.render('admin/dashboard', { title: 'Dashboard' });
  });
  return router;
}
