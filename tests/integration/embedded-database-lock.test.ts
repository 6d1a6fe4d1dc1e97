// One process at a time on the embedded database: the command-line tools refuse while the portal
// (here: this test process) holds the PGlite folder, and work once it has let go, or when the
// lock was left by a process that no longer runs.
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/data/database.ts';
import { migrate } from '../../src/data/migrate.ts';

const root = path.resolve(import.meta.dirname, '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const dataDir = mkdtempSync(path.join(tmpdir(), 'asb-lock-'));
const pgliteDir = path.join(dataDir, 'pglite');

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(script: string, args: string[]): Promise<Outcome> {
  // Only what a newcomer's shell has: no DATABASE_URL, so the embedded default in DATA_DIR.
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'development', DATA_DIR: dataDir, OFFICER_PASSWORD: 'a long enough pass phrase 42' };
  return new Promise((resolve) => {
    execFile(tsx, [script, ...args], { cwd: root, env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

async function officerEmails(): Promise<string[]> {
  const database = await openDatabase({ kind: 'pglite', dataDir: pgliteDir });
  try {
    const rows = await database.sql.query<{ email: string }>('SELECT email FROM officer ORDER BY email');
    return rows.map((row) => row.email);
  } finally {
    await database.close();
  }
}

let portal: Database | null = null;
afterAll(async () => {
  await portal?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the embedded database, opened by a second process', () => {
  it('officer:create refuses while the portal runs, saying what to do, and creates nothing', async () => {
    portal = await openDatabase({ kind: 'pglite', dataDir: pgliteDir });
    await migrate(portal.sql);
    const outcome = await cli('src/cli/officer-create.ts', ['--email', 'refused@council.gov.uk', '--role', 'administrator']);
    expect(outcome.code).not.toBe(0);
    expect(outcome.stderr).toContain(
      `The portal is running on the embedded database in ${pgliteDir}. Stop it first, or create officers from the administration page (/admin/administration/officers).`,
    );
    expect(outcome.stdout).not.toContain('Created');
    const rows = await portal.sql.query<{ email: string }>('SELECT email FROM officer');
    expect(rows.map((row) => row.email)).not.toContain('refused@council.gov.uk');
  }, 90_000);

  it('migrate and retention refuse too', async () => {
    for (const script of ['src/data/migrate-cli.ts', 'src/cli/retention.ts']) {
      const outcome = await cli(script, []);
      expect(outcome.code, script).not.toBe(0);
      expect(outcome.stderr, script).toContain(`The portal is running on the embedded database in ${pgliteDir}. Stop it first.`);
    }
  }, 90_000);

  it('a second open in the same process is refused as well', async () => {
    await expect(openDatabase({ kind: 'pglite', dataDir: pgliteDir })).rejects.toThrow('The portal is running on the embedded database');
  });

  it('works once the portal has stopped, and the officer is there', async () => {
    await portal?.close();
    portal = null;
    const outcome = await cli('src/cli/officer-create.ts', ['--email', 'after@council.gov.uk', '--role', 'administrator']);
    expect(outcome.stderr).toBe('');
    expect(outcome.stdout).toContain('Created administrator after@council.gov.uk.');
    expect(await officerEmails()).toContain('after@council.gov.uk');
  }, 90_000);

  it('takes over a lock left by a process that was killed', async () => {
    const gone = spawnSync(process.execPath, ['-e', '0']).pid; // ran and ended: its id is free
    writeFileSync(`${pgliteDir}.lock`, `${gone}\n`);
    const outcome = await cli('src/cli/officer-create.ts', ['--email', 'stale@council.gov.uk', '--role', 'officer']);
    expect(outcome.stdout).toContain('Created officer stale@council.gov.uk.');
    expect(await officerEmails()).toContain('stale@council.gov.uk');
  }, 90_000);
});
