import type { Router } from 'express';
import { z } from 'zod';
import type { Services } from '../../composition.ts';
import { formatLongDate, londonDate, type IsoDate } from '../../domain/calendar-date.ts';
import { outcomeBlocker, victimAttendanceLabels, victimAttendanceOptions, type VictimAttendance } from '../../domain/case-decisions.ts';
import { formatLondonTime, londonClock, londonInstant, parseTimeOfDay } from '../../domain/london-time.ts';
import { addWorkingDays } from '../../domain/working-days.ts';
import { choice, limits, optionalText, requiredText } from '../../journey/fields.ts';
import { caseUrl, dateBoxes, moveGuard, recordGuard, registerAction, type ActionContext, type Refusal } from './case-actions-form.ts';

const tooLong = (what: string, max: number) => `${what} must be ${max} characters or fewer`;
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

function agencyChoice(context: ActionContext, message: string) {
  const agencies = context.services.config.council.partnerAgencies;
  return z.string().refine((value) => agencies.includes(value), message);
}

function actionPlan(context: ActionContext) {
  return context.snapshot.recommendations.map((r) => ({ ...r, dueOnText: formatLongDate(r.dueOn) }));
}

/** Information from agencies, the review meeting, the action plan and the outcome. */
export function registerReviewActions(router: Router, services: Services): void {
  // Read per request: an administrator may change the settings while the portal runs.
  const council = () => services.config.council;

  registerAction<{ agency: string; asked: string; dueOn: IsoDate }>(router, services, {
    path: '/:reference/actions/request-information',
    view: 'request-information',
    slug: 'request-information',
    title: 'Ask a partner agency for information',
    guard: recordGuard('ask a partner agency for information'),
    fields: () => ({ single: ['agency', 'asked', 'dueOn-day', 'dueOn-month', 'dueOn-year'], multiline: ['asked'] }),
    fieldOrder: () => ['agency', 'asked', 'dueOn-day'],
    dates: () => [{ prefix: 'dueOn', label: 'The date the reply is due', required: true, notBeforeToday: true }],
    schema: (context) =>
      z.object({
        agency: agencyChoice(context, 'Select the agency you are asking'),
        asked: requiredText('Enter what you are asking the agency for', limits.long, tooLong('What you are asking', limits.long)),
        dueOn: isoDate,
      }),
    defaults: (context) => ({
      agency: '',
      asked: '',
      ...dateBoxes('dueOn', addWorkingDays(context.today, council().deadlines.agencyInformationWorkingDays)),
    }),
    viewData: (context) => ({
      agencies: council().partnerAgencies,
      workingDays: council().deadlines.agencyInformationWorkingDays,
      requests: context.snapshot.informationRequests.map((r) => ({
        ...r,
        dueOnText: formatLongDate(r.dueOn),
        repliedOnText: r.repliedAt ? formatLongDate(londonDate(r.repliedAt)) : null,
        replyUrl: `${caseUrl(context.snapshot.reference)}/information-requests/${r.id}/reply`,
      })),
    }),
    run: (context, input) => services.caseActions.requestInformation(context.snapshot.reference, context.officer, input, context.once),
  });

  const requestOf = (context: ActionContext) => context.snapshot.informationRequests.find((r) => r.id === context.params.id);
  registerAction<{ reply: string; repliedOn: IsoDate }>(router, services, {
    path: '/:reference/information-requests/:id/reply',
    view: 'information-reply',
    slug: 'information-reply',
    title: (context) => `Record the reply from ${requestOf(context)?.agency ?? 'the agency'}`,
    guard: (context): Refusal | null => {
      if (!requestOf(context)) return 'There is no such information request on this case.';
      return recordGuard('record an agency’s reply')(context);
    },
    fields: () => ({ single: ['reply', 'repliedOn-day', 'repliedOn-month', 'repliedOn-year'], multiline: ['reply'] }),
    fieldOrder: () => ['reply', 'repliedOn-day'],
    dates: () => [{ prefix: 'repliedOn', label: 'The date of the reply', required: true, notAfterToday: true }],
    schema: () =>
      z.object({
        reply: requiredText('Enter what the agency said', limits.long, tooLong('The reply', limits.long)),
        repliedOn: isoDate,
      }),
    defaults: (context) => {
      const request = requestOf(context);
      return {
        reply: request?.reply ?? '',
        ...dateBoxes('repliedOn', request?.repliedAt ? londonDate(request.repliedAt) : context.today),
      };
    },
    viewData: (context) => {
      const request = requestOf(context);
      return {
        request: request
          ? { ...request, dueOnText: formatLongDate(request.dueOn), requestedOnText: formatLongDate(londonDate(request.requestedAt)) }
          : null,
      };
    },
    run: (context, input) =>
      services.caseActions.recordInformationReply(
        context.snapshot.reference,
        context.officer,
        {
          requestId: context.params.id ?? '',
          ...input,
        },
        context.once,
      ),
  });

  registerAction<{
    scheduledFor: Date;
    agencies: string[];
    independentChair: string | null;
    attendance: VictimAttendance;
    notInvitedReason: string | null;
  }>(router, services, {
    path: '/:reference/actions/schedule-review',
    view: 'schedule-review',
    slug: 'schedule-review',
    title: (context) => (context.snapshot.status === 'review_scheduled' ? 'Change the review meeting' : 'Schedule the review meeting'),
    guard: moveGuard('schedule_review'),
    fields: () => ({
      single: ['meetingOn-day', 'meetingOn-month', 'meetingOn-year', 'time', 'independentChair', 'attendance', 'notInvitedReason'],
      multiple: ['agencies'],
      multiline: ['notInvitedReason'],
    }),
    fieldOrder: () => ['meetingOn-day', 'time', 'agencies', 'independentChair', 'attendance', 'notInvitedReason'],
    dates: () => [{ prefix: 'meetingOn', label: 'The date of the meeting', required: true }],
    checks: (values) => {
      const issues = [];
      if (values.time === '') issues.push({ field: 'time', message: 'Enter the time of the meeting' });
      else if (!parseTimeOfDay(String(values.time)))
        issues.push({ field: 'time', message: 'Enter the time of the meeting like 14:30 or 2:30pm' });
      if (values.attendance === 'not-invited' && values.notInvitedReason === '') {
        issues.push({ field: 'notInvitedReason', message: 'Enter the chair’s reason for not inviting the victim' });
      }
      return issues;
    },
    schema: () =>
      z
        .object({
          meetingOn: isoDate,
          time: z.string(),
          agencies: z
            .array(z.string())
            .min(1, 'Select the agencies invited to the review')
            .refine((list) => list.every((agency) => council().partnerAgencies.includes(agency)), 'Select the agencies from the list'),
          independentChair: optionalText(limits.short, tooLong('The chair’s name', limits.short)),
          attendance: choice(victimAttendanceOptions, 'Select whether the victim wants to attend the meeting'),
          notInvitedReason: optionalText(limits.long, tooLong('The chair’s reason', limits.long)),
        })
        .transform((v) => ({
          scheduledFor: londonInstant(v.meetingOn, parseTimeOfDay(v.time) ?? { hour: 0, minute: 0 }),
          agencies: council().partnerAgencies.filter((agency) => v.agencies.includes(agency)),
          independentChair: v.independentChair,
          attendance: v.attendance,
          notInvitedReason: v.attendance === 'not-invited' ? v.notInvitedReason : null,
        })),
    defaults: (context) => {
      const review = context.snapshot.review && !context.snapshot.review.heldAt ? context.snapshot.review : null;
      if (!review)
        return { ...dateBoxes('meetingOn', null), time: '', agencies: [], independentChair: '', attendance: '', notInvitedReason: '' };
      return {
        ...dateBoxes('meetingOn', londonDate(review.scheduledFor)),
        time: londonClock(review.scheduledFor),
        agencies: review.agenciesInvited,
        independentChair: review.independentChair ?? '',
        attendance: review.victimAttendance,
        notInvitedReason: review.notInvitedReason ?? '',
      };
    },
    viewData: (context) => ({
      agencies: council().partnerAgencies,
      attendanceOptions: victimAttendanceOptions.map((value) => ({ value, text: victimAttendanceLabels[value] })),
      reviewDue: context.snapshot.nextDeadlineOn ? formatLongDate(context.snapshot.nextDeadlineOn) : null,
      rescheduling: context.snapshot.status === 'review_scheduled',
    }),
    run: (context, input) => services.caseActions.scheduleReview(context.snapshot.reference, context.officer, input, context.once),
  });

  const invited = (context: ActionContext) => context.snapshot.review?.agenciesInvited ?? [];
  registerAction<{ heldOn: IsoDate; contributions: Array<{ agency: string; shared: string; actionsTaken: string }> }>(router, services, {
    path: '/:reference/actions/hold-review',
    view: 'hold-review',
    slug: 'hold-review',
    title: 'Record the review meeting',
    guard: moveGuard('hold_review'),
    fields: (context) => {
      const contributions = invited(context).flatMap((_agency, i) => [`shared-${i}`, `actions-${i}`]);
      return { single: ['heldOn-day', 'heldOn-month', 'heldOn-year', ...contributions], multiline: contributions };
    },
    fieldOrder: (context) => ['heldOn-day', ...invited(context).flatMap((_agency, i) => [`shared-${i}`, `actions-${i}`])],
    dates: () => [{ prefix: 'heldOn', label: 'The date the meeting was held', required: true, notAfterToday: true }],
    checks: (values, context) =>
      invited(context).flatMap((agency, i) => {
        const issues = [];
        if (String(values[`shared-${i}`] ?? '').length > limits.long)
          issues.push({ field: `shared-${i}`, message: tooLong(`What ${agency} shared`, limits.long) });
        if (String(values[`actions-${i}`] ?? '').length > limits.long)
          issues.push({ field: `actions-${i}`, message: tooLong(`The actions ${agency} took`, limits.long) });
        return issues;
      }),
    schema: (context) =>
      z.looseObject({ heldOn: isoDate }).transform((v) => ({
        heldOn: v.heldOn,
        contributions: invited(context).map((agency, i) => ({
          agency,
          shared: String(v[`shared-${i}`] ?? ''),
          actionsTaken: String(v[`actions-${i}`] ?? ''),
        })),
      })),
    defaults: (context) => {
      const review = context.snapshot.review;
      const scheduled = review ? londonDate(review.scheduledFor) : context.today;
      return { ...dateBoxes('heldOn', scheduled <= context.today ? scheduled : context.today) };
    },
    viewData: (context) => {
      const review = context.snapshot.review;
      return {
        agencies: invited(context),
        meeting: review ? `${formatLongDate(londonDate(review.scheduledFor))} at ${formatLondonTime(review.scheduledFor)}` : null,
      };
    },
    run: (context, input) => services.caseActions.holdReview(context.snapshot.reference, context.officer, input, context.once),
  });

  registerAction<{ what: string; agency: string; dueOn: IsoDate }>(router, services, {
    path: '/:reference/actions/add-recommendation',
    view: 'add-recommendation',
    slug: 'add-recommendation',
    title: 'Add a recommendation to the action plan',
    guard: recordGuard('add a recommendation'),
    fields: () => ({ single: ['what', 'agency', 'dueOn-day', 'dueOn-month', 'dueOn-year'], multiline: ['what'] }),
    fieldOrder: () => ['what', 'agency', 'dueOn-day'],
    dates: () => [{ prefix: 'dueOn', label: 'The date it is due', required: true, notBeforeToday: true }],
    schema: (context) =>
      z.object({
        what: requiredText('Enter what is to be done', limits.medium, tooLong('What is to be done', limits.medium)),
        agency: agencyChoice(context, 'Select the agency that will do it'),
        dueOn: isoDate,
      }),
    defaults: () => ({ what: '', agency: '', ...dateBoxes('dueOn', null) }),
    viewData: (context) => ({
      agencies: council().partnerAgencies,
      plan: actionPlan(context),
      doneUrl: (id: string) => `${caseUrl(context.snapshot.reference)}/recommendations/${id}/done`,
    }),
    run: (context, input) =>
      services.caseActions.addRecommendation(
        context.snapshot.reference,
        context.officer,
        {
          action: input.what,
          agency: input.agency,
          dueOn: input.dueOn,
        },
        context.once,
      ),
  });

  registerAction(router, services, {
    path: '/:reference/actions/record-victim-comments',
    view: 'record-victim-comments',
    slug: 'record-victim-comments',
    title: 'Record the victim’s comments on the action plan',
    guard: recordGuard('record the victim’s comments'),
    fields: () => ({ single: ['comments'], multiline: ['comments'] }),
    fieldOrder: () => ['comments'],
    schema: () =>
      z
        .object({
          comments: requiredText('Enter the victim’s comments on the draft action plan', limits.long, tooLong('The comments', limits.long)),
        })
        .transform((v) => v.comments),
    defaults: (context) => ({ comments: context.snapshot.actionPlanComments ?? '' }),
    viewData: (context) => ({ plan: actionPlan(context) }),
    run: (context, comments) =>
      services.caseActions.recordVictimComments(context.snapshot.reference, context.officer, { comments }, context.once),
  });

  registerAction(router, services, {
    path: '/:reference/actions/send-outcome',
    view: 'send-outcome',
    slug: 'send-outcome',
    title: 'Send the outcome',
    guard: (context): Refusal | null => {
      const move = moveGuard('send_outcome')(context);
      if (move) return move;
      const blocker = outcomeBlocker(context.snapshot.recommendations.length, Boolean(context.snapshot.actionPlanComments));
      if (!blocker) return null;
      return {
        message: blocker,
        next: {
          href: `${caseUrl(context.snapshot.reference)}/actions/record-victim-comments`,
          text: 'Record the victim’s comments on the action plan',
        },
      };
    },
    fields: () => ({ single: ['summary'], multiline: ['summary'] }),
    fieldOrder: () => ['summary'],
    schema: () =>
      z
        .object({ summary: requiredText('Enter a summary of the review’s outcome', limits.long, tooLong('The summary', limits.long)) })
        .transform((v) => v.summary),
    defaults: (context) => ({ summary: context.snapshot.outcomeSummary ?? '' }),
    viewData: (context) => ({
      plan: actionPlan(context),
      comments: context.snapshot.actionPlanComments,
      recipients: services.caseActions.emailRecipients(context.snapshot).map((r) => r.email),
      addressee: services.caseActions.letterAddressee(context.snapshot),
    }),
    run: (context, summary) => services.caseActions.sendOutcome(context.snapshot.reference, context.officer, { summary }, context.once),
  });
}
