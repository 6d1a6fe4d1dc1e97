import { describe, expect, it } from 'vitest';
import { caseStatuses, isFinalStatus } from '../../../src/domain/case-status.ts';
import { closedBeforeInstant, isDueForAnonymisation, retentionCutoff } from '../../../src/domain/retention.ts';
import { londonInstant } from '../../../src/domain/london-time.ts';

/** Closed at this London wall-clock time on that date. */
const closedAt = (date: string, hour = 12, minute = 0) => londonInstant(date, { hour, minute });
const closed = (date: string, hour?: number, minute?: number) => ({
  status: 'closed' as const,
  closedAt: closedAt(date, hour, minute),
  anonymisedAt: null,
});

describe('retention of closed cases', () => {
  it.each([
    // today, months, cut-off (the last closing day that is due)
    ['2026-11-25', 72, '2020-11-25'],
    ['2026-11-25', 1, '2026-10-25'],
    ['2027-02-28', 72, '2021-02-28'],
    // 31 March back one month clamps to the last day of February (leap year and not).
    ['2024-03-31', 1, '2024-02-29'],
    ['2025-03-31', 1, '2025-02-28'],
    ['2026-01-15', 12, '2025-01-15'],
  ])('on %s with %i months, cases closed on or before %s are due', (today, months, cutoff) => {
    expect(retentionCutoff(today, months)).toBe(cutoff);
  });

  it.each([
    // closed on, due?
    ['2020-11-24', true],
    ['2020-11-25', true], // exactly the retention period ago: the boundary day
    ['2020-11-26', false], // the period minus one day
    ['2021-06-01', false],
    ['2026-11-25', false],
  ])('on 2026-11-25 with 72 months, a case closed on %s is due: %s', (date, due) => {
    expect(isDueForAnonymisation(closed(date), '2026-11-25', 72)).toBe(due);
  });

  it('counts the London day of closing, not the UTC one (BST: 00:30 in London is the evening before in UTC)', () => {
    // 00:30 on 26 June 2020 in London is 23:30 on 25 June in UTC: the London day (26th) counts.
    expect(isDueForAnonymisation(closed('2020-06-26', 0, 30), '2026-06-25', 72)).toBe(false);
    expect(isDueForAnonymisation(closed('2020-06-26', 0, 30), '2026-06-26', 72)).toBe(true);
    // The last minute of the boundary day is still that day.
    expect(isDueForAnonymisation(closed('2020-06-25', 23, 59), '2026-06-25', 72)).toBe(true);
  });

  it('never touches an open case, however old, nor one already anonymised', () => {
    const longAgo = closedAt('2001-01-01');
    for (const status of caseStatuses) {
      expect(isDueForAnonymisation({ status, closedAt: longAgo, anonymisedAt: null }, '2026-11-25', 72), status).toBe(
        isFinalStatus(status),
      );
    }
    expect(isDueForAnonymisation({ status: 'closed', closedAt: null, anonymisedAt: null }, '2026-11-25', 72)).toBe(false);
    expect(isDueForAnonymisation({ status: 'withdrawn', closedAt: longAgo, anonymisedAt: new Date() }, '2026-11-25', 72)).toBe(false);
  });

  it('narrows the database search to cases closed before the London midnight after the cut-off', () => {
    // 26 November 2020 00:00 in London is GMT (no daylight saving in November).
    expect(closedBeforeInstant('2026-11-25', 72).toISOString()).toBe('2020-11-26T00:00:00.000Z');
    // 26 June 2020 00:00 in London is 23:00 UTC the day before (BST).
    expect(closedBeforeInstant('2026-06-25', 72).toISOString()).toBe('2020-06-25T23:00:00.000Z');
  });

  it('refuses a retention period that is not a whole number of months', () => {
    expect(() => retentionCutoff('2026-11-25', 0)).toThrow(RangeError);
    expect(() => retentionCutoff('2026-11-25', 1.5)).toThrow(RangeError);
  });
});
