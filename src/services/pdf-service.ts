import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Route } from 'playwright-core';
import type { Logger } from '../logger.ts';

/**
 * Turns a print page's HTML into an A4 PDF by printing it in headless Chromium (playwright-core,
 * Debian's chromium: offline, maintained, and the same engine the browser tests print with).
 *
 * - One browser for the whole process, launched on the first PDF and closed by `close()`.
 * - Each PDF gets its own browser context with JavaScript off. The page is loaded from a made-up
 *   origin whose requests this service answers itself: the HTML, and files under public/assets
 *   (the stylesheet). Every other request is refused, so printing never reaches the network.
 * - At most `concurrency` pages print at once; the rest wait. Each PDF has `timeoutMs` in all.
 * - Without Chromium (or when it cannot start, or is too slow) the answer says so; it never throws.
 */

export const defaultChromiumPath = '/usr/bin/chromium';

/** Launch arguments that work here (docs: platform-notes.md, Browser tests). */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

/** The print stylesheet's margins (src/styles/_print.scss): the footer template sits in the bottom one. */
export const a4Margins = { top: '18mm', right: '16mm', bottom: '18mm', left: '16mm' } as const;

const printOrigin = 'http://print.invalid';
const publicDir = path.resolve(import.meta.dirname, '../../public');

/** '/assets/app.3f9a1c0b2d.css' -> '/assets/app.css' (static-assets.ts makes the fingerprints). */
const plainName = (pathname: string) => pathname.replace(/\.[0-9a-f]{10}(\.[a-z0-9]+)$/, '$1');

// The print stylesheet numbers pages in @page margin boxes for a browser's own print; the PDF's
// footer template numbers them here, so the margin boxes are switched off to avoid printing twice.
const footerOnlyStyle = '<style>@page { @bottom-left { content: none; } @bottom-right { content: none; } }</style>';

export type PdfResult = { ok: true; pdf: Buffer } | { ok: false; reason: 'unavailable' | 'timeout' | 'failed'; message: string };

export interface PdfOptions {
  /** Shown on the left of every page's footer, next to "Page N of M" (the council's name). */
  footerText: string;
  /** The same HTML gives the same PDF: keep it (public forms, identical for everyone). Never for personal data. */
  cacheable?: boolean;
}

export interface PdfServiceOptions {
  logger: Pick<Logger, 'warn' | 'error' | 'info'>;
  /** Default: CHROMIUM_PATH, or /usr/bin/chromium. */
  chromiumPath?: string;
  timeoutMs?: number;
  concurrency?: number;
  /** Where /assets/... files come from. Default: the portal's public/ folder. */
  assetsRoot?: string;
}

