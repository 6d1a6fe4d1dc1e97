import type { Router } from 'express';
import { z } from 'zod';
import type { Services } from '../../composition.ts';
import { formatLongDate, londonDate, type IsoDate } from '../../domain/calendar-date.ts';
import { appealSubjectLabels, appealSubjects, type AppealSubject } from '../../domain/case-decisions.ts';
import { choice, limits, requiredText } from '../../journey/fields.ts';
import { caseUrl, dateBoxes, moveGuard, registerAction } from './case-actions-form.ts';

const tooLong = (what: string, max: number) => `${what} must be ${max} characters or fewer`;
const yesNo = ['yes', 'no'] as const;

/** An appeal to the Police and Crime Commissioner: recording it and its result. */
export function registerAppealActions(router: Router, services: Services): void {
  // Read per request: an administrator may change the settings while the portal runs.
  const council = () => services.config.council;

  registerAction<{ receivedOn: IsoDate; about: AppealSubject; appellant: string }>(router, services, {
    path: '/:reference/actions/record-appeal',
    view: 'record-appeal',
    slug: 'record-appeal',
    title: 'Record an appeal',
    guard: moveGuard('receive_appeal'),
    fields: () => ({ single: ['receivedOn-day', 'receivedOn-month', 'receivedOn-year', 'about', 'appellant'] }),
    fieldOrder: () => ['receivedOn-day', 'about', 'appellant'],
    dates: () => [{ prefix: 'receivedOn', label: 'The date the appeal was received', required: true, notAfterToday: true }],
    schema: () =>
      z.object({
        receivedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
        about: choice(appealSubjects, 'Select what the appeal is about'),
        appellant: requiredText('Enter who made the appeal', limits.short, tooLong('Who made the appeal', limits.short)),
      }),
    defaults: (context) => ({
      ...dateBoxes('receivedOn', context.today),
      about: context.snapshot.status === 'outcome_sent' ? 'outcome' : 'threshold-decision',
      appellant: context.snapshot.applicant?.name ?? context.snapshot.victim?.name ?? '',
    }),
    viewData: (context) => ({
      subjects: appealSubjects.map((value) => ({ value, text: appealSubjectLabels[value] })),
      pcc: council().pcc,
      packUrl: `${caseUrl(context.snapshot.reference)}/appeal-pack`,
      recipients: services.caseActions.emailRecipients(context.snapshot).map((r) => r.email),
    }),
    run: (context, input) => services.caseActions.recordAppeal(context.snapshot.reference, context.officer, input, context.once),
  });

  registerAction<{ result: string; upheld: boolean; sentBack: boolean }>(router, services, {
    path: '/:reference/actions/conclude-appeal',
    view: 'conclude-appeal',
    slug: 'conclude-appeal',
    title: 'Record the appeal result',
    guard: moveGuard('conclude_appeal'),
    fields: () => ({ single: ['result', 'upheld', 'sentBack'], multiline: ['result'] }),
    fieldOrder: () => ['result', 'upheld', 'sentBack'],
    schema: () =>
      z
        .object({
          result: requiredText('Enter the result of the appeal', limits.long, tooLong('The result', limits.long)),
          upheld: choice(yesNo, 'Select whether the appeal was upheld'),
          sentBack: choice(yesNo, 'Select whether the PCC sent the case back to be reconsidered'),
        })
        .transform((v) => ({ result: v.result, upheld: v.upheld === 'yes', sentBack: v.sentBack === 'yes' })),
    defaults: () => ({ result: '', upheld: '', sentBack: '' }),
    viewData: (context) => {
      const appeal = context.snapshot.appeal;
      return {
        pcc: council().pcc,
        appeal: appeal
          ? {
              receivedOn: formatLongDate(londonDate(appeal.receivedAt)),
              about: services.caseActions.appealSubjectLabel(appeal.about),
              appellant: appeal.appellant,
            }
          : null,
        packUrl: `${caseUrl(context.snapshot.reference)}/appeal-pack`,
      };
    },
    run: (context, input) => services.caseActions.concludeAppeal(context.snapshot.reference, context.officer, input, context.once),
  });
}
