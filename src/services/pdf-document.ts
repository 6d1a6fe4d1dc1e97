import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';

/**
 * Opens a PDF with Mozilla's PDF.js (`pdfjs-dist`, the reader in Firefox, built to open hostile
 * files) in this process: no worker thread, no script (`isEvalSupported: false`, no XFA forms),
 * no fonts installed into anything. It repairs what a PDF reader would repair (a damaged cross-
 * reference table), so "opens here" means "opens for the officer". Loaded on first use, so a
 * process that never reads a PDF never loads the library.
 * The caller must `destroy()` the document it gets.
 */
export async function openPdf(data: Uint8Array): Promise<PDFDocumentProxy> {
  const { getDocument, VerbosityLevel } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  return getDocument({
    // A copy: PDF.js takes the bytes over, and asks for a plain Uint8Array rather than a Buffer.
    data: new Uint8Array(data),
    isEvalSupported: false,
    enableXfa: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: VerbosityLevel.ERRORS,
  }).promise;
}
