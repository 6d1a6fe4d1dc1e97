import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addCalendarDays, compareIsoDates } from '../../../src/domain/calendar-date.ts';
import {
  acknowledgementDueDate,
  addWorkingDays,
  bankHolidays,
  isBankHoliday,
  isWorkingDay,
  workingDaysBetween,
} from '../../../src/domain/working-days.ts';

describe('isWorkingDay', () => {
  it.each([
    ['2026-12-24', true, 'Thursday before Christmas'],
    ['2026-12-25', false, 'Christmas Day (Friday)'],
    ['2026-12-26', false, 'Boxing Day (Saturday)'],
    ['2026-12-27', false, 'Sunday'],
    ['2026-12-28', false, 'Boxing Day substitute (Monday)'],
    ['2026-12-29', true, 'Tuesday after Christmas'],
    ['2026-12-31', true, "New Year's Eve is not a bank holiday"],
    ['2027-01-01', false, "New Year's Day (Friday)"],
    ['2027-01-04', true, 'first Monday of 2027'],
    ['2026-04-02', true, 'Maundy Thursday'],
    ['2026-04-03', false, 'Good Friday'],
    ['2026-04-05', false, 'Easter Sunday'],
    ['2026-04-06', false, 'Easter Monday'],
    ['2026-04-07', true, 'Tuesday after Easter'],
    ['2026-05-04', false, 'Early May bank holiday'],
    ['2026-05-25', false, 'Spring bank holiday'],
    ['2026-08-31', false, 'Summer bank holiday'],
    ['2026-03-29', false, 'BST starts (Sunday)'],
    ['2026-03-30', true, 'Monday after BST starts'],
    ['2026-10-26', true, 'Monday after BST ends'],
    ['2027-12-27', false, 'Christmas Day substitute 2027'],
    ['2027-12-28', false, 'Boxing Day substitute 2027'],
    ['2022-06-03', false, 'Platinum Jubilee one-off'],
    ['2022-09-19', false, "Queen Elizabeth's funeral one-off"],
    ['2023-05-08', false, 'Coronation one-off'],
    ['2022-01-03', false, "New Year's Day substitute 2022"],
  ])('%s -> %s (%s)', (date, expected) => {
    expect(isWorkingDay(date)).toBe(expected);
  });

  it('refuses a date that is not YYYY-MM-DD', () => {
    expect(() => isWorkingDay('25/12/2026')).toThrow(RangeError);
    expect(() => isBankHoliday('2026-02-30')).toThrow(RangeError);
  });
});

describe('bankHolidays', () => {
  it('lists the 2026 England and Wales bank holidays only (no observances like Mother’s Day)', () => {
    expect([...bankHolidays(2026)].sort()).toEqual([
      '2026-01-01',
      '2026-04-03',
      '2026-04-06',
      '2026-05-04',
      '2026-05-25',
      '2026-08-31',
      '2026-12-25',
      '2026-12-26',
      '2026-12-28',
    ]);
  });

  it('returns the cached set for the same year', () => {
    expect(bankHolidays(2027)).toBe(bankHolidays(2027));
  });
});

describe('addWorkingDays', () => {
  it.each([
    ['2026-12-23', 5, '2027-01-04', 'Christmas and New Year'],
    ['2026-12-24', 5, '2027-01-05', 'from Christmas Eve'],
    ['2026-12-25', 5, '2027-01-05', 'from Christmas Day itself'],
    ['2026-12-24', 1, '2026-12-29', 'over Christmas, Boxing Day substitute'],
    ['2026-12-31', 1, '2027-01-04', "over New Year's Day"],
    ['2026-04-02', 1, '2026-04-07', 'over Easter'],
    ['2026-04-03', 5, '2026-04-13', 'from Good Friday'],
    ['2026-04-06', 5, '2026-04-13', 'from Easter Monday'],
    ['2026-04-30', 5, '2026-05-08', 'over Early May bank holiday'],
    ['2026-05-04', 5, '2026-05-11', 'from Early May bank holiday'],
    ['2026-05-22', 5, '2026-06-01', 'over Spring bank holiday'],
    ['2026-08-28', 5, '2026-09-07', 'over Summer bank holiday'],
    ['2026-09-25', 5, '2026-10-02', 'from a Friday'],
    ['2026-09-26', 5, '2026-10-02', 'from a Saturday'],
    ['2026-09-27', 5, '2026-10-02', 'from a Sunday'],
    ['2027-12-24', 1, '2027-12-29', 'over two substitute days in 2027'],
    ['2022-06-01', 1, '2022-06-06', 'over the Jubilee weekend'],
    ['2026-12-25', 0, '2026-12-25', 'zero days is the same day'],
    ['2027-01-04', -1, '2026-12-31', 'backwards over New Year'],
    ['2027-01-04', -5, '2026-12-23', 'backwards over Christmas'],
    ['2026-04-07', -1, '2026-04-02', 'backwards over Easter'],
  ])('%s %+d -> %s (%s)', (date, days, expected) => {
    expect(addWorkingDays(date, days)).toBe(expected);
  });

  it('refuses a fractional number of days', () => {
    expect(() => addWorkingDays('2026-09-25', 1.5)).toThrow(RangeError);
  });

  it('refuses a bad start date even for zero days', () => {
    expect(() => addWorkingDays('2026-02-30', 0)).toThrow(RangeError);
  });
});

