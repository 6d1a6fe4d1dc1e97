import { Router } from 'express';
import type { Services } from '../../composition.ts';

/** Officers, settings, failed emails and the audit trail. */
export function administrationRoutes(_services: Services): Router {
  return Router();
}
