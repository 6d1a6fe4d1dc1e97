import { describe, expect, it } from 'vitest';
import {
  actionLabels,
  allowedActions,
  caseActions,
  caseStatuses,
  isCaseAction,
  isCaseStatus,
  isFinalStatus,
  nextStatus,
  statusLabels,
  type CaseAction,
  type CaseStatus,
} from '../../../src/domain/case-status.ts';

/**
 * Every (status, action) pair, written out by hand: the status it moves to, or '-' if refused.
 * Changing any transition in the code must make this test fail.
 */
const X = '-';
type Expected = CaseStatus | typeof X;
const expectedTable: Record<CaseStatus, Record<CaseAction, Expected>> = {
  received: {
    acknowledge: 'acknowledged', decide_met: X, decide_not_met: X, reject: X,
    schedule_review: X, hold_review: X, send_outcome: X, receive_appeal: X,
    conclude_appeal: X, reopen: X, close: X, withdraw: 'withdrawn',
  },
  acknowledged: {
    acknowledge: X, decide_met: 'threshold_met', decide_not_met: 'threshold_not_met', reject: 'rejected',
    schedule_review: X, hold_review: X, send_outcome: X, receive_appeal: X,
    conclude_appeal: X, reopen: X, close: X, withdraw: 'withdrawn',
  },
  threshold_met: {
    acknowledge: X, decide_met: X, decide_not_met: X, reject: X,
    schedule_review: 'review_scheduled', hold_review: X, send_outcome: X, receive_appeal: X,
    conclude_appeal: X, reopen: X, close: X, withdraw: 'withdrawn',
  },
  threshold_not_met: {
    acknowledge: X, decide_met: X, decide_not_met: X, reject: X,
    schedule_review: X, hold_review: X, send_outcome: X, receive_appeal: 'appeal_received',
    conclude_appeal: X, reopen: X, close: 'closed', withdraw: X,
  },
  rejected: {
    acknowledge: X, decide_met: X, decide_not_met: X, reject: X,
    schedule_review: X, hold_review: X, send_outcome: X, receive_appeal: 'appeal_received',
    conclude_appeal: X, reopen: X, close: 'closed', withdraw: X,
  },
  review_scheduled: {
    acknowledge: X, decide_met: X, decide_not_met: X, reject: X,
    schedule_review: 'review_scheduled', hold_review: 'review_held', send_outcome: X, receive_appeal: X,
    conclude_appeal: X, reopen: X, close: X, withdraw: 'withdrawn',
  },
  review_held: {
    acknowledge: X, decide_met: X, decide_not_met: X, reject: X,
    schedule_review: X, hold_review: X, send_outcome: 'outcome_sent', receive_appeal: X,
    conclude_appeal: X, reopen: X, close: X, withdraw: 'withdrawn',
  },
  outcome_sent: {
    acknowledge: X, decide_met: X, decide_not_met: X, reject: X,
    schedule_review: X, hold_review: X, send_outcome: X, receive_appeal: 'appeal_received',
    conclude_appeal: X, reopen: X, close: 'closed', withdraw: X,
  },
  appeal_received: {
    acknowledge: X, decide_met: X, decide_not_met: X, reject: X,
    schedule_review: X, hold_review: X, send_outcome: X, receive_appeal: X,
    conclude_appeal: 'appeal_concluded', reopen: X, close: X, withdraw: X,
  },
  appeal_concluded: {
    acknowledge: X, decide_met: X, decide_not_met: X, reject: X,
    schedule_review: X, hold_review: X, send_outcome: X, receive_appeal: X,
    conclude_appeal: X, reopen: 'acknowledged', close: 'closed', withdraw: X,
  },
  closed: {
    acknowledge: X, decide_met: X, decide_not_met: X, reject: X,
    schedule_review: X, hold_review: X, send_outcome: X, receive_appeal: X,
    conclude_appeal: X, reopen: X, close: X, withdraw: X,
  },
  withdrawn: {
    acknowledge: X, decide_met: X, decide_not_met: X, reject: X,
    schedule_review: X, hold_review: X, send_outcome: X, receive_appeal: X,
    conclude_appeal: X, reopen: X, close: X, withdraw: X,
  },
};

const allPairs = caseStatuses.flatMap((from) =>
  caseActions.map((action) => [from, action, expectedTable[from][action]] as const),
);

