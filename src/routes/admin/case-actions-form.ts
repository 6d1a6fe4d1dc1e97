import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import type { Services } from '../../composition.ts';
import type { CaseSnapshot, OneTimeKey } from '../../data/case-actions.ts';
import type { OfficerRecord } from '../../data/officers.ts';
import { compareIsoDates, formatLongDate, londonDate, type IsoDate } from '../../domain/calendar-date.ts';
import { deadlineLabel } from '../../domain/case-deadlines.ts';
import { recordActionRefusal } from '../../domain/case-decisions.ts';
import { nextStatus, statusLabels, type CaseAction } from '../../domain/case-status.ts';
import { checkDate, dateParts, normaliseForm, type FormFields, type FormValues } from '../../journey/fields.ts';
import { markIdempotent } from '../../middleware/idempotency.ts';
import type { ActionResult } from '../../services/case-action-service.ts';
import { noErrors, pageErrors, type PageErrors } from '../apply/errors.ts';

/**
 * The shape every action on a case shares: a GET form page and a POST that validates (400 with
 * the GOV.UK error summary and the typed values kept), then asks the service to do it in one
 * transaction (409 with the status machine's message when the case cannot move that way), then
 * goes back to the case page (303). An unknown reference is a 404 page.
 */

export interface ActionContext {
  snapshot: CaseSnapshot;
  officer: OfficerRecord;
  services: Services;
  params: Record<string, string>;
  today: IsoDate;
  /** The post's one-time key and what it is for, passed to the service so a repeat does nothing; null without a key. */
  once: OneTimeKey | null;
}

