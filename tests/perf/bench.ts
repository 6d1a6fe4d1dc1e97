// npm run bench [-- --cases 20000] [--seconds 8] [--warmup 2] [--connections 50] [--submissions 1000]
//                  [--database asb_bench] [--reuse] [--explain] [--only start,figures] [--profile] [--no-build] [--no-write]
//                  [--no-single] [--node-options=--max-old-space-size=128] [--block name]
//
// Builds, seeds a fresh Postgres database through `npm run db:seed`, starts the portal as in
// production (NODE_ENV=production, behind a TLS proxy: TRUST_PROXY=1 and X-Forwarded-Proto) and a
// baseline Express 5 + helmet app answering a short string, then drives both with autocannon: a
// warm-up, then a fixed run per page at 50 connections. Prints one table (requests/s, p50, p95,
// p99, share of the baseline) with the targets of issue 5, the submission benchmark (complete
// drafts sent at once through the real CSRF flow, then every case and its emails found in the
// database), and the portal's peak resident set size. Writes the same to tests/perf/results/latest.md.
//
// After the run at 50 connections, each portal page is measured again one request at a time (1
// connection, --no-single to skip): what a page costs without waiting behind others. The kernel
// column is the machine's CPU time spent in the kernel (system calls, loopback TCP) during each run.
// The portal runs compiled (`node dist/server.js`, built by `npm run build`) with the node flags
// `npm start` gives it; --node-options adds V8 flags after those (e.g. another heap limit, to see
// its effect on memory).
//
// --reuse keeps the database when it already holds at least --cases cases (a million takes a while
// to seed); --explain adds EXPLAIN (ANALYZE, BUFFERS) of the SQL behind the officers' pages and the
// figures; --profile writes a CPU profile of the portal (node --cpu-prof) and prints where the time went.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openDatabase } from '../../src/data/database.ts';
import { officerRepository } from '../../src/data/officers.ts';
import { authService } from '../../src/services/auth-service.ts';
import { explainPages, type ExplainedQuery } from './lib/explain.ts';
import { load, type LoadResult } from './lib/load.ts';
import {
  caseCount,
  cpuTimes,
  databaseUrl,
  freePort,
  recreateDatabase,
  root,
  rssSampler,
  run,
  seed,
  startFlags,
  startNode,
  type Running,
} from './lib/processes.ts';
import { machine, ms, table, whole, writeBlock } from './lib/report.ts';
import { completeDraft, inParallel, officerSession, type CompleteDraft } from './lib/sessions.ts';
import { checkStored, submitAll, type Stored, type SubmitResult } from './lib/submit.ts';
import { summariseProfile, type Window } from './profile-summary.ts';

const { values: args } = parseArgs({
  options: {
    cases: { type: 'string', default: '20000' },
    seconds: { type: 'string', default: '8' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '50' },
    submissions: { type: 'string', default: '1000' },
    database: { type: 'string', default: 'asb_bench' },
    reuse: { type: 'boolean', default: false },
    explain: { type: 'boolean', default: false },
    only: { type: 'string' },
    profile: { type: 'boolean', default: false },
    single: { type: 'boolean', default: true },
    'node-options': { type: 'string', default: '' },
    build: { type: 'boolean', default: true },
    write: { type: 'boolean', default: true },
    results: { type: 'string', default: path.join(root, 'tests/perf/results/latest.md') },
    // The block of the results file to write; with --only, results are written only to a block named here.
    block: { type: 'string' },
  },
  allowNegative: true,
});

const cases = Number(args.cases);
const seconds = Number(args.seconds);
const warmupSeconds = Number(args.warmup);
const connections = Number(args.connections);
const submissions = Number(args.submissions);
const only = args.only ? new Set(args.only.split(',')) : null;
const wanted = (key: string) => !only || only.has(key);
const portalNodeOptions = [...startFlags(), ...args['node-options'].split(/\s+/).filter(Boolean)];

// ---------------------------------------------------------------------------------------------
// Targets (issue 5)

const targets = {
  publicShare: 0.8,
  publicP99: 25,
  officerP95: 50,
  figuresP95: 100,
  submissionsPerSecond: 400,
  submissionP99: 150,
  rssMb: 256,
  rssAtStartMb: 160,
};

type Group = 'baseline' | 'public' | 'figures' | 'officer';

