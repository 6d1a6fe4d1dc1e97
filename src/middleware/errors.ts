import type { ErrorRequestHandler, RequestHandler } from 'express';
import { isDatabaseUnavailable } from '../data/connection-loss.ts';
import type { Logger } from '../logger.ts';

export function notFound(): RequestHandler {
  return (_req, res) => {
    res.status(404).render('errors/not-found', { title: 'Page not found' });
  };
}

interface HttpishError {
  status?: number;
  statusCode?: number;
  code?: string;
  type?: string;
}

/**
 * The last word on any error: a CSRF failure or an oversized body gets a page that explains it;
 * anything else is logged (without request data) and shown as a "sorry, try again" page with the
 * request id, so nothing of the resident's answers is lost (they are in the draft).
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      // An error once the page is on its way: express-session reports a failed save or touch of
      // the session like this while it finishes writing the page (the database dropped out just
      // then). Express's default handler would destroy the socket, and the resident would see a
      // connection reset instead of a good page. Let the response finish; cut it off only if
      // nothing ends it soon.
      logger.error({ err: error, reqId: req.id }, 'error after the response had started');
      if (!res.writableFinished) {
        const cutOff = setTimeout(() => res.destroy(), 2_000);
        cutOff.unref();
        res.once('close', () => clearTimeout(cutOff));
      }
      return;
    }
    const e = (error ?? {}) as HttpishError;
    const status = e.status ?? e.statusCode ?? 500;
    if (e.code === 'EBADCSRFTOKEN') {
      return res.status(403).render('errors/forbidden', { title: 'Your session has expired or the form was not sent from this site' });
    }
    if (status === 413 || e.type === 'entity.too.large') {
      return res.status(413).render('errors/too-large', { title: 'What you sent is too large' });
    }
    if (status >= 400 && status < 500) {
      return res.status(status).render('errors/not-found', { title: 'Page not found' });
    }
    logger.error({ err: error, reqId: req.id }, 'request failed');
    // The database out of reach for now (a dropped connection, or every connection busy): the
    // same "try again" page, as 503 Service Unavailable, which it is.
    res
      .status(isDatabaseUnavailable(error) ? 503 : 500)
      .render('errors/problem', { title: 'Sorry, there is a problem with the service' }, (renderError: Error | null, html: string) => {
        if (renderError) return next(renderError);
        // The session stays as it was before this failed request: nothing of it is saved. The
        // failure is often the database itself, and express-session would otherwise write the
        // session as this page ends, fail again, and report that past every handler to Express,
        // which then resets the connection (the resident would never see this page).
        delete (req as { session?: unknown }).session;
        res.send(html);
      });
  };
}
