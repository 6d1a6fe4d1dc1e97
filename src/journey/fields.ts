import { z } from 'zod';
import { oneLine, withoutControls } from '../domain/control-characters.ts';

/**
 * Field rules shared by the journey's steps, with GOV.UK-style messages. Every value arrives as a
 * trimmed string (see normaliseForm), so "missing" and "empty" are the same thing.
 */
export type FormValues = Record<string, string | string[]>;

export const limits = { short: 200, medium: 500, long: 5000 } as const;

export function requiredText(message: string, max: number, tooLong: string) {
  return z.string().min(1, message).max(max, tooLong);
}

export function optionalText(max: number, tooLong: string) {
  return z
    .string()
    .max(max, tooLong)
    .transform((value) => (value === '' ? null : value));
}

export function choice<const T extends readonly [string, ...string[]]>(values: T, message: string) {
  return z.enum(values, { error: () => message });
}

/**
 * Ticked checkboxes: only the values the page offers. Anything else can only come from a tampered
 * form, and would otherwise be stored in the draft and shown on check your answers.
 */
export function choices<const T extends readonly [string, ...string[]]>(values: T, message: string) {
  return z.array(z.enum(values, { error: () => message }));
}

// One @, a dot in the domain, and none of the characters that mean something else in an email
// header: the address goes to nodemailer's address parser, which reads <...> as the real address,
// commas and semicolons as a list of recipients and quotes and brackets as a display name.
const emailPattern = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;
export function emailField(options: { required: string | null; invalid: string }) {
  return z
    .string()
    .max(254, options.invalid)
    .refine((value) => (value === '' ? options.required === null : emailPattern.test(value)), {
      error: (issue) => (issue.input === '' && options.required ? options.required : options.invalid),
    })
    .transform((value) => (value === '' ? null : value.toLowerCase()));
}

const phonePattern = /^\+?[0-9 ()-]{10,20}$/;
export function phoneField(options: { required: string | null; invalid: string }) {
  return z
    .string()
    .refine((value) => (value === '' ? options.required === null : phonePattern.test(value)), {
      error: (issue) => (issue.input === '' && options.required ? options.required : options.invalid),
    })
    .transform((value) => (value === '' ? null : value));
}

// The UK postcode shape (not a look-up): outward code, optional space, inward code.
const postcodePattern = /^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$/i;
export function postcodeField(required: string, invalid: string) {
  return z
    .string()
    .min(1, required)
    .refine((value) => postcodePattern.test(value), invalid)
    .transform((value) => {
      const compact = value.replace(/\s+/g, '').toUpperCase();
      return `${compact.slice(0, -3)} ${compact.slice(-3)}`;
    });
}

export interface DateParts {
  day: string;
  month: string;
  year: string;
}

export type DateCheck = { ok: true; iso: string | null } | { ok: false; message: string; parts: Array<'day' | 'month' | 'year'> };

/**
 * The GOV.UK date input rules: say which part is missing, reject dates that do not exist, and
 * (optionally) dates in the future. `label` starts a sentence ("Date of birth").
 */
export function checkDate(
  parts: DateParts,
  options: { label: string; required: boolean; notAfter?: string; notAfterMessage?: string },
): DateCheck {
  const { label } = options;
  const filled = (['day', 'month', 'year'] as const).filter((key) => parts[key] !== '');
  if (filled.length === 0) {
    return options.required
      ? { ok: false, message: `Enter ${lowerFirst(label)}`, parts: ['day', 'month', 'year'] }
      : { ok: true, iso: null };
  }
  const missing = (['day', 'month', 'year'] as const).filter((key) => parts[key] === '');
  if (missing.length > 0) {
    return { ok: false, message: `${label} must include a ${missing.join(' and ')}`, parts: missing };
  }
  const day = Number(parts.day);
  const month = Number(parts.month);
  const year = Number(parts.year);
  if (![day, month, year].every(Number.isInteger) || !/^\d{4}$/.test(parts.year)) {
    const bad = (['day', 'month', 'year'] as const).filter(
      (key) => !/^\d+$/.test(parts[key]) || (key === 'year' && !/^\d{4}$/.test(parts[key])),
    );
    return { ok: false, message: `${label} must be a real date`, parts: bad.length ? bad : ['day', 'month', 'year'] };
  }
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || year < 1900) {
    return { ok: false, message: `${label} must be a real date`, parts: ['day', 'month', 'year'] };
  }
  const iso = date.toISOString().slice(0, 10);
  if (options.notAfter && iso > options.notAfter) {
    return { ok: false, message: options.notAfterMessage ?? `${label} must be today or in the past`, parts: ['day', 'month', 'year'] };
  }
  return { ok: true, iso };
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/**
 * One box of a date input, as typed. Four characters hold any real day, month or year (checkDate
 * says which are real); anything longer is not a date, and must not be kept in a draft, where the
 * raw answers are stored, even when the date is not needed (an unreported incident's report date).
 */
export function datePartField(label: string) {
  return z.string().max(4, `${label} must be a real date`);
}

export function dateParts(values: Record<string, unknown>, prefix: string): DateParts {
  const read = (key: string): string => {
    const value = values[`${prefix}-${key}`];
    return typeof value === 'string' ? value : '';
  };
  return { day: read('day'), month: read('month'), year: read('year') };
}

/**
 * Which fields a form reads: `single` holds one value each, `multiple` a list (checkboxes).
 * `multiline` names the single-value fields that are multi-line text (textareas: descriptions,
 * notes, comments); they keep line breaks and tabs. Every other field is single-line.
 */
export interface FormFields {
  single: readonly string[];
  multiple?: readonly string[];
  multiline?: readonly string[];
}

/**
 * Keeps only the fields a step declares, each as a trimmed string (or a list of them for
 * checkboxes), so nothing unexpected from the request reaches the draft. No control characters
 * (src/domain/control-characters.ts); single-line fields have their line breaks folded to a space
 * here, before anything is checked, saved, shown back or sent.
 */
export function normaliseForm(body: unknown, fields: FormFields): FormValues {
  const source = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const multiline = new Set(fields.multiline ?? []);
  const values: FormValues = {};
  for (const field of fields.single) {
    const raw = source[field];
    const first = Array.isArray(raw) ? raw[0] : raw;
    const clean = multiline.has(field) ? withoutControls : oneLine;
    values[field] = typeof first === 'string' ? clean(first).trim() : '';
  }
  for (const field of fields.multiple ?? []) {
    const raw = source[field];
    const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
    values[field] = list
      .filter((item): item is string => typeof item === 'string')
      .map((item) => oneLine(item).trim())
      .filter(Boolean);
  }
  return values;
}
