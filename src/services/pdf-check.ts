import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

export type PdfCheck = { ok: true; pages: number } | { ok: false; reason: 'unreadable' | 'too many pages' };

/** The worker's heap: room for PDF.js and a file at the largest upload size, and no more. */
const workerHeapMb = 160;
/** A consent form opens in well under a second; one that takes longer is not one we can read. */
const timeoutMs = 15_000;

/**
 * Opens an uploaded PDF in a worker thread with its own memory limit (pdf-check-worker.ts), so a
 * hostile or huge file can exhaust only the worker: the portal's heap (capped by npm start) is
 * never used for it, and the worker's memory goes back when it ends. A worker that runs out of
 * memory, fails or takes too long means the file cannot be read.
 */
export function checkPdfInWorker(data: Buffer, maxPages: number): Promise<PdfCheck> {
  // Compiled, the worker is a .js file beside this one; under tsx (development and tests) it is
  // the .ts file, which the worker loads through tsx like its parent.
  const compiled = import.meta.url.endsWith('.js');
  const options = {
    workerData: { data: new Uint8Array(data), maxPages },
    resourceLimits: { maxOldGenerationSizeMb: workerHeapMb },
    stdout: true,
    stderr: true,
  };
  const worker = compiled ? new Worker(new URL('./pdf-check-worker.js', import.meta.url), options) : new Worker(throughTsx(), { ...options, eval: true });
  return new Promise<PdfCheck>((resolve) => {
    const done = (answer: PdfCheck) => {
      clearTimeout(timer);
      resolve(answer);
      void worker.terminate();
    };
    const timer = setTimeout(() => done({ ok: false, reason: 'unreadable' }), timeoutMs);
    worker.once('message', (answer: PdfCheck) => done(answer));
    worker.once('error', () => done({ ok: false, reason: 'unreadable' }));
    worker.once('exit', () => done({ ok: false, reason: 'unreadable' }));
  });
}

/**
 * Under tsx a worker does not inherit its parent's TypeScript loader (Node 20 applies `--import`
 * to the main thread only), so the worker registers tsx's loader itself, then loads the .ts file.
 */
function throughTsx(): string {
  const tsxApi = pathToFileURL(path.join(path.dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
  const worker = new URL('./pdf-check-worker.ts', import.meta.url).href;
  return `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(worker)}); });`;
}
