import type { z } from 'zod';
import {
  actionSoFarSchema,
  applicantDetailsSchema,
  consentSchema,
  impactSchema,
  incidentSchema,
  relatedIncidentsSchema,
  victimContactSchema,
  victimDetailsSchema,
  victimTypeSchema,
  whoIsApplyingSchema,
  wordingFor,
} from './schemas.ts';
import { journeyProgress, type Answers } from './steps.ts';

/** A complete application, typed: what the submission service stores. */
export interface Application {
  applyingOnBehalf: boolean;
  victimType: 'person' | 'business' | 'group';
  victim: z.output<ReturnType<typeof victimDetailsSchema>> & z.output<ReturnType<typeof victimContactSchema>>;
  applicant: z.output<ReturnType<typeof applicantDetailsSchema>> | null;
  consent: (z.output<ReturnType<typeof consentSchema>> & { uploadId: string | null }) | null;
  incidents: Array<z.output<ReturnType<typeof incidentSchema>>>;
  related: z.output<ReturnType<typeof relatedIncidentsSchema>>;
  impact: z.output<ReturnType<typeof impactSchema>>;
  actionSoFar: z.output<ReturnType<typeof actionSoFarSchema>>;
}

export class IncompleteApplicationError extends Error {
  constructor(readonly firstIncomplete: string) {
    super(`The application is not complete: ${firstIncomplete}`);
  }
}

/**
 * Re-checks every answer with its step's schema and returns the typed application, or throws
 * IncompleteApplicationError naming the first page still to do.
 */
export function toApplication(answers: Answers, today: string): Application {
  const progress = journeyProgress(answers, today);
  if (progress.firstIncomplete !== 'check-answers') throw new IncompleteApplicationError(progress.firstIncomplete);
  const steps = answers.steps;
  const who = whoIsApplyingSchema().parse(steps['who-is-applying']);
  const wording = wordingFor(who.applyingAs);
  const { victimType } = victimTypeSchema(wording).parse(steps['victim-type']);
  const onBehalf = who.applyingAs === 'on-behalf';
  const consent = onBehalf ? consentSchema().parse(steps.consent) : null;
  return {
    applyingOnBehalf: onBehalf,
    victimType,
    victim: {
      ...victimDetailsSchema(wording, victimType, today).parse(steps['victim-details']),
      ...victimContactSchema(wording).parse(steps['victim-contact']),
    },
    applicant: onBehalf ? applicantDetailsSchema().parse(steps['applicant-details']) : null,
    consent: consent ? { ...consent, uploadId: consent.method === 'upload' ? (answers.consentUpload?.uploadId ?? null) : null } : null,
    incidents: answers.incidents.map((incident) => incidentSchema(today).parse(incident)),
    related: relatedIncidentsSchema().parse(steps['related-incidents']),
    impact: impactSchema(wording).parse(steps.impact),
    actionSoFar: actionSoFarSchema().parse(steps['action-so-far']),
  };
}
