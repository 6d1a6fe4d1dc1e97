import express, { type RequestHandler } from 'express';
import multer from 'multer';

declare module 'express-serve-static-core' {
  interface Request {
    /** Set when an uploaded file broke multer's limits (e.g. LIMIT_FILE_SIZE); the route explains it. */
    uploadError?: string;
  }
}

/** Room in a multipart body for everything but the file: the upload form's other fields and the part headers. */
const multipartOverheadBytes = 64 * 1024;

/**
 * The limits the upload page explains itself ("The selected file must be smaller than 5MB",
 * "Select one file"). Any other broken limit (a field too long, too many fields or parts) can only
 * come from a tampered form: the body is refused as too large rather than handed on half-read.
 */
const explainedByTheUploadPage = new Set(['LIMIT_FILE_SIZE', 'LIMIT_FILE_COUNT', 'LIMIT_UNEXPECTED_FILE']);

const httpError = (status: number, message: string, cause?: unknown) =>
  Object.assign(new Error(message, { cause }), { status, ...(status === 413 ? { type: 'entity.too.large' } : {}), expose: true });

/**
 * Form bodies, size-limited. Multipart bodies (the consent form upload) are held in memory up to
 * the configured size and only for the one field `consentFile`; its content is checked by the
 * service, never trusted from the name or the browser's type.
 */
export function bodyParsing(maxUploadBytes: number): RequestHandler[] {
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: maxUploadBytes, files: 1, fields: 40, fieldSize: 20_000, parts: 42 },
  }).single('consentFile');
  const multipart: RequestHandler = (req, res, next) => {
    // A body that says it is bigger than any form we take is refused before it is parsed. It is
    // still read off (and dropped), as body-parser does for a too-large form, so the browser gets
    // the page rather than a connection reset while it is still sending.
    const declared = Number(req.headers['content-length']);
    if (req.is('multipart/form-data') && Number.isFinite(declared) && declared > maxUploadBytes + multipartOverheadBytes) {
      let answered = false;
      const refuse = () => {
        if (answered) return;
        answered = true;
        next(httpError(413, 'request entity too large'));
      };
      req.resume();
      if (req.readableEnded) return refuse();
      for (const event of ['end', 'error', 'close']) req.once(event, refuse);
      return;
    }
    upload(req, res, (error: unknown) => {
      if (error instanceof multer.MulterError) {
        if (!explainedByTheUploadPage.has(error.code)) return next(httpError(413, 'request entity too large', error));
        req.uploadError = error.code;
        req.body ??= {};
        return next();
      }
      // busboy's own errors (no boundary, a cut-off or malformed part) are a broken request, not
      // a fault of ours.
      if (error) return next(httpError(400, 'malformed multipart body', error));
      next();
    });
  };
  return [express.urlencoded({ extended: false, limit: '200kb', parameterLimit: 300 }), multipart];
}
