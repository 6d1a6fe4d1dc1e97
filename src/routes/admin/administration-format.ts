import { TZDate } from '@date-fns/tz';
import { councilTimeZone } from '../../domain/calendar-date.ts';

const dateTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: councilTimeZone,
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  hour12: true,
});

/** GOV.UK style, in the council's time zone: '25 November 2025, 5:06pm'. */
export function formatDateTime(instant: Date): string {
  const parts = Object.fromEntries(dateTime.formatToParts(instant).map((part) => [part.type, part.value]));
  return `${parts.day} ${parts.month} ${parts.year}, ${parts.hour}:${parts.minute}${(parts.dayPeriod ?? '').toLowerCase().replace(/\s/g, '')}`;
}

/** An audit entry's detail as one short line: "role: officer → manager; targetOfficerId: …". */
export function summariseDetail(detail: unknown, maxLength = 240): string {
  if (detail === null || detail === undefined) return '';
  const text =
    typeof detail === 'object' && !Array.isArray(detail)
      ? Object.entries(detail)
          .map(([key, value]) => `${key}: ${describe(value)}`)
          .join('; ')
      : describe(detail);
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'none';
  if (Array.isArray(value)) return value.map(describe).join(', ');
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if ('from' in record && 'to' in record && Object.keys(record).length === 2) return `${describe(record.from)} → ${describe(record.to)}`;
    if ('field' in record && 'from' in record && 'to' in record)
      return `${describe(record.field)} (${describe(record.from)} → ${describe(record.to)})`;
    return Object.entries(record)
      .map(([key, inner]) => `${key}: ${describe(inner)}`)
      .join(', ');
  }
  return String(value);
}

/** The instant a calendar day ('YYYY-MM-DD') starts in the council's time zone. */
export function startOfLondonDay(iso: string): Date {
  const [year, month, day] = iso.split('-').map(Number);
  return new Date(new TZDate(year ?? 1970, (month ?? 1) - 1, day ?? 1, councilTimeZone).getTime());
}
