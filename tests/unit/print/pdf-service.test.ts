import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { staticAssets } from '../../../src/middleware/static-assets.ts';
import { pdfFileName } from '../../../src/routes/print-response.ts';
import { footerTemplate, pdfService, type PdfResult } from '../../../src/services/pdf-service.ts';
import { readPdf } from '../../helpers/pdf.ts';

/**
 * The PDF service prints HTML in headless Chromium: a real PDF with the footer's page numbers
 * (and not the stylesheet's as well), nothing fetched from the network, and a plain answer
 * (never an exception) when Chromium is missing or too slow.
 */

const logger = { warn: () => undefined, error: () => undefined, info: () => undefined };
const pdf = pdfService({ logger });

// A web server the printed page must never reach.
let hits = 0;
let server: Server;
let outside = '';
beforeAll(async () => {
  server = createServer((_req, res) => {
    hits += 1;
    res.end('');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  outside = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await pdf.close();
  await new Promise((resolve) => server.close(resolve));
});

const textOf = async (result: PdfResult) => {
  if (!result.ok) throw new Error(`No PDF: ${result.reason} ${result.message}`);
  return (await readPdf(result.pdf)).text;
};

describe('the PDF service', () => {
  it('prints the page with the stylesheet, numbering pages once, in the footer with the council’s name', async () => {
    const html = `<!DOCTYPE html><html lang="en"><head><title>A letter</title><link rel="stylesheet" href="/assets/app.css"></head>
      <body class="app-print"><main><h1 class="govuk-heading-l">Dear Alex</h1><p class="govuk-body">Your reference is ASB-2026-7KQ3XM.</p></main></body></html>`;
    const result = await pdf.render(html, { footerText: 'Testshire <Borough> Council' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const read = await readPdf(result.pdf);
    expect(read.title).toBe('A letter');
    // A4 is 595.28 x 841.89 points; Chromium rounds the sheet to its own pixels.
    expect(read.pageSizes).toHaveLength(1);
    const [size] = read.pageSizes;
    expect(Math.abs((size?.width ?? 0) - 595.28), `width ${size?.width}`).toBeLessThan(2);
    expect(Math.abs((size?.height ?? 0) - 841.89), `height ${size?.height}`).toBeLessThan(2);
    const text = read.text;
    expect(text).toContain('Your reference is ASB-2026-7KQ3XM.');
    expect(text).toContain('Testshire <Borough> Council');
    // The footer template numbers the page; the stylesheet's @page margin box must not as well.
    expect(text.match(/Page 1 of 1/g)).toHaveLength(1);
  });

  it('styles the page with the stylesheet by its fingerprinted name, as the print layout links it', async () => {
    const fingerprinted = staticAssets(path.resolve(import.meta.dirname, '../../../public')).assetPath('/assets/app.css');
    expect(fingerprinted).toMatch(/^\/assets\/app\.[0-9a-f]{10}\.css$/);
    const page = (href: string) =>
      `<!DOCTYPE html><html lang="en"><head><title>t</title><link rel="stylesheet" href="${href}"></head>
      <body class="app-print"><p class="govuk-body">Shown</p><p class="govuk-!-display-none">Hidden by the stylesheet</p></body></html>`;
    const styled = await textOf(await pdf.render(page(fingerprinted), { footerText: 'Council' }));
    expect(styled).toContain('Shown');
    expect(styled).not.toContain('Hidden by the stylesheet');
    // Without the stylesheet the hidden paragraph prints: the check above would notice it missing.
    const unstyled = await textOf(await pdf.render(page('/assets/none.css'), { footerText: 'Council' }));
    expect(unstyled).toContain('Hidden by the stylesheet');
  });

  it('fetches nothing from the network, whatever the HTML asks for', async () => {
    const html = `<!DOCTYPE html><html><head><title>t</title><link rel="stylesheet" href="${outside}/style.css"></head>
      <body><img src="${outside}/image.png" alt=""><iframe src="${outside}/frame"></iframe><p>Offline only</p></body></html>`;
    const result = await pdf.render(html, { footerText: 'Council' });
    expect(await textOf(result)).toContain('Offline only');
    expect(hits).toBe(0);
  });

  it('says PDFs are unavailable when Chromium is not installed, without throwing', async () => {
    const missing = pdfService({ logger, chromiumPath: '/nonexistent/chromium' });
    expect(missing.installed()).toBe(false);
    const result = await missing.render('<p>x</p>', { footerText: 'Council' });
    expect(result).toMatchObject({ ok: false, reason: 'unavailable' });
    await missing.close();
  });

  it('gives up after its time limit', async () => {
    const slow = pdfService({ logger, timeoutMs: 1 });
    const result = await slow.render('<p>x</p>', { footerText: 'Council' });
    expect(result).toMatchObject({ ok: false, reason: 'timeout' });
    await slow.close();
  });

  it('answers unavailable once closed (at shutdown)', async () => {
    const closing = pdfService({ logger });
    await closing.close();
    expect(await closing.render('<p>x</p>', { footerText: 'Council' })).toMatchObject({ ok: false, reason: 'unavailable' });
  });

  it('escapes the footer text and numbers pages with Chromium’s classes', () => {
    const footer = footerTemplate('A & B <script>');
    expect(footer).toContain('A &#38; B &#60;script&#62;');
    expect(footer).toContain('Page <span class="pageNumber"></span> of <span class="totalPages"></span>');
  });

  it('names a download safely', () => {
    expect(pdfFileName('ASB-2026-7KQ3XM-information-request-Derbyshire County Council Children’s Services')).toBe(
      'ASB-2026-7KQ3XM-information-request-Derbyshire-County-Council-Children-s-Services.pdf',
    );
    expect(pdfFileName('"; rm -rf /')).toBe('rm-rf.pdf');
    expect(pdfFileName('')).toBe('document.pdf');
  });
});
