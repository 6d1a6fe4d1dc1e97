import { Router, type Request, type Response } from 'express';
import type { Services } from '../../composition.ts';
import type { DraftRecord } from '../../data/drafts.ts';
import type { Confirmation } from '../../services/application-service.ts';
import { IncompleteApplicationError } from '../../journey/application.ts';
import { declarationSchema } from '../../journey/schemas.ts';
import { markIdempotent } from '../../middleware/idempotency.ts';
import { rateLimit } from '../../middleware/rate-limit.ts';
import { contextFor, emptyAnswers, journeyProgress, readForm, steps, type FormStep } from '../../journey/steps.ts';
import { checkAnswersSections } from './check-answers-presenter.ts';
import { noErrors, pageErrors, singleError, type PageErrors } from './errors.ts';
import { incidentRoutes } from './incidents.ts';
import { saveAndReturnRoutes } from './save-and-return.ts';
import { afterSave, currentDraft, firstIncompletePath, guard, today } from './draft-guard.ts';
import { residentMount, type JourneyMount } from './journey-mount.ts';

declare module 'express-session' {
  interface SessionData {
    /** Drafts this browser has submitted: a repeat submit shows the original confirmation. */
    submittedDraftIds?: string[];
    confirmation?: { reference: string; acknowledgementDueOn: string };
  }
}

const isChanging = (req: Request) => req.query.change === '1';

