import { TZDate } from '@date-fns/tz';

/**
 * A plain calendar date, 'YYYY-MM-DD', with no time and no time zone.
 *
 * Deadlines and thresholds in the ASB Case Review are counted in whole days as the council sees
 * them, so they are done on calendar dates rather than on instants. Arithmetic here goes through
 * UTC midnights only because UTC has no daylight saving: the result never depends on the time
 * zone of the machine running the code.
 */
export type IsoDate = string;

/** All council deadlines are in this zone (see mission: "in Europe/London time"). */
export const councilTimeZone = 'Europe/London';

const isoDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const millisecondsPerDay = 86_400_000;

const weekdayNames = [
  'Sunday',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
] as const;

const monthNames = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

interface DateParts {
  year: number;
  /** 1 to 12 */
  month: number;
  day: number;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one.
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function fromParts({ year, month, day }: DateParts): IsoDate {
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** Splits a date into numbers, or returns null if it is not a real 'YYYY-MM-DD' date. */
function toParts(value: string): DateParts | null {
  const match = isoDatePattern.exec(value);
  if (match === null) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12) return null;
  if (day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

function partsOrThrow(value: IsoDate): DateParts {
  const parts = toParts(value);
  if (parts === null) {
    throw new RangeError(`Not a calendar date in the form YYYY-MM-DD: ${JSON.stringify(value)}`);
  }
  return parts;
}

function toUtcMidnight(value: IsoDate): Date {
  const { year, month, day } = partsOrThrow(value);
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC, so years 0-99 are not read as 1900-1999.
  date.setUTCFullYear(year, month - 1, day);
  return date;
}

function fromUtcMidnight(date: Date): IsoDate {
  return fromParts({
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
  });
}

/** Throws a RangeError unless the value is a real 'YYYY-MM-DD' calendar date. */
export function assertIsoDate(value: string): void {
  partsOrThrow(value);
}

/** True when the value is a real calendar date written 'YYYY-MM-DD' (so not '2026-02-30'). */
export function isIsoDate(value: unknown): value is IsoDate {
  return typeof value === 'string' && toParts(value) !== null;
}

/** The calendar date in Europe/London at the given instant. */
export function londonDate(instant: Date): IsoDate {
  if (Number.isNaN(instant.getTime())) {
    throw new RangeError('Cannot take the London date of an invalid Date');
  }
  // TZDate's getters read the wall clock in the given zone, BST or GMT as appropriate.
  const local = new TZDate(instant.getTime(), councilTimeZone);
  return fromParts({ year: local.getFullYear(), month: local.getMonth() + 1, day: local.getDate() });
}

/** Adds (or, if negative, subtracts) whole days. */
export function addCalendarDays(value: IsoDate, days: number): IsoDate {
  if (!Number.isInteger(days)) throw new RangeError(`Days must be a whole number: ${days}`);
  return fromUtcMidnight(new Date(toUtcMidnight(value).getTime() + days * millisecondsPerDay));
}

/**
 * Adds (or, if negative, subtracts) calendar months, keeping the day of the month but clamping
 * it to the last day of a shorter month: 31 August minus 6 months is 28 (or 29) February.
 */
export function addCalendarMonths(value: IsoDate, months: number): IsoDate {
  if (!Number.isInteger(months)) throw new RangeError(`Months must be a whole number: ${months}`);
  const { year, month, day } = partsOrThrow(value);
  const monthIndex = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(monthIndex / 12);
  const targetMonth = monthIndex - targetYear * 12 + 1;
  return fromParts({
    year: targetYear,
    month: targetMonth,
    day: Math.min(day, daysInMonth(targetYear, targetMonth)),
  });
}

/** Negative if a is earlier than b, 0 if the same day, positive if later (for Array.sort). */
export function compareIsoDates(a: IsoDate, b: IsoDate): number {
  const difference = toUtcMidnight(a).getTime() - toUtcMidnight(b).getTime();
  return Math.sign(difference);
}

/** 0 = Sunday ... 6 = Saturday, like Date.getDay. */
export function dayOfWeek(value: IsoDate): number {
  return toUtcMidnight(value).getUTCDay();
}

/** GOV.UK style: '4 December 2026'. */
export function formatShortDate(value: IsoDate): string {
  const { year, month, day } = partsOrThrow(value);
  return `${day} ${monthNames[month - 1] ?? ''} ${year}`;
}

/** GOV.UK style with the weekday: 'Friday 4 December 2026'. */
export function formatLongDate(value: IsoDate): string {
  return `${weekdayNames[dayOfWeek(value)] ?? ''} ${formatShortDate(value)}`;
}
