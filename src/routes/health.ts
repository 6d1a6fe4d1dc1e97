import { Router } from 'express';
import type { Services } from '../composition.ts';

/** /healthz: the process is alive. /readyz: it can reach its database. */
export function healthRoutes(services: Pick<Services, 'health'>): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.type('text/plain').send('ok');
  });
  router.get('/readyz', async (_req, res) => {
    const ready = await services.health.databaseReachable();
    res.status(ready ? 200 : 503).type('text/plain').send(ready ? 'ready' : 'database unreachable');
  });
  return router;
}