export function applyRoutes(services: Services, mount: JourneyMount = residentMount): Router {
  const router = Router();
  const { applications } = services;
  const base = mount.base;
  router.use((_req, res, next) => {
    res.locals.journeyBase = base;
    res.locals.assisted = mount.assisted;
    next();
  });

  router.get('/', async (req, res) => {
    // "Go back to your application" (on the "try again" page) after a submission whose case was
    // committed but whose session was not saved: the case it made, not a blank form to send again.
    const inSession = req.session[mount.sessionKey];
    const sent = inSession ? await applications.findDraft(inSession) : null;
    if (sent?.submittedCaseId) {
      return showCase(req, res, sent.id, await applications.submit(sent, new Date(), mount.assisted ? req.officer : undefined));
    }
    const draft = await currentDraft(services, req, mount);
    res.redirect(303, draft ? firstIncompletePath(mount, draft) : mount.startPath);
  });

  if (!mount.assisted) router.use(saveAndReturnRoutes(services));
  router.use(incidentRoutes(services, mount));

  const renderStep = (res: Response, step: FormStep, draft: DraftRecord | null, values: Record<string, unknown>, errors: PageErrors, changing: boolean) => {
    const answers = draft?.answers ?? emptyAnswers();
    const context = contextFor(answers, today());
    res.status(errors.summary.length ? 400 : 200).render(`apply/${step.slug}`, {
      title: step.title(context),
      wording: context.wording,
      answers,
      values,
      errors: errors.summary,
      fieldErrors: errors.fields,
      dateErrorParts: errors.dateParts,
      action: `${base}/${step.slug}${changing ? '?change=1' : ''}`,
      backLink: changing ? `${base}/check-answers` : backLinkFor(mount, step.slug, answers),
    });
  };

  for (const step of steps) {
    if (step.kind !== 'form') continue;
    router.get(`/${step.slug}`, async (req, res) => {
      const draft = await currentDraft(services, req, mount);
      if (!guard(res, mount, draft, step.slug)) return;
      renderStep(res, step, draft, draft?.answers.steps[step.slug] ?? {}, noErrors, isChanging(req));
    });

    router.post(`/${step.slug}`, async (req, res) => {
      let draft = await currentDraft(services, req, mount);
      if (!guard(res, mount, draft, step.slug)) return;
      // Setting a page's answers twice leaves them as setting them once (a first page with no draft
      // yet may leave an empty draft behind, which nothing shows and retention deletes).
      markIdempotent(res);
      const values = readForm(step, req.body);
      const answers = draft?.answers ?? emptyAnswers();
      const result = step.schema(contextFor({ ...answers, steps: { ...answers.steps, [step.slug]: values } }, today())).safeParse(values);
      if (!result.success) {
        return renderStep(res, step, draft, values, pageErrors(result.error, [...step.fields.single, ...(step.fields.multiple ?? [])]), isChanging(req));
      }
      if (!draft) {
        draft = await applications.startDraft();
        req.session[mount.sessionKey] = draft.id;
      }
      draft = { ...draft, answers: { ...draft.answers, steps: { ...draft.answers.steps, [step.slug]: values } } };
      await applications.saveAnswers(draft, draft.answers);
      res.redirect(303, afterSave(mount, draft, step.next(draft.answers), isChanging(req)));
    });
  }

  router.get('/consent-upload', async (req, res) => {
    const draft = await currentDraft(services, req, mount);
    if (!guard(res, mount, draft, 'consent-upload')) return;
    renderUpload(res, draft, noErrors, isChanging(req));
  });

  router.post('/consent-upload', async (req, res) => {
    const draft = await currentDraft(services, req, mount);
    if (!guard(res, mount, draft, 'consent-upload') || !draft) return;
    // Keeping the file already uploaded is fine when no new one is chosen.
    if (!req.file && !req.uploadError && draft.answers.consentUpload) {
      return res.redirect(303, afterSave(mount, draft, 'incidents', isChanging(req)));
    }
    if (req.idempotencyKey) markIdempotent(res);
    const result = await applications.saveConsentUpload(draft, req.file, req.uploadError, req.idempotencyKey ?? null);
    if (!result.ok) return renderUpload(res, draft, singleError('consentFile', result.message), isChanging(req));
    const saved = await currentDraft(services, req, mount);
    res.redirect(303, afterSave(mount, saved ?? draft, 'incidents', isChanging(req)));
  });

  function renderUpload(res: Response, draft: DraftRecord | null, errors: PageErrors, changing: boolean) {
    res.status(errors.summary.length ? 400 : 200).render('apply/consent-upload', {
      title: 'Upload the signed consent form',
      upload: draft?.answers.consentUpload ?? null,
      maxMb: Math.round((services.config.uploadMaxBytes / 1024 / 1024) * 10) / 10,
      errors: errors.summary,
      fieldErrors: errors.fields,
      action: `${base}/consent-upload${changing ? '?change=1' : ''}`,
      backLink: changing ? `${base}/check-answers` : `${base}/consent`,
    });
  }

  router.get('/check-answers', async (req, res) => {
    const draft = await currentDraft(services, req, mount);
    if (!guard(res, mount, draft, 'check-answers') || !draft) return;
    renderCheckAnswers(res, draft, noErrors);
  });

  function renderCheckAnswers(res: Response, draft: DraftRecord, errors: PageErrors) {
    res.status(errors.summary.length ? 400 : 200).render('apply/check-answers', {
      title: 'Check your answers before sending your application',
      sections: checkAnswersSections(draft.answers, base),
      submissionKey: draft.id,
      errors: errors.summary,
      fieldErrors: errors.fields,
      backLink: `${base}/action-so-far`,
    });
  }

  // Residents' applications, per IP address, so a script cannot flood the officers with cases.
  // Officers entering paper applications (the assisted mount) are signed in and not limited.
  const submissionLimit = mount.assisted
    ? []
    : [
        rateLimit(
          (req) => services.rateLimits.submission({ ip: req.ip }),
          () => ({
            reason: 'There is a limit on how many applications can be sent from one place in a short time.',
            saved: 'Your answers have been saved. Nothing you have typed has been lost.',
            link: { href: `${base}/check-answers`, text: 'Go back to check your answers' },
          }),
        ),
      ];

  router.post('/check-answers', ...submissionLimit, async (req, res) => {
    // One case per draft (its id is the case's submission key): sending again shows that case.
    markIdempotent(res);
    const key = typeof req.body?.submissionKey === 'string' ? req.body.submissionKey : '';
    // This browser's own draft: the one in progress or one it sent. A draft still "in progress" in
    // the session may have been sent already: its case was committed but the session could not be
    // saved after (the database failed just then) and the resident was told to try again. Trying
    // again shows the case that submission made.
    const ownDraft = req.session[mount.sessionKey] === key || (req.session.submittedDraftIds?.includes(key) ?? false);
    const draft = ownDraft ? await applications.findDraft(key) : null;
    if (!draft) return res.redirect(303, base);
    const alreadySubmitted = draft.submittedCaseId !== null;
    const parsed = declarationSchema().safeParse({ declaration: req.body?.declaration, submissionKey: key });
    if (!parsed.success && !alreadySubmitted) {
      return renderCheckAnswers(res, draft, pageErrors(parsed.error, ['declaration']));
    }
    try {
      showCase(req, res, draft.id, await applications.submit(draft, new Date(), mount.assisted ? req.officer : undefined));
    } catch (error) {
      if (error instanceof IncompleteApplicationError) return res.redirect(303, `${base}/${error.firstIncomplete}`);
      throw error;
    }
  });

  /** Remembers that this browser sent the draft, and shows the case it made. */
  function showCase(req: Request, res: Response, draftId: string, confirmation: Confirmation) {
    req.session.submittedDraftIds = [...(req.session.submittedDraftIds ?? []), draftId].slice(-5);
    delete req.session[mount.sessionKey];
    if (mount.assisted) return res.redirect(303, `/admin/cases/${confirmation.reference}`);
    req.session.confirmation = confirmation;
    res.redirect(303, '/apply/confirmation');
  }

  router.get('/confirmation', (req, res) => {
    const confirmation = req.session.confirmation;
    if (!confirmation) return res.redirect(303, '/');
    res.render('apply/confirmation', { title: 'Application sent', confirmation });
  });

  return router;
}

/** The page before this one on the resident's path (for the Back link). */
function backLinkFor(mount: JourneyMount, slug: string, answers: DraftRecord['answers']): string {
  const { reachable } = journeyProgress(answers, today());
  const index = reachable.indexOf(slug);
  if (index > 0) return `${mount.base}/${reachable[index - 1]}`;
  return mount.assisted ? mount.startPath : '/';
}
