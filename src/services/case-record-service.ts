import { z } from 'zod';
import type { CaseRecordData, CaseRecordRepository } from '../data/case-record.ts';
import { formatLongDate, formatShortDate, londonDate, type IsoDate } from '../domain/calendar-date.ts';
import {
  appealSubjectLabels,
  isAppealSubject,
  isRejectionGround,
  isVictimAttendance,
  rejectionGroundLabels,
  victimAttendanceLabels,
} from '../domain/case-decisions.ts';
import { channelLabels } from '../domain/case-list-query.ts';
import { statusLabels } from '../domain/case-status.ts';
import { formatLondonTime } from '../domain/london-time.ts';
import { isReference, normaliseReference } from '../domain/reference.ts';
import { letterMissing, letterNames, letterTitles, type LetterName } from './case-letters.ts';

/**
 * The printed case record: everything on the case page, in words, for a meeting file. Reading it
 * is audited ('printed case record'), as every view of a case is.
 */

export interface RecordRow {
  key: string;
  value: string;
}

export interface CaseRecordView {
  reference: string;
  status: string;
  printedAt: string;
  printedBy: string;
  summary: RecordRow[];
  people: Array<{ title: string; rows: RecordRow[] }>;
  consent: RecordRow[] | null;
  application: RecordRow[];
  incidents: Array<{ number: number; when: string; what: string; where: string; reported: string }>;
  advice: { headline: string; reasons: string[]; flags: string[] } | null;
  decision: RecordRow[] | null;
  informationRequests: Array<{ id: string; agency: string; asked: string; requested: string; due: string; reply: string }>;
  reviews: Array<{ title: string; rows: RecordRow[]; contributions: Array<{ agency: string; shared: string; actionsTaken: string }> }>;
  actionPlan: {
    recommendations: Array<{ action: string; agency: string; due: string; done: string; victimComments: string }>;
    victimComments: string | null;
    outcome: { summary: string; sent: string } | null;
  };
  appeals: Array<{ title: string; rows: RecordRow[] }>;
  closure: RecordRow[] | null;
  chronology: Array<{ when: string; change: string; by: string; reason: string }>;
  notes: Array<{ when: string; by: string; text: string }>;
  emails: Array<{ when: string; to: string; subject: string; state: string }>;
  /** The letters this case has now, for links on screen. */
  letters: Array<{ name: LetterName; title: string }>;
}

const labels = {
  victimType: { person: 'A person', business: 'A business', group: 'A community group' },
  preferredContact: { email: 'Email', phone: 'Phone', letter: 'Letter' },
  consentMethod: { upload: 'Signed consent form uploaded', declaration: 'Declaration that the victim agreed' },
  reportedTo: { council: 'the council', police: 'the police', landlord: 'the landlord or housing provider' },
  yesNoNotSure: { yes: 'Yes', no: 'No', 'not-sure': 'Not sure' },
  hateTypes: {
    disability: 'Disability',
    race: 'Race',
    religion: 'Religion or belief',
    'sexual-orientation': 'Sexual orientation',
    'transgender-identity': 'Transgender identity',
  },
  decision: { met: 'Threshold met', 'not-met': 'Threshold not met', not_met: 'Threshold not met', rejected: 'Rejected' },
  emailStatus: { pending: 'waiting to be sent', sending: 'sending', sent: 'sent', failed: 'failed to send' },
} as const;

