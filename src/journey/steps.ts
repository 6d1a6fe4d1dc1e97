import type { z } from 'zod';
import { normaliseForm, type FormFields, type FormValues } from './fields.ts';
import {
  actionSoFarSchema,
  applicantDetailsSchema,
  consentSchema,
  impactSchema,
  relatedIncidentsSchema,
  victimContactSchema,
  victimDetailsSchema,
  victimTypeSchema,
  whoIsApplyingSchema,
  wordingFor,
  type Wording,
} from './schemas.ts';

/**
 * The resident's application, as data: each step is a page (its slug is its URL and its view),
 * the fields it reads, the schema that checks them and which page comes next. Routes, the
 * progress guard, check-your-answers and the paper form all read this table.
 */
export interface Answers {
  steps: Partial<Record<string, FormValues>>;
  /** Incidents, added one at a time (raw form values of each). */
  incidents: FormValues[];
  /** The resident said they have no more incidents to add. */
  incidentsComplete: boolean;
  /** A signed consent form that passed the upload checks. */
  consentUpload: { uploadId: string; fileName: string; size: number } | null;
  /** Set when an officer enters a paper, phone or email application: how and when it arrived. */
  assisted?: { channel: 'paper' | 'phone' | 'email'; receivedOn: string } | null;
  /** One-time keys of the posts already applied to this draft (src/middleware/idempotency.ts). */
  usedKeys?: string[];
}

export function emptyAnswers(): Answers {
  return { steps: {}, incidents: [], incidentsComplete: false, consentUpload: null };
}

export interface StepContext {
  wording: Wording;
  answers: Answers;
  /** The London calendar date today, for "must be in the past" rules. */
  today: string;
}

export interface FormStep {
  kind: 'form';
  slug: string;
  title: (context: StepContext) => string;
  /** The fields it reads; `multiline` the ones that are textareas (see normaliseForm). */
  fields: FormFields;
  schema: (context: StepContext) => z.ZodType;
  next: (answers: Answers) => string;
}

/** Pages whose completeness is not one form: the incident list and the consent upload. */
export interface SpecialStep {
  kind: 'incidents' | 'upload';
  slug: string;
  title: (context: StepContext) => string;
  isComplete: (answers: Answers) => boolean;
  next: (answers: Answers) => string;
}

export type Step = FormStep | SpecialStep;

const onBehalf = (answers: Answers) => answers.steps['who-is-applying']?.applyingAs === 'on-behalf';
const value = (answers: Answers, slug: string, field: string) => {
  const found = answers.steps[slug]?.[field];
  return typeof found === 'string' ? found : undefined;
};

