import { Router, type Response } from 'express';
import { z } from 'zod';
import type { Services } from '../../composition.ts';
import { checkDate, choice, dateParts, normaliseForm } from '../../journey/fields.ts';
import { emptyAnswers } from '../../journey/steps.ts';
import { applyRoutes } from '../apply/index.ts';
import { currentDraft, today } from '../apply/draft-guard.ts';
import { noErrors, pageErrors, type PageErrors } from '../apply/errors.ts';
import { officerMount } from '../apply/journey-mount.ts';

const fields = { single: ['channel', 'receivedOn-day', 'receivedOn-month', 'receivedOn-year'] } as const;

const arrivalSchema = (todayIso: string) =>
  z
    .object({
      channel: choice(['paper', 'phone', 'email'], 'Select how the application arrived'),
      'receivedOn-day': z.string(),
      'receivedOn-month': z.string(),
      'receivedOn-year': z.string(),
    })
    .superRefine((values, ctx) => {
      const received = checkDate(dateParts(values, 'receivedOn'), {
        label: 'Date it arrived',
        required: true,
        notAfter: todayIso,
        notAfterMessage: 'Date it arrived must be today or in the past',
      });
      if (!received.ok) ctx.addIssue({ code: 'custom', path: [`receivedOn-${received.parts[0]}`], message: received.message });
    }, { when: () => true });

/**
 * Assisted digital: an officer enters a paper, phone or email application through the same
 * pages and rules as the resident's form, after saying how and when it arrived (the deadlines
 * run from that day).
 */
export function paperApplicationRoutes(services: Services): Router {
  const router = Router();

  const render = async (res: Response, values: Record<string, string>, errors: PageErrors, hasDraft: boolean) =>
    res.status(errors.summary.length ? 400 : 200).render('admin/paper-applications/start', {
      title: 'Enter a paper or phone application',
      values,
      hasDraft,
      errors: errors.summary,
      fieldErrors: errors.fields,
      dateErrorParts: errors.dateParts,
    });

  router.get('/', async (req, res) => {
    const [year, month, day] = today().split('-');
    const draft = await currentDraft(services, req, officerMount);
    await render(res, { 'receivedOn-day': String(Number(day)), 'receivedOn-month': String(Number(month)), 'receivedOn-year': year ?? '' }, noErrors, draft !== null);
  });

  router.post('/', async (req, res) => {
    const values = normaliseForm(req.body, fields) as Record<string, string>;
    const todayIso = today();
    const result = arrivalSchema(todayIso).safeParse(values);
    if (!result.success) return render(res, values, pageErrors(result.error, fields.single), false);
    const received = checkDate(dateParts(values, 'receivedOn'), { label: 'Date it arrived', required: true });
    const draft = await services.applications.startDraft();
    const answers = { ...emptyAnswers(), assisted: { channel: result.data.channel, receivedOn: received.ok && received.iso ? received.iso : todayIso } };
    await services.applications.saveAnswers(draft, answers);
    req.session[officerMount.sessionKey] = draft.id;
    res.redirect(303, `${officerMount.base}/who-is-applying`);
  });

  router.use(applyRoutes(services, officerMount));
  return router;
}
