import type { SubjectAccessRepository, SubjectCriteria, SubjectMatch } from '../data/subject-access.ts';
import { londonDate } from '../domain/calendar-date.ts';

export type { SubjectCriteria, SubjectMatch } from '../data/subject-access.ts';

interface ActingOfficer {
  id: string;
  name: string;
}

/**
 * Subject access requests (UK GDPR article 15): find the cases where a person is the victim or
 * the applicant, by email address or by name and postcode, and give everything held about them
 * as one JSON file. Searching and exporting are both audited; the audit entries say how the
 * search was made and how many cases it found, never whom it was for.
 */
export function subjectAccessService(deps: { repository: SubjectAccessRepository; councilName: () => string }) {
  const { repository } = deps;

  return {
    async search(criteria: SubjectCriteria, officer: ActingOfficer): Promise<SubjectMatch[]> {
      const matches = await repository.find(criteria);
      await repository.recordSearch(officer.id, { searchedBy: criteria.kind, matches: matches.length });
      return matches;
    },

    /** The export as a file: its name and its JSON text. */
    async export(
      criteria: SubjectCriteria,
      officer: ActingOfficer,
      now = new Date(),
    ): Promise<{ fileName: string; json: string; cases: number }> {
      const matches = await repository.find(criteria);
      const cases = await repository.cases(matches);
      await repository.recordExport(
        officer.id,
        { searchedBy: criteria.kind, cases: cases.length },
        cases.map((found) => found.record.id),
      );
      const document = {
        about: 'Everything the ASB Case Review portal holds about one person, for a subject access request.',
        council: deps.councilName(),
        exportedAt: now.toISOString(),
        exportedBy: officer.name,
        searchedFor: criteria.kind === 'email' ? { email: criteria.email } : { name: criteria.name, postcode: criteria.postcode },
        beforeSending:
          'Each case also holds details of other people (the victim or the applicant, officers, agencies). Check what may be disclosed before sending this to the person.',
        cases: cases.map(({ record, emails, audit }) => {
          // The internal id means nothing outside the portal; the record's list of emails (without
          // their words) is replaced by the emails sent to the person, in full.
          const details: Partial<typeof record> = { ...record };
          delete details.id;
          delete details.emails;
          return {
            subjectIs: matches.filter((match) => match.caseId === record.id).map((match) => match.role),
            ...details,
            emailsSentToThem: emails,
            auditTrail: audit,
          };
        }),
      };
      return { fileName: `subject-access-${londonDate(now)}.json`, json: `${JSON.stringify(document, null, 2)}\n`, cases: cases.length };
    },
  };
}

export type SubjectAccessService = ReturnType<typeof subjectAccessService>;
