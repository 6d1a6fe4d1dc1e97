import type { PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { openPdf } from '../../src/services/pdf-document.ts';

/** What the tests read from a PDF: its pages, their size, its title and its text. */
export interface PdfContents {
  pages: number;
  /** Each page's size in points (A4 is 595 x 842). */
  pageSizes: Array<{ width: number; height: number }>;
  title: string | null;
  /** Every page's text in order, with line breaks and runs of spaces as one space. */
  text: string;
}

type TextItem = Extract<Awaited<ReturnType<PDFPageProxy['getTextContent']>>['items'][number], { str: string }>;
type TextRun = Pick<TextItem, 'str' | 'width' | 'height' | 'hasEOL'> & { transform: number[] };

/**
 * Reads a PDF with PDF.js (a JavaScript library from package.json, so the tests need no system
 * PDF tools). Words are joined as a reader sees them: a space where there is a gap on the line
 * or a new line, none inside a word the PDF split into runs.
 */
export async function readPdf(pdf: Uint8Array): Promise<PdfContents> {
  const document = await openPdf(pdf);
  try {
    const metadata = await document.getMetadata();
    const info = metadata.info as { Title?: unknown };
    const pageSizes: PdfContents['pageSizes'] = [];
    const texts: string[] = [];
    for (let number = 1; number <= document.numPages; number += 1) {
      const page = await document.getPage(number);
      const [left = 0, bottom = 0, right = 0, top = 0] = page.view;
      pageSizes.push({ width: right - left, height: top - bottom });
      const content = await page.getTextContent();
      texts.push(joinRuns(content.items.filter((item): item is TextItem => 'str' in item)));
    }
    return {
      pages: document.numPages,
      pageSizes,
      title: typeof info.Title === 'string' && info.Title !== '' ? info.Title : null,
      text: texts.join(' ').replace(/\s+/g, ' ').trim(),
    };
  } finally {
    await document.destroy();
  }
}

function joinRuns(runs: TextRun[]): string {
  let text = '';
  let previous: TextRun | null = null;
  for (const run of runs) {
    if (previous) text += gapBetween(previous, run) ? ' ' : '';
    text += run.str;
    previous = run.str === '' && !run.hasEOL ? previous : run;
  }
  return text;
}

/** Whether a reader would see a space between two runs: a new line, or a gap wider than a fifth of the font. */
function gapBetween(previous: TextRun, next: TextRun): boolean {
  if (previous.hasEOL) return true;
  const [, , , , previousX = 0, previousY = 0] = previous.transform;
  const [, , , , nextX = 0, nextY = 0] = next.transform;
  const size = Math.max(previous.height, next.height, 1);
  if (Math.abs(nextY - previousY) > size / 2) return true;
  return nextX - (previousX + previous.width) > size / 5;
}