interface Page {
  key: string;
  label: string;
  group: Group;
  paths: string[];
  cookies?: string[];
  headers?: Record<string, string>;
}

interface Row {
  page: Page;
  result: LoadResult;
  rssPeakMb: number;
  /** Share of the machine's busy CPU time spent in the kernel during the run. */
  kernelShare: number;
}

function verdict(row: Row, baselinePerSecond: number): { target: string; met: boolean | null } {
  const share = row.result.perSecond / baselinePerSecond;
  const clean = row.result.failures === 0;
  switch (row.page.group) {
    case 'baseline':
      return { target: '', met: null };
    case 'public':
      return {
        target: `>= ${targets.publicShare * 100}% and p99 <= ${targets.publicP99} ms`,
        met: clean && share >= targets.publicShare && row.result.p99 <= targets.publicP99,
      };
    case 'figures':
      return {
        target: `p95 <= ${targets.figuresP95} ms (public: >= ${targets.publicShare * 100}%, p99 <= ${targets.publicP99} ms)`,
        met: clean && row.result.p95 <= targets.figuresP95,
      };
    case 'officer':
      return { target: `p95 <= ${targets.officerP95} ms`, met: clean && row.result.p95 <= targets.officerP95 };
  }
}

let loadBefore = 0;

/** A row's first cells in both tables: the page, requests/s, p50, p95, p99. */
const loadCells = (row: Row): string[] => [
  row.page.label + (row.result.failures ? ` (${row.result.failures} failed)` : ''),
  whole(row.result.perSecond),
  ms(row.result.p50),
  ms(row.result.p95),
  ms(row.result.p99),
];

const percent = (share: number) => (Number.isFinite(share) ? `${Math.round(share * 100)}%` : '');

