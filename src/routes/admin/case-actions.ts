import { Router } from 'express';
import type { Services } from '../../composition.ts';

/** The actions on a case: /admin/cases/:reference/actions/:slug. */
export function caseActionRoutes(_services: Services): Router {
  return Router();
}
