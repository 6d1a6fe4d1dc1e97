import type { Router } from 'express';
import { z } from 'zod';
import type { Services } from '../../composition.ts';
import { formatLongDate } from '../../domain/calendar-date.ts';
import {
  needsOverrideReason,
  rejectionGroundHints,
  rejectionGroundLabels,
  rejectionGrounds,
  thresholdOutcomeLabels,
  thresholdOutcomes,
  type RejectionGround,
  type ThresholdOutcome,
} from '../../domain/case-decisions.ts';
import { choice, limits, optionalText, requiredText } from '../../journey/fields.ts';
import { moveGuard, officerChoice, recordGuard, registerAction, type ActionContext } from './case-actions-form.ts';

const tooLong = (what: string, max: number) => `${what} must be ${max} characters or fewer`;

/** The officers who can be the single point of contact, for the select box. */
async function officerChoices(context: ActionContext) {
  return { officers: await context.services.caseActions.enabledOfficers() };
}

function recipientsView(context: ActionContext) {
  const service = context.services.caseActions;
  return {
    recipients: service.emailRecipients(context.snapshot).map((r) => r.email),
    addressee: service.letterAddressee(context.snapshot),
  };
}

/** A form with one required text box (a reason, a note) and a status move or a record. */
function reasonForm(field: string, required: string, label: string) {
  return {
    fields: () => ({ single: [field], multiline: [field] }),
    fieldOrder: () => [field],
    schema: () =>
      z.object({ [field]: requiredText(required, limits.long, tooLong(label, limits.long)) }).transform((v) => String(v[field])),
    defaults: () => ({ [field]: '' }),
  };
}

/** Acknowledge, decide the threshold, the SPoC, reopen, close, withdraw, notes. */
export function registerDecisionActions(router: Router, services: Services): void {
  registerAction(router, services, {
    path: '/:reference/actions/acknowledge',
    view: 'acknowledge',
    slug: 'acknowledge',
    title: 'Acknowledge the application',
    guard: moveGuard('acknowledge'),
    fields: () => ({ single: ['spoc'] }),
    fieldOrder: () => ['spoc'],
    schema: () => z.object({ spoc: officerChoice('Select the single point of contact') }),
    defaults: (context) => ({ spoc: context.snapshot.spoc?.id ?? context.officer.id }),
    viewData: async (context) => ({
      ...(await officerChoices(context)),
      ...recipientsView(context),
      decisionDue: formatLongDate(context.snapshot.acknowledgementDueOn),
    }),
    run: (context, input) =>
      services.caseActions.acknowledge(context.snapshot.reference, context.officer, { spocOfficerId: input.spoc }, context.once),
  });

  registerAction<{ outcome: ThresholdOutcome; ground: RejectionGround | null; reason: string; overrideReason: string | null }>(
    router,
    services,
    {
      path: '/:reference/actions/decide-threshold',
      view: 'decide-threshold',
      slug: 'decide-threshold',
      title: 'Decide the threshold',
      // The three outcomes leave from the same statuses; the chosen one is checked again on POST.
      guard: moveGuard('decide_met'),
      fields: () => ({ single: ['outcome', 'ground', 'reason', 'overrideReason'], multiline: ['reason', 'overrideReason'] }),
      fieldOrder: () => ['outcome', 'ground', 'reason', 'overrideReason'],
      checks: (values, context) => {
        const issues = [];
        const outcome = values.outcome;
        if (outcome === 'rejected' && !(rejectionGrounds as readonly string[]).includes(String(values.ground))) {
          issues.push({ field: 'ground', message: 'Select the ground for rejecting the application' });
        }
        if (
          (outcome === 'met' || outcome === 'not-met') &&
          needsOverrideReason(outcome, context.snapshot.thresholdAdvice.met) &&
          values.overrideReason === ''
        ) {
          issues.push({ field: 'overrideReason', message: 'Enter why your decision differs from the threshold advice' });
        }
        return issues;
      },
      schema: () =>
        z
          .object({
            outcome: choice(thresholdOutcomes, 'Select whether the threshold is met, not met, or the application is rejected'),
            ground: z.string(),
            reason: requiredText('Enter the reasons for your decision', limits.long, tooLong('The reasons', limits.long)),
            overrideReason: optionalText(limits.long, tooLong('The reason for overriding the advice', limits.long)),
          })
          .transform((v) => ({
            outcome: v.outcome,
            ground: v.outcome === 'rejected' ? (rejectionGrounds.find((g) => g === v.ground) ?? null) : null,
            reason: v.reason,
            overrideReason: v.outcome === 'rejected' ? null : v.overrideReason,
          })),
      defaults: () => ({ outcome: '', ground: '', reason: '', overrideReason: '' }),
      viewData: (context) => ({
        advice: context.snapshot.thresholdAdvice,
        outcomes: thresholdOutcomes.map((value) => ({ value, text: thresholdOutcomeLabels[value] })),
        grounds: rejectionGrounds.map((value) => ({ value, text: rejectionGroundLabels[value], hint: rejectionGroundHints[value] })),
        ...recipientsView(context),
      }),
      run: (context, input) => services.caseActions.decideThreshold(context.snapshot.reference, context.officer, input, context.once),
    },
  );

  registerAction(router, services, {
    path: '/:reference/actions/assign-spoc',
    view: 'assign-spoc',
    slug: 'assign-spoc',
    title: 'Assign the single point of contact',
    guard: recordGuard('assign the single point of contact'),
    fields: () => ({ single: ['spoc'] }),
    fieldOrder: () => ['spoc'],
    schema: () => z.object({ spoc: officerChoice('Select the single point of contact') }),
    defaults: (context) => ({ spoc: context.snapshot.spoc?.id ?? context.officer.id }),
    viewData: officerChoices,
    run: (context, input) =>
      services.caseActions.assignSpoc(context.snapshot.reference, context.officer, { officerId: input.spoc }, context.once),
  });

  registerAction(router, services, {
    path: '/:reference/actions/reopen',
    view: 'reopen',
    slug: 'reopen',
    title: 'Reopen the case',
    guard: moveGuard('reopen'),
    ...reasonForm('reason', 'Enter why the case is reopened', 'The reason'),
    viewData: (context) => ({ appeal: context.snapshot.appeal }),
    run: (context, reason) => services.caseActions.reopen(context.snapshot.reference, context.officer, { reason }, context.once),
  });

  registerAction(router, services, {
    path: '/:reference/actions/close',
    view: 'close',
    slug: 'close',
    title: 'Close the case',
    guard: moveGuard('close'),
    ...reasonForm('reason', 'Enter the reason for closing the case, as the victim will be told it', 'The reason'),
    viewData: recipientsView,
    run: (context, reason) => services.caseActions.close(context.snapshot.reference, context.officer, { reason }, context.once),
  });

  registerAction(router, services, {
    path: '/:reference/actions/withdraw',
    view: 'withdraw',
    slug: 'withdraw',
    title: 'Record that the application was withdrawn',
    guard: moveGuard('withdraw'),
    ...reasonForm('reason', 'Enter why the application was withdrawn', 'The reason'),
    run: (context, reason) => services.caseActions.withdraw(context.snapshot.reference, context.officer, { reason }, context.once),
  });

  registerAction(router, services, {
    path: '/:reference/actions/add-note',
    view: 'add-note',
    slug: 'add-note',
    title: 'Add a note',
    guard: recordGuard('add a note'),
    ...reasonForm('text', 'Enter the note', 'The note'),
    run: (context, text) => services.caseActions.addNote(context.snapshot.reference, context.officer, { text }, context.once),
  });
}
