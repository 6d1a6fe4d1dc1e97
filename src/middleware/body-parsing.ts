import express, { type RequestHandler } from 'express';
import multer from 'multer';

declare module 'express-serve-static-core' {
  interface Request {
    /** Set when an uploaded file broke multer's limits (e.g. LIMIT_FILE_SIZE); the route explains it. */
    uploadError?: string;
  }
}

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
    upload(req, res, (error: unknown) => {
      if (error instanceof multer.MulterError) {
        req.uploadError = error.code;
        req.body ??= {};
        return next();
      }
      next(error);
    });
  };
  return [express.urlencoded({ extended: false, limit: '200kb', parameterLimit: 300 }), multipart];
}