export const steps: readonly Step[] = [
  {
    kind: 'form',
    slug: 'who-is-applying',
    title: () => 'Who is applying?',
    fields: { single: ['applyingAs'] },
    schema: () => whoIsApplyingSchema(),
    next: () => 'victim-type',
  },
  {
    kind: 'form',
    slug: 'victim-type',
    title: ({ wording }) => (wording.self ? 'Are you applying as a person, a business or a community group?' : 'Is the victim a person, a business or a community group?'),
    fields: { single: ['victimType'] },
    schema: ({ wording }) => victimTypeSchema(wording),
    next: () => 'victim-details',
  },
  {
    kind: 'form',
    slug: 'victim-details',
    title: ({ wording }) => (wording.self ? 'Your name and address' : 'The victim’s name and address'),
    fields: {
      single: ['fullName', 'organisationName', 'addressLine1', 'addressLine2', 'town', 'postcode', 'dateOfBirth-day', 'dateOfBirth-month', 'dateOfBirth-year'],
    },
    schema: ({ wording, answers, today }) => victimDetailsSchema(wording, value(answers, 'victim-type', 'victimType'), today),
    next: () => 'victim-contact',
  },
  {
    kind: 'form',
    slug: 'victim-contact',
    title: ({ wording }) => (wording.self ? 'How can we contact you?' : 'How can we contact the victim?'),
    fields: { single: ['email', 'phone', 'preferredContact', 'safeTimes', 'needs'], multiline: ['needs'] },
    schema: ({ wording }) => victimContactSchema(wording),
    next: (answers) => (onBehalf(answers) ? 'applicant-details' : 'incidents'),
  },
  {
    kind: 'form',
    slug: 'applicant-details',
    title: () => 'Your details',
    fields: { single: ['fullName', 'relationship', 'organisation', 'email', 'phone'] },
    schema: () => applicantDetailsSchema(),
    next: () => 'consent',
  },
  {
    kind: 'form',
    slug: 'consent',
    title: () => 'The victim’s consent',
    fields: { single: ['consentMethod', 'consentDeclared', 'howToConfirm'], multiline: ['howToConfirm'] },
    schema: () => consentSchema(),
    next: (answers) => (value(answers, 'consent', 'consentMethod') === 'upload' ? 'consent-upload' : 'incidents'),
  },
  {
    kind: 'upload',
    slug: 'consent-upload',
    title: () => 'Upload the signed consent form',
    isComplete: (answers) => answers.consentUpload !== null,
    next: () => 'incidents',
  },
  {
    kind: 'incidents',
    slug: 'incidents',
    title: () => 'Incidents of anti-social behaviour',
    isComplete: (answers) => answers.incidents.length > 0 && answers.incidentsComplete,
    next: () => 'related-incidents',
  },
  {
    kind: 'form',
    slug: 'related-incidents',
    title: () => 'Are the incidents related?',
    fields: { single: ['incidentsRelated', 'otherHouseholds', 'householdsCount'] },
    schema: () => relatedIncidentsSchema(),
    next: () => 'impact',
  },
  {
    kind: 'form',
    slug: 'impact',
    title: ({ wording }) => (wording.self ? 'How has it affected you?' : 'How has it affected the victim?'),
    fields: { single: ['impact', 'vulnerable', 'vulnerability', 'hateMotivated'], multiple: ['hateTypes'], multiline: ['impact', 'vulnerability'] },
    schema: ({ wording }) => impactSchema(wording),
    next: () => 'action-so-far',
  },
  {
    kind: 'form',
    slug: 'action-so-far',
    title: () => 'What has been done so far?',
    fields: { single: ['actionSoFar', 'hopedOutcome'], multiline: ['actionSoFar', 'hopedOutcome'] },
    schema: () => actionSoFarSchema(),
    next: () => 'check-answers',
  },
];

export const firstStep = 'who-is-applying';
export const checkAnswersSlug = 'check-answers';

export function findStep(slug: string): Step | undefined {
  return steps.find((step) => step.slug === slug);
}

export function contextFor(answers: Answers, today: string): StepContext {
  return { wording: wordingFor(value(answers, 'who-is-applying', 'applyingAs')), answers, today };
}

export function readForm(step: FormStep, body: unknown): FormValues {
  return normaliseForm(body, step.fields);
}

export function isStepComplete(step: Step, answers: Answers, today: string): boolean {
  if (step.kind !== 'form') return step.isComplete(answers);
  const saved = answers.steps[step.slug];
  return saved !== undefined && step.schema(contextFor(answers, today)).safeParse(saved).success;
}

/**
 * The pages a resident has reached: from the first step, following `next`, up to and including
 * the first one not yet complete (or check-your-answers when all are).
 */
export function journeyProgress(answers: Answers, today: string): { reachable: string[]; firstIncomplete: string } {
  const reachable: string[] = [];
  let slug = firstStep;
  for (let guard = 0; guard <= steps.length; guard += 1) {
    const step = findStep(slug);
    if (!step) break;
    reachable.push(slug);
    if (!isStepComplete(step, answers, today)) return { reachable, firstIncomplete: slug };
    slug = step.next(answers);
  }
  reachable.push(checkAnswersSlug);
  return { reachable, firstIncomplete: checkAnswersSlug };
}
