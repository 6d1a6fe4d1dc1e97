import { TZDate } from '@date-fns/tz';
import { councilTimeZone, type IsoDate } from '../../domain/calendar-date.ts';
import { addWorkingDays } from '../../domain/working-days.ts';

// Date helpers memoised for speed: a hundred thousand cases make millions of date calculations,
// over only a few thousand distinct days. London is UTC+0 or UTC+1, changing in the small hours.
const londonOffsets = new Map<number, number>();
/** London's offset from UTC, in milliseconds, during the UTC hour containing the instant. */
function londonOffset(ms: number): number {
  const hour = Math.floor(ms / 3_600_000);
  let offset = londonOffsets.get(hour);
  if (offset === undefined) {
    const local = new TZDate(hour * 3_600_000, councilTimeZone);
    offset = Date.UTC(local.getFullYear(), local.getMonth(), local.getDate(), local.getHours()) - hour * 3_600_000;
    londonOffsets.set(hour, offset);
  }
  return offset;
}

/** The London calendar date of an instant (same answer as londonDate, cached). */
export function londonDay(instant: Date): IsoDate {
  return new Date(instant.getTime() + londonOffset(instant.getTime())).toISOString().slice(0, 10);
}

/** An instant at a London wall-clock time (daytime, away from the clock changes) on a calendar date. */
export function londonInstant(date: IsoDate, hour: number, minute: number): Date {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const wallClock = Date.UTC(year, month - 1, day, hour, minute);
  return new Date(wallClock - londonOffset(wallClock));
}

const workingDayCache = new Map<string, IsoDate>();
export function workingDaysAfter(date: IsoDate, days: number): IsoDate {
  const key = `${date}+${days}`;
  let result = workingDayCache.get(key);
  if (result === undefined) {
    result = addWorkingDays(date, days);
    workingDayCache.set(key, result);
  }
  return result;
}
