import path from 'node:path';
import fc from 'fast-check';
import { expect } from 'vitest';

/**
 * The seed of every property-based test (fast-check) under `npm test`: the same values on every
 * run, so CI passes or fails on the code, never on luck. `FUZZ_SEED` sets another (the long
 * random run, `npm run fuzz`, picks one and prints it). Every failure says how to run it again.
 */
export const defaultFuzzSeed = 20_261_204;

type Env = Record<string, string | undefined>;

/** FUZZ_SEED, or the default: a whole number that fits fast-check's 32-bit seed. */
export function fuzzSeed(env: Env = process.env): number {
  const raw = env.FUZZ_SEED?.trim();
  if (!raw) return defaultFuzzSeed;
  const seed = Number(raw);
  if (!/^-?\d+$/.test(raw) || seed < -(2 ** 31) || seed >= 2 ** 31) {
    throw new Error(`FUZZ_SEED must be a whole number from -2147483648 to 2147483647, not "${raw}"`);
  }
  return seed;
}

/** FUZZ_RUNS_SCALE: how many times the default number of runs every property makes (1 under `npm test`). */
export function fuzzRunsScale(env: Env = process.env): number {
  const scale = Number(env.FUZZ_RUNS_SCALE ?? '1');
  return Number.isFinite(scale) && scale > 0 ? scale : 1;
}

const shellQuote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;
const regexEscape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The command that runs one test again with the same seed (and scale), so it generates the same values. */
export function replayCommand({ seed, scale, file, testName }: { seed: number; scale: number; file: string; testName?: string }): string {
  const env = [`FUZZ_SEED=${seed}`, ...(scale === 1 ? [] : [`FUZZ_RUNS_SCALE=${scale}`])].join(' ');
  // vitest's -t is a pattern over the test's full name, its describe blocks' names and its own joined by spaces.
  const only = testName ? ` -t ${shellQuote(regexEscape(testName.split(' > ').join(' ')))}` : '';
  return `${env} npx vitest run ${file}${only}`;
}

/** fast-check's own report (the counterexample, its seed and path) and the command that replays it. */
export function fuzzFailureMessage(report: string, replay: string): string {
  return `${report}\n\nReplay this failure (the same seed generates the same values):\n  ${replay}`;
}

/**
 * Sets the seed for every fc.assert in this test file, and a reporter that adds the replay
 * command to fast-check's failure report. Called by tests/helpers/fuzz-setup.ts before each file.
 */
export function configureFuzzing(env: Env = process.env): number {
  const seed = fuzzSeed(env);
  const scale = fuzzRunsScale(env);
  fc.configureGlobal({
    seed,
    reporter(details) {
      if (!details.failed) return;
      const state = expect.getState();
      const file = state.testPath ? path.relative(process.cwd(), state.testPath) : '<test file>';
      const replay = replayCommand({ seed: details.seed, scale, file, testName: state.currentTestName });
      const report = fc.defaultReportMessage(details) ?? `Property failed (seed ${details.seed}, path "${details.counterexamplePath ?? ''}")`;
      throw new Error(fuzzFailureMessage(report, replay), { cause: details.errorInstance });
    },
  });
  return seed;
}