/** The footer template Chromium prints on every page: the council's name, and "Page N of M". */
export function footerTemplate(footerText: string): string {
  const text = escapeHtml(footerText);
  return (
    '<div style="box-sizing: border-box; width: 100%; padding: 0 16mm; display: flex; justify-content: space-between; ' +
    'font-family: arial, sans-serif; font-size: 8pt; color: #505a5f;">' +
    `<span>${text}</span><span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`
  );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const contentTypes: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

class Timeout extends Error {}

export function pdfService(options: PdfServiceOptions) {
  const { logger } = options;
  const chromiumPath = options.chromiumPath ?? process.env.CHROMIUM_PATH ?? defaultChromiumPath;
  const timeoutMs = options.timeoutMs ?? 20_000;
  const concurrency = options.concurrency ?? 2;
  const assetsRoot = path.resolve(options.assetsRoot ?? publicDir);

  let browser: Promise<Browser> | null = null;
  let closed = false;
  let running = 0;
  const waiting: Array<() => void> = [];
  const cache = new Map<string, Buffer>();
  const cacheLimit = 16;

  function launch(): Promise<Browser> {
    if (!browser) {
      // The PDF's own time limit (below) bounds the wait; a slow first launch may still serve the next PDF.
      // playwright-core is imported on the first PDF: it costs about 60 MB of memory, which an
      // instance that never prints should not carry.
      const launching = import('playwright-core').then(({ chromium }) =>
        chromium.launch({ executablePath: chromiumPath, args: [...chromiumArgs], timeout: 60_000 }),
      );
      browser = launching;
      launching.then(
        (launched) =>
          launched.on('disconnected', () => {
            if (browser === launching) browser = null;
          }),
        () => {
          // Try again next time (Chromium may be installed, or the machine less busy, by then).
          if (browser === launching) browser = null;
        },
      );
    }
    return browser;
  }

  async function slot(): Promise<() => void> {
    if (running >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    running += 1;
    return () => {
      running -= 1;
      waiting.shift()?.();
    };
  }

  /**
   * Answers the page's requests: the HTML, files under /assets/, nothing else. Pages link to
   * fingerprinted names (`/assets/app.3f9a1c0b2d.css`, for browsers' year-long caching): the
   * file is the one without the fingerprint, whose content the fingerprint is the hash of.
   */
  async function answer(route: Route, html: string): Promise<void> {
    const url = new URL(route.request().url());
    if (url.origin !== printOrigin) return route.abort('blockedbyclient');
    if (url.pathname === '/') return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
    const file = path.resolve(assetsRoot, `.${plainName(decodeURIComponent(url.pathname))}`);
    const type = contentTypes[path.extname(file)];
    if (!url.pathname.startsWith('/assets/') || !file.startsWith(`${assetsRoot}${path.sep}`) || !type)
      return route.abort('blockedbyclient');
    try {
      return await route.fulfill({ status: 200, contentType: type, body: await readFile(file) });
    } catch {
      // A file the page names but that is not there ('filenotfound' is not one of Playwright's
      // abort codes: aborting with it threw, unhandled, and stopped the process).
      return route.fulfill({ status: 404, contentType: 'text/plain; charset=utf-8', body: 'Not found' });
    }
  }

  async function print(html: string, footerText: string, deadline: { cancelled: boolean }): Promise<Buffer> {
    const launched = await launch();
    if (deadline.cancelled) throw new Timeout();
    const context = await launched.newContext({ javaScriptEnabled: false });
    try {
      // A request the page makes after the PDF is done finds the context closed: nothing to answer.
      await context.route('**/*', (route) => answer(route, html).catch(() => undefined));
      const page = await context.newPage();
      await page.goto(`${printOrigin}/`, { waitUntil: 'load', timeout: timeoutMs });
      return await page.pdf({
        format: 'A4',
        printBackground: true,
        preferCSSPageSize: true,
        margin: { ...a4Margins },
        displayHeaderFooter: true,
        headerTemplate: '<span></span>',
        footerTemplate: footerTemplate(footerText),
        outline: true,
        tagged: true,
      });
    } finally {
      await context.close().catch(() => undefined);
    }
  }

  return {
    chromiumPath,

    /** Whether the Chromium binary is there at all (it may still fail to start). */
    installed: (): boolean => existsSync(chromiumPath),

    async render(html: string, pdfOptions: PdfOptions): Promise<PdfResult> {
      if (closed) return { ok: false, reason: 'unavailable', message: 'The PDF service has stopped' };
      if (!existsSync(chromiumPath)) {
        return { ok: false, reason: 'unavailable', message: `Chromium is not installed at ${chromiumPath} (set CHROMIUM_PATH)` };
      }
      const source = html.replace(/<\/head>/i, `${footerOnlyStyle}</head>`);
      const key = pdfOptions.cacheable
        ? createHash('sha256').update(pdfOptions.footerText).update('\0').update(source).digest('hex')
        : null;
      const hit = key ? cache.get(key) : undefined;
      if (hit) return { ok: true, pdf: hit };

      const release = await slot();
      const deadline = { cancelled: false };
      let timer: NodeJS.Timeout | undefined;
      try {
        const expired = new Promise<never>((_resolve, reject) => {
          timer = setTimeout(() => {
            deadline.cancelled = true;
            reject(new Timeout());
          }, timeoutMs);
        });
        const printing = print(source, pdfOptions.footerText, deadline);
        // After a timeout the print may still fail on its own: that is no longer anyone's concern.
        printing.catch(() => undefined);
        const pdf = await Promise.race([printing, expired]);
        if (key) {
          if (cache.size >= cacheLimit) cache.delete(cache.keys().next().value ?? '');
          cache.set(key, pdf);
        }
        return { ok: true, pdf };
      } catch (error) {
        if (error instanceof Timeout) {
          logger.warn({ timeoutMs }, 'PDF not made in time');
          return { ok: false, reason: 'timeout', message: `The PDF was not ready after ${timeoutMs / 1000} seconds` };
        }
        logger.error({ err: error }, 'PDF could not be made');
        return { ok: false, reason: 'failed', message: 'Chromium could not print the page' };
      } finally {
        clearTimeout(timer);
        release();
      }
    },

    /** Closes the browser (at shutdown). Later PDFs answer 'unavailable'. */
    async close(): Promise<void> {
      closed = true;
      const open = browser;
      browser = null;
      if (!open) return;
      try {
        await (await open).close();
      } catch {
        // It never started, or it has gone already.
      }
    },
  };
}

export type PdfService = ReturnType<typeof pdfService>;
