import { Router, type Response } from 'express';
import { z } from 'zod';
import type { Services } from '../../composition.ts';
import { emailField, normaliseForm } from '../../journey/fields.ts';
import { formValue, rateLimit } from '../../middleware/rate-limit.ts';
import { currentDraft, firstIncompletePath } from './draft-guard.ts';
import { residentMount } from './journey-mount.ts';
import { noErrors, pageErrors, type PageErrors } from './errors.ts';

/** "Save and come back later": a link by email; opening it brings the answers back. */
export function saveAndReturnRoutes(services: Services): Router {
  const router = Router();
  const emailSchema = z.object({
    email: emailField({ required: 'Enter an email address', invalid: 'Enter an email address in the correct format, like name@example.com' }),
  });

  const render = (res: Response, values: Record<string, string>, errors: PageErrors) =>
    res.status(errors.summary.length ? 400 : 200).render('apply/save-and-return', {
      title: 'Save your application and come back later',
      values,
      errors: errors.summary,
      fieldErrors: errors.fields,
      backLink: '/apply',
    });

  router.get('/save-and-return', async (req, res) => {
    const draft = await currentDraft(services, req, residentMount);
    if (!draft) return res.redirect(303, '/apply/who-is-applying');
    const known = draft.answers.steps['applicant-details']?.email ?? draft.answers.steps['victim-contact']?.email;
    render(res, { email: typeof known === 'string' ? known : '' }, noErrors);
  });

  // Each request sends an email: limited per IP and per address, so nobody can flood an inbox.
  const resumeLinkLimit = rateLimit(
    (req) => services.rateLimits.resumeLink({ ip: req.ip, email: formValue(req, 'email') }),
    (req) => ({
      reason: 'To stop anyone’s inbox being filled with emails, there is a limit on how many links we send.',
      saved: 'Your answers so far have been saved.',
      form: {
        action: '/apply/save-and-return',
        fields: [
          { id: 'email', name: 'email', type: 'email', label: 'Email address', value: formValue(req, 'email'), autocomplete: 'email' },
        ],
        button: 'Send me a link',
      },
      link: { href: '/apply', text: 'Go back to your application' },
    }),
  );

  router.post('/save-and-return', resumeLinkLimit, async (req, res) => {
    const draft = await currentDraft(services, req, residentMount);
    if (!draft) return res.redirect(303, '/apply/who-is-applying');
    const values = normaliseForm(req.body, { single: ['email'] }) as Record<string, string>;
    const result = emailSchema.safeParse(values);
    if (!result.success || !result.data.email) {
      return render(res, values, result.success ? noErrors : pageErrors(result.error, ['email']));
    }
    await services.resume.sendLink(draft, result.data.email, new Date());
    res.render('apply/saved', { title: 'We have saved your application', email: result.data.email });
  });

  router.get('/resume/:token', async (req, res) => {
    const draft = await services.resume.findDraft(req.params.token, new Date());
    if (!draft) return res.status(404).render('apply/resume-expired', { title: 'This link has expired or has already been used' });
    // A fresh session for the returning resident (no fixation through a shared link).
    await new Promise<void>((resolve, reject) => req.session.regenerate((error) => (error ? reject(error) : resolve())));
    req.session.draftId = draft.id;
    res.redirect(303, firstIncompletePath(residentMount, draft));
  });

  return router;
}
