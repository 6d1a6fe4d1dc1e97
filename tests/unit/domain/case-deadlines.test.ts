import { describe, expect, it } from 'vitest';
import { deadlineLabel, nextDeadline, type DeadlineFacts, type DeadlinePolicy } from '../../../src/domain/case-deadlines.ts';
import { caseStatuses, type CaseStatus } from '../../../src/domain/case-status.ts';
import { formatLondonTime, londonInstant, parseTimeOfDay } from '../../../src/domain/london-time.ts';

const policy: DeadlinePolicy = { thresholdDecisionWorkingDays: 10, reviewMeetingWorkingDays: 25, outcomeLetterWorkingDays: 5 };
const base = { acknowledgementDueOn: '2026-12-02', statusSince: '2026-11-25' };

describe('nextDeadline', () => {
  it.each<[string, DeadlineFacts, string | null]>([
    ['received: the acknowledgement due date, as fixed at receipt', { ...base, status: 'received' }, '2026-12-02'],
    ['acknowledged on a Wednesday: ten working days later', { ...base, status: 'acknowledged', statusSince: '2026-11-25' }, '2026-12-09'],
    [
      'acknowledged before Christmas: skips 25 and 28 December (Boxing Day substitute) and New Year’s Day',
      { ...base, status: 'acknowledged', statusSince: '2026-12-18' },
      '2027-01-06',
    ],
    [
      'acknowledged before Easter: skips Good Friday and Easter Monday',
      { ...base, status: 'acknowledged', statusSince: '2026-04-01' },
      '2026-04-17',
    ],
    [
      'acknowledged on a Saturday before the Summer bank holiday: the Saturday does not count, nor 31 August',
      { ...base, status: 'acknowledged', statusSince: '2026-08-29' },
      '2026-09-14',
    ],
    [
      'sent back by the PCC and reopened: counted again from the reopening',
      { ...base, status: 'acknowledged', statusSince: '2027-02-01' },
      '2027-02-15',
    ],
    [
      'threshold met: 25 working days from the decision, skipping the Early May and Spring bank holidays',
      { ...base, status: 'threshold_met', statusSince: '2026-05-01', thresholdMetOn: '2026-05-01' },
      '2026-06-09',
    ],
    [
      'review scheduled before its deadline: the meeting day',
      { ...base, status: 'review_scheduled', statusSince: '2026-05-05', thresholdMetOn: '2026-05-01', reviewOn: '2026-05-20' },
      '2026-05-20',
    ],
    [
      'review scheduled after its deadline: the deadline (it is late)',
      { ...base, status: 'review_scheduled', statusSince: '2026-05-05', thresholdMetOn: '2026-05-01', reviewOn: '2026-06-30' },
      '2026-06-09',
    ],
    [
      'review rescheduled: still counted from the decision, not the rescheduling',
      { ...base, status: 'review_scheduled', statusSince: '2026-06-01', thresholdMetOn: '2026-05-01', reviewOn: '2026-06-10' },
      '2026-06-09',
    ],
    [
      'review held just before Christmas: five working days skip 25 and 28 December and 1 January',
      { ...base, status: 'review_held', statusSince: '2026-12-24', reviewHeldOn: '2026-12-23' },
      '2027-01-04',
    ],
    [
      'review held with no date recorded: counted from the move',
      { ...base, status: 'review_held', statusSince: '2026-11-25' },
      '2026-12-02',
    ],
    ['threshold not met: nothing due from the council', { ...base, status: 'threshold_not_met' }, null],
    ['rejected: nothing due', { ...base, status: 'rejected' }, null],
    ['outcome sent: nothing due', { ...base, status: 'outcome_sent' }, null],
    ['appeal received: the PCC has it, nothing due', { ...base, status: 'appeal_received' }, null],
    ['appeal concluded: nothing due', { ...base, status: 'appeal_concluded' }, null],
    ['closed: nothing due', { ...base, status: 'closed' }, null],
    ['withdrawn: nothing due', { ...base, status: 'withdrawn' }, null],
  ])('%s', (_name, facts, expected) => {
    expect(nextDeadline(facts, policy)).toBe(expected);
  });

  it('uses the council’s configured working days', () => {
    const quick: DeadlinePolicy = { thresholdDecisionWorkingDays: 3, reviewMeetingWorkingDays: 2, outcomeLetterWorkingDays: 1 };
    expect(nextDeadline({ ...base, status: 'acknowledged', statusSince: '2026-12-23' }, quick)).toBe('2026-12-30');
    expect(nextDeadline({ ...base, status: 'threshold_met', statusSince: '2026-12-24', thresholdMetOn: '2026-12-24' }, quick)).toBe(
      '2026-12-30',
    );
    expect(nextDeadline({ ...base, status: 'review_held', statusSince: '2026-12-31', reviewHeldOn: '2026-12-31' }, quick)).toBe(
      '2027-01-04',
    );
  });

  it('has a rule for every status, and a label exactly when something is due', () => {
    for (const status of caseStatuses as readonly CaseStatus[]) {
      const due = nextDeadline({ ...base, status, thresholdMetOn: '2026-11-25' }, policy);
      expect(deadlineLabel(status) === null).toBe(due === null);
    }
    expect(deadlineLabel('received')).toBe('Acknowledgement due');
    expect(deadlineLabel('acknowledged')).toBe('Threshold decision due');
    expect(deadlineLabel('review_scheduled')).toBe('Review meeting due');
    expect(deadlineLabel('review_held')).toBe('Outcome letter due');
  });
});

describe('review meeting times in London', () => {
  it.each([
    ['14:30', { hour: 14, minute: 30 }],
    ['9.05', { hour: 9, minute: 5 }],
    ['2:30pm', { hour: 14, minute: 30 }],
    ['10am', { hour: 10, minute: 0 }],
    ['12am', { hour: 0, minute: 0 }],
    ['12:15 PM', { hour: 12, minute: 15 }],
    ['midday', { hour: 12, minute: 0 }],
    ['25:00', null],
    ['2:60pm', null],
    ['half two', null],
  ])('reads %s', (text, expected) => {
    expect(parseTimeOfDay(text)).toEqual(expected);
  });

  it('keeps the wall-clock time in GMT and in BST', () => {
    const winter = londonInstant('2026-12-08', { hour: 14, minute: 30 });
    const summer = londonInstant('2026-07-01', { hour: 14, minute: 30 });
    expect(winter.toISOString()).toBe('2026-12-08T14:30:00.000Z');
    expect(summer.toISOString()).toBe('2026-07-01T13:30:00.000Z');
    expect([formatLondonTime(winter), formatLondonTime(summer)]).toEqual(['2:30pm', '2:30pm']);
    expect(formatLondonTime(londonInstant('2026-03-29', { hour: 12, minute: 0 }))).toBe('midday');
    expect(formatLondonTime(londonInstant('2026-10-25', { hour: 9, minute: 0 }))).toBe('9am');
  });
});
