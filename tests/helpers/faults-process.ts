// The real portal as its own process (src/server.ts under node with tsx's loader), for the tests
// that kill it, stop it or break its database: what a resident's browser meets is a real port.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, openSync, closeSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { testDatabaseUrl } from './database.ts';

const root = path.resolve(import.meta.dirname, '../..');
const logDir = mkdtempSync(path.join(os.tmpdir(), 'asb-faults-'));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface PortalProcess {
  pid: number;
  port: number;
  origin: string;
  child: ChildProcess;
  /** Resolves when the process has exited. */
  exited: Promise<Exit>;
  /** Null while it runs. */
  exit: Exit | null;
  /** The process's log so far (pino JSON lines; no personal data is logged). */
  log(): string;
}

const running = new Set<PortalProcess>();

/**
 * Starts src/server.ts on `port` against the test database, mailing the given SMTP port, and
 * waits until /readyz answers 200 (migrated, listening, database reachable).
 */
export async function startPortal(options: {
  port: number;
  smtpPort: number;
  env?: Record<string, string>;
  name: string;
}): Promise<PortalProcess> {
  const logFile = path.join(logDir, `${options.name}.log`);
  const log = openSync(logFile, 'w');
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? os.tmpdir(),
      NODE_ENV: 'test',
      DATABASE_URL: testDatabaseUrl,
      PORT: String(options.port),
      BASE_URL: 'http://portal.test',
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(options.smtpPort),
      SMTP_TIMEOUT_MS: '1000',
      OFFICER_MAILBOX: 'asb-team@council.test',
      OUTBOX_POLL_MS: '100',
      OUTBOX_MAX_ATTEMPTS: '20',
      SESSION_SECRET: 'fault-test-session-secret-long-enough-0123456789',
      LOG_LEVEL: 'info',
      ...options.env,
    },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const portal: PortalProcess = {
    pid: child.pid ?? 0,
    port: options.port,
    origin: `http://127.0.0.1:${options.port}`,
    child,
    exit: null,
    exited: new Promise<Exit>((resolve) => {
      child.once('exit', (code, signal) => {
        portal.exit = { code, signal };
        running.delete(portal);
        resolve(portal.exit);
      });
    }),
    log: () => {
      try {
        return readFileSync(logFile, 'utf8');
      } catch {
        return '';
      }
    },
  };
  running.add(portal);
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (portal.exit) throw new Error(`The portal exited while starting (${JSON.stringify(portal.exit)}):\n${tail(portal.log())}`);
    if (Date.now() > deadline) throw new Error(`The portal was not ready in 30 s:\n${tail(portal.log())}`);
    try {
      const response = await fetch(`${portal.origin}/readyz`, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return portal;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The last lines of a log, for a failure message. */
export function tail(text: string, lines = 40): string {
  return text.split('\n').slice(-lines).join('\n');
}

/** Sends `signal` and waits for the exit (SIGKILL after `timeoutMs`, so a test never hangs). */
export async function stopPortal(portal: PortalProcess, signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 15_000): Promise<Exit> {
  if (portal.exit) return portal.exit;
  portal.child.kill(signal);
  const timer = setTimeout(() => portal.child.kill('SIGKILL'), timeoutMs);
  try {
    return await portal.exited;
  } finally {
    clearTimeout(timer);
  }
}

/** The process's exit, or an error (with its log) if it has not exited within `ms`. */
export async function exitWithin(portal: PortalProcess, ms: number): Promise<Exit> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`The portal had not exited ${ms} ms later:\n${tail(portal.log())}`)), ms);
  });
  try {
    return await Promise.race([portal.exited, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** For afterAll: every portal a test started and left running is killed, whatever happened. */
export async function killAllPortals(): Promise<void> {
  await Promise.all([...running].map((portal) => stopPortal(portal, 'SIGKILL')));
}

/** Removes the folder of process logs (kept while the file runs, for failure messages). */
export function removeLogs(): void {
  rmSync(logDir, { recursive: true, force: true });
}

/** Whether a TCP connection to the port is refused (nothing listens). */
export function connectionRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}