export interface DateSpec {
  prefix: string;
  /** Starts a sentence: "Date of the meeting". */
  label: string;
  required: boolean;
  notAfterToday?: boolean;
  notBeforeToday?: boolean;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * An officer chosen from a select box: their id, so a uuid. Anything else would reach the uuid
 * column in the query and fail there (a server error); it can only come from a tampered form.
 */
export function officerChoice(message: string) {
  return z.string().regex(uuidPattern, message);
}

/** Why an action cannot be done now, and optionally what to do first. */
export type Refusal = string | { message: string; next: { href: string; text: string } };

/** A status move: refused with the status machine's own message when the move is not allowed. */
export function moveGuard(action: CaseAction) {
  return (context: ActionContext): Refusal | null => {
    const move = nextStatus(context.snapshot.status, action);
    return move.ok ? null : move.message;
  };
}

/** An action that records something without moving the status: refused on a closed or withdrawn case. */
export function recordGuard(doing: string) {
  return (context: ActionContext): Refusal | null => recordActionRefusal(context.snapshot.status, doing);
}

export interface FieldIssue {
  field: string;
  message: string;
}

export interface ActionDefinition<Input> {
  /** Express path under /admin/cases, e.g. '/:reference/actions/acknowledge'. */
  path: string;
  /** The view under views/admin/actions. */
  view: string;
  title: string | ((context: ActionContext) => string);
  /** Used in the success flag on the case page: ?done=<slug>. */
  slug: string;
  /** A refusal when the case cannot take this action as it stands (409), or null. */
  guard(context: ActionContext): Refusal | null;
  /** The fields it reads; `multiline` the ones that are textareas (see normaliseForm). */
  fields(context: ActionContext): FormFields;
  /** In page order, for the error summary. */
  fieldOrder(context: ActionContext): readonly string[];
  dates?: (context: ActionContext) => readonly DateSpec[];
  /** Rules between fields (required when another answer is chosen); run even when other fields fail. */
  checks?: (values: FormValues, context: ActionContext) => FieldIssue[];
  schema(context: ActionContext): z.ZodType<Input>;
  defaults(context: ActionContext): FormValues | Promise<FormValues>;
  viewData?: (context: ActionContext) => Record<string, unknown> | Promise<Record<string, unknown>>;
  run(context: ActionContext, input: Input): Promise<ActionResult>;
}

export const caseUrl = (reference: string) => `/admin/cases/${encodeURIComponent(reference)}`;

/** What every action page shows about the case, so the officer knows which case they are changing. */
export function presentCase(snapshot: CaseSnapshot) {
  const deadline = deadlineLabel(snapshot.status);
  return {
    reference: snapshot.reference,
    status: statusLabels[snapshot.status],
    victimName: snapshot.victim?.organisationName ?? snapshot.victim?.name ?? '',
    applicantName: snapshot.applicant?.name ?? null,
    spocName: snapshot.spoc?.name ?? null,
    receivedOn: formatLongDate(londonDate(snapshot.receivedAt)),
    nextDeadline: deadline && snapshot.nextDeadlineOn ? `${deadline}: ${formatLongDate(snapshot.nextDeadlineOn)}` : null,
  };
}

/** Splits an ISO date into a date input's three boxes. */
export function dateBoxes(prefix: string, iso: IsoDate | null): FormValues {
  const [year = '', month = '', day = ''] = iso ? iso.split('-') : [];
  return {
    [`${prefix}-day`]: day ? String(Number(day)) : '',
    [`${prefix}-month`]: month ? String(Number(month)) : '',
    [`${prefix}-year`]: year,
  };
}

export function notFoundPage(res: Response, reference: string) {
  res.status(404).render('admin/actions/not-found', { title: 'Case not found', reference });
}

export function refusedPage(res: Response, reference: string, refusal: Refusal) {
  const { message, next } = typeof refusal === 'string' ? { message: refusal, next: null } : refusal;
  res.status(409).render('admin/actions/refused', {
    title: 'This cannot be done on this case now',
    message,
    reference,
    caseUrl: caseUrl(reference),
    backLink: caseUrl(reference),
    next,
  });
}

export function officerOf(req: Request): OfficerRecord {
  if (!req.officer) throw new Error('Case actions are mounted behind requireOfficer');
  return req.officer;
}

/**
 * The post's one-time key for an action on a case: what it is for is the action and the thing it
 * acts on (a request's reply, a recommendation), so a key means one post to one form. Null without a key.
 */
export function oneTimeKey(req: Request, slug: string, id?: string): OneTimeKey | null {
  const key = req.idempotencyKey;
  if (!key) return null;
  return { scope: id ? `${slug}:${id.slice(0, 60)}` : slug, key };
}

/** The action's outcome as a response: back to the case page, or the refusal, or 404. */
export function respond(res: Response, reference: string, slug: string, result: ActionResult) {
  if (!result.ok && result.reason === 'not-found') return notFoundPage(res, reference);
  if (!result.ok) return refusedPage(res, reference, result.message);
  const letter = result.letter ? `&letter=${result.letter}` : '';
  res.redirect(303, `${caseUrl(reference)}?done=${slug}${letter}`);
}

function validate<Input>(
  definition: ActionDefinition<Input>,
  context: ActionContext,
  values: FormValues,
): { ok: true; input: Input } | { ok: false; errors: PageErrors } {
  const issues: z.core.$ZodIssue[] = [];
  const withDates: FormValues = { ...values };
  for (const spec of definition.dates?.(context) ?? []) {
    const parts = dateParts(values, spec.prefix);
    const check = checkDate(parts, {
      label: spec.label,
      required: spec.required,
      ...(spec.notAfterToday ? { notAfter: context.today, notAfterMessage: `${spec.label} must be today or in the past` } : {}),
    });
    if (!check.ok) {
      for (const part of check.parts)
        issues.push({ code: 'custom', path: [`${spec.prefix}-${part}`], message: check.message, input: undefined });
      withDates[spec.prefix] = '';
    } else if (check.iso && spec.notBeforeToday && compareIsoDates(check.iso, context.today) < 0) {
      for (const part of ['day', 'month', 'year']) {
        issues.push({
          code: 'custom',
          path: [`${spec.prefix}-${part}`],
          message: `${spec.label} must be today or in the future`,
          input: undefined,
        });
      }
      withDates[spec.prefix] = '';
    } else {
      withDates[spec.prefix] = check.iso ?? '';
    }
  }
  for (const issue of definition.checks?.(values, context) ?? []) {
    issues.push({ code: 'custom', path: [issue.field], message: issue.message, input: undefined });
  }
  const parsed = definition.schema(context).safeParse(withDates);
  if (!parsed.success) issues.push(...parsed.error.issues);
  if (issues.length > 0 || !parsed.success) {
    return { ok: false, errors: pageErrors(new z.ZodError(issues), definition.fieldOrder(context)) };
  }
  return { ok: true, input: parsed.data };
}

/** GET and POST for one action. */
export function registerAction<Input>(router: Router, services: Services, definition: ActionDefinition<Input>): void {
  const load = async (req: Request): Promise<ActionContext | null> => {
    const reference = String(req.params.reference ?? '');
    if (reference.length > 40) return null;
    const snapshot = await services.caseActions.find(reference);
    if (!snapshot) return null;
    const params: Record<string, string> = {};
    for (const [key, value] of Object.entries(req.params)) if (typeof value === 'string') params[key] = value;
    const once = oneTimeKey(req, definition.slug, params.id);
    return { snapshot, officer: officerOf(req), services, params, today: londonDate(new Date()), once };
  };

  const render = async (req: Request, res: Response, context: ActionContext, values: FormValues, errors: PageErrors, status: number) => {
    const reference = context.snapshot.reference;
    const title = typeof definition.title === 'string' ? definition.title : definition.title(context);
    res.status(status).render(`admin/actions/${definition.view}`, {
      title,
      caseView: presentCase(context.snapshot),
      action: req.originalUrl.split('?')[0],
      caseUrl: caseUrl(reference),
      backLink: caseUrl(reference),
      values,
      errors: errors.summary,
      fieldErrors: errors.fields,
      dateErrorParts: errors.dateParts,
      ...((await definition.viewData?.(context)) ?? {}),
    });
  };

  router.get(definition.path, async (req, res) => {
    const context = await load(req);
    if (!context) return notFoundPage(res, String(req.params.reference ?? ''));
    const refusal = definition.guard(context);
    if (refusal) return refusedPage(res, context.snapshot.reference, refusal);
    await render(req, res, context, await definition.defaults(context), noErrors, 200);
  });

  router.post(definition.path, async (req, res) => {
    const context = await load(req);
    if (!context) return notFoundPage(res, String(req.params.reference ?? ''));
    if (context.once) {
      markIdempotent(res);
      // Done already (a second press, a retry after the response was lost): answer as the first
      // did, before the status machine refuses a move the first already made.
      const repeat = await services.caseActions.repeatOf(context.snapshot.reference, context.once);
      if (repeat) return respond(res, context.snapshot.reference, definition.slug, repeat);
    }
    const refusal = definition.guard(context);
    if (refusal) return refusedPage(res, context.snapshot.reference, refusal);
    const values = normaliseForm(req.body, definition.fields(context));
    const checked = validate(definition, context, values);
    if (!checked.ok) return render(req, res, context, values, checked.errors, 400);
    respond(res, context.snapshot.reference, definition.slug, await definition.run(context, checked.input));
  });
}
