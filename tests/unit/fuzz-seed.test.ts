import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configureFuzzing, defaultFuzzSeed, fuzzSeed } from '../helpers/fuzz-seed.ts';
import { hostileText } from '../helpers/fuzz-values.ts';

/**
 * The property-based tests run with a fixed seed (tests/helpers/fuzz-setup.ts, before every test
 * file), so a run of `npm test` generates what the last one did, and a failure says how to replay it.
 */

const failure = (run: () => void): string => {
  try {
    run();
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error('The property was expected to fail');
};

/** What one property run generates, in order. */
const generated = (): unknown[] => {
  const values: unknown[] = [];
  fc.assert(
    fc.property(hostileText(), fc.integer(), fc.date({ noInvalidDate: true }), (text, number, date) => {
      values.push([text, number, date.toISOString()]);
    }),
    { numRuns: 30 },
  );
  return values;
};

// Tests that set another seed put back what the setup file configured (and only that).
let configured: ReturnType<typeof fc.readConfigureGlobal>;
beforeEach(() => {
  configured = fc.readConfigureGlobal();
});
afterEach(() => {
  fc.configureGlobal(configured);
});

describe('the seed of the property-based tests', () => {
  it('is fixed under npm test unless FUZZ_SEED says otherwise', () => {
    expect(fuzzSeed({})).toBe(defaultFuzzSeed);
    expect(fuzzSeed({ FUZZ_SEED: '' })).toBe(defaultFuzzSeed);
    expect(fuzzSeed({ FUZZ_SEED: '-1234567' })).toBe(-1234567);
    for (const wrong of ['abc', '1.5', '99999999999', '12 34']) {
      expect(() => fuzzSeed({ FUZZ_SEED: wrong }), wrong).toThrow(`FUZZ_SEED must be a whole number from -2147483648 to 2147483647, not "${wrong}"`);
    }
  });

  it('generates the same values on two runs, and other values from another seed', () => {
    const first = generated();
    expect(first).toHaveLength(30);
    expect(generated()).toEqual(first);
    configureFuzzing({ FUZZ_SEED: String(fuzzSeed() + 1) });
    expect(generated()).not.toEqual(first);
  });

  it('puts the seed, the path and the command that replays it in a failing property’s message', () => {
    const seed = fuzzSeed();
    const message = failure(() => fc.assert(fc.property(fc.integer(), (number) => number < 1000)));
    // fast-check's own report: the shrunk counterexample, the seed and the path to it.
    expect(message).toContain('Counterexample: [1000]');
    expect(message).toMatch(new RegExp(`\\{ seed: ${seed}, path: "[\\d:]+"`));
    const command = /Replay this failure \(the same seed generates the same values\):\n {2}(.+)/.exec(message)?.[1] ?? '';
    expect(command).toMatch(new RegExp(`^FUZZ_SEED=${seed} (FUZZ_RUNS_SCALE=\\S+ )?npx vitest run tests/unit/fuzz-seed\\.test\\.ts -t '`));
    // The -t pattern picks out this very test (vitest matches it against "<describe> <test>").
    const pattern = /-t '(.+)'$/.exec(command)?.[1] ?? '';
    const fullName = `the seed of the property-based tests ${expect.getState().currentTestName?.split(' > ').at(-1) ?? ''}`;
    expect(new RegExp(pattern).test(fullName)).toBe(true);
    expect(new RegExp(pattern).test('the seed of the property-based tests generates the same values on two runs')).toBe(false);
  });

  it('uses FUZZ_SEED in both the run and the replay command', () => {
    configureFuzzing({ FUZZ_SEED: '424242' });
    const message = failure(() => fc.assert(fc.property(fc.integer(), (number) => number < 1000)));
    expect(message).toMatch(/\{ seed: 424242, path: "[\d:]+"/);
    expect(message).toContain('FUZZ_SEED=424242 npx vitest run tests/unit/fuzz-seed.test.ts');
  });
});