const mark = (met: boolean | null) => (met === null ? '' : met ? 'met' : '**missed**');

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;
  const work = mkdtempSync(path.join(os.tmpdir(), 'asb-bench-'));
  console.log(`Benchmark: ${machine()}\nWorking files (logs, profiles): ${work}`);
  loadBefore = os.loadavg()[0] ?? 0;
  console.log(`Load average before the run: ${loadBefore.toFixed(2)}${loadBefore > 0.5 ? ' (something else is using the CPU: numbers will be lower)' : ''}\n`);

  if (args.build) {
    console.log('== npm run build');
    await run('npm', ['run', 'build', '--silent'], process.env);
  }

  console.log(`== Database ${args.database} with ${cases.toLocaleString('en-GB')} cases`);
  const url = databaseUrl(args.database);
  let seeding: { seconds: number; rate: number } | null = null;
  const existing = args.reuse ? await caseCount(args.database) : null;
  if (existing !== null && existing >= cases) {
    console.log(`  kept: it already holds ${existing.toLocaleString('en-GB')} cases (--reuse)`);
  } else {
    await recreateDatabase(args.database);
    const took = await seed(args.database, cases);
    seeding = { seconds: took, rate: cases / took };
    console.log(`  seeded ${cases.toLocaleString('en-GB')} cases in ${took.toFixed(1)} s (${whole(seeding.rate)} cases/s, build of the client included)`);
  }
  const caseTotal = (await caseCount(args.database)) ?? 0;

  console.log('== Starting the baseline app and the portal (NODE_ENV=production)');
  const baseline = await startNode('tests/perf/baseline-app.ts', {
    env: { ...process.env, NODE_ENV: 'production' },
    logFile: path.join(work, 'baseline.log'),
    readyPath: '/',
    port: await freePort(),
  });
  const profileDir = path.join(work, 'profile');
  if (args.profile) mkdirSync(profileDir);
  const portalPort = await freePort();
  // The CPU profile's clock starts with the process: windows of it are measured from here.
  const spawnedAt = performance.now();
  const pageWindows: Window[] = [];
  const submitWindows: Window[] = [];
  const since = () => performance.now() - spawnedAt;
  const portal: Running = await startNode('dist/server.js', {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: url,
      SESSION_SECRET: randomBytes(32).toString('base64url'),
      BASE_URL: `http://127.0.0.1:${portalPort}`,
      TRUST_PROXY: '1',
      // Web instances run with the worker elsewhere (README): the submitted emails stay in the outbox to be counted.
      OUTBOX_WORKER: 'off',
      // The load comes from one address: the per-address limits would turn it away, which is
      // their job in production, not what this run measures.
      RATE_LIMIT_SUBMISSIONS_PER_IP: '1000000',
      RATE_LIMIT_SIGN_IN_PER_IP: '1000000',
      LOG_LEVEL: 'info',
      DATA_DIR: path.join(work, 'data'),
    },
    logFile: path.join(work, 'portal.log'),
    readyPath: '/readyz',
    port: portalPort,
    nodeArgs: [...portalNodeOptions, ...(args.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])],
  });
  const rss = rssSampler(portal.pid);
  // Read as soon as /readyz has answered: the portal has started and served nothing else.
  const rssAtStartMb = rss.last();
  const rows: Row[] = [];
  const singleRows: Row[] = [];
  let submitted: { result: SubmitResult; stored: Stored; rssPeakMb: number } | null = null;
  let explained: ExplainedQuery[] = [];

  try {
    console.log(`== Preparing sessions through the real pages (${elapsed()})`);
    const drafts = await inParallel(connections, 10, (i) => completeDraft(portal.origin, i));
    const draftCookies = drafts.map((draft) => draft.cookie);

    const officerPassword = `bench officer password ${randomBytes(9).toString('base64url')}`;
    const officerEmails = Array.from({ length: 10 }, (_, i) => `bench-${Date.now()}-${i}@council.test`);
    const database = await openDatabase({ kind: 'postgres', url });
    try {
      const auth = authService({ officers: officerRepository(database.prisma), mfaRequired: true, issuer: 'bench' });
      for (const email of officerEmails) await auth.createOfficer({ email, name: 'Bench Officer', role: 'officer', password: officerPassword });
    } finally {
      await database.close();
    }
    const officerCookies: string[] = [];
    for (const email of officerEmails.slice(1)) officerCookies.push(await officerSession(portal.origin, email, officerPassword));

    const sample = new pg.Client({ connectionString: url });
    await sample.connect();
    const references = (await sample.query<{ reference: string }>('SELECT reference FROM "case" ORDER BY random() LIMIT 500')).rows.map((row) => row.reference);
    const postcodes = (
      await sample.query<{ postcode: string }>(
        "SELECT postcode FROM person WHERE role = 'victim' AND postcode IS NOT NULL ORDER BY random() LIMIT 100",
      )
    ).rows.map((row) => row.postcode);
    await sample.end();
    if (references.length === 0 || postcodes.length === 0) throw new Error('The bench database has no cases to look at');

    const pages: Page[] = [
      { key: 'baseline', label: 'Baseline: Express 5 + helmet, short string', group: 'baseline', paths: ['/'] },
      { key: 'start', label: 'Start page', group: 'public', paths: ['/'] },
      {
        key: 'start-br',
        label: 'Start page, compressed (Accept-Encoding: gzip, deflate, br)',
        group: 'public',
        paths: ['/'],
        headers: { 'accept-encoding': 'gzip, deflate, br' },
      },
      { key: 'form-step', label: 'Form step GET (with a session)', group: 'public', paths: ['/apply/victim-details'], cookies: draftCookies },
      { key: 'check-answers', label: 'Check your answers (complete draft)', group: 'public', paths: ['/apply/check-answers'], cookies: draftCookies },
      { key: 'figures', label: 'Published figures', group: 'figures', paths: ['/figures'] },
      { key: 'dashboard', label: 'Officer dashboard', group: 'officer', paths: ['/admin'], cookies: officerCookies },
      { key: 'case-list', label: 'Case list, first page', group: 'officer', paths: ['/admin/cases'], cookies: officerCookies },
      {
        key: 'case-list-filtered',
        label: 'Case list, filtered (received + acknowledged, by deadline)',
        group: 'officer',
        paths: ['/admin/cases?status=received&status=acknowledged&sort=deadline'],
        cookies: officerCookies,
      },
      {
        key: 'search-reference',
        label: 'Case list, search by reference',
        group: 'officer',
        paths: references.map((reference) => `/admin/cases?q=${encodeURIComponent(reference)}`),
        cookies: officerCookies,
      },
      {
        key: 'search-postcode',
        label: 'Case list, search by postcode',
        group: 'officer',
        paths: postcodes.map((postcode) => `/admin/cases?q=${encodeURIComponent(postcode)}`),
        cookies: officerCookies,
      },
      {
        key: 'case-page',
        label: 'Case page',
        group: 'officer',
        paths: references.map((reference) => `/admin/cases/${reference}`),
        cookies: officerCookies,
      },
    ];

    const measure = async (page: Page, origin: string, into = rows, load1 = { connections, seconds, warmupSeconds }) => {
      rss.reset();
      const from = since();
      const cpuBefore = cpuTimes();
      const result = await load({
        origin,
        paths: page.paths,
        cookies: page.cookies,
        headers: page.headers,
        ...load1,
      });
      const cpuAfter = cpuTimes();
      if (page.group !== 'baseline') pageWindows.push({ fromMs: from, toMs: since() });
      const busy = cpuAfter.busy - cpuBefore.busy;
      const kernelShare = busy > 0 ? (cpuAfter.kernel - cpuBefore.kernel) / busy : Number.NaN;
      const row: Row = { page, result, rssPeakMb: page.group === 'baseline' ? Number.NaN : rss.peak(), kernelShare };
      into.push(row);
      const statuses = Object.entries(result.statuses)
        .map(([status, count]) => `${status} x${count}`)
        .join(', ');
      console.log(
        `  ${page.label}: ${whole(result.perSecond)}/s, p50 ${ms(result.p50)} ms, p95 ${ms(result.p95)} ms, p99 ${ms(result.p99)} ms [${statuses}]${result.failures ? ` ${result.failures} FAILED` : ''}`,
      );
    };

    console.log(`== Pages: ${connections} connections, ${warmupSeconds} s warm-up then ${seconds} s each (${elapsed()})`);
    const [baselinePage, ...portalPages] = pages as [Page, ...Page[]];
    await measure(baselinePage, baseline.origin);
    for (const page of portalPages) if (wanted(page.key)) await measure(page, portal.origin);
    await measure({ ...baselinePage, label: 'Baseline again (after the portal pages)' }, baseline.origin);

    if (args.single) {
      const one = { connections: 1, seconds: Math.max(2, Math.round(seconds / 2)), warmupSeconds: 1 };
      console.log(`== The same pages one request at a time: 1 connection, ${one.seconds} s each (${elapsed()})`);
      await measure(baselinePage, baseline.origin, singleRows, one);
      for (const page of portalPages) if (wanted(page.key)) await measure(page, portal.origin, singleRows, one);
    }

    if (wanted('submissions') && submissions > 0) {
      console.log(`== Submissions: preparing ${submissions} + 50 complete drafts through the real pages (${elapsed()})`);
      const warm = await inParallel(50, 10, (i) => completeDraft(portal.origin, 100_000 + i));
      const prepared: CompleteDraft[] = await inParallel(submissions, 10, (i) => completeDraft(portal.origin, 200_000 + i));
      await submitAll(portal.origin, warm, 10);
      console.log(`  sending ${submissions} at once, ${connections} in flight (${elapsed()})`);
      rss.reset();
      const from = since();
      const result = await submitAll(portal.origin, prepared, connections);
      submitWindows.push({ fromMs: from, toMs: since() });
      const rssPeakMb = rss.peak();
      const stored = await checkStored(url, prepared);
      submitted = { result, stored, rssPeakMb };
      console.log(
        `  ${whole(result.perSecond)}/s, p50 ${ms(result.p50)} ms, p95 ${ms(result.p95)} ms, p99 ${ms(result.p99)} ms; ${result.confirmed}/${result.sent} confirmed; ${stored.cases} cases stored, ${stored.withEmails} with both emails, ${stored.missing.length} lost`,
      );
      for (const failure of result.failures.slice(0, 5)) console.log(`  failed: ${failure}`);
    }

    if (args.explain) {
      console.log(`== EXPLAIN (ANALYZE, BUFFERS) of the officers' pages and the figures (${elapsed()})`);
      explained = await explainPages({
        databaseUrl: url,
        officer: { email: officerEmails[0] ?? '', password: officerPassword },
        pages: [
          { name: 'Officer dashboard', path: '/admin' },
          { name: 'Case list, first page', path: '/admin/cases' },
          { name: 'Case list, filtered', path: '/admin/cases?status=received&status=acknowledged&sort=deadline' },
          { name: 'Case list, search by reference', path: `/admin/cases?q=${encodeURIComponent(references[0] ?? '')}` },
          { name: 'Case list, search by postcode', path: `/admin/cases?q=${encodeURIComponent(postcodes[0] ?? '')}` },
          { name: 'Case list, search by name', path: '/admin/cases?q=smith' },
          { name: 'Case page', path: `/admin/cases/${references[1] ?? ''}` },
          { name: 'Published figures', path: '/figures' },
        ],
      });
      printExplained(explained);
    }
  } finally {
    rss.stop();
    await portal.stop();
    await baseline.stop();
  }

  let profile = '';
  if (args.profile) {
    const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
    if (file) {
      const cpuprofile = path.join(profileDir, file);
      profile = `While the pages were under load:\n\n${summariseProfile(cpuprofile, { windows: pageWindows })}`;
      if (submitWindows.length) profile += `\n\nWhile the submissions were sent:\n\n${summariseProfile(cpuprofile, { windows: submitWindows })}`;
      console.log(`\n== CPU profile of the portal (${cpuprofile})\n${profile}`);
    }
  }

  const report = renderReport({ rows, singleRows, submitted, caseTotal, seeding, explained, profile, rssAtStartMb });
  console.log(`\n${report}`);
  if (args.write && (!only || args.block)) {
    const block = args.block ?? `bench-${cases}`;
    writeBlock(args.results, block, report);
    console.log(`\nWritten to ${path.relative(process.cwd(), args.results)} (block ${block}). Total ${elapsed()}.`);
  } else {
    console.log(`\nTotal ${elapsed()} (results file not written${only ? ': --only' : ''}).`);
  }
}