/** A stored code in words: from the map, or the code itself made readable. */
function label(map: Readonly<Record<string, string>>, value: string): string {
  const known = map[value];
  if (known !== undefined) return known;
  const words = value.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const orNone = (value: string | null | undefined, none = 'Not given') => (value && value.trim() ? value : none);
const day = (instant: Date) => formatLongDate(londonDate(instant));
const dateTime = (instant: Date) => `${day(instant)}, ${formatLondonTime(instant)}`;
const shortDay = (date: IsoDate) => formatShortDate(date);

const adviceSchema = z.object({
  met: z.boolean(),
  countedIncidents: z.number().optional(),
  required: z.number().optional(),
  reasons: z.array(z.string()).default([]),
  flags: z.array(z.string()).default([]),
});

const contributionsSchema = z.array(
  z
    .object({ agency: z.string().catch(''), shared: z.string().catch(''), actionsTaken: z.string().catch('') })
    .catch({ agency: '', shared: '', actionsTaken: '' }),
);

export function presentCaseRecord(record: CaseRecordData, printed: { at: Date; by: string }): CaseRecordView {
  const latestReview = record.reviews[record.reviews.length - 1] ?? null;
  const latestAppeal = record.appeals[record.appeals.length - 1] ?? null;
  const facts = { ...record, review: latestReview, appeal: latestAppeal };
  const advice = adviceSchema.safeParse(record.thresholdAdvice);

  return {
    reference: record.reference,
    status: statusLabels[record.status],
    printedAt: dateTime(printed.at),
    printedBy: printed.by,
    summary: [
      { key: 'Status', value: statusLabels[record.status] },
      { key: 'How it came in', value: label(channelLabels, record.channel) },
      { key: 'Received', value: dateTime(record.receivedAt) },
      {
        key: 'Acknowledgement',
        value: record.acknowledgedAt
          ? `Acknowledged ${day(record.acknowledgedAt)} (due ${formatLongDate(record.acknowledgementDueOn)})`
          : `Due ${formatLongDate(record.acknowledgementDueOn)}`,
      },
      { key: 'Next deadline', value: record.nextDeadlineOn ? formatLongDate(record.nextDeadlineOn) : 'None' },
      { key: 'Single point of contact', value: record.spoc ? `${record.spoc.name} (${record.spoc.email})` : 'Not assigned yet' },
    ],
    people: record.people.map((person) =>
      person.role === 'applicant'
        ? {
            title: 'The applicant (applying for the victim)',
            rows: [
              { key: 'Name', value: person.name },
              { key: 'Relationship to the victim', value: orNone(person.relationship) },
              { key: 'Organisation', value: orNone(person.organisation) },
              { key: 'Email', value: orNone(person.email) },
              { key: 'Phone', value: orNone(person.phone) },
            ],
          }
        : {
            title: 'The victim',
            rows: [
              ...(person.organisationName ? [{ key: 'Business or group', value: person.organisationName }] : []),
              { key: person.organisationName ? 'Contact name' : 'Name', value: person.name },
              { key: 'Address', value: person.address.join('\n') || 'Not given' },
              { key: 'Date of birth', value: person.dateOfBirth ? formatLongDate(person.dateOfBirth) : 'Not given' },
              { key: 'Email', value: orNone(person.email) },
              { key: 'Phone', value: orNone(person.phone) },
              {
                key: 'Preferred contact',
                value: person.preferredContact ? label(labels.preferredContact, person.preferredContact) : 'Not given',
              },
              { key: 'Safe times to contact', value: orNone(person.safeTimes) },
              { key: 'Language, accessibility or communication needs', value: orNone(person.needs, 'None given') },
            ],
          },
    ),
    consent: record.consent
      ? [
          { key: 'How consent was given', value: label(labels.consentMethod, record.consent.method) },
          { key: 'Declaration that the victim agreed', value: record.consent.declared ? 'Yes' : 'No' },
          ...(record.consent.howToConfirm ? [{ key: 'How to confirm it with the victim', value: record.consent.howToConfirm }] : []),
          ...(record.consent.upload
            ? [{ key: 'Signed consent form', value: `${record.consent.upload.fileName} (kept with the case)` }]
            : []),
          { key: 'Confirmed with the victim', value: record.consent.confirmedAt ? day(record.consent.confirmedAt) : 'Not yet' },
        ]
      : null,
    application: [
      { key: 'Who is applying', value: record.applyingOnBehalf ? 'Someone on the victim’s behalf' : 'The victim' },
      { key: 'Who is affected', value: label(labels.victimType, record.victimType) },
      { key: 'Are the incidents related', value: label(labels.yesNoNotSure, record.incidentsRelated) },
      { key: 'Households reporting', value: record.householdsReporting === null ? 'Not given' : String(record.householdsReporting) },
      { key: 'Impact on the victim and household', value: record.impact },
      { key: 'Vulnerability', value: orNone(record.vulnerability, 'None given') },
      {
        key: 'Motivated by hate',
        value:
          record.hateMotivated === 'yes'
            ? `Yes: ${record.hateTypes.map((type) => label(labels.hateTypes, type)).join(', ') || 'type not given'}`
            : label(labels.yesNoNotSure, record.hateMotivated),
      },
      { key: 'What has been done so far', value: record.actionSoFar },
      { key: 'Outcome hoped for', value: record.hopedOutcome },
    ],
    incidents: record.incidents.map((incident) => ({
      number: incident.position,
      when: `${shortDay(incident.occurredOn)}${incident.occurredOnApproximate ? ' (approximate)' : ''}`,
      what: incident.description,
      where: incident.location,
      reported: [
        incident.reportedTo
          .filter((agency) => agency !== 'none')
          .map((agency) =>
            agency === 'other' ? `someone else (${incident.reportedToOther ?? 'not named'})` : label(labels.reportedTo, agency),
          )
          .join(', ')
          .replace(/^./, (first) => first.toUpperCase()) || 'Not reported',
        incident.reportedOn ? `on ${shortDay(incident.reportedOn)}` : '',
        incident.reference ? `(reference ${incident.reference})` : '',
      ]
        .filter(Boolean)
        .join(' '),
    })),
    advice: advice.success
      ? {
          headline:
            `${advice.data.met ? 'Threshold met' : 'Threshold not met'}` +
            (advice.data.countedIncidents !== undefined && advice.data.required !== undefined
              ? `: ${advice.data.countedIncidents} of ${advice.data.required} qualifying incidents counted`
              : ''),
          reasons: advice.data.reasons,
          flags: advice.data.flags,
        }
      : null,
    decision: record.decision
      ? [
          { key: 'Decision', value: label(labels.decision, record.decision) },
          ...(record.rejectionGround
            ? [
                {
                  key: 'Ground for rejection',
                  value: isRejectionGround(record.rejectionGround) ? rejectionGroundLabels[record.rejectionGround] : record.rejectionGround,
                },
              ]
            : []),
          { key: 'Reasons', value: orNone(record.decisionReason) },
          ...(record.overrideReason ? [{ key: 'Why the decision differs from the advice', value: record.overrideReason }] : []),
          ...(record.decidedAt ? [{ key: 'Decided', value: dateTime(record.decidedAt) }] : []),
        ]
      : null,
    informationRequests: record.informationRequests.map((request) => ({
      id: request.id,
      agency: request.agency,
      asked: orNone(request.asked),
      requested: day(request.requestedAt),
      due: formatLongDate(request.dueOn),
      reply: request.repliedAt ? `${day(request.repliedAt)}: ${request.reply ?? ''}` : 'No reply yet',
    })),
    reviews: record.reviews.map((review, index) => ({
      title: record.reviews.length > 1 ? `Review meeting ${index + 1}` : 'Review meeting',
      rows: [
        { key: 'Date and time', value: dateTime(review.scheduledFor) },
        { key: 'Agencies invited', value: review.agenciesInvited.join('\n') || 'None recorded' },
        { key: 'Independent chair', value: review.independentChair ?? 'None' },
        {
          key: 'Victim’s attendance',
          value: isVictimAttendance(review.victimAttendance)
            ? victimAttendanceLabels[review.victimAttendance]
            : label({}, review.victimAttendance),
        },
        ...(review.notInvitedReason ? [{ key: 'Why the victim was not invited', value: review.notInvitedReason }] : []),
        { key: 'Held', value: review.heldAt ? day(review.heldAt) : 'Not yet' },
      ],
      contributions: contributionsSchema.catch([]).parse(review.contributions ?? []),
    })),
    actionPlan: {
      recommendations: record.recommendations.map((recommendation) => ({
        action: recommendation.action,
        agency: recommendation.agency,
        due: shortDay(recommendation.dueOn),
        done: recommendation.done ? `Done${recommendation.doneAt ? ` ${day(recommendation.doneAt)}` : ''}` : 'Not yet',
        victimComments: recommendation.victimComments ?? '',
      })),
      victimComments: record.actionPlanComments,
      outcome: record.outcomeSummary
        ? { summary: record.outcomeSummary, sent: record.outcomeSentAt ? day(record.outcomeSentAt) : 'Not sent' }
        : null,
    },
    appeals: record.appeals.map((appeal, index) => ({
      title: record.appeals.length > 1 ? `Appeal ${index + 1}` : 'Appeal',
      rows: [
        { key: 'Received', value: day(appeal.receivedAt) },
        { key: 'About', value: isAppealSubject(appeal.about) ? appealSubjectLabels[appeal.about] : label({}, appeal.about) },
        { key: 'From', value: orNone(appeal.appellant, 'Not recorded') },
        { key: 'Result', value: appeal.result ?? 'Not concluded yet' },
        ...(appeal.upheld === null ? [] : [{ key: 'Upheld', value: appeal.upheld ? 'Yes' : 'No' }]),
        ...(appeal.sentBack ? [{ key: 'Sent back', value: 'Yes, to be reconsidered' }] : []),
        ...(appeal.concludedAt ? [{ key: 'Concluded', value: day(appeal.concludedAt) }] : []),
      ],
    })),
    closure: record.closedAt
      ? [
          { key: record.status === 'withdrawn' ? 'Withdrawn' : 'Closed', value: day(record.closedAt) },
          { key: 'Why', value: orNone(record.closureReason) },
        ]
      : null,
    chronology: record.statusChanges.map((change) => ({
      when: dateTime(change.at),
      change: change.fromStatus ? `${statusLabels[change.fromStatus]} to ${statusLabels[change.toStatus]}` : statusLabels[change.toStatus],
      by: change.officerName ?? (change.fromStatus === null ? 'The applicant' : 'The system'),
      reason: change.reason ?? '',
    })),
    notes: record.notes.map((note) => ({ when: dateTime(note.createdAt), by: note.officerName ?? 'An officer', text: note.text })),
    emails: record.emails.map((email) => ({
      when: dateTime(email.createdAt),
      to: email.to,
      subject: email.subject,
      state: label(labels.emailStatus, email.status),
    })),
    letters: letterNames.filter((name) => letterMissing(name, facts) === null).map((name) => ({ name, title: letterTitles[name] })),
  };
}

export function caseRecordService(deps: { records: CaseRecordRepository; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());
  return {
    /** The record, or null for an unknown or malformed reference. Writes the audit entry. */
    async print(reference: string, officer: { id: string; name: string }): Promise<CaseRecordView | null> {
      if (!isReference(reference)) return null;
      const record = await deps.records.find(normaliseReference(reference));
      if (!record) return null;
      await deps.records.recordPrint(record.id, officer.id);
      return presentCaseRecord(record, { at: now(), by: officer.name });
    },
  };
}

export type CaseRecordService = ReturnType<typeof caseRecordService>;
