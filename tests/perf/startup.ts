// npm run bench:startup [-- --rounds 5] [--database asb_startup] [--no-build] [--no-write]
//
// How long the compiled portal takes from launch to its first successful /readyz, and how much
// memory it holds then, against the baseline app (Express 5 + helmet) launched the same way in the
// same run:
//   - on Postgres whose database is up to date (a restart, the usual case), and its very first
//     start on an empty database (every migration applied);
//   - on the embedded default, PGlite, with a fresh data directory each round (its files created
//     and every migration applied).
// Each is launched as production runs it: `node <npm start's flags> dist/server.js`, no TypeScript
// loader. The baseline is launched as plain JavaScript too, so neither pays for a loader. Rounds
// alternate between the baseline and the portal so a busy moment on a shared machine falls on both.
// Resident set: read from /proc 1 s after the first /readyz, before any other request.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { databaseUrl, freePort, recreateDatabase, root, run, startFlags } from './lib/processes.ts';
import { machine, ms, table, writeBlock } from './lib/report.ts';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    database: { type: 'string', default: 'asb_startup' },
    build: { type: 'boolean', default: true },
    write: { type: 'boolean', default: true },
    results: { type: 'string', default: path.join(root, 'tests/perf/results/latest.md') },
  },
  allowNegative: true,
});
const rounds = Number(args.rounds);

interface Start {
  ms: number;
  rssMb: number;
}

const rssOf = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Launches `node args`, polls `url` every 10 ms until it answers 200, reads the RSS, stops it. */
async function timeStart(nodeArgs: string[], env: NodeJS.ProcessEnv, url: string): Promise<Start> {
  const output: string[] = [];
  const started = performance.now();
  const child = spawn(process.execPath, nodeArgs, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${url}: exited with ${child.exitCode}\n${output.join('').slice(-3000)}`);
      if (performance.now() - started > 60_000) throw new Error(`${url}: not ready in 60 s\n${output.join('').slice(-3000)}`);
      const ok = await fetch(url).then(
        (response) => response.ok,
        () => false,
      );
      if (ok) break;
      await pause(10);
    }
    const took = performance.now() - started;
    await pause(1000);
    return { ms: took, rssMb: rssOf(child.pid ?? 0) };
  } finally {
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
    });
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? NaN) : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
};

async function main(): Promise<void> {
  const loadBefore = os.loadavg()[0] ?? 0;
  console.log(`Start-up benchmark: ${machine()}\nLoad average before the run: ${loadBefore.toFixed(2)}\n`);
  if (args.build) {
    console.log('== npm run build');
    await run('npm', ['run', 'build', '--silent'], process.env);
  }
  const flags = startFlags();
  const port = await freePort();
  const portal = [...flags, 'dist/server.js'];
  const baselineSource = readFileSync(path.join(root, 'tests/perf/baseline-app.ts'), 'utf8');
  // The baseline's source has no type annotations: it runs as JavaScript, resolved from the project.
  const baseline = ['--input-type=module', '--eval', baselineSource];
  const base = { ...process.env, PORT: String(port), LOG_LEVEL: 'warn' };
  const production = { ...base, NODE_ENV: 'production', SESSION_SECRET: 'startup-benchmark-secret-'.padEnd(48, 'x'), OUTBOX_WORKER: 'on' };
  const work = mkdtempSync(path.join(os.tmpdir(), 'asb-startup-'));

  await recreateDatabase(args.database);
  const postgresEnv = { ...production, DATABASE_URL: databaseUrl(args.database), DATA_DIR: path.join(work, 'pg-data') };
  console.log('== Postgres, empty database (every migration applied)');
  const firstOnPostgres = await timeStart(portal, postgresEnv, `http://127.0.0.1:${port}/readyz`);
  console.log(`  ${ms(firstOnPostgres.ms)} ms, ${firstOnPostgres.rssMb.toFixed(0)} MB`);

  const results = { baseline: [] as Start[], postgres: [] as Start[], pglite: [] as Start[] };
  for (let round = 1; round <= rounds; round++) {
    results.baseline.push(await timeStart(baseline, base, `http://127.0.0.1:${port}/`));
    results.postgres.push(await timeStart(portal, postgresEnv, `http://127.0.0.1:${port}/readyz`));
    // The embedded default as `npm start` gives it on a fresh machine: development, a new data directory.
    const dataDir = path.join(work, `pglite-${round}`);
    results.pglite.push(await timeStart(portal, { ...base, DATA_DIR: dataDir }, `http://127.0.0.1:${port}/readyz`));
    rmSync(dataDir, { recursive: true, force: true });
    const last = (list: Start[]) => `${ms(list.at(-1)?.ms ?? NaN)} ms`;
    console.log(
      `  round ${round}: baseline ${last(results.baseline)}, Postgres ${last(results.postgres)}, fresh PGlite ${last(results.pglite)}`,
    );
  }
  rmSync(work, { recursive: true, force: true });

  const baselineMedian = median(results.baseline.map((start) => start.ms));
  const row = (label: string, starts: Start[], target: number | null) => {
    const times = starts.map((start) => start.ms);
    const middle = median(times);
    const worst = Math.max(...times);
    return [
      label,
      ms(middle),
      ms(worst),
      `${(middle / baselineMedian).toFixed(1)}x`,
      Math.max(...starts.map((start) => start.rssMb)).toFixed(0),
      target === null ? '' : `<= ${target} ms`,
      target === null ? '' : worst <= target ? 'met' : middle <= target ? 'met at the median, **missed** by the slowest' : '**missed**',
    ];
  };
  const report = [
    `## Start-up, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `Machine: ${machine()}; Postgres on the same machine. Load average (1 min) before the run: ${loadBefore.toFixed(2)}${loadBefore > 1 ? ' (the machine was shared and busy: every time is longer than on a quiet machine; read the multiples of the baseline)' : ''}.`,
    `Launch to the first 200 from \`/readyz\` (the baseline: from \`/\`), polled every 10 ms; ${rounds} rounds, alternating. Portal: \`node ${portal.join(' ')}\` (no TypeScript loader). RSS: 1 s after the first answer, before any other request.`,
    '',
    table(
      ['process', 'median ms', 'slowest ms', 'median / baseline', 'RSS MB (largest)', 'target', ''],
      [
        row('Baseline: Express 5 + helmet (plain JavaScript)', results.baseline, null),
        row('Portal on Postgres, database up to date (NODE_ENV=production)', results.postgres, 1500),
        row('Portal on Postgres, empty database: every migration (one start)', [firstOnPostgres], 1500),
        row('Portal on a fresh embedded PGlite data directory, migrations included (defaults)', results.pglite, 3000),
      ],
    ),
  ].join('\n');
  console.log(`\n${report}`);
  if (args.write) {
    writeBlock(args.results, 'startup', report);
    console.log(`\nWritten to ${path.relative(process.cwd(), args.results)} (block startup).`);
  }
}

await main();
