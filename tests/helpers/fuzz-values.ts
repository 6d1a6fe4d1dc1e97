import fc from 'fast-check';
import { fuzzRunsScale } from './fuzz-seed.ts';

/**
 * Hostile values for the property-based tests: script and template injection, unicode that
 * breaks naive code (emoji, right-to-left text and overrides, combining marks, lone surrogates),
 * control characters, and values far longer than any limit.
 */

/** Each would run script, break out of an attribute or evaluate a template if shown unescaped. */
export const scriptPayloads = [
  '<script>alert("fuzz")</script>',
  '"><img src=x onerror=alert("fuzz")>',
  "'><svg onload=alert('fuzz')>",
  '" autofocus onfocus="alert(\'fuzz\')',
  '</textarea><script>alert("fuzz")</script>',
  '</title><script>alert("fuzz")</script>',
  '<a href="javascript:alert(\'fuzz\')">link</a>',
  'javascript:alert("fuzz")',
  '{{1337*1001}}',
  '<%= 1337*1001 %>',
  '<%- 1337*1001 %>',
  '${1337*1001}',
  '#{1337*1001}',
] as const;

/**
 * What must never be in a page the app renders: the payloads' tags and attributes as markup
 * (escaped, `<` is `&lt;` and `"` is `&#34;`, so none of these can appear), and the product
 * 1337*1001 that a template engine would print if it evaluated one.
 */
const unescapedMarkers = [
  '<script>alert(',
  '<img src=x onerror=',
  '<svg onload=',
  'autofocus onfocus="alert(',
  '<a href="javascript:',
  '1338337',
];

export function unescapedPayloads(html: string): string[] {
  return unescapedMarkers.filter((marker) => html.includes(marker));
}

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));
const controlCharacter = fc.oneof(
  fc.integer({ min: 0, max: 31 }).map((code) => String.fromCharCode(code)),
  fc.integer({ min: 0x7f, max: 0x9f }).map((code) => String.fromCharCode(code)),
);
const awkwardUnicode = fc.constantFrom(
  '😀',
  '👩🏽‍🔧',
  '🏴󠁧󠁢󠁥󠁮󠁧󠁿',
  '🇬🇧',
  'مرحبا بالعالم',
  'שלום',
  '\u202e',
  '\u202d',
  '\u200f',
  '\u2066',
  'e\u0301',
  'Z\u0335\u0321\u0322\u0327\u0308\u0303',
  '\u0489\u0489\u0489',
  '\u200b',
  '\ufeff',
  '\u2028',
  '\u2029',
  '\ufffd',
  '\uffff',
  'İı',
  'ß',
  '\r\n',
  '\t',
);
const piece = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...scriptPayloads) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
  { weight: 2, arbitrary: awkwardUnicode },
  { weight: 1, arbitrary: controlCharacter },
  { weight: 1, arbitrary: loneSurrogate },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 12 }) },
);

/** Short to medium hostile text, up to roughly maxPieces * 40 characters. */
export const hostileText = (maxPieces = 8): fc.Arbitrary<string> =>
  fc.array(piece, { minLength: 1, maxLength: maxPieces }).map((parts) => parts.join(''));

/** About 100,000 characters of one hostile piece repeated (cut mid-character at the end, on purpose). */
export const hugeText: fc.Arbitrary<string> = fc
  .tuple(
    piece.filter((text) => text.length > 0),
    fc.integer({ min: 90_000, max: 110_000 }),
  )
  .map(([text, length]) => text.repeat(Math.ceil(length / text.length)).slice(0, length));

/** Any value a field could be sent: hostile text, huge text, empty, or several values at once. */
export const anyFieldValue: fc.Arbitrary<string | string[]> = fc.oneof(
  { weight: 6, arbitrary: hostileText() },
  { weight: 1, arbitrary: hugeText },
  { weight: 1, arbitrary: fc.constant('') },
  { weight: 1, arbitrary: fc.array(hostileText(3), { minLength: 2, maxLength: 4 }) },
);

/**
 * A urlencoded body as a careless or hostile client sends it: lone surrogates go out as their
 * three bytes (not valid UTF-8), which encodeURIComponent (and so supertest's .send) refuses to
 * produce.
 */
export function encodeForm(fields: Record<string, string | readonly string[]>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(fields)) {
    for (const item of typeof value === 'string' ? [value] : value) parts.push(`${encodeLoosely(key)}=${encodeLoosely(item)}`);
  }
  return parts.join('&');
}

function encodeLoosely(text: string): string {
  let out = '';
  for (const character of text) {
    const code = character.codePointAt(0) ?? 0;
    if (code >= 0xd800 && code <= 0xdfff) {
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
        .map((byte) => `%${byte.toString(16).toUpperCase()}`)
        .join('');
    } else {
      out += encodeURIComponent(character);
    }
  }
  return out;
}

/**
 * Whether a stored answer holds a control character it must not: C0 (but tab and newline), DEL
 * or C1. They are invisible, break CSV exports and letters, and some are not allowed in HTML.
 */
export function hasUnwantedControl(text: string): boolean {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if ((code < 32 && code !== 9 && code !== 10) || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}

/** Every string anywhere inside a stored JSON value, with where it is. */
export function stringsIn(value: unknown, path = ''): Array<{ path: string; text: string }> {
  if (typeof value === 'string') return [{ path, text: value }];
  if (Array.isArray(value)) return value.flatMap((item, index) => stringsIn(item, `${path}[${index}]`));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([key, item]) => stringsIn(item, path ? `${path}.${key}` : key));
  return [];
}

/**
 * The numRuns of every property in the fuzz files, so they can be scaled together. The defaults
 * keep all fuzz files under a minute on a 2-core machine; FUZZ_RUNS_SCALE=10 digs deeper (as
 * `npm run fuzz` does, with a random seed: see tests/helpers/fuzz-seed.ts).
 */
export function runs(count: number): number {
  return Math.max(1, Math.round(count * fuzzRunsScale()));
}

/** A fuzz test's time limit, grown with FUZZ_RUNS_SCALE as its runs are. */
export function fuzzTimeout(milliseconds: number): number {
  return Math.round(milliseconds * Math.max(1, fuzzRunsScale()));
}

/** Counts the cases each property ran, for the report at the end of a file. */
export class RunCounter {
  private readonly counts = new Map<string, number>();
  add(name: string, count = 1): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + count);
  }
  get(name: string): number {
    return this.counts.get(name) ?? 0;
  }
  summary(): string {
    return [...this.counts].map(([name, count]) => `${name}: ${count}`).join('\n');
  }
}