describe('nextStatus', () => {
  it('the expected table covers all 144 pairs', () => {
    expect(allPairs).toHaveLength(144);
    expect(Object.keys(expectedTable)).toHaveLength(12);
  });

  it.each(allPairs)('%s + %s -> %s', (from, action, expected) => {
    const result = nextStatus(from, action);
    if (expected === X) {
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.message).toMatch(/^You cannot /);
        expect(result.message).toContain(statusLabels[from]);
      }
    } else {
      expect(result).toEqual({ ok: true, to: expected });
    }
  });
});

describe('refusal messages', () => {
  it.each([
    [
      'received',
      'hold_review',
      'You cannot hold the review for a case that is Received. From here you can acknowledge the application or withdraw the case.',
    ],
    [
      'received',
      'decide_met',
      'You cannot decide the threshold is met for a case that is Received. Acknowledge the application first.',
    ],
    [
      'received',
      'reject',
      'You cannot reject the application for a case that is Received. Acknowledge the application first.',
    ],
    [
      'threshold_met',
      'hold_review',
      'You cannot hold the review for a case that is Threshold met. Schedule the review first.',
    ],
    [
      'acknowledged',
      'schedule_review',
      'You cannot schedule the review for a case that is Acknowledged. Decide the threshold is met first.',
    ],
    [
      'review_scheduled',
      'send_outcome',
      'You cannot send the outcome for a case that is Review scheduled. Hold the review first.',
    ],
    [
      'appeal_received',
      'close',
      'You cannot close a case that is Appeal received. Conclude the appeal first.',
    ],
    [
      'acknowledged',
      'acknowledge',
      'You cannot acknowledge the application for a case that is Acknowledged. From here you can decide the threshold is met, decide the threshold is not met, reject the application or withdraw the case.',
    ],
    [
      'closed',
      'reopen',
      'You cannot reopen a case that is Closed. A closed case cannot be changed.',
    ],
    [
      'withdrawn',
      'withdraw',
      'You cannot withdraw a case that is Withdrawn. A withdrawn case cannot be changed.',
    ],
    [
      'outcome_sent',
      'withdraw',
      'You cannot withdraw a case that is Outcome sent. From here you can record an appeal or close the case.',
    ],
  ] as const)('%s + %s', (from, action, message) => {
    expect(nextStatus(from, action)).toEqual({ ok: false, message });
  });
});

describe('allowedActions', () => {
  it.each([
    ['received', ['acknowledge', 'withdraw']],
    ['acknowledged', ['decide_met', 'decide_not_met', 'reject', 'withdraw']],
    ['threshold_met', ['schedule_review', 'withdraw']],
    ['threshold_not_met', ['receive_appeal', 'close']],
    ['rejected', ['receive_appeal', 'close']],
    ['review_scheduled', ['schedule_review', 'hold_review', 'withdraw']],
    ['review_held', ['send_outcome', 'withdraw']],
    ['outcome_sent', ['receive_appeal', 'close']],
    ['appeal_received', ['conclude_appeal']],
    ['appeal_concluded', ['reopen', 'close']],
    ['closed', []],
    ['withdrawn', []],
  ] as const)('%s -> %j', (from, expected) => {
    expect(allowedActions(from)).toEqual(expected);
  });
});

describe('labels and guards', () => {
  it('labels every status', () => {
    expect(statusLabels).toEqual({
      received: 'Received',
      acknowledged: 'Acknowledged',
      threshold_met: 'Threshold met',
      threshold_not_met: 'Threshold not met',
      rejected: 'Rejected',
      review_scheduled: 'Review scheduled',
      review_held: 'Review held',
      outcome_sent: 'Outcome sent',
      appeal_received: 'Appeal received',
      appeal_concluded: 'Appeal concluded',
      closed: 'Closed',
      withdrawn: 'Withdrawn',
    });
  });

  it('labels every action', () => {
    expect(Object.keys(actionLabels).sort()).toEqual([...caseActions].sort());
    expect(actionLabels.hold_review).toBe('Record review held');
  });

  it.each([
    ['received', true],
    ['withdrawn', true],
    ['open', false],
    ['Received', false],
    [3, false],
  ])('isCaseStatus(%j) -> %s', (value, expected) => {
    expect(isCaseStatus(value)).toBe(expected);
  });

  it.each([
    ['reopen', true],
    ['delete', false],
    [null, false],
  ])('isCaseAction(%j) -> %s', (value, expected) => {
    expect(isCaseAction(value)).toBe(expected);
  });

  it.each([
    ['closed', true],
    ['withdrawn', true],
    ['outcome_sent', false],
    ['appeal_concluded', false],
  ] as const)('isFinalStatus(%s) -> %s', (status, expected) => {
    expect(isFinalStatus(status)).toBe(expected);
  });
});
