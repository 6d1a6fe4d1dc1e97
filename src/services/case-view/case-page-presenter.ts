import { z } from 'zod';
import type { CaseRecord } from '../../data/case-queries.ts';
import { actionDoneMessages, caseActionMenu, statusMoveSlugList } from '../../domain/case-action-menu.ts';
import { channelLabels } from '../../domain/case-list-query.ts';
import { compareIsoDates, formatShortDate, type IsoDate } from '../../domain/calendar-date.ts';
import { isFinalStatus, statusLabels } from '../../domain/case-status.ts';
import { isLetterName, letterMissing, letterNames, letterTitles } from '../case-letters.ts';
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
  actions: { next: Link | null; groups: Array<{ heading: string; links: Link[] }> };
  /** The printed case record and every letter the case has, each with its PDF. */
  prints: {
    record: Printable;
    letters: Array<Printable & { note: string }>;
    /** No email address for the person letters go to: every letter must be printed and posted. */
    postOnly: boolean;
  };
  people: Array<{ title: string; rows: Row[] }>;
  consent: { rows: Row[]; file: { href: string; text: string } | null } | null;
  application: Row[];
  incidents: Array<{ title: string; rows: Row[] }>;
  advice: { met: boolean; headline: string; reasons: string[]; flags: string[] } | null;
  decision: Row[] | null;
  informationRequests: Array<{ agency: string; requested: string; due: string; replied: string; replyHref: string | null; letter: Printable }>;
  reviews: Array<{ title: string; rows: Row[] }>;
  recommendations: Array<{ action: string; agency: string; due: string; done: string; victimComments: string }>;
  appeals: Array<{ title: string; rows: Row[] }>;
  timeline: TimelineEntry[];
  views: TimelineEntry[];
}

interface Link {
  href: string;
  label: string;
}

interface Printable {
  text: string;
  href: string;
  pdfHref: string;
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
      next: menu.next ? { href: actionHref(menu.next.slug), label: menu.next.label } : null,
      groups: menu.groups.map((group) => ({
        heading: group.heading,
        links: group.links.map((item) => ({ href: actionHref(item.slug), label: item.label })),
      })),
    },
    prints: presentPrints(record),
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
      replyHref: request.repliedAt || isFinalStatus(record.status) ? null : `${caseHref(record.reference)}/information-requests/${request.id}/reply`,
      letter: printable(`Print the letter to ${request.agency}`, `${caseHref(record.reference)}/letters/information-request/${request.id}`),
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

const printable = (text: string, href: string): Printable => ({ text, href, pdfHref: `${href}?format=pdf` });

/** The person letters go to: the one who applied (the applicant, or the victim applying themselves). */
function letterGoesByPost(record: CaseRecord): { name: string; byPost: boolean } {
  const person = record.people.find((p) => p.role === 'applicant') ?? record.people.find((p) => p.role === 'victim');
  return { name: person?.name ?? 'the applicant', byPost: !person?.email };
}

function presentPrints(record: CaseRecord): CasePageView['prints'] {
  const latest = <T extends { createdAt?: Date; receivedAt?: Date }>(items: T[]): T | null => items[items.length - 1] ?? null;
  const facts = {
    status: record.status,
    acknowledgedAt: record.acknowledgedAt,
    decision: record.decision,
    decidedAt: record.decidedAt,
    review: latest(record.reviews),
    outcomeSentAt: record.outcomeSentAt,
    appeal: latest(record.appeals),
    closedAt: record.closedAt,
  };
  const { name, byPost } = letterGoesByPost(record);
  const href = (letter: string) => `${caseHref(record.reference)}/letters/${letter}`;
  return {
    record: printable('Print the case record', `${caseHref(record.reference)}/print`),
    letters: letterNames
      .filter((letter) => letterMissing(letter, facts) === null)
      .map((letter) => ({
        ...printable(`${byPost ? 'Print and post' : 'Print'} the ${letterTitles[letter].toLowerCase()}`, href(letter)),
        note: byPost ? `Due by post: ${name} has no email address` : 'Sent by email',
      })),
    postOnly: byPost,
  };
}

/**
 * The success banner after an action (the action's page redirects to ?done=<slug>, and to
 * &letter=<name> when the letter must go by post): what happened, where the case is now, and
 * the letter to print.
 */
export function presentActionBanner(
  page: CasePageView,
  done: unknown,
  letter: unknown,
): { heading: string; status: string | null; letter: Printable | null } | null {
  if (typeof done !== 'string' || !Object.hasOwn(actionDoneMessages, done)) return null;
  const heading = actionDoneMessages[done] ?? '';
  const status = statusMoveSlugList.includes(done) ? `The case is now ${page.status.label}.` : null;
  const href = `${caseHref(page.reference)}/letters/${String(letter)}`;
  return {
    heading,
    status,
    letter: isLetterName(letter) ? printable(`Print the ${letterTitles[letter].toLowerCase()} and post it: there is no email address to send it to`, href) : null,
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
