import { configureFuzzing } from './fuzz-seed.ts';

// Before each test file (vitest setupFiles): every property-based test runs with the fixed seed
// (or FUZZ_SEED), and a failure prints the command that replays it.
configureFuzzing();
