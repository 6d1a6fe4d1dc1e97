import { describe, expect, it } from 'vitest';
import { hasControls, oneLine, withoutControls } from '../../../src/domain/control-characters.ts';
import { normaliseForm } from '../../../src/journey/fields.ts';

describe('what the portal keeps of control characters', () => {
  it.each([
    ['NUL', 'a\u0000b', 'ab', 'ab'],
    [
      'every C0 but tab, LF and CR',
      `a${Array.from({ length: 32 }, (_, code) => String.fromCharCode(code))
        .filter((c) => !'\t\n\r'.includes(c))
        .join('')}b`,
      'ab',
      'ab',
    ],
    ['DEL and the C1 range', `a\u007f${Array.from({ length: 32 }, (_, i) => String.fromCharCode(0x80 + i)).join('')}b`, 'ab', 'ab'],
    ['CRLF and a lone CR', 'one\r\ntwo\rthree', 'one\ntwo\nthree', 'one two three'],
    ['tab', 'one\ttwo', 'one\ttwo', 'one two'],
    ['a header after a line break', 'Alex Example\nBcc: x@y', 'Alex Example\nBcc: x@y', 'Alex Example Bcc: x@y'],
    ['spaces around a line break', 'Alex  \n\n  Example', 'Alex  \n\n  Example', 'Alex Example'],
    ['Unicode line and paragraph separators', 'one\u2028two\u2029three', 'one\u2028two\u2029three', 'one two three'],
    ['ordinary text, accents, quotes and emoji', 'Zoë O’Brien — 👍', 'Zoë O’Brien — 👍', 'Zoë O’Brien — 👍'],
  ])('%s', (_name, input, multiLine, singleLine) => {
    expect(withoutControls(input)).toBe(multiLine);
    expect(oneLine(input)).toBe(singleLine);
    expect(hasControls(oneLine(input))).toBe(false);
  });

  it('a form: single-line fields on one line, multi-line fields keep LF and tab, checkboxes on one line', () => {
    const body = {
      name: ' Alex\r\nBcc: x@y\u0000 ',
      note: 'First\r\nSecond\tthird\u0007',
      ticked: ['yes\n', 'no\u0085'],
      extra: 'dropped',
    };
    expect(normaliseForm(body, { single: ['name', 'note'], multiple: ['ticked'], multiline: ['note'] })).toEqual({
      name: 'Alex Bcc: x@y',
      note: 'First\nSecond\tthird',
      ticked: ['yes', 'no'],
    });
  });
});
