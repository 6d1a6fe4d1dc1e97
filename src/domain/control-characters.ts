/**
 * What the portal accepts of the characters a person cannot see. One rule for every query string,
 * form body and field (the edge, src/middleware/control-characters.ts, and normaliseForm apply it):
 *
 * - Line breaks are LF: CRLF and a lone CR (what browsers and old Macs send) become LF.
 * - Tab and LF are kept at the edge, for multi-line answers (textareas).
 * - Every other C0 control (NUL first: Postgres refuses it in text), DEL and the C1 range
 *   (U+0080 to U+009F, which HTML forbids and pasted Windows-1252 text can carry) is removed.
 *   Nobody can type them into a form, they show as nothing, and a message about a character the
 *   person cannot see or find would not help them: taking it out keeps what they meant.
 * - A single-line answer (a name, email, phone, reference, postcode, address line, search box)
 *   has no line breaks or tabs: they are folded to one space. A browser already strips line
 *   breaks from a one-line box; only a pasted or tampered value has them, and folding keeps the
 *   words on one line where an email or letter puts the value (a "\nBcc:" stays on the line).
 */

// \p{Cc} is exactly C0, DEL and C1; tab (U+0009) and LF (U+000A) stay. CR is LF by then.
const removedControls = /(?![\t\n])\p{Cc}/gu;
// Anything that would start a new line or column, with the spaces around it.
const lineBreaks = /\s*[\t\n\v\f\r\u2028\u2029]\s*/g;
const anyControl = /\p{Cc}/u;

/** A multi-line answer as the portal keeps it: LF line breaks and tabs, no other control characters. */
export function withoutControls(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(removedControls, '');
}

/** A single-line answer: no control characters, every line break or tab folded to one space. */
export function oneLine(text: string): string {
  return withoutControls(text).replace(lineBreaks, ' ');
}

/** True when the text holds any control character at all (tab and LF included). */
export function hasControls(text: string): boolean {
  return anyControl.test(text);
}
