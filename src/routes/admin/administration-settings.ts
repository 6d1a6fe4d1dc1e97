import { Router, type Response } from 'express';
import type { Services } from '../../composition.ts';
import { normaliseForm } from '../../journey/fields.ts';
import { noErrors, type PageErrors } from '../apply/errors.ts';
import { changesFromForm, formFromCouncil, settingsErrors, settingsFormFields } from './administration-settings-form.ts';

/** The council's configuration, for administrators (the guard is where this router is mounted). */
export function settingsRoutes(services: Services): Router {
  const router = Router();
  const settings = services.administration.councilSettings;

  const render = (res: Response, values: Record<string, string>, errors: PageErrors, saved = false) =>
    res.status(errors.summary.length ? 400 : 200).render('admin/administration/settings', {
      title: 'Settings',
      values,
      saved,
      errors: errors.summary,
      fieldErrors: errors.fields,
    });

  router.get('/', async (req, res) => {
    // The freshest values for editing, whatever this instance has cached.
    await settings.load();
    render(res, formFromCouncil(settings.current()), noErrors, req.query.saved === '1');
  });

  router.post('/', async (req, res) => {
    const officer = req.officer;
    if (!officer) throw new Error('settings routes run after requireOfficer');
    const values = normaliseForm(req.body, settingsFormFields) as Record<string, string>;
    const result = await settings.update(changesFromForm(values), officer.id);
    if (!result.ok) return render(res, values, settingsErrors(result.error, values));
    res.redirect(303, '/admin/settings?saved=1');
  });

  return router;
}
