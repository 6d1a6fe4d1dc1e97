import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Services } from '../../composition.ts';
import type { OfficerRecord } from '../../data/officers.ts';
import { normaliseForm } from '../../journey/fields.ts';
import { formValue, rateLimit } from '../../middleware/rate-limit.ts';
import { sessionCookieName, sessionCookieOptions } from '../../middleware/session.ts';
import { noErrors, singleError, type PageErrors } from '../apply/errors.ts';

const credentials = z.object({ email: z.string().min(1).max(254), password: z.string().min(1).max(1000) });
const generic = 'Enter a correct email address and password. After 5 wrong attempts the account is locked for 15 minutes.';
const wrongCode = 'Enter the 6-digit code shown in your authenticator app';
// A pending sign-in (password checked, code not yet entered) lasts five minutes.
const pendingMs = 5 * 60_000;

const regenerate = (req: Request) =>
  new Promise<void>((resolve, reject) => req.session.regenerate((error) => (error ? reject(error) : resolve())));

/** Email and password, then the TOTP code (or setting one up), then the officer's session. */
export function signInRoutes(services: Services): Router {
  const router = Router();
  const { auth } = services;

  const renderSignIn = (res: Response, values: Record<string, string>, errors: PageErrors, notice?: string, status?: number) =>
    res.status(status ?? (errors.summary.length ? 400 : 200)).render('admin/sign-in', {
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
      req.session.pendingSignIn = { id: randomUUID(), officerId: result.officer.id, at: Date.now() };
      return res.redirect(303, result.needsSecondFactor ? '/admin/two-factor' : '/admin/two-factor/set-up');
    }
    await finish(req, res, result.officer, null);
  });

  type Pending =
    | { kind: 'none' }
    | { kind: 'locked' }
    | { kind: 'open'; officer: OfficerRecord; pending: NonNullable<Request['session']['pendingSignIn']> };

  /** Where the half-finished sign-in stands: none (or expired, or the account disabled since), locked, or open. */
  async function pendingSignIn(req: Request): Promise<Pending> {
    const pending = req.session.pendingSignIn;
    if (!pending?.id || Date.now() - pending.at > pendingMs) return { kind: 'none' };
    const officer = await auth.findOfficer(pending.officerId);
    if (!officer || officer.disabled) return { kind: 'none' };
    return auth.isLocked(officer) ? { kind: 'locked' } : { kind: 'open', officer, pending };
  }

  /**
   * Ends the half-finished sign-in and shows the sign-in page: with the message every failed
   * sign-in gets when the account is locked, or saying why to start again.
   */
  function startAgain(req: Request, res: Response, why: 'locked' | 'too-many-codes') {
    delete req.session.pendingSignIn;
    if (why === 'locked') return renderSignIn(res, {}, singleError('email', generic));
    renderSignIn(res, {}, noErrors, 'You entered a wrong code too many times. Sign in again with your email address and password.', 400);
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

  // Codes are counted per IP address before anything else (and per sign-in, and against the
  // account's lockout, in the route): no one can try codes faster than the limits allow.
  const codeLimit = (action: string) =>
    rateLimit(
      (req) => services.rateLimits.twoFactor({ ip: req.ip }),
      () => ({
        layout: 'layouts/admin',
        reason: 'To protect officers’ accounts, there is a limit on how often anyone can try a code.',
        form: { action, fields: [{ id: 'code', name: 'code', label: 'Code', autocomplete: 'one-time-code' }], button: 'Continue' },
        help: 'If you cannot wait, ask your administrator to check your account.',
      }),
    );

  router.get('/two-factor', async (req, res) => {
    const state = await pendingSignIn(req);
    if (state.kind === 'locked') return startAgain(req, res, 'locked');
    if (state.kind === 'none' || !state.officer.totpSecret) return res.redirect(303, '/admin/sign-in');
    renderCode(res, noErrors);
  });

  router.post('/two-factor', codeLimit('/admin/two-factor'), async (req, res) => {
    const state = await pendingSignIn(req);
    if (state.kind === 'locked') return startAgain(req, res, 'locked');
    if (state.kind === 'none' || !state.officer.totpSecret) return res.redirect(303, '/admin/sign-in');
    // A few codes per sign-in, counted in the database (codes sent at the same moment included);
    // then the officer starts again from the password.
    const allowance = await services.rateLimits.codeForSignIn(state.pending.id);
    if (!allowance.allowed) return startAgain(req, res, 'too-many-codes');
    const code = String(req.body?.code ?? '').replace(/\s/g, '');
    const result = await auth.attemptCode(state.officer, code);
    if (result.ok) return finish(req, res, state.officer, result.step);
    if (result.reason === 'locked') return startAgain(req, res, 'locked');
    if (allowance.remaining === 0) return startAgain(req, res, 'too-many-codes');
    renderCode(res, singleError('code', wrongCode));
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
      // qrcode is loaded on the first set-up, not at start-up.
      qrCode: await (await import('qrcode')).default.toDataURL(uri, { margin: 1, width: 220 }),
      errors: errors.summary,
      fieldErrors: errors.fields,
    });
  }

  router.get('/two-factor/set-up', async (req, res) => {
    const state = await pendingSignIn(req);
    if (state.kind === 'locked') return startAgain(req, res, 'locked');
    if (state.kind === 'none' || state.officer.totpSecret) return res.redirect(303, '/admin/sign-in');
    await renderSetUp(req, res, state.officer, noErrors);
  });

  // The code here comes from a secret this page has just shown, so a wrong one does not count
  // against the account; a locked account is still refused.
  router.post('/two-factor/set-up', codeLimit('/admin/two-factor/set-up'), async (req, res) => {
    const state = await pendingSignIn(req);
    if (state.kind === 'locked') return startAgain(req, res, 'locked');
    const secret = state.kind === 'open' ? state.pending.setupSecret : undefined;
    if (state.kind === 'none' || state.officer.totpSecret || !secret) return res.redirect(303, '/admin/sign-in');
    const code = String(req.body?.code ?? '').replace(/\s/g, '');
    const step = await auth.checkCode(state.officer, code, secret);
    if (step === null) return renderSetUp(req, res, state.officer, singleError('code', wrongCode));
    await auth.enableTotp(state.officer, secret);
    await finish(req, res, state.officer, step);
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
