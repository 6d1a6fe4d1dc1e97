import { randomUUID } from 'node:crypto';
import type { IsoDate } from '../../domain/calendar-date.ts';
import type { CaseStatus } from '../../domain/case-status.ts';
import type { ThresholdAdvice } from '../../domain/threshold.ts';
import type { SendEmail } from './emails.ts';
import { londonDay, londonInstant, workingDaysAfter } from './london-days.ts';
import type { Batch, Row, SeedContext } from './rows.ts';
import { agencies, recommendationActions, rejectionGrounds } from './vocabulary.ts';

/**
 * The case's life, step by step, stopping at "now" (or earlier, for a case left waiting): adds the
 * status changes, reviews, information requests, recommendations, appeals and emails, fills in the
 * case row's status, dates and decision, and returns where the case ended up and when.
 */
export function liveCaseLife(
  context: SeedContext,
  batch: Batch,
  {
    id,
    row,
    receivedAt,
    channel,
    enteredBy,
    acknowledgementDueOn,
    advice,
    applicantAddress,
    email,
  }: {
    id: string;
    row: Row;
    receivedAt: Date;
    channel: string;
    enteredBy: string | null;
    acknowledgementDueOn: IsoDate;
    advice: ThresholdAdvice;
    applicantAddress: string | null;
    email: SendEmail;
  },
): { status: CaseStatus; at: Date } {
  const { random, now } = context;
  const officer = () => random.pick(context.officerIds);
  let status = 'received' as CaseStatus;
  let at = receivedAt;
  let steps = 0;
  const recentlyReceived = now.getTime() - receivedAt.getTime() < 200 * 86_400_000;
  let nextDeadline: IsoDate | null = acknowledgementDueOn;
  const move = (to: CaseStatus, when: Date, reason: string | null) => {
    batch.status_change.push({
      id: randomUUID(),
      case_id: id,
      from_status: status,
      to_status: to,
      reason,
      officer_id: officer(),
      at: when,
    });
    status = to;
    at = when;
    steps += 1;
  };
  /** A time in office hours some working days after the last step (and always after it). */
  const later = (minWorkingDays: number, maxWorkingDays: number) => {
    const when = londonInstant(
      workingDaysAfter(londonDay(at), random.int(minWorkingDays, maxWorkingDays)),
      random.int(9, 16),
      random.int(0, 59),
    );
    return when > at ? when : new Date(at.getTime() + random.int(5, 120) * 60_000);
  };
  batch.status_change.push({
    id: randomUUID(),
    case_id: id,
    from_status: null,
    to_status: 'received',
    reason: `Application received (${channel})`,
    officer_id: enteredBy,
    at: receivedAt,
  });
  let reviewAt: Date | null = null;
  let review: Row | null = null;
  let appeal: Row | null = null;
  let upheld = false;

  while (status !== 'closed' && status !== 'withdrawn' && steps < 14) {
    // Recent cases are sometimes left waiting at a step, so dashboards have overdue work.
    if (recentlyReceived && random.chance(0.07)) break;
    if (status === 'received' || status === 'acknowledged') {
      const when = status === 'received' ? later(0, 5) : later(2, 12);
      if (when > now) break;
      if (random.chance(0.02)) {
        move('withdrawn', when, 'The applicant asked to withdraw the application');
        row.closed_at = when;
        row.closure_reason = 'Withdrawn by the applicant';
        continue;
      }
      if (status === 'received' && random.chance(0.9)) {
        move('acknowledged', when, null);
        row.acknowledged_at = when;
        row.spoc_officer_id = officer();
        email('acknowledgement-letter', applicantAddress, 'Your ASB Case Review application has been acknowledged', when);
        nextDeadline = workingDaysAfter(londonDay(when), 10);
        continue;
      }
      row.acknowledged_at ??= when;
      row.spoc_officer_id ??= officer();
      const outcome = advice.met
        ? random.weighted({ met: 85, not_met: 10, rejected: 5 })
        : random.weighted({ not_met: 80, met: 15, rejected: 5 });
      const to: CaseStatus = outcome === 'met' ? 'threshold_met' : outcome === 'not_met' ? 'threshold_not_met' : 'rejected';
      const ground = outcome === 'rejected' ? random.pick(rejectionGrounds) : null;
      const reason =
        outcome === 'met'
          ? advice.met
            ? 'Three or more related incidents were reported in the last six months.'
            : 'Below the count, but the harm to a vulnerable victim justifies a review.'
          : outcome === 'not_met'
            ? 'Fewer than three related incidents were reported in the last six months.'
            : `The application was found to be ${ground ?? 'vexatious'}.`;
      move(to, when, reason);
      Object.assign(row, {
        decision: outcome === 'not_met' ? 'not-met' : outcome,
        decision_reason: reason,
        rejection_ground: ground,
        decided_at: when,
      });
      email('decision', applicantAddress, 'The decision on your ASB Case Review application', when);
      nextDeadline = outcome === 'met' ? workingDaysAfter(londonDay(when), 25) : null;
      continue;
    }
    if (status === 'threshold_met' || (status === 'review_scheduled' && reviewAt && random.chance(0.05))) {
      const when = later(2, 8);
      if (when > now) break;
      reviewAt = londonInstant(workingDaysAfter(londonDay(when), random.int(8, 22)), random.pick([10, 14]), 0);
      const invited = agencies.filter(() => random.chance(0.6));
      review = {
        id: randomUUID(),
        case_id: id,
        scheduled_for: reviewAt,
        agencies_invited: invited.length ? invited : [agencies[0]],
        independent_chair: random.chance(0.2) ? 'Chair from a neighbouring partnership' : null,
        victim_attendance: random.pick(['in-person', 'online', 'not-attending', 'not-invited']),
        held_at: null,
        created_at: when,
      };
      batch.review.push(review);
      if (status === 'threshold_met') {
        for (const agency of invited) {
          const due = workingDaysAfter(londonDay(when), 10);
          const replied = random.chance(0.85) ? later(3, 12) : null;
          batch.information_request.push({
            id: randomUUID(),
            case_id: id,
            agency,
            requested_at: when,
            due_on: due,
            replied_at: replied && replied <= now ? replied : null,
            reply: replied && replied <= now ? 'Two visits made; one warning issued.' : null,
          });
        }
      }
      move('review_scheduled', when, status === 'review_scheduled' ? 'Rescheduled' : null);
      nextDeadline = londonDay(reviewAt);
      continue;
    }
    if (status === 'review_scheduled' && reviewAt) {
      if (reviewAt > now) break;
      if (random.chance(0.03)) {
        move('withdrawn', reviewAt, 'The victim no longer wants the review');
        row.closed_at = reviewAt;
        row.closure_reason = 'Withdrawn by the victim';
        continue;
      }
      if (review) review.held_at = reviewAt;
      for (let n = random.int(1, 4); n > 0; n -= 1) {
        batch.recommendation.push({
          id: randomUUID(),
          case_id: id,
          action: random.pick(recommendationActions),
          agency: random.pick(agencies),
          due_on: workingDaysAfter(londonDay(reviewAt), random.int(10, 40)),
          done: random.chance(0.5),
          victim_comments: random.chance(0.3) ? 'The victim agrees with this action.' : null,
          created_at: reviewAt,
        });
      }
      move('review_held', reviewAt, null);
      nextDeadline = workingDaysAfter(londonDay(reviewAt), 5);
      continue;
    }
    if (status === 'review_held') {
      const when = later(1, 6);
      if (when > now) break;
      move('outcome_sent', when, null);
      row.outcome_sent_at = when;
      email('outcome', applicantAddress, 'The outcome of your ASB Case Review', when);
      nextDeadline = null;
      continue;
    }
    if (status === 'outcome_sent' || status === 'threshold_not_met' || status === 'rejected') {
      const appealed = random.chance(status === 'outcome_sent' ? 0.12 : 0.15) && steps < 8;
      const when = appealed ? later(5, 20) : later(10, 25);
      if (when > now) break;
      if (appealed) {
        appeal = { id: randomUUID(), case_id: id, received_at: when, about: status === 'outcome_sent' ? 'outcome' : 'threshold-decision' };
        batch.appeal.push(appeal);
        move('appeal_received', when, 'The applicant appealed to the Police and Crime Commissioner');
        nextDeadline = workingDaysAfter(londonDay(when), 10);
      } else {
        move('closed', when, 'No further action');
        row.closed_at = when;
        row.closure_reason = 'Review complete';
        nextDeadline = null;
      }
      continue;
    }
    if (status === 'appeal_received') {
      const when = later(10, 30);
      if (when > now) break;
      upheld = random.chance(0.25);
      if (appeal)
        Object.assign(appeal, {
          result: upheld ? 'Sent back to be reconsidered' : 'The council’s decision stands',
          upheld,
          concluded_at: when,
        });
      move('appeal_concluded', when, upheld ? 'Appeal upheld' : 'Appeal not upheld');
      nextDeadline = null;
      continue;
    }
    if (status === 'appeal_concluded') {
      const when = later(1, 5);
      if (when > now) break;
      if (upheld) {
        move('acknowledged', when, 'Reopened after the appeal');
        nextDeadline = workingDaysAfter(londonDay(when), 10);
      } else {
        move('closed', when, 'Appeal concluded');
        row.closed_at = when;
        row.closure_reason = 'Appeal concluded';
        nextDeadline = null;
      }
      continue;
    }
    break;
  }
  row.status = status;
  row.next_deadline_on = status === 'closed' || status === 'withdrawn' ? null : nextDeadline;
  if (reviewAt) row.next_review_at = reviewAt;
  row.updated_at = at;
  return { status, at };
}
