/**
 * `npm run fuzz -- [--runs-scale N] [--seed S] [test files...]`: a long random run of the fuzz
 * files, not part of `npm test`. A new random seed each time (printed first, so the run can be
 * repeated), and FUZZ_RUNS_SCALE times the runs of `npm test` (10 unless told). Each failure
 * prints its own replay command as well.
 */
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  options: { 'runs-scale': { type: 'string', default: '10' }, seed: { type: 'string' } },
  allowPositionals: true,
});

const scale = Number(values['runs-scale']);
if (!Number.isFinite(scale) || scale <= 0) {
  console.error(`--runs-scale must be a number above 0, not "${values['runs-scale']}"`);
  process.exit(2);
}
const seed = values.seed ?? String(randomInt(-(2 ** 31), 2 ** 31));
if (!/^-?\d+$/.test(seed) || Number(seed) < -(2 ** 31) || Number(seed) >= 2 ** 31) {
  console.error(`--seed must be a whole number from -2147483648 to 2147483647, not "${seed}"`);
  process.exit(2);
}
const files = positionals.length ? positionals : ['tests/integration/fuzz-'];

console.log(`Fuzzing with FUZZ_SEED=${seed} FUZZ_RUNS_SCALE=${scale}`);
console.log(`Run it again: FUZZ_SEED=${seed} FUZZ_RUNS_SCALE=${scale} npx vitest run ${files.join(' ')}\n`);

const run = spawnSync('npx', ['vitest', 'run', ...files], {
  stdio: 'inherit',
  env: { ...process.env, FUZZ_SEED: seed, FUZZ_RUNS_SCALE: String(scale) },
});
console.log(`\nFuzzed with FUZZ_SEED=${seed} FUZZ_RUNS_SCALE=${scale}: ${run.status === 0 ? 'no failures' : 'failures above'}`);
process.exit(run.status ?? 1);
