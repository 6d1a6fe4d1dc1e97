import { Router } from 'express';
import type { Services } from '../../composition.ts';
import { registerAppealActions } from './case-actions-appeal.ts';
import { registerDecisionActions } from './case-actions-decisions.ts';
import { markIdempotent } from '../../middleware/idempotency.ts';
import { officerOf, oneTimeKey, respond } from './case-actions-form.ts';
import { registerReviewActions } from './case-actions-review.ts';

/**
 * The actions on a case (/admin/cases/:reference/actions/:slug, GET form + POST), information
 * replies and marking a recommendation done. The printable letters and the appeal pack are print
 * pages: src/routes/admin/case-print.ts.
 */
export function caseActionRoutes(services: Services): Router {
  const router = Router();
  registerDecisionActions(router, services);
  registerReviewActions(router, services);
  registerAppealActions(router, services);

  router.post('/:reference/recommendations/:id/done', async (req, res) => {
    const reference = req.params.reference;
    const once = oneTimeKey(req, 'recommendation-done', req.params.id);
    if (once) markIdempotent(res);
    const repeat = once ? await services.caseActions.repeatOf(reference, once) : null;
    const result =
      repeat ?? (await services.caseActions.markRecommendationDone(reference, officerOf(req), { recommendationId: req.params.id }, once));
    respond(res, reference, 'recommendation-done', result);
  });

  return router;
}
