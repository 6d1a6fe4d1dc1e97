import { imageSize } from 'image-size';
import { checkPdfInWorker } from './pdf-check.ts';

/** The kinds of consent form we keep, by the type their content shows, with the extension we store them under. */
export const allowedUploadTypes = new Map([
  ['application/pdf', 'pdf'],
  ['image/jpeg', 'jpg'],
  ['image/png', 'png'],
]);

/**
 * The largest image we keep. A signed form scanned at 600 dpi is 4,961 x 7,016 pixels (35
 * megapixels) and a 50-megapixel phone photo 8,160 x 6,120, so both fit. Anything bigger is no
 * scan of a form: a 60,000 x 60,000 PNG can be a few hundred bytes but takes 14 GB to open
 * (a decompression bomb for the officer's computer). A side over the limit or an area over the
 * limit is refused.
 */
export const maxImageSide = 10_000;
export const maxImageMegapixels = 50;

/** A consent form is a page or two; a PDF with more pages than this is not one (and costs to open). */
export const maxPdfPages = 100;

/**
 * Markup a browser would run or render as a web page. A scan, a photo or an exported PDF never
 * carries it; a file that does was made to be read as a web page as well (a polyglot). Each marker
 * is long enough that compressed image or PDF data does not make one by chance.
 */
const webPageMarkup = /<(?:!doctype\s+html|html|head|body|title|script|iframe|frameset|object|embed|meta|style)[\s/>]/i;

export const uploadMessages = {
  notAllowedType: 'The selected file must be a PDF, JPG or PNG',
  webPage: 'The selected file contains web page code, so we cannot accept it: save or scan the form again as a PDF, JPG or PNG',
  imageTooLarge: `The selected image must be at most ${maxImageSide.toLocaleString('en-GB')} pixels on each side and ${maxImageMegapixels} megapixels in all: scan or photograph the form again at a lower resolution`,
  imageUnreadable: 'The selected image cannot be opened: scan or photograph the form again and upload the new file',
  pdfUnreadable: 'The selected PDF cannot be opened: save or scan the form as a PDF again, or upload a JPG or PNG',
  pdfTooManyPages: `The selected PDF must have at most ${maxPdfPages} pages: upload only the signed consent form`,
} as const;

/**
 * Looks for web page markup a megabyte at a time (each piece overlapping the last by more than the
 * longest marker), so a 20 MB upload never becomes one 20 MB string on a heap capped at 128 MB.
 */
function holdsWebPageMarkup(data: Buffer): boolean {
  const piece = 1024 * 1024;
  const overlap = 32;
  for (let start = 0; start < data.length; start += piece) {
    if (webPageMarkup.test(data.toString('latin1', Math.max(0, start - overlap), Math.min(data.length, start + piece)))) return true;
  }
  return false;
}

export type ConsentFileCheck = { ok: true; mediaType: string; extension: string } | { ok: false; message: string };

/**
 * Checks a consent form by what it is, not by its name or the browser's claim: its first bytes
 * must say PDF, JPEG or PNG (`file-type`); it must hold no web page markup; an image's dimensions
 * (read from its header by `image-size`, without decoding it) must be those of a scan; a PDF must
 * start with its header and open in PDF.js with every page readable.
 */
export async function checkConsentFile(data: Buffer): Promise<ConsentFileCheck> {
  const detected = await (await import('file-type')).fileTypeFromBuffer(data);
  const extension = detected ? allowedUploadTypes.get(detected.mime) : undefined;
  if (!detected || !extension) return { ok: false, message: uploadMessages.notAllowedType };
  if (holdsWebPageMarkup(data)) return { ok: false, message: uploadMessages.webPage };
  const problem = extension === 'pdf' ? await pdfProblem(data) : imageProblem(data, extension);
  return problem ? { ok: false, message: problem } : { ok: true, mediaType: detected.mime, extension };
}

function imageProblem(data: Buffer, extension: string): string | null {
  let size: { width: number; height: number; type?: string };
  try {
    size = imageSize(data);
  } catch {
    return uploadMessages.imageUnreadable;
  }
  if (size.type !== extension || !(size.width > 0) || !(size.height > 0)) return uploadMessages.imageUnreadable;
  const tooLarge = size.width > maxImageSide || size.height > maxImageSide || size.width * size.height > maxImageMegapixels * 1_000_000;
  return tooLarge ? uploadMessages.imageTooLarge : null;
}

async function pdfProblem(data: Buffer): Promise<string | null> {
  // PDF readers look for the header anywhere in the first kilobyte; we want it first, with nothing before it.
  if (data.subarray(0, 5).toString('latin1') !== '%PDF-') return uploadMessages.pdfUnreadable;
  const checked = await checkPdfInWorker(data, maxPdfPages);
  if (checked.ok) return null;
  return checked.reason === 'too many pages' ? uploadMessages.pdfTooManyPages : uploadMessages.pdfUnreadable;
}
