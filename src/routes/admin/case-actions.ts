import { Router } from 'express';
import type { Services } from '../../composition.ts';
import { formatLongDate, londonDate } from '../../domain/calendar-date.ts';
import { isVictimAttendance, victimAttendanceLabels } from '../../domain/case-decisions.ts';
import { statusLabels } from '../../domain/case-status.ts';
import { formatLondonTime } from '../../domain/london-time.ts';
import { isLetterName, type LetterName } from '../../services/case-action-service.ts';
import { registerAppealActions } from './case-actions-appeal.ts';
import { registerDecisionActions } from './case-actions-decisions.ts';
import { caseUrl, notFoundPage, officerOf, refusedPage, respond } from './case-actions-form.ts';
import { registerReviewActions } from './case-actions-review.ts';

const letterTitles: Record<LetterName, string> = {
  acknowledgement: 'Acknowledgement letter',
  decision: 'Decision letter',
  outcome: 'Outcome letter',
};

const formatDateTime = (instant: Date) => `${formatLongDate(londonDate(instant))}, ${formatLondonTime(instant)}`;

/**
 * The actions on a case (/admin/cases/:reference/actions/:slug, GET form + POST), the printable
 * letters (/letters/:name), the appeal pack, information replies and marking a recommendation done.
 */
export function caseActionRoutes(services: Services): Router {
  const router = Router();
  registerDecisionActions(router, services);
  registerReviewActions(router, services);
  registerAppealActions(router, services);

  router.post('/:reference/recommendations/:id/done', async (req, res) => {
    const reference = req.params.reference;
    const result = await services.caseActions.markRecommendationDone(reference, officerOf(req), { recommendationId: req.params.id });
    respond(res, reference, 'recommendation-done', result);
  });

  router.get('/:reference/letters/:letter', async (req, res) => {
    const { reference, letter } = req.params;
    if (!isLetterName(letter)) return notFoundPage(res, reference);
    const result = await services.caseActions.letter(reference, officerOf(req), letter);
    if (!result.ok && result.reason === 'not-found') return notFoundPage(res, reference);
    if (!result.ok) return refusedPage(res, reference, result.message);
    res.render(`letters/${letter}`, { ...result.data, title: `${letterTitles[letter]} ${reference}`, layout: 'layouts/print' });
  });

  router.get('/:reference/appeal-pack', async (req, res) => {
    const reference = req.params.reference;
    const pack = await services.caseActions.appealPack(reference, officerOf(req));
    if (!pack) return notFoundPage(res, reference);
    const { snapshot } = pack;
    res.render('admin/actions/appeal-pack', {
      title: `Appeal pack ${snapshot.reference}`,
      layout: 'layouts/print',
      pack,
      caseUrl: caseUrl(snapshot.reference),
      statusLabels,
      formatLongDate,
      formatDateTime,
      londonDate,
      appealSubjectLabel: services.caseActions.appealSubjectLabel,
      attendanceLabel: (value: string) => (isVictimAttendance(value) ? victimAttendanceLabels[value] : value),
      letterUrl: (name: LetterName) => `${caseUrl(snapshot.reference)}/letters/${name}`,
    });
  });

  return router;
}
