import type { RequestHandler } from 'express';
import type { Council } from '../council.ts';
import { formatLongDate } from '../domain/calendar-date.ts';

/** What every page needs: the council's details and the current path (for the skip link etc.). */
export function locals(council: () => Council): RequestHandler {
  return (req, res, next) => {
    res.locals.council = council();
    res.locals.currentPath = req.path;
    res.locals.requestId = req.id;
    res.locals.formatLongDate = formatLongDate;
    next();
  };
}
