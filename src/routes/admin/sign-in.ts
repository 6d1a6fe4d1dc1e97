import { Router, type Request, type Response } from 'express';
import QRCode from 'qrcode';
import { z } from 'zod';
import type { Services } from '../../composition.ts';
import type { OfficerRecord } from '../../data/officers.ts';
import { normaliseForm } from '../../journey/fields.ts';
import { formValue, rateLimit } from '../../middleware/rate-limit.ts';
import { sessionCookieName, sessionCookieOptions } from '../../middleware/session.ts';
import { noErrors, singleError, type PageErrors } from '../apply/errors.ts';

const credentials = z.object({ email: z.string().min(1).max(254), password: z.string().min(1).max(1000) });
const generic = 'Enter a correct email address and password. After 5 wrong attempts the account is locked for 15 minutes.';
// A pending sign-in (password checked, code not yet entered) lasts five minutes.
const pendingMs = 5 * 60_000;

const regenerate = (req: Request) =>
  new Promise<void>((resolve, reject) => req.session.regenerate((error) => (error ? reject(error) : resolve())));

/** Email and password, then the TOTP code (or setting one up), then the officer's session. */
export function signInRoutes(services: Services): Router {
  const router = Router();
  const { auth } = services;

  const renderSignIn = (res: Response, values: Record<string, string>, errors: PageErrors, notice?: string) =>
    res.status(errors.summary.length ? 400 : 200).render('admin/sign-in', {
      title: 'Sign in',
      layout: 'layouts/admin',
      values,
      notice,
      errors: errors.summary,
      fieldErrors: errors.fields,
    });

  router.get('/sign-in', (req, res) => {
    if (req.session.officer) return res.redirect(303, '/admin');
    renderSignIn(res, {}, noErrors, req.query.expired ? 'You have been signed out. Sign in again to carry on.' : undefined);
  });

  // Counted per IP address and per email typed, before the password is checked: the limit also
  // covers emails with no account (which never lock) and keeps argon2 from being used to tie up
  // the server. The page keeps the email typed, never the password.
  const signInLimit = rateLimit(
    (req) => services.rateLimits.signIn({ ip: req.ip, email: formValue(req, 'email') }),
    (req) => ({
      layout: 'layouts/admin',
      reason: 'To protect officers’ accounts, there is a limit on how often anyone can try to sign in.',
      form: {
        action: '/admin/sign-in',
        fields: [
          { id: 'email', name: 'email', type: 'email', label: 'Email address', value: formValue(req, 'email'), autocomplete: 'username' },
          { id: 'password', name: 'password', type: 'password', label: 'Password', autocomplete: 'current-password' },
        ],
        button: 'Sign in',
      },
      help: 'If you cannot wait, ask your administrator to check your account.',
    }),
  );

  router.post('/sign-in', signInLimit, async (req, res) => {
    const values = normaliseForm(req.body, { single: ['email'] }) as Record<string, string>;
    const parsed = credentials.safeParse({ email: values.email, password: typeof req.body?.password === 'string' ? req.body.password : '' });
    if (!parsed.success) return renderSignIn(res, values, singleError('email', 'Enter your email address and password'));
    const result = await auth.signIn(parsed.data.email, parsed.data.password);
    if (!result.ok) return renderSignIn(res, values, singleError('email', generic));
    await regenerate(req);
    if (result.needsSecondFactor || result.mustSetUpSecondFactor) {
      req.session.pendingSignIn = { officerId: result.officer.id, at: Date.now() };
      return res.redirect(303, result.needsSecondFactor ? '/admin/two-factor' : '/admin/two-factor/set-up');
    }
    await finish(req, res, result.officer, null);
  });

  async function pendingOfficer(req: Request): Promise<OfficerRecord | null> {
    const pending = req.session.pendingSignIn;
    if (!pending || Date.now() - pending.at > pendingMs) return null;
    const officer = await auth.findOfficer(pending.officerId);
    return officer && !officer.disabled ? officer : null;
  }

  async function finish(req: Request, res: Response, officer: OfficerRecord, totpStep: number | null) {
    await auth.completeSignIn(officer, totpStep);
    // A new session id at the moment of privilege: no fixation.
    await regenerate(req);
    req.session.officer = { id: officer.id, signedInAt: Date.now() };
    res.redirect(303, '/admin');
  }

  const renderCode = (res: Response, errors: PageErrors) =>
    res.status(errors.summary.length ? 400 : 200).render('admin/two-factor', {
      title: 'Enter the code from your authenticator app',
      layout: 'layouts/admin',
      errors: errors.summary,
      fieldErrors: errors.fields,
    });

  router.get('/two-factor', async (req, res) => {
    const officer = await pendingOfficer(req);
    if (!officer?.totpSecret) return res.redirect(303, '/admin/sign-in');
    renderCode(res, noErrors);
  });

  router.post('/two-factor', async (req, res) => {
    const officer = await pendingOfficer(req);
    if (!officer?.totpSecret) return res.redirect(303, '/admin/sign-in');
    const code = String(req.body?.code ?? '').replace(/\s/g, '');
    const step = await auth.checkCode(officer, code);
    if (step === null) {
      await auth.recordSecondFactorFailure(officer);
      return renderCode(res, singleError('code', 'Enter the 6-digit code shown in your authenticator app'));
    }
    await finish(req, res, officer, step);
  });

  async function renderSetUp(req: Request, res: Response, officer: OfficerRecord, errors: PageErrors) {
    const pending = req.session.pendingSignIn;
    if (!pending) return res.redirect(303, '/admin/sign-in');
    pending.setupSecret ??= auth.newTotpSecret();
    const uri = auth.totpUri(officer, pending.setupSecret);
    res.status(errors.summary.length ? 400 : 200).render('admin/two-factor-set-up', {
      title: 'Set up your authenticator app',
      layout: 'layouts/admin',
      secret: pending.setupSecret,
      qrCode: await QRCode.toDataURL(uri, { margin: 1, width: 220 }),
      errors: errors.summary,
      fieldErrors: errors.fields,
    });
  }

  router.get('/two-factor/set-up', async (req, res) => {
    const officer = await pendingOfficer(req);
    if (!officer || officer.totpSecret) return res.redirect(303, '/admin/sign-in');
    await renderSetUp(req, res, officer, noErrors);
  });

  router.post('/two-factor/set-up', async (req, res) => {
    const officer = await pendingOfficer(req);
    const secret = req.session.pendingSignIn?.setupSecret;
    if (!officer || officer.totpSecret || !secret) return res.redirect(303, '/admin/sign-in');
    const code = String(req.body?.code ?? '').replace(/\s/g, '');
    const step = await auth.checkCode(officer, code, secret);
    if (step === null) {
      return renderSetUp(req, res, officer, singleError('code', 'Enter the 6-digit code shown in your authenticator app'));
    }
    await auth.enableTotp(officer, secret);
    await finish(req, res, officer, step);
  });

  router.post('/sign-out', (req, res, next) => {
    req.session.destroy((error) => {
      if (error) return next(error);
      // With the attributes it was set with: the clearing header is as strict as the cookie.
      res.clearCookie(sessionCookieName(services.config.session.secureCookie), sessionCookieOptions(services.config.session));
      res.redirect(303, '/admin/signed-out');
    });
  });

  router.get('/signed-out', (_req, res) => {
    res.render('admin/signed-out', { title: 'You have signed out', layout: 'layouts/admin' });
  });

  return router;
}
