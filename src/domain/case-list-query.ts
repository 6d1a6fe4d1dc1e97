import { z } from 'zod';
import { compareIsoDates, isIsoDate, type IsoDate } from './calendar-date.ts';
import { caseStatuses, type CaseStatus } from './case-status.ts';
import { isReference, normaliseReference } from './reference.ts';

/**
 * The officers' case list query: filters, one search box, the sort and the keyset cursor, read
 * from the URL of a GET form. Pure: nothing here touches the database. A bad value is dropped
 * with a message for the officer; parsing never throws.
 */

export const caseListPageSize = 25;

export const caseChannels = ['online', 'paper', 'phone', 'email'] as const;
export type CaseChannel = (typeof caseChannels)[number];
export const channelLabels: Record<CaseChannel, string> = { online: 'Online', paper: 'Paper form', phone: 'Phone', email: 'Email' };

export const caseListSorts = ['received', 'deadline'] as const;
export type CaseListSort = (typeof caseListSorts)[number];
export const sortLabels: Record<CaseListSort, string> = {
  received: 'Received date (newest first)',
  deadline: 'Next deadline (soonest first)',
};

export const deadlineFilters = ['today', 'overdue'] as const;
export type DeadlineFilter = (typeof deadlineFilters)[number];
export const deadlineLabels: Record<DeadlineFilter, string> = { today: 'Due today', overdue: 'Overdue only' };

export type CaseSearch =
  | { kind: 'reference'; value: string }
  | { kind: 'postcode'; value: string }
  | { kind: 'email'; value: string }
  | { kind: 'name'; value: string };

/**
 * A position in the list: the sort key and id of the row to continue after (next page) or before
 * (previous page). The key is the received instant (ISO, milliseconds) or the deadline date, which
 * may be null (cases with no open deadline sort last).
 */
export interface CaseListCursor {
  direction: 'after' | 'before';
  key: string | null;
  id: string;
}

export interface CaseListQuery {
  statuses: CaseStatus[];
  deadline: DeadlineFilter | null;
  receivedFrom: IsoDate | null;
  receivedTo: IsoDate | null;
  channel: CaseChannel | null;
  /** The search box as typed (trimmed), kept for the form and for links. */
  q: string;
  search: CaseSearch | null;
  sort: CaseListSort;
  cursor: CaseListCursor | null;
}

export interface DateParts {
  day: string;
  month: string;
  year: string;
}

export interface ListProblem {
  text: string;
  href: string;
  /** The field the message belongs to, for the inline error. */
  field: string;
}

export interface ParsedCaseListQuery {
  query: CaseListQuery;
  /** What the date boxes show back, as typed. */
  dates: { receivedFrom: DateParts; receivedTo: DateParts };
  problems: ListProblem[];
}

export const emptyCaseListQuery: CaseListQuery = {
  statuses: [],
  deadline: null,
  receivedFrom: null,
  receivedTo: null,
  channel: null,
  q: '',
  search: null,
  sort: 'received',
  cursor: null,
};

const maxSearchLength = 100;
const minNameLength = 2;

/** The first value of a query parameter, trimmed ('' when absent or not text). */
const firstText = z
  .unknown()
  .optional()
  .transform((value) => {
    const first: unknown = Array.isArray(value) ? value[0] : value;
    return typeof first === 'string' ? first.trim() : '';
  });

/** Every non-empty value of a repeated query parameter (checkboxes). */
const allTexts = z
  .unknown()
  .optional()
  .transform((value) =>
    (Array.isArray(value) ? value : [value])
      .filter((item): item is string => typeof item === 'string' && item.trim() !== '')
      .map((item) => item.trim()),
  );

const rawQuerySchema = z.object({
  q: firstText,
  status: allTexts,
  deadline: firstText,
  channel: firstText,
  sort: firstText,
  after: firstText,
  before: firstText,
  'receivedFrom-day': firstText,
  'receivedFrom-month': firstText,
  'receivedFrom-year': firstText,
  'receivedTo-day': firstText,
  'receivedTo-month': firstText,
  'receivedTo-year': firstText,
});

const statusSchema = z.enum(caseStatuses);
const channelSchema = z.enum(caseChannels);
const sortSchema = z.enum(caseListSorts);
const deadlineSchema = z.enum(deadlineFilters);

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const instantPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** A UK postcode without spaces (shape only, as in the application form). */
const compactPostcodePattern = /^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$/;

