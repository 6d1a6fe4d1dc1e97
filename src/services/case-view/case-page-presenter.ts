import { z } from 'zod';
import type { CaseRecord } from '../../data/case-queries.ts';
import { caseActionMenu } from '../../domain/case-action-menu.ts';
import { channelLabels } from '../../domain/case-list-query.ts';
import { compareIsoDates, formatShortDate, type IsoDate } from '../../domain/calendar-date.ts';
import { statusLabels } from '../../domain/case-status.ts';
import { caseHref, deadlineWords, formatDate, formatDateTime, plural } from './format.ts';
import { label, labels, orNone, statusTag } from './labels.ts';
import { presentTimeline, type TimelineEntry } from './case-timeline-presenter.ts';

/** The case page: one case read whole, every date and code already in words. */

export interface Row {
  key: string;
  value: string;
}

export interface CasePageView {
  reference: string;
  status: { label: string; classes: string };
  summary: Row[];
  actions: { moves: Array<{ href: string; label: string }>; records: Array<{ href: string; label: string }> };
  people: Array<{ title: string; rows: Row[] }>;
  consent: { rows: Row[]; file: { href: string; text: string } | null } | null;
  application: Row[];
  incidents: Array<{ title: string; rows: Row[] }>;
  advice: { met: boolean; headline: string; reasons: string[]; flags: string[] } | null;
  decision: Row[] | null;
  informationRequests: Array<{ agency: string; requested: string; due: string; replied: string }>;
  reviews: Array<{ title: string; rows: Row[] }>;
  recommendations: Array<{ action: string; agency: string; due: string; done: string; victimComments: string }>;
  appeals: Array<{ title: string; rows: Row[] }>;
  timeline: TimelineEntry[];
  views: TimelineEntry[];
}

const adviceSchema = z.object({
  met: z.boolean(),
  countedIncidents: z.number(),
  required: z.number(),
  reasons: z.array(z.string()),
  flags: z.array(z.string()),
});

export function presentCase(record: CaseRecord, today: IsoDate): CasePageView {
  const menu = caseActionMenu(record.status);
  const actionHref = (slug: string) => `${caseHref(record.reference)}/actions/${slug}`;
  return {
    reference: record.reference,
    status: statusTag(record.status),
    summary: [
      { key: 'Status', value: statusLabels[record.status] },
      { key: 'How it came in', value: label(channelLabels, record.channel) },
      { key: 'Received', value: formatDateTime(record.receivedAt) },
      {
        key: 'Acknowledge by',
        value: record.acknowledgedAt
          ? `${formatShortDate(record.acknowledgementDueOn)} (acknowledged ${formatDate(record.acknowledgedAt)})`
          : `${formatShortDate(record.acknowledgementDueOn)}`,
      },
      {
        key: 'Next deadline',
        value: record.nextDeadlineOn
          ? `${deadlineWords(record.nextDeadlineOn, today).words} (${formatShortDate(record.nextDeadlineOn)})`
          : 'None',
      },
      { key: 'Single point of contact', value: record.spoc ? `${record.spoc.name} (${record.spoc.email})` : 'Not assigned yet' },
      ...(record.closedAt
        ? [{ key: 'Closed', value: `${formatDate(record.closedAt)}${record.closureReason ? `: ${record.closureReason}` : ''}` }]
        : []),
    ],
    actions: {
      moves: menu.moves.map((item) => ({ href: actionHref(item.slug), label: item.label })),
      records: menu.records.map((item) => ({ href: actionHref(item.slug), label: item.label })),
    },
    people: presentPeople(record),
    consent: presentConsent(record),
    application: [
      { key: 'Who is applying', value: record.applyingOnBehalf ? 'Someone on the victim’s behalf' : 'The victim' },
      { key: 'Who is affected', value: label(labels.victimType, record.victimType) },
      { key: 'Are the incidents related', value: label(labels.yesNoNotSure, record.incidentsRelated) },
      {
        key: 'Households reporting',
        value: record.householdsReporting === null ? 'Not given' : plural(record.householdsReporting, 'household'),
      },
      { key: 'Impact on the victim and household', value: record.impact },
      { key: 'Vulnerability', value: record.vulnerability ?? 'None given' },
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
      title: `Incident ${incident.position}`,
      rows: [
        { key: 'Date', value: `${formatShortDate(incident.occurredOn)}${incident.occurredOnApproximate ? ' (approximate)' : ''}` },
        { key: 'What happened', value: incident.description },
        { key: 'Where', value: incident.location },
        {
          key: 'Reported to',
          value:
            incident.reportedTo
              .filter((agency) => agency !== 'none')
              .map((agency) => (agency === 'other' ? `Someone else: ${incident.reportedToOther ?? ''}` : label(labels.reportedTo, agency)))
              .join('\n') || 'Not reported',
        },
        { key: 'Date reported', value: incident.reportedOn ? formatShortDate(incident.reportedOn) : 'Not given' },
        { key: 'Reference or crime number', value: orNone(incident.reference) },
      ],
    })),
    advice: presentAdvice(record.thresholdAdvice),
    decision: record.decision
      ? [
          { key: 'Decision', value: label(labels.decision, record.decision) },
          ...(record.rejectionGround ? [{ key: 'Ground for rejection', value: label({}, record.rejectionGround) }] : []),
          { key: 'Reason', value: orNone(record.decisionReason) },
          ...(record.decidedAt ? [{ key: 'Decided', value: formatDateTime(record.decidedAt) }] : []),
        ]
      : null,
    informationRequests: record.informationRequests.map((request) => ({
      agency: request.agency,
      requested: formatDate(request.requestedAt),
      due: formatShortDate(request.dueOn),
      replied: request.repliedAt
        ? formatDate(request.repliedAt)
        : compareIsoDates(request.dueOn, today) < 0
          ? 'No reply (overdue)'
          : 'No reply yet',
    })),
    reviews: record.reviews.map((review, index) => ({
      title: record.reviews.length > 1 ? `Review meeting ${index + 1}` : 'Review meeting',
      rows: [
        { key: 'Date and time', value: formatDateTime(review.scheduledFor) },
        { key: 'Agencies invited', value: review.agenciesInvited.join('\n') || 'None recorded' },
        { key: 'Independent chair', value: review.independentChair ?? 'None' },
        { key: 'Victim’s attendance', value: label({}, review.victimAttendance) },
        ...(review.notInvitedReason ? [{ key: 'Why the victim was not invited', value: review.notInvitedReason }] : []),
        { key: 'Held', value: review.heldAt ? formatDateTime(review.heldAt) : 'Not yet' },
      ],
    })),
    recommendations: record.recommendations.map((recommendation) => ({
      action: recommendation.action,
      agency: recommendation.agency,
      due: formatShortDate(recommendation.dueOn),
      done: recommendation.done ? 'Done' : 'Not done',
      victimComments: recommendation.victimComments ?? '',
    })),
    appeals: record.appeals.map((appeal, index) => ({
      title: record.appeals.length > 1 ? `Appeal ${index + 1}` : 'Appeal',
      rows: [
        { key: 'Received', value: formatDate(appeal.receivedAt) },
        { key: 'About', value: label({}, appeal.about) },
        { key: 'Result', value: appeal.result ?? 'Not concluded yet' },
        ...(appeal.upheld === null ? [] : [{ key: 'Upheld', value: appeal.upheld ? 'Yes' : 'No' }]),
        ...(appeal.concludedAt ? [{ key: 'Concluded', value: formatDate(appeal.concludedAt) }] : []),
      ],
    })),
    ...presentTimeline(record),
  };
}

