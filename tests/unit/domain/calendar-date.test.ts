import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addCalendarDays,
  addCalendarMonths,
  compareIsoDates,
  dayOfWeek,
  formatLongDate,
  formatShortDate,
  isIsoDate,
  londonDate,
} from '../../../src/domain/calendar-date.ts';

describe('isIsoDate', () => {
  it.each([
    ['2026-12-04', true],
    ['2028-02-29', true],
    ['2026-02-29', false],
    ['2026-02-30', false],
    ['2026-13-01', false],
    ['2026-00-10', false],
    ['2026-1-4', false],
    ['2026-12-04T00:00:00Z', false],
    ['', false],
    ['04/12/2026', false],
  ])('%j -> %s', (value, expected) => {
    expect(isIsoDate(value)).toBe(expected);
  });

  it('rejects non-strings', () => {
    expect(isIsoDate(20261204)).toBe(false);
    expect(isIsoDate(null)).toBe(false);
  });
});

describe('londonDate', () => {
  it.each([
    // Friday 23:30 BST is 22:30 UTC on the Friday.
    ['2026-09-25T22:30:00Z', '2026-09-25'],
    // Friday 00:30 BST is still Thursday in UTC.
    ['2026-09-24T23:30:00Z', '2026-09-25'],
    // Sunday 00:30 BST is still Saturday in UTC.
    ['2026-06-06T23:30:00Z', '2026-06-07'],
    // Clocks go forward at 01:00 GMT on Sunday 29 March 2026.
    ['2026-03-28T23:59:59Z', '2026-03-28'],
    ['2026-03-29T00:30:00Z', '2026-03-29'],
    ['2026-03-29T22:59:59Z', '2026-03-29'],
    ['2026-03-29T23:00:00Z', '2026-03-30'],
    // Clocks go back at 02:00 BST (01:00 UTC) on Sunday 25 October 2026.
    ['2026-10-24T22:59:59Z', '2026-10-24'],
    ['2026-10-24T23:00:00Z', '2026-10-25'],
    ['2026-10-25T23:30:00Z', '2026-10-25'],
    ['2026-10-26T00:00:00Z', '2026-10-26'],
    // Winter: London is on UTC.
    ['2026-12-31T23:59:59Z', '2026-12-31'],
    ['2027-01-01T00:00:00Z', '2027-01-01'],
  ])('%s is %s in London', (instant, expected) => {
    expect(londonDate(new Date(instant))).toBe(expected);
  });

  it('refuses an invalid Date', () => {
    expect(() => londonDate(new Date('nonsense'))).toThrow(RangeError);
  });
});

describe('addCalendarMonths', () => {
  it.each([
    ['2026-09-10', -6, '2026-03-10'],
    ['2026-08-31', -6, '2026-02-28'],
    ['2028-08-31', -6, '2028-02-29'],
    ['2026-03-31', -1, '2026-02-28'],
    ['2026-01-31', 1, '2026-02-28'],
    ['2026-05-31', 1, '2026-06-30'],
    ['2026-03-15', -6, '2025-09-15'],
    ['2026-12-15', 1, '2027-01-15'],
    ['2027-01-15', -1, '2026-12-15'],
    ['2026-06-30', 0, '2026-06-30'],
    ['2026-02-28', 12, '2027-02-28'],
    ['2028-02-29', 12, '2029-02-28'],
    ['2026-07-04', -18, '2025-01-04'],
  ])('%s %+d months -> %s', (date, months, expected) => {
    expect(addCalendarMonths(date, months)).toBe(expected);
  });

  it('refuses a bad date or a fractional number of months', () => {
    expect(() => addCalendarMonths('2026-02-30', 1)).toThrow(RangeError);
    expect(() => addCalendarMonths('2026-02-01', 1.5)).toThrow(RangeError);
  });
});

describe('addCalendarDays', () => {
  it.each([
    ['2026-12-31', 1, '2027-01-01'],
    ['2027-01-01', -1, '2026-12-31'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2026-02-28', 1, '2026-03-01'],
    ['2026-03-28', 1, '2026-03-29'],
    ['2026-03-29', 1, '2026-03-30'],
    ['2026-10-25', 1, '2026-10-26'],
    ['2026-09-25', 0, '2026-09-25'],
    ['2026-01-01', 365, '2027-01-01'],
  ])('%s %+d days -> %s', (date, days, expected) => {
    expect(addCalendarDays(date, days)).toBe(expected);
  });

  it('adding then subtracting returns the same date', () => {
    const isoDates = fc
      .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2090-12-31T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(isoDates, fc.integer({ min: -3000, max: 3000 }), (date, days) => {
        expect(addCalendarDays(addCalendarDays(date, days), -days)).toBe(date);
      }),
    );
  });
});

describe('compareIsoDates', () => {
  it.each([
    ['2026-03-10', '2026-03-10', 0],
    ['2026-03-09', '2026-03-10', -1],
    ['2026-03-10', '2026-03-09', 1],
    ['2025-12-31', '2026-01-01', -1],
  ])('%s vs %s -> %d', (a, b, expected) => {
    expect(compareIsoDates(a, b)).toBe(expected);
  });
});

describe('dayOfWeek', () => {
  it.each([
    ['2026-12-25', 5],
    ['2026-12-27', 0],
    ['2026-12-26', 6],
    ['2026-12-28', 1],
  ])('%s -> %d', (date, expected) => {
    expect(dayOfWeek(date)).toBe(expected);
  });
});

describe('formatting', () => {
  it.each([
    ['2026-12-04', 'Friday 4 December 2026', '4 December 2026'],
    ['2027-01-01', 'Friday 1 January 2027', '1 January 2027'],
    ['2026-03-29', 'Sunday 29 March 2026', '29 March 2026'],
    ['2028-02-29', 'Tuesday 29 February 2028', '29 February 2028'],
    ['2026-10-31', 'Saturday 31 October 2026', '31 October 2026'],
  ])('%s', (date, long, short) => {
    expect(formatLongDate(date)).toBe(long);
    expect(formatShortDate(date)).toBe(short);
  });
});
