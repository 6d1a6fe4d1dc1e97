// The processes and database a benchmark run needs: a fresh Postgres database (seeded through
// `npm run db:seed`), the built portal in production mode, the baseline app, and a sampler of the
// portal's resident set size.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';

export const root = path.resolve(import.meta.dirname, '../../..');
/** The Postgres server to use (a database on it is created for the run). */
export const serverUrl = process.env.BENCH_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export function databaseUrl(name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function caseCount(name: string): Promise<number | null> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) return null;
  } finally {
    await admin.end();
  }
  const client = new pg.Client({ connectionString: databaseUrl(name) });
  await client.connect();
  try {
    const table = await client.query(`SELECT to_regclass('public.case') AS t`);
    if (!table.rows[0]?.t) return 0;
    const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM "case"');
    return Number(rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}

export async function recreateDatabase(name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${quoteIdent(name)}`);
  } finally {
    await admin.end();
  }
}

/** Runs a command in the project folder, its output prefixed, and resolves when it exits 0. */
export function run(command: string, args: string[], env: NodeJS.ProcessEnv, prefix = '  | '): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const relay = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line.trim()) console.log(prefix + line);
    };
    child.stdout.on('data', relay);
    child.stderr.on('data', relay);
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`))));
  });
}

/** `npm run db:seed -- --cases N` into the database: seconds taken. */
export async function seed(name: string, cases: number): Promise<number> {
  const started = performance.now();
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl(name) };
  delete env.NODE_ENV; // the seed refuses to run in production
  await run('npm', ['run', 'db:seed', '--silent', '--', '--cases', String(cases), '--batch', '5000'], env);
  return (performance.now() - started) / 1000;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface Running {
  pid: number;
  origin: string;
  logFile: string;
  stop(): Promise<void>;
}

async function waitReady(child: ChildProcess, url: string, logFile: string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited (${child.exitCode}). Its log:\n${tail(logFile)}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} was not ready in 90 s. Log:\n${tail(logFile)}`);
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-30).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * The node flags `npm start` gives the compiled server (a heap cap, for one): read from package.json,
 * so a benchmark runs the portal with the defaults a user gets.
 */
export function startFlags(): string[] {
  const scripts = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const match = /(?:^|&&)\s*node\s+((?:--\S+\s+)*)dist\/server\.js\s*$/.exec(scripts.start ?? '');
  if (!match) throw new Error(`package.json's start script does not end with \`node [flags] dist/server.js\`: ${scripts.start}`);
  return (match[1] ?? '').split(/\s+/).filter(Boolean);
}

/**
 * Starts an entry point under node, its output to `logFile`: a compiled one (`dist/...js`) as
 * production runs it, a TypeScript one with tsx's loader.
 */
export async function startNode(
  entry: string,
  options: { env: NodeJS.ProcessEnv; logFile: string; readyPath: string; port: number; nodeArgs?: string[] },
): Promise<Running> {
  const log = openSync(options.logFile, 'w');
  const loader = entry.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...loader, entry], {
    cwd: root,
    env: { ...options.env, PORT: String(options.port) },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const origin = `http://127.0.0.1:${options.port}`;
  await waitReady(child, origin + options.readyPath, options.logFile);
  return {
    pid: child.pid ?? 0,
    origin,
    logFile: options.logFile,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const force = setTimeout(() => child.kill('SIGKILL'), 20_000);
        child.on('exit', () => {
          clearTimeout(force);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** Samples a process's resident set size (VmRSS) every 200 ms; the peak and last value in MB. */
/** The machine's CPU time so far (all cores, in clock ticks), from /proc/stat: busy and in the kernel. */
export function cpuTimes(): { busy: number; kernel: number } {
  try {
    const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0] = fields;
    return { busy: user + nice + system + irq + softirq, kernel: system + irq + softirq };
  } catch {
    return { busy: 0, kernel: 0 }; // not Linux
  }
}

export function rssSampler(pid: number) {
  let peak = 0;
  let last = 0;
  const read = () => {
    try {
      const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
      last = kb / 1024;
      peak = Math.max(peak, last);
    } catch {
      // the process is gone, or this is not Linux
    }
  };
  read();
  const timer = setInterval(read, 200);
  timer.unref();
  return {
    /** Peak since the last reset. */
    peak: () => peak,
    last: () => last,
    reset: () => {
      read();
      peak = last;
    },
    stop: () => clearInterval(timer),
  };
}