function presentPeople(record: CaseRecord): CasePageView['people'] {
  return record.people.map((person) => {
    const address = [person.addressLine1, person.addressLine2, person.town, person.postcode].filter((line): line is string =>
      Boolean(line),
    );
    if (person.role === 'applicant') {
      return {
        title: 'The applicant (applying for the victim)',
        rows: [
          { key: 'Name', value: person.name },
          { key: 'Relationship to the victim', value: orNone(person.relationship) },
          { key: 'Organisation', value: orNone(person.organisation) },
          { key: 'Email', value: orNone(person.email) },
          { key: 'Phone', value: orNone(person.phone) },
        ],
      };
    }
    return {
      title: 'The victim',
      rows: [
        ...(person.organisationName ? [{ key: 'Organisation name', value: person.organisationName }] : []),
        { key: person.organisationName ? 'Contact name' : 'Name', value: person.name },
        { key: 'Address', value: address.join('\n') || 'Not given' },
        { key: 'Date of birth', value: person.dateOfBirth ? formatShortDate(person.dateOfBirth) : 'Not given' },
        { key: 'Email', value: orNone(person.email) },
        { key: 'Phone', value: orNone(person.phone) },
        {
          key: 'Preferred contact',
          value: person.preferredContact ? label(labels.preferredContact, person.preferredContact) : 'Not given',
        },
        { key: 'Safe times to contact', value: orNone(person.safeTimes) },
        { key: 'Language, accessibility or communication needs', value: orNone(person.needs) },
      ],
    };
  });
}

function presentConsent(record: CaseRecord): CasePageView['consent'] {
  const consent = record.consent;
  if (!consent) return null;
  const rows: Row[] = [
    { key: 'How consent was given', value: label(labels.consentMethod, consent.method) },
    { key: 'Declaration that the victim agreed', value: consent.declared ? 'Yes' : 'No' },
  ];
  if (consent.howToConfirm) rows.push({ key: 'How to confirm it with the victim', value: consent.howToConfirm });
  rows.push({ key: 'Confirmed with the victim', value: consent.confirmedAt ? formatDate(consent.confirmedAt) : 'Not yet' });
  const upload = consent.upload;
  return {
    rows,
    file: upload
      ? {
          href: `${caseHref(record.reference)}/consent-file`,
          text: `Download the signed consent form (${upload.fileName}, ${fileSize(upload.size)})`,
        }
      : null,
  };
}

function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)}KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)}MB`;
}

function presentAdvice(stored: unknown): CasePageView['advice'] {
  const parsed = adviceSchema.safeParse(stored);
  if (!parsed.success) return null;
  const advice = parsed.data;
  return {
    met: advice.met,
    headline: `${advice.met ? 'Threshold met' : 'Threshold not met'}: ${advice.countedIncidents} of ${advice.required} qualifying incidents counted`,
    reasons: advice.reasons,
    flags: advice.flags,
  };
}
