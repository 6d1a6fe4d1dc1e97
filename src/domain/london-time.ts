import { TZDate } from '@date-fns/tz';
import { assertIsoDate, councilTimeZone, type IsoDate } from './calendar-date.ts';

/**
 * Times of day as the council sees them (Europe/London, GMT or BST as the date requires): a review
 * meeting "on 8 December at 2:30pm" is that wall-clock time in London whatever the server's zone.
 */

export interface TimeOfDay {
  hour: number;
  minute: number;
}

const twentyFourHour = /^([01]?\d|2[0-3])[:.]([0-5]\d)$/;
const twelveHour = /^(1[0-2]|0?[1-9])(?:[:.]([0-5]\d))?\s*(am|pm)$/;

/** Reads '14:30', '9.05', '2:30pm', '10am', 'midday' or 'noon'; null when it is not a time. */
export function parseTimeOfDay(text: string): TimeOfDay | null {
  const value = text.trim().toLowerCase().replace(/\s+/g, ' ');
  if (value === 'midday' || value === 'noon' || value === '12 noon') return { hour: 12, minute: 0 };
  if (value === 'midnight') return { hour: 0, minute: 0 };
  const plain = twentyFourHour.exec(value);
  if (plain) return { hour: Number(plain[1]), minute: Number(plain[2]) };
  const clock = twelveHour.exec(value);
  if (clock) {
    const hour = Number(clock[1]) % 12;
    return { hour: clock[3] === 'pm' ? hour + 12 : hour, minute: Number(clock[2] ?? '0') };
  }
  return null;
}

/** The instant at which London's clocks show this date and time. */
export function londonInstant(date: IsoDate, time: TimeOfDay): Date {
  assertIsoDate(date);
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(new TZDate(year, month - 1, day, time.hour, time.minute, councilTimeZone).getTime());
}

/** A date-only fact (a meeting held, an appeal received) stored as an instant: midday in London that day. */
export function londonMidday(date: IsoDate): Date {
  return londonInstant(date, { hour: 12, minute: 0 });
}

/** The London wall-clock time of an instant, GOV.UK style: '2:30pm', '10am', 'midday', 'midnight'. */
export function formatLondonTime(instant: Date): string {
  const local = new TZDate(instant.getTime(), councilTimeZone);
  const hour = local.getHours();
  const minute = local.getMinutes();
  if (minute === 0 && hour === 12) return 'midday';
  if (minute === 0 && hour === 0) return 'midnight';
  const suffix = hour < 12 ? 'am' : 'pm';
  const twelve = hour % 12 === 0 ? 12 : hour % 12;
  return minute === 0 ? `${twelve}${suffix}` : `${twelve}:${String(minute).padStart(2, '0')}${suffix}`;
}

/** The London wall-clock time of an instant as 'HH:MM' (to fill a form again). */
export function londonClock(instant: Date): string {
  const local = new TZDate(instant.getTime(), councilTimeZone);
  return `${String(local.getHours()).padStart(2, '0')}:${String(local.getMinutes()).padStart(2, '0')}`;
}
