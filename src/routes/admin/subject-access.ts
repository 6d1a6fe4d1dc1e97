import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Services } from '../../composition.ts';
import type { OfficerRecord } from '../../data/officers.ts';
import { londonDate, formatShortDate } from '../../domain/calendar-date.ts';
import { isCaseStatus, statusLabels } from '../../domain/case-status.ts';
import { choice, emailField, normaliseForm, postcodeField } from '../../journey/fields.ts';
import type { SubjectCriteria, SubjectMatch } from '../../services/subject-access-service.ts';
import { noErrors, pageErrors, type PageErrors } from '../apply/errors.ts';

const fields = ['searchBy', 'email', 'name', 'postcode'] as const;

const searchBySchema = z.object({ searchBy: choice(['email', 'name-and-postcode'], 'Select how you want to find the person') });
const emailSchema = z.object({
  email: emailField({
    required: 'Enter the person’s email address',
    invalid: 'Enter an email address in the correct format, like name@example.com',
  }),
});
const namePostcodeSchema = z.object({
  name: z.string().min(1, 'Enter the person’s full name').max(200, 'Full name must be 200 characters or fewer'),
  postcode: postcodeField('Enter the person’s postcode', 'Enter a real postcode, like DE11 0AH'),
});

type Parsed = { ok: true; criteria: SubjectCriteria } | { ok: false; errors: PageErrors };

/** The search form, checked the GOV.UK way: one message per field, in the order of the page. */
function parse(values: Record<string, string>): Parsed {
  const searchBy = searchBySchema.safeParse(values);
  if (!searchBy.success) return { ok: false, errors: pageErrors(searchBy.error, fields) };
  if (searchBy.data.searchBy === 'email') {
    const parsed = emailSchema.safeParse(values);
    if (!parsed.success || !parsed.data.email) return { ok: false, errors: parsed.success ? noErrors : pageErrors(parsed.error, fields) };
    return { ok: true, criteria: { kind: 'email', email: parsed.data.email } };
  }
  const parsed = namePostcodeSchema.safeParse(values);
  if (!parsed.success) return { ok: false, errors: pageErrors(parsed.error, fields) };
  // Whole names, ignoring case and spacing, as the repository compares them.
  const name = parsed.data.name.trim().replace(/\s+/g, ' ').toLowerCase();
  return { ok: true, criteria: { kind: 'name-and-postcode', name, postcode: parsed.data.postcode } };
}

const roleLabels = { victim: 'Victim', applicant: 'Applicant' } as const;

const presentMatch = (match: SubjectMatch) => ({
  reference: match.reference,
  role: roleLabels[match.role],
  name: match.name,
  email: match.email ?? '',
  postcode: match.postcode ?? '',
  received: formatShortDate(londonDate(match.receivedAt)),
  status: isCaseStatus(match.status) ? statusLabels[match.status] : match.status,
});

/**
 * Subject access requests, for managers and administrators (the guard is where this is mounted):
 * find a person by email, or by name and postcode, see the cases they appear in, and download
 * everything held about them as JSON. POSTs only, so the person's details never sit in a URL
 * (browser history, proxy logs).
 */
export function subjectAccessRoutes(services: Services): Router {
  const router = Router();
  const { subjectAccess } = services;
  const actor = (req: Request): OfficerRecord => {
    if (!req.officer) throw new Error('subject access routes run after requireOfficer');
    return req.officer;
  };
  const readValues = (req: Request) => normaliseForm(req.body, { single: fields }) as Record<string, string>;

  const renderSearch = (res: Response, values: Record<string, string>, errors: PageErrors) =>
    res.status(errors.summary.length ? 400 : 200).render('admin/subject-access/search', {
      title: 'Find everything held about a person',
      values,
      errors: errors.summary,
      fieldErrors: errors.fields,
    });

  router.get('/', (_req, res) => renderSearch(res, {}, noErrors));

  router.post('/', async (req, res) => {
    const values = readValues(req);
    const parsed = parse(values);
    if (!parsed.ok) return renderSearch(res, values, parsed.errors);
    const matches = await subjectAccess.search(parsed.criteria, actor(req));
    res.render('admin/subject-access/results', {
      title: matches.length ? 'Cases this person appears in' : 'No cases found',
      backLink: '/admin/subject-access',
      values,
      matches: matches.map(presentMatch),
      cases: new Set(matches.map((match) => match.reference)).size,
    });
  });

  router.post('/download', async (req, res) => {
    const values = readValues(req);
    const parsed = parse(values);
    if (!parsed.ok) return renderSearch(res, values, parsed.errors);
    const file = await subjectAccess.export(parsed.criteria, actor(req));
    res.set({
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="${file.fileName}"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    res.send(file.json);
  });

  return router;
}
