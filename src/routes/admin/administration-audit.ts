import { Router, type Request } from 'express';
import type { Services } from '../../composition.ts';
import { addCalendarDays } from '../../domain/calendar-date.ts';
import { checkDate, dateParts } from '../../journey/fields.ts';
import type { PageErrors } from '../apply/errors.ts';
import { formatDateTime, startOfLondonDay, summariseDetail } from './administration-format.ts';

const dateFields = ['from', 'to'] as const;

function queryText(req: Request, name: string): string {
  const value = req.query[name];
  return typeof value === 'string' ? value.trim() : '';
}

/** The filter from the query string: dates as the council's days, checked as GOV.UK date inputs. */
function readFilter(req: Request) {
  const values: Record<string, string> = { officer: queryText(req, 'officer') };
  for (const prefix of dateFields)
    for (const part of ['day', 'month', 'year']) values[`${prefix}-${part}`] = queryText(req, `${prefix}-${part}`);
  const from = checkDate(dateParts(values, 'from'), { label: 'The start date', required: false });
  const to = checkDate(dateParts(values, 'to'), { label: 'The end date', required: false });
  const errors: PageErrors = { summary: [], fields: {}, dateParts: {} };
  for (const [prefix, check] of [['from', from] as const, ['to', to] as const]) {
    if (check.ok) continue;
    errors.fields[prefix] = check.message;
    errors.dateParts[prefix] = check.parts;
    errors.summary.push({ text: check.message, href: `#${prefix}-${check.parts[0] ?? 'day'}` });
  }
  const fromIso = from.ok ? from.iso : null;
  const toIso = to.ok ? to.iso : null;
  if (fromIso && toIso && toIso < fromIso) {
    errors.fields.to = 'The end date must be the same as or after the start date';
    errors.summary.push({ text: errors.fields.to, href: '#to-day' });
  }
  return { values, errors, fromIso, toIso };
}

/** The audit trail: newest first, filtered by officer and dates, 50 a page (keyset). */
export function auditRoutes(services: Services): Router {
  const router = Router();
  const { administration } = services;

  router.get('/', async (req, res) => {
    const { values, errors, fromIso, toIso } = readFilter(req);
    const officers = await administration.listOfficers();
    const valid = errors.summary.length === 0;
    const page = valid
      ? await administration.auditTrail({
          officerId: values.officer || null,
          from: fromIso ? startOfLondonDay(fromIso) : null,
          before: toIso ? startOfLondonDay(addCalendarDays(toIso, 1)) : null,
          cursor: queryText(req, 'older') || null,
        })
      : { entries: [], older: null };
    const filterQuery = new URLSearchParams(Object.entries(values).filter(([, value]) => value !== '')).toString();
    res.status(valid ? 200 : 400).render('admin/administration/audit', {
      title: 'Audit trail',
      values,
      officerItems: officers.map((officer) => ({ value: officer.id, text: `${officer.name} (${officer.email})` })),
      entries: page.entries.map((entry) => ({
        when: formatDateTime(entry.at),
        who:
          entry.officerName ?? (entry.actor === 'public' ? 'Member of the public' : entry.actor === 'system' ? 'The portal' : entry.actor),
        action: entry.action,
        caseReference: entry.caseReference,
        detail: summariseDetail(entry.detail),
      })),
      olderHref: page.older
        ? `/admin/audit?${new URLSearchParams([...new URLSearchParams(filterQuery), ['older', page.older]]).toString()}`
        : null,
      newestHref: queryText(req, 'older') ? `/admin/audit${filterQuery ? `?${filterQuery}` : ''}` : null,
      errors: errors.summary,
      fieldErrors: errors.fields,
      errorParts: errors.dateParts,
    });
  });

  return router;
}
