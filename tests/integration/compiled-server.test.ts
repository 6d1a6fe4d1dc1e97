// The portal as production runs it: `node <npm start's flags> dist/server.js`, compiled by
// `npm run build` (which `npm test` runs first), with no TypeScript loader. On Postgres, and on the
// embedded default with a new data directory (which starts from the build's migrated template).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { csrfTokenFrom, visitor } from '../helpers/app.ts';
import { query, testDatabaseUrl, truncateAll } from '../helpers/database.ts';
import { freePort } from '../helpers/faults-process.ts';
import { fillApplication, send } from '../helpers/journey.ts';
import { genuinePdf } from '../helpers/upload-files.ts';

const root = path.resolve(import.meta.dirname, '../..');
const scripts = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
/** npm start: `node scripts/build-if-stale.mjs && node <flags> dist/server.js` */
const startFlags = (/&&\s*node\s+(.*?)\s*dist\/server\.js\s*$/.exec(scripts.start ?? '')?.[1] ?? '').split(/\s+/).filter(Boolean);
const work = mkdtempSync(path.join(os.tmpdir(), 'asb-compiled-'));

interface Compiled {
  origin: string;
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}
const running = new Set<Compiled>();

async function startCompiled(env: Record<string, string>, nodeFlags = startFlags): Promise<Compiled> {
  expect(existsSync(path.join(root, 'dist/server.js')), 'dist/server.js is built (npm run build)').toBe(true);
  const port = await freePort();
  let output = '';
  const child = spawn(process.execPath, [...nodeFlags, 'dist/server.js'], {
    cwd: root,
    // Only what the process needs: no tsx loader or NODE_OPTIONS inherited from vitest.
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? os.tmpdir(),
      PORT: String(port),
      LOG_LEVEL: 'warn',
      OUTBOX_WORKER: 'off',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const origin = `http://127.0.0.1:${port}`;
  const compiled: Compiled = {
    origin,
    child,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        running.delete(compiled);
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
  running.add(compiled);
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`dist/server.js exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) throw new Error(`dist/server.js did not answer /readyz in 60 s:\n${output}`);
    const ready = await fetch(`${origin}/readyz`).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ready) return compiled;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

afterEach(async () => {
  await Promise.all([...running].map((compiled) => compiled.stop()));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The start page, and the application form's first page as a resident meets it. */
async function expectPagesServed(origin: string): Promise<void> {
  const agent = request.agent(origin);
  const start = await agent.get('/');
  expect(start.status).toBe(200);
  expect(start.text).toContain('ASB Case Review');
  const stylesheet = /href="(\/assets\/app[^"]*\.css)"/.exec(start.text)?.[1];
  expect(stylesheet).toBeDefined();
  expect((await agent.get(stylesheet ?? '')).status).toBe(200);
  const form = await agent.get('/apply/who-is-applying');
  expect(form.status).toBe(200);
  expect(form.text).toMatch(/<form[^>]+method="post"/);
  expect(form.text).toContain('name="_csrf"');
}

describe('the compiled server (node dist/server.js)', () => {
  it('starts on Postgres with the flags npm start gives it, and serves the start page, its stylesheet and a form', async () => {
    const portal = await startCompiled({
      NODE_ENV: 'production',
      DATABASE_URL: testDatabaseUrl,
      SESSION_SECRET: 'compiled-server-test-secret-long-enough-0123456789',
      DATA_DIR: path.join(work, 'postgres-data'),
    });
    await expectPagesServed(portal.origin);
  });

  it('starts on a new embedded data directory migrated (from the template), creates the demo administrator once and keeps its data', async () => {
    const dataDir = path.join(work, 'embedded', 'data');
    const first = await startCompiled({ DATA_DIR: dataDir });
    await expectPagesServed(first.origin);
    expect(first.output()).toContain('Demo administrator created');
    await first.stop();
    expect(existsSync(path.join(dataDir, 'pglite', 'PG_VERSION'))).toBe(true);

    const second = await startCompiled({ DATA_DIR: dataDir });
    expect((await request(second.origin).get('/readyz')).status).toBe(200);
    // The administrator made at the first start is still there: no second one.
    expect(second.output()).not.toContain('Demo administrator created');
  });

  it('under the heap limit npm start sets, takes the largest upload allowed and serves the largest application page', async () => {
    // UPLOAD_MAX_MB at the most the configuration allows (20), and an application with the most
    // incidents the form takes (50): check your answers lists them all, with the upload.
    expect(startFlags.some((flag) => flag.startsWith('--max-old-space-size='))).toBe(true);
    await truncateAll();
    const portal = await startCompiled({
      NODE_ENV: 'test',
      DATABASE_URL: testDatabaseUrl,
      SESSION_SECRET: 'compiled-server-test-secret-long-enough-0123456789',
      DATA_DIR: path.join(work, 'heap-data'),
      UPLOAD_MAX_MB: '20',
      RATE_LIMIT_SUBMISSIONS_PER_IP: '1000',
    });
    const v = visitor(portal.origin);
    await fillApplication(v, { onBehalf: true, incidents: 50 });
    const changed = await v.submit('/apply/consent?change=1', { consentMethod: 'upload' });
    expect(changed.headers.location).toBe('/apply/consent-upload');
    const token = csrfTokenFrom((await v.get('/apply/consent-upload')).text);
    // A genuine PDF (the upload check opens it) made up to the limit by a comment after its header.
    const small = genuinePdf();
    const largest = genuinePdf(undefined, { afterHeader: `%${' '.repeat(20 * 1024 * 1024 - small.length - 1024)}\n` });
    const uploaded = await v.agent
      .post('/apply/consent-upload?change=1')
      .field('_csrf', token)
      .attach('consentFile', largest, { filename: 'consent.pdf', contentType: 'application/pdf' })
      .catch((error: unknown) => {
        throw new Error(`the upload failed (${String(error)}); the portal said:\n${portal.output()}`);
      });
    expect(uploaded.status, uploaded.text.slice(0, 500)).toBe(303);

    const check = await v.get('/apply/check-answers');
    expect(check.status).toBe(200);
    expect(check.text).toContain('Signed consent form uploaded');
    expect(check.text).toContain('Shouting and banging at night, time 50');
    const { response } = await send(v);
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/apply/confirmation');
    expect(await query<{ size: number }>('SELECT size FROM upload')).toEqual([{ size: largest.length }]);
    expect(await query<{ n: number }>('SELECT count(*)::int AS n FROM incident')).toEqual([{ n: 50 }]);
    // Still up, and it did not run out of heap on the way.
    expect((await request(portal.origin).get('/readyz')).status).toBe(200);
    expect(portal.output()).not.toMatch(/heap out of memory|FATAL ERROR/i);
  });
});
