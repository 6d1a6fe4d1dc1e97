import type { z } from 'zod';

export interface PageErrors {
  /** For the error summary, in the order the fields appear on the page. */
  summary: Array<{ text: string; href: string }>;
  /** The inline message for each field (date inputs are keyed by their prefix, e.g. occurredOn). */
  fields: Record<string, string>;
  /** Which boxes of a date input to mark, by prefix. */
  dateParts: Record<string, string[]>;
}

export const noErrors: PageErrors = { summary: [], fields: {}, dateParts: {} };

const datePart = /^(.*)-(day|month|year)$/;

/** Turns zod issues into the GOV.UK error summary and inline messages (first message per field). */
export function pageErrors(error: z.ZodError, fieldOrder: readonly string[]): PageErrors {
  const fields: Record<string, string> = {};
  const dateParts: Record<string, string[]> = {};
  const hrefs: Record<string, string> = {};
  for (const issue of error.issues) {
    const path = String(issue.path[0] ?? '');
    const match = datePart.exec(path);
    const key = match?.[1] ?? path;
    if (match?.[2]) (dateParts[key] ??= []).push(match[2]);
    if (fields[key] !== undefined) continue;
    fields[key] = issue.message;
    hrefs[key] = `#${path}`;
  }
  const position = (key: string) => {
    const index = fieldOrder.findIndex((field) => field === key || field.startsWith(`${key}-`));
    return index === -1 ? fieldOrder.length : index;
  };
  const summary = Object.keys(fields)
    .sort((a, b) => position(a) - position(b))
    .map((key) => ({ text: fields[key] ?? '', href: hrefs[key] ?? `#${key}` }));
  return { summary, fields, dateParts };
}

export function singleError(field: string, text: string): PageErrors {
  return { summary: [{ text, href: `#${field}` }], fields: { [field]: text }, dateParts: {} };
}
