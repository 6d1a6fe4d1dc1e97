import { randomBytes } from 'node:crypto';
import type { Config } from '../config.ts';
import type { CaseRepository, NewCase, NewEmail, NewPerson, SubmittedCase } from '../data/cases.ts';
import { DuplicateReferenceError } from '../data/cases.ts';
import type { DraftRecord, DraftRepository } from '../data/drafts.ts';
import { formatLongDate, londonDate } from '../domain/calendar-date.ts';
import { generateReference } from '../domain/reference.ts';
import { assessThreshold, type ThresholdAdvice } from '../domain/threshold.ts';
import { addWorkingDays } from '../domain/working-days.ts';
import { toApplication, type Application } from '../journey/application.ts';
import { emptyAnswers, type Answers } from '../journey/steps.ts';
import { renderTemplate } from '../views.ts';
import { checkConsentFile } from './consent-file-check.ts';

export interface Confirmation {
  reference: string;
  acknowledgementDueOn: string;
}

interface Dependencies {
  drafts: DraftRepository;
  cases: CaseRepository;
  config: Pick<Config, 'council' | 'baseUrl' | 'mail' | 'uploadMaxBytes'>;
  /** Wakes the outbox worker after a commit. */
  onEmailsQueued: () => void;
}

/**
 * The resident's application: keeping answers as they go, checking an uploaded consent form,
 * and submitting (one transaction, at most once per draft).
 */
export function applicationService({ drafts, cases, config, onEmailsQueued }: Dependencies) {
  return {
    startDraft: () => drafts.create(emptyAnswers()),
    findDraft: (id: string) => drafts.find(id),
    saveAnswers: (draft: DraftRecord, answers: Answers) => drafts.saveAnswers(draft.id, answers),

    /**
     * A change that adds or removes something (an incident): computed from the answers as stored,
     * and done at most once per one-time key (a null key: always). `applied` is false for a repeat.
     */
    changeAnswersOnce: (draft: DraftRecord, key: string | null, change: (answers: Answers) => Answers) =>
      drafts.changeOnce(draft.id, key, change),

    /**
     * Checks a consent form by its content (not its name or the browser's claim): not empty,
     * within the size limit, and a real PDF, JPEG or PNG of a sane size (`checkConsentFile`).
     * Used by both mounts of the form (residents and officers entering a paper application).
     * Returns an error message, or stores the upload.
     */
    async saveConsentUpload(
      draft: DraftRecord,
      file: { buffer: Buffer; originalname: string } | undefined,
      uploadError: string | undefined,
      key: string | null = null,
    ): Promise<{ ok: true } | { ok: false; message: string }> {
      const maxMb = Math.round((config.uploadMaxBytes / 1024 / 1024) * 10) / 10;
      if (uploadError === 'LIMIT_FILE_SIZE') return { ok: false, message: `The selected file must be smaller than ${maxMb}MB` };
      if (uploadError) return { ok: false, message: 'Select one file: the signed consent form' };
      if (!file || file.buffer.length === 0) {
        return { ok: false, message: file ? 'The selected file is empty' : 'Select the signed consent form' };
      }
      const checked = await checkConsentFile(file.buffer);
      if (!checked.ok) return checked;
      const { extension, mediaType } = checked;
      const fileName = `signed-consent-form.${extension}`;
      // The file and the answers that point to it in one transaction, once per one-time key: a
      // repeat of the same post stores no second copy.
      await drafts.changeOnce(draft.id, key, async (answers, work) => {
        const uploadId = await work.saveUpload({ fileName, mediaType, data: new Uint8Array(file.buffer) });
        return { ...answers, consentUpload: { uploadId, fileName: safeDisplayName(file.originalname, extension), size: file.buffer.length } };
      });
      return { ok: true };
    },

    /**
     * Submits the draft. A second submit of the same draft (double click, back and resubmit)
     * returns the case the first one made.
     */
    async submit(draft: DraftRecord, now: Date, enteredBy?: { id: string }): Promise<Confirmation> {
      const existing = await cases.findBySubmissionKey(draft.id);
      if (existing) return existing;
      const application = toApplication(draft.answers, londonDate(now));
      const receipt = receiptOf(draft, now, enteredBy);
      for (let attempt = 0; attempt < 5; attempt += 1) {
        try {
          const record = await buildCase(application, draft.id, receipt, config);
          const created: SubmittedCase | null = await cases.createSubmission(record);
          const result = created ?? (await cases.findBySubmissionKey(draft.id));
          if (!result) throw new Error('The submission was neither created nor found');
          if (created) onEmailsQueued();
          return result;
        } catch (error) {
          if (!(error instanceof DuplicateReferenceError)) throw error;
          // A new random reference; collisions are rare (30^6 per year) but possible.
        }
      }
      throw new Error('Could not find an unused case reference');
    },
  };
}

export type ApplicationService = ReturnType<typeof applicationService>;

/** The name shown back to the resident: their file's name, made harmless and short. */
function safeDisplayName(original: string, extension: string): string {
  const base = original.replace(/^.*[\\/]/, '').replace(/[^A-Za-z0-9 ._()-]/g, '').slice(0, 80).trim();
  return base || `consent-form.${extension}`;
}

interface Receipt {
  at: Date;
  /** The London calendar day the application arrived: deadlines count from it. */
  day: string;
  channel: NewCase['channel'];
  officerId: string | null;
}

/**
 * When and how the application arrived: now and online for a resident; for an officer entering a
 * paper, phone or email application, the day it arrived (deadlines run from then, not from typing).
 */
