import { londonDate } from '../../src/domain/calendar-date.ts';

/**
 * Reads a form off a rendered page (the fields a browser would send), so the fuzz tests post to
 * exactly the fields each page has, found from the page and not listed by hand.
 */
export type FieldKind = 'text' | 'textarea' | 'radio' | 'checkbox' | 'select' | 'hidden' | 'password' | 'file';

export interface FormField {
  name: string;
  kind: FieldKind;
  /** Radios, checkboxes and selects: the values offered. */
  options: string[];
  /** What the page has filled in, checked or selected. */
  value: string | string[];
}

const decode = (text: string) =>
  text
    .replace(/&#34;|&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

const attribute = (tag: string, name: string): string | undefined => {
  const match = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return match?.[1] === undefined ? undefined : decode(match[1]);
};

/** The fields of the page's form that posts to `action` (the officer bar's sign-out form is another form). */
export function readForm(html: string, action: string): FormField[] {
  const forms = [...html.matchAll(/<form\b[^>]*>[\s\S]*?<\/form>/g)].map((match) => match[0]);
  const form = forms.find((candidate) => attribute(/<form\b[^>]*>/.exec(candidate)?.[0] ?? '', 'action') === action);
  if (!form) throw new Error(`No form posting to ${action} on the page`);
  const fields = new Map<string, FormField>();
  const field = (name: string, kind: FieldKind) => {
    const existing = fields.get(name);
    if (existing) return existing;
    const created: FormField = { name, kind, options: [], value: kind === 'checkbox' ? [] : '' };
    fields.set(name, created);
    return created;
  };
  for (const [tag] of form.matchAll(/<input\b[^>]*>/g)) {
    const name = attribute(tag, 'name');
    if (!name) continue;
    const type = (attribute(tag, 'type') ?? 'text') as string;
    const kind: FieldKind = ['radio', 'checkbox', 'hidden', 'password', 'file'].includes(type) ? (type as FieldKind) : 'text';
    const entry = field(name, kind);
    const value = attribute(tag, 'value') ?? '';
    const checked = /\schecked\b/.test(tag);
    if (kind === 'radio' || kind === 'checkbox') {
      entry.options.push(value);
      if (checked) entry.value = kind === 'checkbox' ? [...(entry.value as string[]), value] : value;
    } else {
      entry.value = value;
    }
  }
  for (const match of form.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
    const name = attribute(match[1] ?? '', 'name');
    if (name) field(name, 'textarea').value = decode(match[2] ?? '');
  }
  for (const match of form.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
    const name = attribute(match[1] ?? '', 'name');
    if (!name) continue;
    const entry = field(name, 'select');
    for (const [option] of (match[2] ?? '').matchAll(/<option\b[^>]*>/g)) {
      const value = attribute(option, 'value') ?? '';
      entry.options.push(value);
      if (/\sselected\b/.test(option)) entry.value = value;
    }
  }
  return [...fields.values()].filter((entry) => entry.name !== '_csrf');
}

/** A date input's box ('heldOn-day') filled with today's date. */
function todayPart(name: string): string | null {
  const part = /-(day|month|year)$/.exec(name)?.[1];
  if (!part) return null;
  const [year, month, day] = londonDate(new Date()).split('-');
  return part === 'day' ? String(Number(day)) : part === 'month' ? String(Number(month)) : (year ?? '');
}

/**
 * Answers a form the way an officer in a hurry would: what the page filled in, else the first
 * choice offered, today's date in empty date boxes, a time for a time box and a sentence in an
 * empty text box.
 */
export function plausibleAnswers(fields: readonly FormField[]): Record<string, string | string[]> {
  const answers: Record<string, string | string[]> = {};
  for (const entry of fields) {
    if (entry.kind === 'file') continue;
    const filled = Array.isArray(entry.value) ? entry.value.length > 0 : entry.value !== '';
    if (filled) {
      answers[entry.name] = entry.value;
      continue;
    }
    if (entry.kind === 'radio' || entry.kind === 'select') answers[entry.name] = entry.options.find((option) => option !== '') ?? '';
    else if (entry.kind === 'checkbox') answers[entry.name] = entry.options.slice(0, 1);
    else answers[entry.name] = todayPart(entry.name) ?? (entry.name === 'time' ? '14:30' : 'Recorded by the fuzz test.');
  }
  return answers;
}

/** The fields a person types free text into. */
export const typedFields = (fields: readonly FormField[]) =>
  fields.filter(
    (entry) => (entry.kind === 'text' || entry.kind === 'textarea') && !/-(day|month|year)$/.test(entry.name) && entry.name !== 'time',
  );