describe('workingDaysBetween', () => {
  it.each([
    ['2026-12-24', '2027-01-04', 4],
    ['2027-01-04', '2026-12-24', -4],
    ['2026-09-25', '2026-09-25', 0],
    ['2026-09-25', '2026-09-27', 0],
    ['2026-09-25', '2026-09-28', 1],
    ['2026-04-02', '2026-04-07', 1],
    ['2026-10-02', '2026-10-09', 5],
    ['2026-01-01', '2026-12-31', 253],
  ])('(%s, %s] has %d working days', (from, to, expected) => {
    expect(workingDaysBetween(from, to)).toBe(expected);
  });
});

describe('acknowledgementDueDate (5 working days, London date of receipt)', () => {
  it.each([
    ['2026-09-25T22:30:00Z', '2026-10-02', 'Friday 23:30 BST is received on Friday'],
    ['2026-09-24T23:30:00Z', '2026-10-02', 'Friday 00:30 BST (Thursday in UTC) is received on Friday'],
    ['2026-06-06T23:30:00Z', '2026-06-12', 'Sunday 00:30 BST (Saturday in UTC)'],
    ['2026-06-07T23:30:00Z', '2026-06-15', 'Monday 00:30 BST (Sunday in UTC) is received on Monday'],
    ['2026-03-29T00:30:00Z', '2026-04-07', 'Sunday BST starts, 00:30 GMT, over Easter'],
    ['2026-03-29T23:30:00Z', '2026-04-08', 'Monday 00:30 BST after the clocks go forward'],
    ['2026-10-22T23:30:00Z', '2026-10-30', 'Friday 00:30 BST on the weekend BST ends'],
    ['2026-10-25T00:30:00Z', '2026-10-30', 'Sunday 01:30 BST, first time round'],
    ['2026-10-25T01:30:00Z', '2026-10-30', 'Sunday 01:30 GMT, second time round'],
    ['2026-10-26T00:30:00Z', '2026-11-02', 'Monday 00:30 GMT after the clocks go back'],
    ['2026-12-23T10:00:00Z', '2027-01-04', 'Wednesday before Christmas'],
    ['2026-12-25T09:00:00Z', '2027-01-05', 'received on Christmas Day'],
    ['2026-12-28T14:00:00Z', '2027-01-05', 'received on the Boxing Day substitute'],
    ['2026-12-31T23:30:00Z', '2027-01-08', "New Year's Eve 23:30 GMT"],
    ['2026-04-03T11:00:00Z', '2026-04-13', 'received on Good Friday'],
    ['2026-04-06T08:00:00Z', '2026-04-13', 'received on Easter Monday'],
    ['2026-05-04T10:00:00Z', '2026-05-11', 'received on Early May bank holiday'],
    ['2026-05-22T22:30:00Z', '2026-06-01', 'Friday 23:30 BST before Spring bank holiday'],
    ['2026-08-28T12:00:00Z', '2026-09-07', 'Friday before Summer bank holiday'],
  ])('%s -> %s (%s)', (instant, expected) => {
    expect(acknowledgementDueDate(new Date(instant))).toBe(expected);
  });

  it('takes another number of working days', () => {
    expect(acknowledgementDueDate(new Date('2026-12-23T10:00:00Z'), 10)).toBe('2027-01-11');
  });
});

describe('addWorkingDays properties', () => {
  const isoDates = fc
    .date({
      min: new Date('2000-01-01T00:00:00Z'),
      max: new Date('2040-12-31T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString().slice(0, 10));

  /** Counts working days in (from, to] one day at a time, independently of workingDaysBetween. */
  function countWorkingDaysAfter(from: string, to: string): number {
    let count = 0;
    for (let day = addCalendarDays(from, 1); compareIsoDates(day, to) <= 0; day = addCalendarDays(day, 1)) {
      if (isWorkingDay(day)) count += 1;
    }
    return count;
  }

  it('lands on a working day after the start, with exactly n working days in (d, result]', () => {
    fc.assert(
      fc.property(isoDates, fc.integer({ min: 1, max: 60 }), (date, days) => {
        const result = addWorkingDays(date, days);
        expect(isWorkingDay(result)).toBe(true);
        expect(compareIsoDates(result, date)).toBe(1);
        expect(countWorkingDaysAfter(date, result)).toBe(days);
        expect(workingDaysBetween(date, result)).toBe(days);
      }),
    );
  });

  it('going back n working days lands on a working day before the start, with n working days in [result, d)', () => {
    fc.assert(
      fc.property(isoDates, fc.integer({ min: 1, max: 60 }), (date, days) => {
        const result = addWorkingDays(date, -days);
        expect(isWorkingDay(result)).toBe(true);
        expect(compareIsoDates(result, date)).toBe(-1);
        expect(countWorkingDaysAfter(addCalendarDays(result, -1), addCalendarDays(date, -1))).toBe(days);
      }),
    );
  });

  it('workingDaysBetween is antisymmetric', () => {
    fc.assert(
      fc.property(isoDates, fc.integer({ min: -90, max: 90 }), (date, offset) => {
        const other = addCalendarDays(date, offset);
        expect(workingDaysBetween(other, date) + workingDaysBetween(date, other)).toBe(0);
      }),
    );
  });
});
