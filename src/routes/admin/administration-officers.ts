import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Services } from '../../composition.ts';
import type { OfficerRecord } from '../../data/officers.ts';
import { isOfficerRole, officerRoles, roleLabels } from '../../domain/officer-roles.ts';
import { emailField, normaliseForm } from '../../journey/fields.ts';
import type { OfficerSummary, Outcome } from '../../services/administration-service.ts';
import { noErrors, pageErrors, singleError, type PageErrors } from '../apply/errors.ts';
import { formatDateTime } from './administration-format.ts';

const newOfficerSchema = z.object({
  name: z.string().min(1, 'Enter the officer’s full name').max(200, 'Full name must be 200 characters or fewer'),
  email: emailField({
    required: 'Enter the officer’s email address',
    invalid: 'Enter an email address in the correct format, like name@example.gov.uk',
  }),
  role: z.enum(officerRoles, { error: () => 'Select a role' }),
});
const newOfficerFields = ['name', 'email', 'role'] as const;

/** The banner after each change on an officer's page (fixed texts: nothing from the URL is shown). */
const doneMessages: Record<string, string> = {
  role: 'The role has been changed. It applies from the officer’s next page.',
  disabled: 'The account has been disabled and the officer has been signed out.',
  enabled: 'The account has been enabled.',
  'second-factor': 'The authenticator app has been reset. The officer will set one up again when they next sign in.',
};

export const roleItems = officerRoles.map((role) => ({ value: role, text: roleLabels[role] }));

const presentOfficer = (officer: OfficerSummary) => ({
  ...officer,
  roleLabel: roleLabels[officer.role],
  lastSignIn: officer.lastSignInAt ? formatDateTime(officer.lastSignInAt) : 'Never',
});

/** Officer accounts, for administrators (the guard is where this router is mounted). */
export function officerAccountRoutes(services: Services): Router {
  const router = Router();
  const { administration } = services;
  const actor = (req: Request): OfficerRecord => {
    if (!req.officer) throw new Error('officer routes run after requireOfficer');
    return req.officer;
  };
  const notFound = (res: Response) => res.status(404).render('errors/not-found', { title: 'Page not found' });

  router.get('/', async (_req, res) => {
    const officers = await administration.listOfficers();
    res.render('admin/administration/officers', { title: 'Officers', officers: officers.map(presentOfficer) });
  });

  const renderNew = (res: Response, values: Record<string, string>, errors: PageErrors, status = errors.summary.length ? 400 : 200) =>
    res.status(status).render('admin/administration/officer-new', {
      title: 'Add an officer',
      backLink: '/admin/officers',
      values,
      roleItems,
      errors: errors.summary,
      fieldErrors: errors.fields,
    });

  router.get('/new', (_req, res) => renderNew(res, { role: 'officer' }, noErrors));

  router.post('/new', async (req, res) => {
    const values = normaliseForm(req.body, { single: newOfficerFields }) as Record<string, string>;
    const parsed = newOfficerSchema.safeParse(values);
    if (!parsed.success) return renderNew(res, values, pageErrors(parsed.error, newOfficerFields));
    const created = await administration.createOfficer(actor(req), { ...parsed.data, email: parsed.data.email ?? '' });
    if (!created.ok) return renderNew(res, values, singleError('email', created.message), created.status);
    // Shown in this response only: the password is never stored in plain text, not even in the session.
    res.render('admin/administration/officer-password', {
      title: 'Officer account created',
      officer: presentOfficer(created.officer),
      password: created.password,
      created: true,
    });
  });

  async function renderOfficer(req: Request, res: Response, errors: PageErrors, status: number) {
    const officer = await administration.findOfficer(String(req.params.id));
    if (!officer) return notFound(res);
    const done = typeof req.query.done === 'string' ? doneMessages[req.query.done] : undefined;
    res.status(status).render('admin/administration/officer', {
      title: officer.name,
      backLink: '/admin/officers',
      officer: presentOfficer(officer),
      isSelf: officer.id === actor(req).id,
      roleItems,
      done,
      errors: errors.summary,
      fieldErrors: errors.fields,
    });
  }

  router.get('/:id', (req, res) => renderOfficer(req, res, noErrors, 200));

  /** After a change: back to the officer's page with a banner, or the page again with the refusal. */
  async function respond(req: Request, res: Response, outcome: Outcome, done: string, field: string) {
    if (outcome.ok) return res.redirect(303, `/admin/officers/${String(req.params.id)}?done=${done}`);
    if (outcome.status === 404) return notFound(res);
    await renderOfficer(req, res, singleError(field, outcome.message), outcome.status);
  }

  router.post('/:id/role', async (req, res) => {
    const role: unknown = (req.body as Record<string, unknown> | undefined)?.role;
    if (!isOfficerRole(role)) {
      if (!(await administration.findOfficer(String(req.params.id)))) return notFound(res);
      return renderOfficer(req, res, singleError('role', 'Select a role'), 400);
    }
    await respond(req, res, await administration.changeRole(actor(req), String(req.params.id), role), 'role', 'role');
  });

  router.post('/:id/disable', async (req, res) => {
    await respond(req, res, await administration.setDisabled(actor(req), String(req.params.id), true), 'disabled', 'account-status');
  });

  router.post('/:id/enable', async (req, res) => {
    await respond(req, res, await administration.setDisabled(actor(req), String(req.params.id), false), 'enabled', 'account-status');
  });

  router.post('/:id/reset-second-factor', async (req, res) => {
    await respond(req, res, await administration.resetSecondFactor(actor(req), String(req.params.id)), 'second-factor', 'second-factor');
  });

  router.post('/:id/reset-password', async (req, res) => {
    const reset = await administration.resetPassword(actor(req), String(req.params.id));
    if (!reset.ok) return notFound(res);
    const officer = await administration.findOfficer(String(req.params.id));
    if (!officer) return notFound(res);
    res.render('admin/administration/officer-password', {
      title: 'Password reset',
      officer: presentOfficer(officer),
      password: reset.password,
      created: false,
    });
  });

  return router;
}
