/**
 * Case reference numbers: 'ASB-2026-7KQ3XM'.
 *
 * The random part is what makes a reference unguessable (knowing one case's reference must not
 * reveal another's), so it comes from a caller-supplied source of random bytes (crypto in
 * production, fixed bytes in tests). Uniqueness is the store's job: it retries on a clash.
 */

/** No 0/O, 1/I/L or U: characters that are easy to misread or mistype (U avoids rude words). */
export const referenceAlphabet = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
export const referenceRandomLength = 6;
export const referencePrefix = 'ASB';

const alphabetSize = referenceAlphabet.length;
/**
 * The largest multiple of the alphabet size that fits in a byte (240 for 30 characters). Bytes
 * at or above it are thrown away: taking them modulo 30 would make the first 16 characters
 * slightly more likely than the rest.
 */
const acceptBelow = Math.floor(256 / alphabetSize) * alphabetSize;
/** Enough bytes that one batch almost always suffices (each byte is kept with chance 240/256). */
const batchSize = 12;
/** A working source of random bytes never gets near this; a broken one must not loop forever. */
const maximumBatches = 100;

const referencePattern = new RegExp(
  `^${referencePrefix}-\\d{4}-[${referenceAlphabet}]{${referenceRandomLength}}$`,
);

function randomCharacters(randomBytes: (n: number) => Uint8Array): string {
  let result = '';
  for (let batch = 0; batch < maximumBatches; batch += 1) {
    for (const byte of randomBytes(batchSize)) {
      if (byte >= acceptBelow) continue;
      result += referenceAlphabet.charAt(byte % alphabetSize);
      if (result.length === referenceRandomLength) return result;
    }
  }
  throw new Error('The random byte source did not give enough usable bytes for a reference');
}

export function generateReference(year: number, randomBytes: (n: number) => Uint8Array): string {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) {
    throw new RangeError(`A reference year must have four digits: ${year}`);
  }
  return `${referencePrefix}-${year}-${randomCharacters(randomBytes)}`;
}

/**
 * The canonical form of what someone typed: upper case, no spaces, with the hyphens put back if
 * they were left out or typed as spaces ('asb 2026 7kq3xm' -> 'ASB-2026-7KQ3XM'). Anything that
 * does not look like a reference is returned upper-cased and trimmed, and fails isReference.
 */
export function normaliseReference(value: string): string {
  const compact = value.toUpperCase().replace(/\s+/g, '');
  const parts = /^ASB-?(\d{4})-?([0-9A-Z]{6})$/.exec(compact);
  if (parts === null) return value.trim().toUpperCase();
  return `${referencePrefix}-${parts[1] ?? ''}-${parts[2] ?? ''}`;
}

/** True when the value, once normalised, is a well-formed reference. */
export function isReference(value: string): boolean {
  return referencePattern.test(normaliseReference(value));
}