// ---------------------------------------------------------------------------------------------

function printExplained(explained: ExplainedQuery[]): void {
  for (const query of explained) {
    console.log(`  ${query.page}: ${query.executionMs.toFixed(2)} ms  ${query.scans.join('; ')}`);
  }
}

const oneLine = (sql: string) => sql.replace(/\s+/g, ' ').trim();

function renderReport(data: {
  rows: Row[];
  singleRows: Row[];
  submitted: { result: SubmitResult; stored: Stored; rssPeakMb: number } | null;
  caseTotal: number;
  seeding: { seconds: number; rate: number } | null;
  explained: ExplainedQuery[];
  profile: string;
  rssAtStartMb: number;
}): string {
  const baselines = data.rows.filter((row) => row.page.group === 'baseline').map((row) => row.result.perSecond);
  const baselinePerSecond = baselines.reduce((sum, value) => sum + value, 0) / Math.max(1, baselines.length);
  const lines: string[] = [];
  lines.push(`## Run of ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${data.caseTotal.toLocaleString('en-GB')} cases in the database`);
  lines.push('');
  lines.push(
    `Machine: ${machine()}. Postgres on the same machine; the load generator (autocannon) shares the cores. Load average (1 min) before the run: ${loadBefore.toFixed(2)}.`,
  );
  lines.push(
    `Load: ${connections} connections, ${warmupSeconds} s warm-up, then ${seconds} s per page. Share = requests/s against the baseline's mean (${whole(baselinePerSecond)}/s) in this run.`,
  );
  lines.push(`Portal: \`node ${[...portalNodeOptions, 'dist/server.js'].join(' ')}\` (compiled, NODE_ENV=production).`);
  if (data.seeding) {
    lines.push(
      `Seeded with \`npm run db:seed -- --cases ${cases}\`: ${data.seeding.seconds.toFixed(1)} s, ${whole(data.seeding.rate)} cases/s.`,
    );
  }
  lines.push('');
  lines.push(
    table(
      ['page', 'requests/s', 'p50 ms', 'p95 ms', 'p99 ms', 'share', 'KB/response', 'peak RSS MB', 'kernel', 'target', ''],
      data.rows.map((row) => {
        const { target, met } = verdict(row, baselinePerSecond);
        return [
          ...loadCells(row),
          `${Math.round((row.result.perSecond / baselinePerSecond) * 100)}%`,
          (row.result.bytesPerResponse / 1024).toFixed(1),
          Number.isFinite(row.rssPeakMb) ? row.rssPeakMb.toFixed(0) : '',
          percent(row.kernelShare),
          target,
          mark(met),
        ];
      }),
    ),
  );
  lines.push('');
  lines.push('Kernel: share of the machine\'s busy CPU time (both cores, every process) spent in the kernel during that run.');
  if (data.singleRows.length) {
    lines.push('');
    lines.push(
      'The same pages one request at a time (1 connection): what each page costs without queueing behind 49 others. The officer targets are checked here too, as one officer at a time sees them; the verdict in the table above stays the one at 50 connections.',
    );
    lines.push('');
    lines.push(
      table(
        ['page', 'requests/s', 'p50 ms', 'p95 ms', 'p99 ms', 'kernel', 'officer target', ''],
        data.singleRows.map((row) => {
          const officer = row.page.group === 'officer' || row.page.group === 'figures';
          const limit = row.page.group === 'figures' ? targets.figuresP95 : targets.officerP95;
          return [
            ...loadCells(row),
            percent(row.kernelShare),
            officer ? `p95 <= ${limit} ms` : '',
            officer ? mark(row.result.failures === 0 && row.result.p95 <= limit) : '',
          ];
        }),
      ),
    );
  }
  if (data.submitted) {
    const { result, stored, rssPeakMb } = data.submitted;
    const lost = result.sent - stored.withEmails;
    const met = result.perSecond >= targets.submissionsPerSecond && result.p99 <= targets.submissionP99 && lost === 0;
    lines.push('');
    lines.push(
      `Submissions: ${result.sent.toLocaleString('en-GB')} complete applications, prepared first through the real pages (session cookie, CSRF token), then sent from check-your-answers with ${connections} in flight.`,
    );
    lines.push('');
    lines.push(
      table(
        ['submissions/s', 'p50 ms', 'p95 ms', 'p99 ms', 'confirmed', 'cases stored', 'with both emails in the outbox', 'lost', 'peak RSS MB', 'target', ''],
        [
          [
            whole(result.perSecond),
            ms(result.p50),
            ms(result.p95),
            ms(result.p99),
            `${result.confirmed}/${result.sent}`,
            stored.cases,
            stored.withEmails,
            lost,
            rssPeakMb.toFixed(0),
            `>= ${targets.submissionsPerSecond}/s, p99 <= ${targets.submissionP99} ms, 0 lost`,
            mark(met),
          ],
        ],
      ),
    );
  }
  const peaks = [...data.rows.map((row) => row.rssPeakMb), data.submitted?.rssPeakMb ?? Number.NaN].filter(Number.isFinite);
  const peak = Math.max(...peaks);
  lines.push('');
  lines.push(
    `Memory: the portal's resident set size was **${data.rssAtStartMb.toFixed(0)} MB** once started, before its first request (target <= ${targets.rssAtStartMb} MB: ${data.rssAtStartMb <= targets.rssAtStartMb ? 'met' : '**missed**'}); sampled every 200 ms during the load, it peaked at **${peak.toFixed(0)} MB** (target <= ${targets.rssMb} MB: ${peak <= targets.rssMb ? 'met' : '**missed**'}).`,
  );
  if (data.explained.length) {
    lines.push('');
    lines.push(`### EXPLAIN (ANALYZE, BUFFERS) at ${data.caseTotal.toLocaleString('en-GB')} cases`);
    lines.push('');
    lines.push("The SQL each page runs, captured from Prisma's query log with the portal in-process, then explained with its parameters.");
    lines.push('');
    lines.push(
      table(
        ['page', 'query', 'execution ms', 'access paths'],
        data.explained.map((query) => [
          query.page,
          `\`${oneLine(query.sql).slice(0, 90).replace(/\|/g, '\\|')}...\``,
          query.executionMs.toFixed(2),
          query.scans.join('; ').replace(/\|/g, '\\|') || '(none)',
        ]),
      ),
    );
    lines.push('');
    lines.push('<details><summary>Plans</summary>');
    lines.push('');
    for (const query of data.explained) {
      lines.push(`#### ${query.page}`);
      lines.push('');
      lines.push('```sql');
      lines.push(oneLine(query.sql));
      lines.push(`-- parameters: ${JSON.stringify(query.params)}`);
      lines.push('```');
      lines.push('```');
      lines.push(query.plan);
      lines.push('```');
      lines.push('');
    }
    lines.push('</details>');
  }
  if (data.profile) {
    lines.push('');
    lines.push('### CPU profile of the portal during this run');
    lines.push('');
    lines.push('```');
    lines.push(data.profile);
    lines.push('```');
  }
  return lines.join('\n');
}

try {
  await main();
  process.exit(0);
} catch (error) {
  console.error(error);
  process.exit(1);
}
