import { Router, type Request } from 'express';
import type { Services } from '../../composition.ts';
import { formatLongDate, londonDate } from '../../domain/calendar-date.ts';
import { isVictimAttendance, victimAttendanceLabels } from '../../domain/case-decisions.ts';
import { statusLabels } from '../../domain/case-status.ts';
import { formatLondonTime } from '../../domain/london-time.ts';
import { isLetterName, letterTitles, type LetterName } from '../../services/case-letters.ts';
import { sendPrintPage } from '../print-response.ts';
import { caseUrl, notFoundPage, officerOf, refusedPage } from './case-actions-form.ts';

const formatDateTime = (instant: Date) => `${formatLongDate(londonDate(instant))}, ${formatLondonTime(instant)}`;
const backToCase = (reference: string) => ({ href: caseUrl(reference), text: 'Back to the case' });

/**
 * The officers' print pages, each an A4 page in the print layout and, with ?format=pdf, the same
 * page as a PDF made by the server: the case record (/print), every letter (/letters/:name, and
 * /letters/information-request/:id for each request to a partner agency) and the appeal pack.
 * Mounted behind requireOfficer at /admin/cases; every one of them is audited by its service.
 */
export function casePrintRoutes(services: Services): Router {
  const router = Router();
  const { caseActions, caseRecords, pdf } = services;

  router.get('/:reference/print', async (req: Request<{ reference: string }>, res) => {
    const record = await caseRecords.print(req.params.reference, officerOf(req));
    if (!record) return notFoundPage(res, req.params.reference);
    await sendPrintPage(req, res, pdf, {
      view: 'print/case-record',
      title: `Case record ${record.reference}`,
      fileName: `${record.reference}-case-record`,
      personal: true,
      backLink: backToCase(record.reference),
      locals: { record, caseUrl: caseUrl(record.reference) },
    });
  });

  router.get('/:reference/letters/information-request/:id', async (req: Request<{ reference: string; id: string }>, res) => {
    const { reference, id } = req.params;
    const result = await caseActions.informationRequestLetter(reference, officerOf(req), id);
    if (!result.ok) return notFoundPage(res, reference);
    await sendPrintPage(req, res, pdf, {
      view: 'letters/information-request',
      title: `Request for information ${reference}`,
      fileName: `${reference}-information-request-${result.agency}`,
      personal: true,
      backLink: backToCase(reference),
      locals: result.data,
    });
  });

  router.get('/:reference/letters/:letter', async (req: Request<{ reference: string; letter: string }>, res) => {
    const { reference, letter } = req.params;
    if (!isLetterName(letter)) return notFoundPage(res, reference);
    const result = await caseActions.letter(reference, officerOf(req), letter);
    if (!result.ok && result.reason === 'not-found') return notFoundPage(res, reference);
    if (!result.ok) return refusedPage(res, reference, result.message);
    await sendPrintPage(req, res, pdf, {
      view: `letters/${letter}`,
      title: `${letterTitles[letter]} ${reference}`,
      fileName: `${reference}-${letter}`,
      personal: true,
      backLink: backToCase(reference),
      locals: result.data,
    });
  });

  router.get('/:reference/appeal-pack', async (req: Request<{ reference: string }>, res) => {
    const pack = await caseActions.appealPack(req.params.reference, officerOf(req));
    if (!pack) return notFoundPage(res, req.params.reference);
    const { snapshot } = pack;
    await sendPrintPage(req, res, pdf, {
      view: 'admin/actions/appeal-pack',
      title: `Appeal pack ${snapshot.reference}`,
      fileName: `${snapshot.reference}-appeal-pack`,
      personal: true,
      locals: {
        pack,
        caseUrl: caseUrl(snapshot.reference),
        statusLabels,
        formatLongDate,
        formatDateTime,
        londonDate,
        appealSubjectLabel: caseActions.appealSubjectLabel,
        attendanceLabel: (value: string) => (isVictimAttendance(value) ? victimAttendanceLabels[value] : value),
        letterUrl: (name: LetterName) => `${caseUrl(snapshot.reference)}/letters/${name}`,
      },
    });
  });

  return router;
}
