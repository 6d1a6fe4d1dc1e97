import { Router } from 'express';
import type { Services } from '../../composition.ts';

/** Case list and case page (read side). Built in the officer-area issue. */
export function caseRoutes(_services: Services): Router {
  return Router();
}
