import { TZDate } from '@date-fns/tz';
import { compareIsoDates, councilTimeZone, formatShortDate, londonDate, type IsoDate } from '../../domain/calendar-date.ts';
import { workingDaysBetween } from '../../domain/working-days.ts';

/** Dates, counts, deadlines and links as the officers' pages show them. */

export interface Deadline {
  date: string;
  words: string;
  overdue: boolean;
}

/** GOV.UK style time: '9am', '2:15pm', 'midday', 'midnight', in London. */
function londonTime(instant: Date): string {
  const local = new TZDate(instant.getTime(), councilTimeZone);
  const hours = local.getHours();
  const minutes = local.getMinutes();
  if (minutes === 0 && hours === 0) return 'midnight';
  if (minutes === 0 && hours === 12) return 'midday';
  const hour12 = hours % 12 === 0 ? 12 : hours % 12;
  return `${hour12}${minutes ? `:${String(minutes).padStart(2, '0')}` : ''}${hours < 12 ? 'am' : 'pm'}`;
}

export const formatDate = (instant: Date) => formatShortDate(londonDate(instant));
export const formatDateTime = (instant: Date) => `${formatDate(instant)} at ${londonTime(instant)}`;
/** In tables, where space is short, GOV.UK style abbreviates the month: '4 Dec 2026'. */
export const tableDate = (date: IsoDate) => formatShortDate(date).replace(/ ([A-Z][a-z]{2})[a-z]* /, ' $1 ');

export const plural = (count: number, word: string) => `${count.toLocaleString('en-GB')} ${word}${count === 1 ? '' : 's'}`;

/** 'Due today', 'Overdue by 3 working days', 'Due in 2 working days', in working days (London). */
export function deadlineWords(due: IsoDate, today: IsoDate): Deadline {
  const date = tableDate(due);
  const order = compareIsoDates(due, today);
  if (order === 0) return { date, words: 'Due today', overdue: false };
  if (order < 0) {
    const late = workingDaysBetween(due, today);
    return { date, words: late > 0 ? `Overdue by ${plural(late, 'working day')}` : 'Overdue', overdue: true };
  }
  const left = workingDaysBetween(today, due);
  return { date, words: left > 0 ? `Due in ${plural(left, 'working day')}` : `Due ${formatShortDate(due)}`, overdue: false };
}

export const caseHref = (reference: string) => `/admin/cases/${reference}`;
