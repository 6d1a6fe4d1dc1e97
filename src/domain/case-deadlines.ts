import { compareIsoDates, type IsoDate } from './calendar-date.ts';
import type { CaseStatus } from './case-status.ts';
import { addWorkingDays } from './working-days.ts';

/**
 * The next open deadline of a case, kept on the case (next_deadline_on) so the dashboard and the
 * case list can sort and flag what is due and overdue. All counts are in working days (weekends
 * and England and Wales bank holidays skipped), from London calendar dates.
 *
 *  - received: the acknowledgement is due (fixed at receipt);
 *  - acknowledged: the threshold decision is due, counted from the day the case was acknowledged
 *    (or sent back to be decided again after an appeal);
 *  - threshold met: the review meeting is due, counted from the day of the decision;
 *  - review scheduled: the earlier of that same review deadline and the day of the meeting;
 *  - review held: the outcome letter is due, counted from the day the meeting was held;
 *  - anything else (a decision sent, an outcome sent, an appeal with the PCC, closed, withdrawn):
 *    nothing is due from the council, so null.
 */
export interface DeadlinePolicy {
  thresholdDecisionWorkingDays: number;
  reviewMeetingWorkingDays: number;
  outcomeLetterWorkingDays: number;
}

export interface DeadlineFacts {
  status: CaseStatus;
  acknowledgementDueOn: IsoDate;
  /** The London date the case entered its current status. */
  statusSince: IsoDate;
  /** The London date the threshold was decided met (for the review deadline). */
  thresholdMetOn?: IsoDate | null;
  /** The London date of the scheduled review meeting. */
  reviewOn?: IsoDate | null;
  /** The London date the review meeting was held. */
  reviewHeldOn?: IsoDate | null;
}

function earlier(a: IsoDate, b: IsoDate | null | undefined): IsoDate {
  if (!b) return a;
  return compareIsoDates(a, b) <= 0 ? a : b;
}

export function nextDeadline(facts: DeadlineFacts, policy: DeadlinePolicy): IsoDate | null {
  switch (facts.status) {
    case 'received':
      return facts.acknowledgementDueOn;
    case 'acknowledged':
      return addWorkingDays(facts.statusSince, policy.thresholdDecisionWorkingDays);
    case 'threshold_met':
      return addWorkingDays(facts.thresholdMetOn ?? facts.statusSince, policy.reviewMeetingWorkingDays);
    case 'review_scheduled':
      return earlier(addWorkingDays(facts.thresholdMetOn ?? facts.statusSince, policy.reviewMeetingWorkingDays), facts.reviewOn);
    case 'review_held':
      return addWorkingDays(facts.reviewHeldOn ?? facts.statusSince, policy.outcomeLetterWorkingDays);
    case 'threshold_not_met':
    case 'rejected':
    case 'outcome_sent':
    case 'appeal_received':
    case 'appeal_concluded':
    case 'closed':
    case 'withdrawn':
      return null;
  }
}

/** What the deadline is for, in words ("Threshold decision due"), or null when nothing is due. */
export function deadlineLabel(status: CaseStatus): string | null {
  switch (status) {
    case 'received':
      return 'Acknowledgement due';
    case 'acknowledged':
      return 'Threshold decision due';
    case 'threshold_met':
    case 'review_scheduled':
      return 'Review meeting due';
    case 'review_held':
      return 'Outcome letter due';
    default:
      return null;
  }
}
