import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Services } from '../../composition.ts';
import type { DraftRecord } from '../../data/drafts.ts';
import { normaliseForm, type FormValues } from '../../journey/fields.ts';
import { markIdempotent } from '../../middleware/idempotency.ts';
import { addAnotherIncidentSchema, incidentSchema } from '../../journey/schemas.ts';
import { incidentRows } from './check-answers-presenter.ts';
import { noErrors, pageErrors, type PageErrors } from './errors.ts';
import { afterSave, currentDraft, guard, today } from './draft-guard.ts';
import type { JourneyMount } from './journey-mount.ts';

/** The "add another" pattern for incidents: add, list, change and remove, one page each. */
export const incidentFields = {
  single: [
    'occurredOn-day',
    'occurredOn-month',
    'occurredOn-year',
    'description',
    'location',
    'reportedToOther',
    'reportedOn-day',
    'reportedOn-month',
    'reportedOn-year',
    'reference',
  ],
  multiple: ['approximate', 'reportedTo'],
  multiline: ['description'],
} as const;

export const maximumIncidents = 50;

const position = z.coerce.number().int().min(1).max(maximumIncidents);

export function incidentRoutes(services: Services, mount: JourneyMount): Router {
  const router = Router();
  const base = mount.base;
  const { applications } = services;
  const changeSuffix = (req: Request) => (req.query.change === '1' ? '?change=1' : '');

  /** The draft and (for /:n routes) the index of an existing incident, or a redirect. */
  async function load(req: Request, res: Response): Promise<{ draft: DraftRecord; index: number | null } | null> {
    const draft = await currentDraft(services, req, mount);
    if (!guard(res, mount, draft, 'incidents') || !draft) return null;
    if (req.params.n === undefined) return { draft, index: null };
    const parsed = position.safeParse(req.params.n);
    if (!parsed.success || parsed.data > draft.answers.incidents.length) {
      res.redirect(303, `${base}/incidents`);
      return null;
    }
    return { draft, index: parsed.data - 1 };
  }

  const renderList = (res: Response, draft: DraftRecord, errors: PageErrors, suffix: string) =>
    res.status(errors.summary.length ? 400 : 200).render('apply/incidents', {
      title: draft.answers.incidents.length === 1 ? 'You have added 1 incident' : `You have added ${draft.answers.incidents.length} incidents`,
      incidents: draft.answers.incidents.map((incident, index) => ({ number: index + 1, rows: incidentRows(incident) })),
      canAddMore: draft.answers.incidents.length < maximumIncidents,
      suffix,
      errors: errors.summary,
      fieldErrors: errors.fields,
      backLink: suffix ? `${base}/check-answers` : backFromFirstIncident(base, draft),
    });

  router.get('/incidents', async (req, res) => {
    const loaded = await load(req, res);
    if (!loaded) return;
    if (loaded.draft.answers.incidents.length === 0) return res.redirect(303, `${base}/incident-details${changeSuffix(req)}`);
    renderList(res, loaded.draft, noErrors, changeSuffix(req));
  });

  router.post('/incidents', async (req, res) => {
    const loaded = await load(req, res);
    if (!loaded) return;
    const { draft } = loaded;
    if (draft.answers.incidents.length === 0) return res.redirect(303, `${base}/incident-details`);
    const result = addAnotherIncidentSchema().safeParse(normaliseForm(req.body, { single: ['addAnother'] }));
    if (!result.success) return renderList(res, draft, pageErrors(result.error, ['addAnother']), changeSuffix(req));
    if (result.data.addAnother === 'yes' && draft.answers.incidents.length < maximumIncidents) {
      return res.redirect(303, `${base}/incident-details${changeSuffix(req)}`);
    }
    // Saying "no more incidents" twice leaves it said once.
    markIdempotent(res);
    const answers = { ...draft.answers, incidentsComplete: true };
    await applications.saveAnswers(draft, answers);
    res.redirect(303, afterSave(mount, { ...draft, answers }, 'related-incidents', changeSuffix(req) !== ''));
  });

  const renderDetails = (res: Response, index: number | null, draft: DraftRecord, values: FormValues, errors: PageErrors, suffix: string) => {
    const number = index === null ? draft.answers.incidents.length + 1 : index + 1;
    res.status(errors.summary.length ? 400 : 200).render('apply/incident-details', {
      title: `Incident ${number}`,
      number,
      values,
      errors: errors.summary,
      fieldErrors: errors.fields,
      dateErrorParts: errors.dateParts,
      action: `${base}/incident-details${index === null ? '' : `/${index + 1}`}${suffix}`,
      backLink: draft.answers.incidents.length ? `${base}/incidents` : backFromFirstIncident(base, draft),
    });
  };

  for (const path of ['/incident-details', '/incident-details/:n']) {
    router.get(path, async (req, res) => {
      const loaded = await load(req, res);
      if (!loaded) return;
      const { draft, index } = loaded;
      if (index === null && draft.answers.incidents.length >= maximumIncidents) return res.redirect(303, `${base}/incidents`);
      renderDetails(res, index, draft, index === null ? {} : (draft.answers.incidents[index] ?? {}), noErrors, changeSuffix(req));
    });

    router.post(path, async (req, res) => {
      const loaded = await load(req, res);
      if (!loaded) return;
      const { draft, index } = loaded;
      const values = normaliseForm(req.body, incidentFields);
      const result = incidentSchema(today()).safeParse(values);
      if (!result.success) {
        return renderDetails(res, index, draft, values, pageErrors(result.error, [...incidentFields.single.slice(0, 5), 'approximate', 'reportedTo', ...incidentFields.single.slice(5)]), changeSuffix(req));
      }
      if (index === null && draft.answers.incidents.length >= maximumIncidents) return res.redirect(303, `${base}/incidents`);
      // Added (or changed) once per one-time key: pressing Continue again after a failed response
      // finds the key with the answers and adds nothing. A post without a key is added.
      if (req.idempotencyKey) markIdempotent(res);
      await applications.changeAnswersOnce(draft, req.idempotencyKey ?? null, (answers) => {
        const incidents = [...answers.incidents];
        if (index === null) {
          if (incidents.length >= maximumIncidents) return answers;
          incidents.push(values);
          return { ...answers, incidents, incidentsComplete: false };
        }
        if (index >= incidents.length) return answers;
        incidents[index] = values;
        return { ...answers, incidents };
      });
      res.redirect(303, `${base}/incidents${changeSuffix(req)}`);
    });
  }

  router.get('/incidents/:n/remove', async (req, res) => {
    const loaded = await load(req, res);
    if (!loaded || loaded.index === null) return;
    renderRemove(res, loaded.index, noErrors, changeSuffix(req));
  });

  const renderRemove = (res: Response, index: number, errors: PageErrors, suffix: string) =>
    res.status(errors.summary.length ? 400 : 200).render('apply/remove-incident', {
      title: `Are you sure you want to remove incident ${index + 1}?`,
      action: `${base}/incidents/${index + 1}/remove${suffix}`,
      errors: errors.summary,
      fieldErrors: errors.fields,
      backLink: `${base}/incidents${suffix}`,
    });

  router.post('/incidents/:n/remove', async (req, res) => {
    const loaded = await load(req, res);
    if (!loaded || loaded.index === null) return;
    const { draft, index } = loaded;
    const result = z
      .object({ confirm: z.enum(['yes', 'no'], { error: () => 'Select yes if you want to remove this incident' }) })
      .safeParse(normaliseForm(req.body, { single: ['confirm'] }));
    if (!result.success) return renderRemove(res, index, pageErrors(result.error, ['confirm']), changeSuffix(req));
    if (result.data.confirm === 'yes') {
      // Removed once per one-time key: a repeat must not remove the incident that moved up into its place.
      if (req.idempotencyKey) markIdempotent(res);
      await applications.changeAnswersOnce(draft, req.idempotencyKey ?? null, (answers) => {
        const incidents = answers.incidents.filter((_, i) => i !== index);
        return { ...answers, incidents, incidentsComplete: incidents.length > 0 && answers.incidentsComplete };
      });
    }
    res.redirect(303, `${base}/incidents${changeSuffix(req)}`);
  });

  return router;
}

function backFromFirstIncident(base: string, draft: DraftRecord): string {
  if (draft.answers.steps['who-is-applying']?.applyingAs !== 'on-behalf') return `${base}/victim-contact`;
  return draft.answers.steps.consent?.consentMethod === 'upload' ? `${base}/consent-upload` : `${base}/consent`;
}