/** Reads the case list's URL query. Never throws; anything it cannot use is dropped with a message. */
export function parseCaseListQuery(input: unknown): ParsedCaseListQuery {
  const raw = rawQuerySchema.parse(typeof input === 'object' && input !== null ? input : {});
  const problems: ListProblem[] = [];
  const problem = (field: string, text: string, href = `#${field}`) => problems.push({ field, text, href });

  const statuses: CaseStatus[] = [];
  for (const value of raw.status) {
    const parsed = statusSchema.safeParse(value);
    if (parsed.success) {
      if (!statuses.includes(parsed.data)) statuses.push(parsed.data);
    } else if (!problems.some((item) => item.field === 'status')) {
      problem('status', 'Select statuses from the list');
    }
  }

  const deadline = optionalChoice(deadlineSchema, raw.deadline, () => problem('deadline', 'Select a deadline from the list'));
  const channel = optionalChoice(channelSchema, raw.channel, () => problem('channel', 'Select how the application came in from the list'));
  const sort = optionalChoice(sortSchema, raw.sort, () => problem('sort', 'Select a sort order from the list')) ?? 'received';

  const fromParts = { day: raw['receivedFrom-day'], month: raw['receivedFrom-month'], year: raw['receivedFrom-year'] };
  const toParts = { day: raw['receivedTo-day'], month: raw['receivedTo-month'], year: raw['receivedTo-year'] };
  let receivedFrom = dateFromParts(fromParts);
  let receivedTo = dateFromParts(toParts);
  if (receivedFrom === 'invalid') {
    problem('receivedFrom', 'Received from must be a real date, like 27 3 2026', '#receivedFrom-day');
    receivedFrom = null;
  }
  if (receivedTo === 'invalid') {
    problem('receivedTo', 'Received to must be a real date, like 27 3 2026', '#receivedTo-day');
    receivedTo = null;
  }
  if (receivedFrom && receivedTo && compareIsoDates(receivedFrom, receivedTo) > 0) {
    problem('receivedTo', 'Received to must be the same as or after received from', '#receivedTo-day');
    receivedTo = null;
  }

  let q = raw.q.replace(/\s+/g, ' ');
  let search: CaseSearch | null = null;
  if (q.length > maxSearchLength) {
    problem('q', `Search must be ${maxSearchLength} characters or fewer`);
    q = '';
  } else if (q) {
    search = classifySearch(q);
    if (search === null) {
      problem('q', `Enter at least ${minNameLength} characters of a name, or a full reference, postcode or email address`);
      q = '';
    }
  }

  let cursor: CaseListCursor | null = null;
  const token = raw.after || raw.before;
  if (token) {
    cursor = decodeCursor(token, raw.after ? 'after' : 'before', sort);
    if (cursor === null) problem('results', 'The page link was not recognised, so this is the first page of results');
  }

  return {
    query: { statuses, deadline, receivedFrom, receivedTo, channel, q, search, sort, cursor },
    dates: { receivedFrom: fromParts, receivedTo: toParts },
    problems,
  };
}

function optionalChoice<T extends string>(schema: z.ZodType<T>, value: string, onInvalid: () => void): T | null {
  if (value === '') return null;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  onInvalid();
  return null;
}

/** The three boxes of a GOV.UK date input as a date: null when all are empty. */
export function dateFromParts(parts: DateParts): IsoDate | null | 'invalid' {
  const { day, month, year } = parts;
  if (!day && !month && !year) return null;
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) return 'invalid';
  const iso = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  return isIsoDate(iso) ? iso : 'invalid';
}

/** A date as the three boxes of a GOV.UK date input. */
export function partsFromDate(value: IsoDate | null): DateParts {
  if (value === null) return { day: '', month: '', year: '' };
  const [year = '', month = '', day = ''] = value.split('-');
  return { day: String(Number(day)), month: String(Number(month)), year };
}

/**
 * What the one search box means: a case reference (any case or spacing), a postcode (any case or
 * spacing), an email address, or else part of a name. Null when too short to search by name.
 */
export function classifySearch(text: string): CaseSearch | null {
  const q = text.trim().replace(/\s+/g, ' ');
  if (isReference(q)) return { kind: 'reference', value: normaliseReference(q) };
  const compact = q.replace(/\s+/g, '').toUpperCase();
  if (compactPostcodePattern.test(compact)) return { kind: 'postcode', value: `${compact.slice(0, -3)} ${compact.slice(-3)}` };
  if (q.includes('@')) return { kind: 'email', value: q.toLowerCase() };
  if (q.length < minNameLength) return null;
  return { kind: 'name', value: q.toLowerCase() };
}

/** An ILIKE pattern matching the text anywhere, with LIKE's own wildcards taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

export function encodeCursor(key: string | null, id: string): string {
  return Buffer.from(JSON.stringify([key, id]), 'utf8').toString('base64url');
}

const cursorSchema = z.tuple([z.string().nullable(), z.string().regex(uuidPattern)]);

/** The cursor in a page link, or null when it is not one this list made for this sort. */
export function decodeCursor(token: string, direction: CaseListCursor['direction'], sort: CaseListSort): CaseListCursor | null {
  if (token.length > 200 || !/^[A-Za-z0-9_-]+$/.test(token)) return null;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  const parsed = cursorSchema.safeParse(decoded);
  if (!parsed.success) return null;
  const [key, id] = parsed.data;
  const keyFits =
    sort === 'received' ? key !== null && instantPattern.test(key) && !Number.isNaN(Date.parse(key)) : key === null || isIsoDate(key);
  return keyFits ? { direction, key, id } : null;
}

/**
 * The list's URL for a query (its filters, search and sort) and, optionally, a page cursor. Used
 * for the Next and Previous links and by the dashboard's headings.
 */
export function caseListHref(query: Partial<CaseListQuery>, cursor?: CaseListCursor | null): string {
  const params = new URLSearchParams();
  if (query.q) params.set('q', query.q);
  for (const status of query.statuses ?? []) params.append('status', status);
  if (query.deadline) params.set('deadline', query.deadline);
  if (query.channel) params.set('channel', query.channel);
  const dates: Array<['receivedFrom' | 'receivedTo', IsoDate | null | undefined]> = [
    ['receivedFrom', query.receivedFrom],
    ['receivedTo', query.receivedTo],
  ];
  for (const [name, value] of dates) {
    if (!value) continue;
    const parts = partsFromDate(value);
    params.set(`${name}-day`, parts.day);
    params.set(`${name}-month`, parts.month);
    params.set(`${name}-year`, parts.year);
  }
  if (query.sort && query.sort !== 'received') params.set('sort', query.sort);
  if (cursor) params.set(cursor.direction, encodeCursor(cursor.key, cursor.id));
  const text = params.toString();
  return text ? `/admin/cases?${text}` : '/admin/cases';
}
