import { Router } from 'express';
import type { Services } from '../../composition.ts';
import { figureKeys, figureLabels } from '../../domain/figures.ts';

/** The published yearly figures, as a page and as CSV with the same numbers. */
export function figuresRoutes(services: Pick<Services, 'figures'>): Router {
  const router = Router();

  router.get('/figures', async (_req, res) => {
    res.render('pages/figures', {
      title: 'ASB Case Review figures',
      years: await services.figures.years(new Date()),
      figureKeys,
      figureLabels,
      backLink: '/',
    });
  });

  router.get('/figures.csv', async (_req, res) => {
    res
      .type('text/csv; charset=utf-8')
      .attachment('asb-case-review-figures.csv')
      .send(await services.figures.csv(new Date()));
  });

  return router;
}
