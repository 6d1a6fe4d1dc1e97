import { parentPort, workerData } from 'node:worker_threads';
import { openPdf } from './pdf-document.ts';

/**
 * Runs in a worker thread (see pdf-check.ts): opens an uploaded PDF with PDF.js and reads every
 * page, then answers with what it found. PDF.js can hold several times a hostile file's size in
 * memory (a 20 MB file of one long comment kept about 100 MB of heap after it was closed), so
 * the file is opened here, under the worker's own memory limit, and never on the portal's heap.
 */
type Answer = { ok: true; pages: number } | { ok: false; reason: 'unreadable' | 'too many pages' };

const { data, maxPages } = workerData as { data: Uint8Array; maxPages: number };

async function check(): Promise<Answer> {
  let document: Awaited<ReturnType<typeof openPdf>>;
  try {
    document = await openPdf(data);
  } catch {
    return { ok: false, reason: 'unreadable' };
  }
  try {
    if (document.numPages < 1) return { ok: false, reason: 'unreadable' };
    if (document.numPages > maxPages) return { ok: false, reason: 'too many pages' };
    for (let number = 1; number <= document.numPages; number += 1) await document.getPage(number);
    return { ok: true, pages: document.numPages };
  } catch {
    return { ok: false, reason: 'unreadable' };
  } finally {
    await document.destroy();
  }
}

parentPort?.postMessage(await check());
