import { Router, type Response } from 'express';
import type { Services } from '../../composition.ts';
import { passwordMinimumLength } from '../../domain/password-policy.ts';
import { noErrors, singleError, type PageErrors } from '../apply/errors.ts';

/** Any signed-in officer changes their own password. */
export function accountRoutes(services: Services): Router {
  const router = Router();
  const { administration } = services;

  const render = (res: Response, errors: PageErrors, changed = false) =>
    res.status(errors.summary.length ? 400 : 200).render('admin/administration/account-password', {
      title: 'Change your password',
      minimumLength: passwordMinimumLength,
      changed,
      errors: errors.summary,
      fieldErrors: errors.fields,
    });

  router.get('/password', (req, res) => render(res, noErrors, req.query.changed === '1'));

  router.post('/password', async (req, res) => {
    const officer = req.officer;
    if (!officer) throw new Error('account routes run after requireOfficer');
    const body = (req.body ?? {}) as Record<string, unknown>;
    // Passwords are taken exactly as typed: no trimming.
    const text = (name: string): string => {
      const value = body[name];
      return typeof value === 'string' ? value : '';
    };
    const result = await administration.changeOwnPassword(officer, {
      currentPassword: text('currentPassword'),
      newPassword: text('newPassword'),
      sessionId: req.sessionID,
    });
    if (!result.ok) return render(res, singleError(result.field, result.message));
    res.redirect(303, '/admin/account/password?changed=1');
  });

  return router;
}
