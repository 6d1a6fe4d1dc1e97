import { Router, type Request, type Response } from 'express';
import QRCode from 'qrcode';
import type { Services } from '../../composition.ts';
import { passwordMinimumLength } from '../../domain/password-policy.ts';
import { noErrors, singleError, type PageErrors } from '../apply/errors.ts';

declare module 'express-session' {
  interface SessionData {
    /** The authenticator key shown on the account page, until the officer confirms it with a code. */
    accountTotpSecret?: string;
  }
}

/** Any signed-in officer: their account, their own password, and their authenticator app. */
export function accountRoutes(services: Services): Router {
  const router = Router();
  const { administration, auth } = services;

  const signedIn = (req: Request) => {
    if (!req.officer) throw new Error('account routes run after requireOfficer');
    return req.officer;
  };

  router.get('/', (req, res) => {
    res.render('admin/administration/account', {
      title: 'Your account',
      hasSecondFactor: signedIn(req).totpSecret !== null,
      secondFactorSetUp: req.query.done === 'second-factor',
      mfaRequired: services.config.officerMfaRequired,
    });
  });

  // Setting up an authenticator app from the account, also when the portal does not require one
  // (the embedded demo): the same QR code, key and confirming code as at a first sign-in.
  const renderSecondFactor = async (req: Request, res: Response, errors: PageErrors) => {
    const officer = signedIn(req);
    if (officer.totpSecret) return res.redirect(303, '/admin/account');
    req.session.accountTotpSecret ??= auth.newTotpSecret();
    const secret = req.session.accountTotpSecret;
    res.status(errors.summary.length ? 400 : 200).render('admin/administration/account-second-factor', {
      title: 'Set up your authenticator app',
      secret,
      qrCode: await QRCode.toDataURL(auth.totpUri(officer, secret), { margin: 1, width: 220 }),
      errors: errors.summary,
      fieldErrors: errors.fields,
    });
  };

  router.get('/second-factor', (req, res) => renderSecondFactor(req, res, noErrors));

  router.post('/second-factor', async (req, res) => {
    const officer = signedIn(req);
    const secret = req.session.accountTotpSecret;
    if (officer.totpSecret || !secret) return res.redirect(303, officer.totpSecret ? '/admin/account' : '/admin/account/second-factor');
    const body = (req.body ?? {}) as Record<string, unknown>;
    const code = (typeof body.code === 'string' ? body.code : '').replace(/\s/g, '');
    if (!/^\d{6}$/.test(code)) return renderSecondFactor(req, res, singleError('code', 'Enter the 6-digit code shown in your authenticator app'));
    const confirmed = await auth.confirmNewSecondFactor(officer, secret, code);
    if (!confirmed) {
      return renderSecondFactor(req, res, singleError('code', 'The code is not right: check the app shows this portal and enter the code it shows now'));
    }
    delete req.session.accountTotpSecret;
    res.redirect(303, '/admin/account?done=second-factor');
  });

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
    const officer = signedIn(req);
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
