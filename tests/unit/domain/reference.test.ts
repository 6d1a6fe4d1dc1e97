import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  generateReference,
  isReference,
  normaliseReference,
  referenceAlphabet,
} from '../../../src/domain/reference.ts';

/** A byte source that hands out the given bytes in order, then repeats the last list forever. */
function fixedBytes(...bytes: number[]): (n: number) => Uint8Array {
  let position = 0;
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 1) {
      out[i] = bytes[position % bytes.length] ?? 0;
      position += 1;
    }
    return out;
  };
}

describe('generateReference', () => {
  it('uses the alphabet without 0, O, 1, I, L or U', () => {
    expect(referenceAlphabet).toBe('23456789ABCDEFGHJKMNPQRSTVWXYZ');
    expect(referenceAlphabet).toHaveLength(30);
    expect(referenceAlphabet).not.toMatch(/[01OILU]/);
  });

  it.each([
    [[0, 1, 2, 3, 4, 5], 'ASB-2026-234567'],
    [[8, 9, 10, 11, 12, 13], 'ASB-2026-ABCDEF'],
    [[24, 25, 26, 27, 28, 29], 'ASB-2026-TVWXYZ'],
    // 30 and above wrap round: 30 -> '2', 59 -> 'Z', 239 (the largest byte kept) -> 'Z', 100 -> 'C'.
    [[30, 59, 60, 239, 238, 100], 'ASB-2026-2Z2ZYC'],
    // 240 to 255 are thrown away rather than taken modulo 30 (which would favour '2' to 'H').
    [[240, 255, 0, 250, 29, 1, 2, 3, 4], 'ASB-2026-2Z3456'],
  ])('bytes %j -> %s', (bytes, expected) => {
    expect(generateReference(2026, fixedBytes(...bytes))).toBe(expected);
  });

  it('asks for more bytes when a batch is mostly thrown away', () => {
    // Eleven rejected bytes then one usable byte per batch of twelve.
    const bytes = [...Array<number>(11).fill(245), 7];
    expect(generateReference(2027, fixedBytes(...bytes))).toBe('ASB-2027-999999');
  });

  it('gives up on a byte source that never gives a usable byte', () => {
    expect(() => generateReference(2026, fixedBytes(255))).toThrow(/random byte source/);
  });

  it.each([[99], [20260], [2026.5], [Number.NaN]])('refuses the year %s', (year) => {
    expect(() => generateReference(year, fixedBytes(1))).toThrow(RangeError);
  });

  it('property: always the right format, every random character from the alphabet', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2000, max: 2099 }),
        fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 40 }),
        (year, bytes) => {
          // Make sure the source eventually gives usable bytes.
          const reference = generateReference(year, fixedBytes(...bytes, 17));
          expect(reference).toMatch(/^ASB-\d{4}-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{6}$/);
          expect(reference.startsWith(`ASB-${year}-`)).toBe(true);
          expect(isReference(reference)).toBe(true);
        },
      ),
    );
  });

  it('works with a real random source', async () => {
    const { randomBytes } = await import('node:crypto');
    const references = new Set(
      Array.from({ length: 200 }, () => generateReference(2026, (n) => new Uint8Array(randomBytes(n)))),
    );
    // 30^6 is about 729 million: 200 draws all differing is near certain.
    expect(references.size).toBe(200);
  });
});

describe('normaliseReference and isReference', () => {
  it.each([
    ['ASB-2026-7KQ3XM', 'ASB-2026-7KQ3XM', true],
    ['asb-2026-7kq3xm', 'ASB-2026-7KQ3XM', true],
    ['  ASB-2026-7KQ3XM  ', 'ASB-2026-7KQ3XM', true],
    ['asb 2026 7kq3xm', 'ASB-2026-7KQ3XM', true],
    ['ASB20267KQ3XM', 'ASB-2026-7KQ3XM', true],
    ['ASB-2026-7KQ3X', 'ASB-2026-7KQ3X', false],
    ['ASB-2026-7KQ3XMM', 'ASB-2026-7KQ3XMM', false],
    ['ASB-2026-7KQ0XM', 'ASB-2026-7KQ0XM', false],
    ['ASB-2026-7KQOXM', 'ASB-2026-7KQOXM', false],
    ['ASB-2026-7KQ1XM', 'ASB-2026-7KQ1XM', false],
    ['ASB-2026-7KQIXM', 'ASB-2026-7KQIXM', false],
    ['ASB-2026-7KQLXM', 'ASB-2026-7KQLXM', false],
    ['ASB-2026-7KQUXM', 'ASB-2026-7KQUXM', false],
    ['ASB-26-7KQ3XM', 'ASB-26-7KQ3XM', false],
    ['CT-2026-7KQ3XM', 'CT-2026-7KQ3XM', false],
    ['', '', false],
  ])('%j -> %j (valid: %s)', (input, normalised, valid) => {
    expect(normaliseReference(input)).toBe(normalised);
    expect(isReference(input)).toBe(valid);
  });
});