function receiptOf(draft: DraftRecord, now: Date, enteredBy: { id: string } | undefined): Receipt {
  const assisted = enteredBy ? draft.answers.assisted : null;
  if (!enteredBy || !assisted) return { at: now, day: londonDate(now), channel: 'online', officerId: null };
  const day = assisted.receivedOn;
  // Midday UTC is the same London calendar day all year round.
  const at = day === londonDate(now) ? now : new Date(`${day}T12:00:00Z`);
  return { at, day, channel: assisted.channel, officerId: enteredBy.id };
}

async function buildCase(application: Application, submissionKey: string, receipt: Receipt, config: Dependencies['config']): Promise<NewCase> {
  const council = config.council;
  const received = receipt.day;
  const dueOn = addWorkingDays(received, council.deadlines.acknowledgementWorkingDays);
  const advice: ThresholdAdvice = assessThreshold(
    {
      applicationDate: received,
      incidents: application.incidents.map((incident) => ({
        occurredOn: incident.occurredOn,
        occurredOnApproximate: incident.occurredOnApproximate,
        reportedTo: incident.reportedTo,
        reportedOn: incident.reportedOn,
        description: incident.description,
        location: incident.location,
      })),
      incidentsRelated: application.related.incidentsRelated,
      hateMotivated: application.impact.hateMotivated,
      householdsReporting: application.related.householdsReporting,
    },
    council.threshold,
  );
  const reference = generateReference(Number(received.slice(0, 4)), (n) => randomBytes(n));
  const victim = application.victim;
  const people: NewPerson[] = [
    {
      role: 'victim',
      name: victim.fullName,
      organisationName: victim.organisationName,
      addressLine1: victim.addressLine1,
      addressLine2: victim.addressLine2,
      town: victim.town,
      postcode: victim.postcode,
      dateOfBirth: victim.dateOfBirth,
      phone: victim.phone,
      email: victim.email,
      preferredContact: victim.preferredContact,
      safeTimes: victim.safeTimes,
      needs: victim.needs,
      relationship: null,
      organisation: null,
    },
  ];
  if (application.applicant) {
    const applicant = application.applicant;
    people.push({
      role: 'applicant',
      name: applicant.fullName,
      organisationName: null,
      addressLine1: null,
      addressLine2: null,
      town: null,
      postcode: null,
      dateOfBirth: null,
      phone: applicant.phone,
      email: applicant.email,
      preferredContact: null,
      safeTimes: null,
      needs: null,
      relationship: applicant.relationship,
      organisation: applicant.organisation,
    });
  }
  const emails = await acknowledgementEmails(application, reference, received, dueOn, config);
  return {
    reference,
    submissionKey,
    channel: receipt.channel,
    receivedAt: receipt.at,
    acknowledgementDueOn: dueOn,
    applyingOnBehalf: application.applyingOnBehalf,
    victimType: application.victimType,
    incidentsRelated: application.related.incidentsRelated,
    householdsReporting: application.related.householdsReporting,
    impact: application.impact.impact,
    vulnerability: application.impact.vulnerability,
    hateMotivated: application.impact.hateMotivated,
    hateTypes: application.impact.hateTypes,
    actionSoFar: application.actionSoFar.actionSoFar,
    hopedOutcome: application.actionSoFar.hopedOutcome,
    thresholdAdvice: advice,
    thresholdMet: advice.met,
    people,
    incidents: application.incidents,
    consent: application.consent,
    draftId: submissionKey,
    audit: receipt.officerId
      ? { actor: 'officer', officerId: receipt.officerId, action: `${receipt.channel} application entered by an officer` }
      : { actor: 'public', officerId: null, action: 'application submitted online' },
    emails,
  };
}

/**
 * The acknowledgement to the applicant (and to the victim too when someone applied for them and
 * the victim gave an email), and the notice to the officers' mailbox, which names no one.
 */
async function acknowledgementEmails(
  application: Application,
  reference: string,
  received: string,
  dueOn: string,
  config: Dependencies['config'],
): Promise<NewEmail[]> {
  const common = { reference, receivedOn: formatLongDate(received), dueDate: formatLongDate(dueOn), council: config.council };
  const subject = `We have received your application for an ASB Case Review (${reference})`;
  const emails: NewEmail[] = [];
  const acknowledge = async (to: string, name: string, onBehalfOf: string | null) => {
    const data = { ...common, name, onBehalfOf };
    emails.push({
      kind: 'acknowledgement',
      to,
      subject,
      text: await renderTemplate('emails/acknowledgement.text', data),
      html: await renderTemplate('emails/acknowledgement.html', data),
    });
  };
  const victimName = application.victim.organisationName ?? application.victim.fullName;
  if (application.applicant) {
    if (application.applicant.email) await acknowledge(application.applicant.email, application.applicant.fullName, victimName);
    if (application.victim.email) await acknowledge(application.victim.email, application.victim.fullName, null);
  } else if (application.victim.email) {
    await acknowledge(application.victim.email, application.victim.fullName, null);
  }
  const notice = { ...common, caseUrl: `${config.baseUrl}/admin/cases/${reference}` };
  emails.push({
    kind: 'new-application',
    to: config.mail.officerMailbox,
    subject: `New ASB Case Review application ${reference}`,
    text: await renderTemplate('emails/new-application.text', notice),
    html: await renderTemplate('emails/new-application.html', notice),
  });
  return emails;
}
