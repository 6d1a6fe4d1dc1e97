import { Router, type Request, type Response } from 'express';
import type { Services } from '../../composition.ts';
import {
  caseChannels,
  caseListHref,
  caseListSorts,
  channelLabels,
  deadlineFilters,
  deadlineLabels,
  parseCaseListQuery,
  sortLabels,
} from '../../domain/case-list-query.ts';
import { caseStatuses, statusLabels } from '../../domain/case-status.ts';
import { presentActionBanner } from '../../services/case-view/case-page-presenter.ts';

/** The choices the case list's filter form offers, in order. */
const filterChoices = {
  statuses: caseStatuses.map((value) => ({ value, text: statusLabels[value] })),
  channels: caseChannels.map((value) => ({ value, text: channelLabels[value] })),
  deadlines: deadlineFilters.map((value) => ({ value, text: deadlineLabels[value] })),
  sorts: caseListSorts.map((value) => ({ value, text: sortLabels[value] })),
};

function caseNotFound(res: Response) {
  res.status(404).render('admin/cases/not-found', { title: 'Case not found' });
}

/** The case list (a GET form: filters, search, sort, keyset pages) and the case page. */
export function caseRoutes(services: Services): Router {
  const router = Router();
  const { caseViews } = services;

  router.get('/', async (req: Request, res: Response) => {
    const { query, dates, problems } = parseCaseListQuery(req.query);
    const list = await caseViews.list(query);
    const fieldErrors = Object.fromEntries(problems.map((problem) => [problem.field, problem.text]));
    const filtered = query.statuses.length > 0 || query.deadline || query.channel || query.receivedFrom || query.receivedTo || query.q;
    res.render('admin/cases/index', {
      title: 'Cases',
      query,
      dates,
      list,
      choices: filterChoices,
      errors: problems.map(({ text, href }) => ({ text, href })),
      fieldErrors,
      clearHref: filtered ? caseListHref({ sort: query.sort }) : null,
    });
  });

  router.get('/:reference', async (req: Request<{ reference: string }>, res: Response) => {
    const officer = req.officer;
    if (!officer) return caseNotFound(res);
    const page = await caseViews.casePage(req.params.reference, officer.id);
    if (!page) return caseNotFound(res);
    res.render('admin/cases/show', { title: `Case ${page.reference}`, page, banner: presentActionBanner(page, req.query.done, req.query.letter) });
  });

  router.get('/:reference/consent-file', async (req: Request<{ reference: string }>, res: Response) => {
    const officer = req.officer;
    if (!officer) return caseNotFound(res);
    const file = await caseViews.consentFile(req.params.reference, officer.id);
    if (!file) return caseNotFound(res);
    const fileName = file.fileName.replace(/[^A-Za-z0-9._-]/g, '_') || 'consent-form';
    res.set({
      'Content-Type': file.mediaType,
      'Content-Disposition': `attachment; filename="${fileName}"`,
      'Content-Length': String(file.data.byteLength),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    });
    res.end(Buffer.from(file.data.buffer, file.data.byteOffset, file.data.byteLength));
  });

  return router;
}
