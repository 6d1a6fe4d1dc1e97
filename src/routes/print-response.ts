import type { Request, Response } from 'express';
import type { Council } from '../council.ts';
import type { PdfService } from '../services/pdf-service.ts';

/**
 * Every print page (paper forms, letters, case records, the appeal pack) answers in two formats
 * from ONE rendering: the HTML page in the print layout, or, with `?format=pdf`, that same HTML
 * printed to an A4 PDF by the server. Without Chromium the PDF answer is a 503 page that says to
 * use the browser's print command instead; never a 500.
 */
export interface PrintPage {
  /** A view under views/, rendered in layouts/print. */
  view: string;
  title: string;
  locals?: Record<string, unknown>;
  /** The PDF's name without '.pdf', for example 'ASB-2026-7KQ3XM-decision'. */
  fileName: string;
  /** Officers' pages hold personal data: never cached, anywhere. Public forms may be. */
  personal: boolean;
  /** A link off the page on screen (hidden in print), for example back to the case. */
  backLink?: { href: string; text: string };
}

export const pdfFormat = 'pdf';

export function wantsPdf(req: Request): boolean {
  return req.query.format === pdfFormat;
}

/** 'ASB-2026-7KQ3XM-information-request-Derbyshire Constabulary' -> a safe file name. */
export function pdfFileName(name: string): string {
  const safe = name
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-|-$/g, '');
  return `${safe || 'document'}.pdf`;
}

function renderToString(res: Response, view: string, locals: Record<string, unknown>): Promise<string> {
  return new Promise((resolve, reject) => {
    res.render(view, locals, (error: Error | null, html?: string) => (error ? reject(error) : resolve(html ?? '')));
  });
}

export async function sendPrintPage(req: Request, res: Response, pdf: PdfService, page: PrintPage): Promise<void> {
  const path = req.originalUrl.split('?')[0] ?? req.path;
  const locals = {
    ...page.locals,
    title: page.title,
    layout: 'layouts/print',
    pdfHref: `${path}?format=${pdfFormat}`,
    backLink: page.backLink?.href ?? null,
    backText: page.backLink?.text ?? null,
  };
  if (page.personal) res.setHeader('Cache-Control', 'no-store');
  if (!wantsPdf(req)) {
    res.render(page.view, locals);
    return;
  }

  const html = await renderToString(res, page.view, locals);
  const council = res.locals.council as Council;
  const result = await pdf.render(html, { footerText: council.name, cacheable: !page.personal });
  if (!result.ok) {
    res.status(503).render('print/pdf-unavailable', {
      title: 'PDF download is not available',
      pageHref: path,
      pageTitle: page.title,
      reason: result.reason,
    });
    return;
  }
  res.set({
    'Content-Type': 'application/pdf',
    'Content-Disposition': `attachment; filename="${pdfFileName(page.fileName)}"`,
    'Content-Length': String(result.pdf.byteLength),
    'Cache-Control': page.personal ? 'no-store' : 'public, max-age=300',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(result.pdf);
}
