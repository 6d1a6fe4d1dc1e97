import { createRequire } from 'node:module';
import type Holidays from 'date-holidays';
import { addCalendarDays, assertIsoDate, compareIsoDates, dayOfWeek, londonDate, type IsoDate } from './calendar-date.ts';

/** The statutory acknowledgement period: five working days from receipt. */
export const defaultAcknowledgementWorkingDays = 5;

// England and Wales share one set of bank holidays; date-holidays calls England the 'ENG' state
// of 'GB'. Loaded and created on first use so importing this module stays cheap (the library holds
// every country's holidays: about 9 MB and 140 ms, which a start page does not need).
const load = createRequire(import.meta.url);
let holidaySource: Holidays | undefined;
const bankHolidaysByYear = new Map<number, ReadonlySet<IsoDate>>();

function englandAndWalesHolidays(): Holidays {
  holidaySource ??= new (load('date-holidays') as typeof Holidays)('GB', 'ENG');
  return holidaySource;
}

/**
 * The England and Wales bank holidays in a year, including substitute days and one-offs.
 * Only type 'public': date-holidays also lists observances such as Mother's Day, which are
 * ordinary working days.
 */
export function bankHolidays(year: number): ReadonlySet<IsoDate> {
  const cached = bankHolidaysByYear.get(year);
  if (cached !== undefined) return cached;
  const dates = new Set<IsoDate>(
    englandAndWalesHolidays()
      .getHolidays(year)
      .filter((holiday) => holiday.type === 'public')
      // `date` is the local date and time, 'YYYY-MM-DD hh:mm:ss', so its first ten characters
      // are the calendar date whatever the machine's own time zone is.
      .map((holiday) => holiday.date.slice(0, 10)),
  );
  bankHolidaysByYear.set(year, dates);
  return dates;
}

export function isBankHoliday(value: IsoDate): boolean {
  assertIsoDate(value);
  return bankHolidays(Number(value.slice(0, 4))).has(value);
}

/** False on Saturdays, Sundays and England and Wales bank holidays. */
export function isWorkingDay(value: IsoDate): boolean {
  const weekday = dayOfWeek(value);
  if (weekday === 0 || weekday === 6) return false;
  return !isBankHoliday(value);
}

/**
 * The n-th working day after the given date (before it, if n is negative). The start date never
 * counts, whether or not it is a working day: something received on a Saturday with 5 working
 * days to reply is due on the following Friday, and so is something received on the Friday.
 */
export function addWorkingDays(value: IsoDate, workingDays: number): IsoDate {
  if (!Number.isInteger(workingDays)) {
    throw new RangeError(`Working days must be a whole number: ${workingDays}`);
  }
  const step = workingDays < 0 ? -1 : 1;
  let remaining = Math.abs(workingDays);
  assertIsoDate(value);
  let current = value;
  while (remaining > 0) {
    current = addCalendarDays(current, step);
    if (isWorkingDay(current)) remaining -= 1;
  }
  return current;
}

/**
 * The number of working days in (from, to]: 'from' itself is not counted, 'to' is. This is the
 * inverse of addWorkingDays, so workingDaysBetween(d, addWorkingDays(d, n)) === n, and
 * workingDaysBetween(dueDate, today) is how many working days a task is overdue. When 'to' is
 * before 'from' it is minus the count for (to, from], so workingDaysBetween(today, dueDate) is
 * how many working days are left.
 */
export function workingDaysBetween(from: IsoDate, to: IsoDate): number {
  const order = compareIsoDates(from, to);
  if (order === 0) return 0;
  if (order > 0) return -workingDaysBetween(to, from);
  // Arithmetic rather than a walk day by day: a list of long-overdue cases asks this many times.
  const days = Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
  let weekdays = Math.floor(days / 7) * 5;
  for (let i = days - (days % 7) + 1; i <= days; i += 1) {
    const weekday = dayOfWeek(addCalendarDays(from, i));
    if (weekday !== 0 && weekday !== 6) weekdays += 1;
  }
  let holidays = 0;
  for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year += 1) {
    for (const holiday of bankHolidays(year)) {
      const weekday = dayOfWeek(holiday);
      if (weekday !== 0 && weekday !== 6 && compareIsoDates(holiday, from) > 0 && compareIsoDates(holiday, to) <= 0) holidays += 1;
    }
  }
  return weekdays - holidays;
}

/**
 * When the acknowledgement is due: the given number of working days after the day the
 * application was received, where that day is the calendar date in London (a form sent at
 * 23:30 BST on a Friday was received on the Friday, even though it is 22:30 UTC).
 */
export function acknowledgementDueDate(receivedAt: Date, workingDays: number = defaultAcknowledgementWorkingDays): IsoDate {
  return addWorkingDays(londonDate(receivedAt), workingDays);
}
