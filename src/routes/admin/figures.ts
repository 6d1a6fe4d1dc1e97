import { Router, type Response } from 'express';
import { z } from 'zod';
import type { Services } from '../../composition.ts';
import { londonDate } from '../../domain/calendar-date.ts';
import { figureKeys, figureLabels } from '../../domain/figures.ts';
import { financialYearOf, parseFinancialYear } from '../../domain/financial-year.ts';
import { normaliseForm } from '../../journey/fields.ts';
import { requireRole } from '../../middleware/officer-auth.ts';
import { noErrors, pageErrors, type PageErrors } from '../apply/errors.ts';

const count = (label: string) =>
  z
    .string()
    .regex(/^\d{1,6}$/, `${label} must be a whole number, like 0 or 12`)
    .transform(Number);

const historicSchema = z.object({
  financialYear: z.string().refine((value) => parseFinancialYear(value) !== null, 'Enter the financial year like 2022/23'),
  applicationsReceived: count(figureLabels.applicationsReceived),
  thresholdNotMet: count(figureLabels.thresholdNotMet),
  reviewsCarriedOut: count(figureLabels.reviewsCarriedOut),
  reviewsWithRecommendations: count(figureLabels.reviewsWithRecommendations),
  appealsReceived: count(figureLabels.appealsReceived),
  appealsUpheld: count(figureLabels.appealsUpheld),
});

/** The officers' view of the figures by month; historic years entered by an administrator. */
export function figuresAdminRoutes(services: Services): Router {
  const router = Router();

  router.get('/figures', async (req, res) => {
    const current = financialYearOf(londonDate(new Date()));
    const year = (typeof req.query.year === 'string' && parseFinancialYear(req.query.year)) || current;
    const years = await services.figures.years(new Date());
    res.render('admin/figures/by-month', {
      title: `Figures by month, ${year.label}`,
      year,
      years: years.filter((row) => !row.historic).map((row) => row.year.label),
      months: await services.figures.byMonth(year),
      totals: years.find((row) => row.year.label === year.label)?.figures ?? null,
      figureKeys,
      figureLabels,
    });
  });

  const renderHistoric = async (res: Response, values: Record<string, string>, errors: PageErrors) =>
    res.status(errors.summary.length ? 400 : 200).render('admin/figures/historic', {
      title: 'Historic figures',
      historic: await services.figures.historic(),
      values,
      figureKeys,
      figureLabels,
      errors: errors.summary,
      fieldErrors: errors.fields,
    });

  router.get('/figures/historic', requireRole('administrator'), async (_req, res) => renderHistoric(res, {}, noErrors));

  router.post('/figures/historic', requireRole('administrator'), async (req, res) => {
    const values = normaliseForm(req.body, { single: ['financialYear', ...figureKeys] }) as Record<string, string>;
    const parsed = historicSchema.safeParse(values);
    if (!parsed.success) return renderHistoric(res, values, pageErrors(parsed.error, ['financialYear', ...figureKeys]));
    const { financialYear, ...figures } = parsed.data;
    const year = parseFinancialYear(financialYear);
    if (year && req.officer) await services.figures.saveHistoric(year, figures, req.officer.id);
    res.redirect(303, '/admin/figures/historic');
  });

  router.post('/figures/historic/:year/delete', requireRole('administrator'), async (req, res) => {
    const year = parseFinancialYear(String(req.params.year).replace('-', '/'));
    if (!year) return res.status(404).render('errors/not-found', { title: 'Page not found' });
    if (req.officer) await services.figures.deleteHistoric(year, req.officer.id);
    res.redirect(303, '/admin/figures/historic');
  });

  return router;
}
