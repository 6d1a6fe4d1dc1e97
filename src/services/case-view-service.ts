import { TZDate } from '@date-fns/tz';
import { z } from 'zod';
import type { Config } from '../config.ts';
import type { CaseListRow, CaseQueryRepository, CaseRecord, DashboardCaseRow, DashboardSection } from '../data/case-queries.ts';
import { caseActionMenu } from '../domain/case-action-menu.ts';
import {
  caseListHref,
  caseListPageSize,
  channelLabels,
  type CaseListCursor,
  type CaseListQuery,
  type CaseChannel,
} from '../domain/case-list-query.ts';
import { compareIsoDates, councilTimeZone, formatShortDate, londonDate, type IsoDate } from '../domain/calendar-date.ts';
import { statusLabels, type CaseStatus } from '../domain/case-status.ts';
import { isReference, normaliseReference } from '../domain/reference.ts';
import { workingDaysBetween } from '../domain/working-days.ts';

/**
 * The officers' read side: the dashboard, the case list and the case page, shaped for the views
 * (every date already in words). Every view of a case, and of its consent form, is audited.
 */

export interface Row {
  key: string;
  value: string;
}

export interface Deadline {
  date: string;
  words: string;
  overdue: boolean;
}

export interface DashboardCase {
  reference: string;
  href: string;
  received: string;
  due: Deadline | null;
}

export interface DashboardSectionView {
  id: string;
  title: string;
  count: number;
  href: string;
  dueHeading: string;
  cases: DashboardCase[];
  none: string;
}

export interface DashboardView {
  today: string;
  sections: DashboardSectionView[];
  failedEmails: number;
}

export interface CaseListItem {
  reference: string;
  href: string;
  victimName: string;
  status: { label: string; classes: string };
  channel: string;
  received: string;
  deadline: Deadline | null;
}

export interface CaseListView {
  /** '1 case', '42 cases', 'More than 1,000 cases'. */
  totalText: string;
  rows: CaseListItem[];
  previousHref: string | null;
  nextHref: string | null;
}

export interface TimelineEntry {
  at: string;
  when: string;
  title: string;
  details: string[];
  who: string;
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

export interface ConsentDownload {
  fileName: string;
  mediaType: string;
  data: Uint8Array;
}

/** Reviews on the dashboard: meetings in the next this-many days (and any not yet recorded). */
export const reviewHorizonDays = 14;
const dashboardListLength = 5;
/** The case list counts matches up to this many; beyond it says "more than". */
export const caseCountLimit = 1000;
const viewActions = new Set(['viewed case', 'downloaded consent form']);

const statusTagColours: Record<CaseStatus, string> = {
  received: 'blue',
  acknowledged: 'light-blue',
  threshold_met: 'green',
  threshold_not_met: 'orange',
  rejected: 'red',
  review_scheduled: 'purple',
  review_held: 'pink',
  outcome_sent: 'turquoise',
  appeal_received: 'yellow',
  appeal_concluded: 'yellow',
  closed: 'grey',
  withdrawn: 'grey',
};

const labels = {
  victimType: { person: 'A person', business: 'A business', group: 'A community group' },
  preferredContact: { email: 'Email', phone: 'Phone', letter: 'Letter' },
  consentMethod: { upload: 'Signed consent form uploaded', declaration: 'Declaration that the victim agreed' },
  reportedTo: { council: 'The council', police: 'The police', landlord: 'Landlord or housing provider', other: 'Someone else' },
  yesNoNotSure: { yes: 'Yes', no: 'No', 'not-sure': 'Not sure' },
  hateTypes: {
    disability: 'Disability',
    race: 'Race',
    religion: 'Religion or belief',
    'sexual-orientation': 'Sexual orientation',
    'transgender-identity': 'Transgender identity',
  },
  decision: { met: 'Threshold met', 'not-met': 'Threshold not met', rejected: 'Rejected' },
  emailKind: { acknowledgement: 'Acknowledgement', 'new-application': 'New application notice to the officers’ mailbox' },
  emailStatus: { pending: 'Waiting to be sent', sending: 'Sending', sent: 'Sent', failed: 'Failed' },
} as const;

/** A stored code in words: from the map, or the code itself made readable. */
function label(map: Readonly<Record<string, string>>, value: string): string {
  const known = map[value];
  if (known !== undefined) return known;
  const words = value.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const orNone = (value: string | null | undefined) => (value && value.trim() ? value : 'Not given');

function statusTag(status: CaseStatus) {
  return { label: statusLabels[status], classes: `govuk-tag govuk-tag--${statusTagColours[status]}` };
}

/** GOV.UK style time: '9am', '2:15pm', 'midday', 'midnight', in London. */
function londonTime(instant: Date): string {
  const local = new TZDate(instant.getTime(), councilTimeZone);
  const hours = local.getHours();
  const minutes = local.getMinutes();
  if (minutes === 0 && hours === 0) return 'midnight';
  if (minutes === 0 && hours === 12) return 'midday';
  const hour12 = hours % 12 === 0 ? 12 : hours % 12;
  return `${hour12}${minutes ? `:${String(minutes).padStart(2, '0')}` : ''}${hours < 12 ? 'am' : 'pm'}`;
}

export const formatDate = (instant: Date) => formatShortDate(londonDate(instant));
export const formatDateTime = (instant: Date) => `${formatDate(instant)} at ${londonTime(instant)}`;
/** In tables, where space is short, GOV.UK style abbreviates the month: '4 Dec 2026'. */
export const tableDate = (date: IsoDate) => formatShortDate(date).replace(/ ([A-Z][a-z]{2})[a-z]* /, ' $1 ');

const plural = (count: number, word: string) => `${count.toLocaleString('en-GB')} ${word}${count === 1 ? '' : 's'}`;

/** 'Due today', 'Overdue by 3 working days', 'Due in 2 working days', in working days (London). */
export function deadlineWords(due: IsoDate, today: IsoDate): Deadline {
  const date = tableDate(due);
  const order = compareIsoDates(due, today);
  if (order === 0) return { date, words: 'Due today', overdue: false };
  if (order < 0) {
    const late = workingDaysBetween(due, today);
    return { date, words: late > 0 ? `Overdue by ${plural(late, 'working day')}` : 'Overdue', overdue: true };
  }
  const left = workingDaysBetween(today, due);
  return { date, words: left > 0 ? `Due in ${plural(left, 'working day')}` : `Due ${formatShortDate(due)}`, overdue: false };
}

const adviceSchema = z.object({
  met: z.boolean(),
  countedIncidents: z.number(),
  required: z.number(),
  reasons: z.array(z.string()),
  flags: z.array(z.string()),
});

interface SectionSpec {
  section: DashboardSection;
  title: string;
  count: keyof Awaited<ReturnType<CaseQueryRepository['dashboardCounts']>>;
  list: Partial<CaseListQuery>;
  dueHeading: string;
  none: string;
}

const dashboardSections: SectionSpec[] = [
  {
    section: 'new',
    title: 'New applications',
    count: 'newApplications',
    list: { statuses: ['received'] },
    dueHeading: 'Due',
    none: 'No new applications.',
  },
  {
    section: 'ack-today',
    title: 'Acknowledgements due today',
    count: 'acknowledgementsDueToday',
    list: { statuses: ['received'], deadline: 'today' },
    dueHeading: 'Due',
    none: 'No acknowledgements are due today.',
  },
  {
    section: 'ack-overdue',
    title: 'Acknowledgements overdue',
    count: 'acknowledgementsOverdue',
    list: { statuses: ['received'], deadline: 'overdue' },
    dueHeading: 'Due',
    none: 'No acknowledgements are overdue.',
  },
  {
    section: 'decisions',
    title: 'Threshold decisions due',
    count: 'decisionsDue',
    list: { statuses: ['acknowledged'], sort: 'deadline' },
    dueHeading: 'Due',
    none: 'No threshold decisions are waiting.',
  },
  {
    section: 'reviews',
    title: `Reviews in the next ${reviewHorizonDays} days`,
    count: 'reviewsComingUp',
    list: { statuses: ['review_scheduled'], sort: 'deadline' },
    dueHeading: 'Meeting',
    none: `No review meetings in the next ${reviewHorizonDays} days.`,
  },
  {
    section: 'outcomes',
    title: 'Outcomes to send',
    count: 'outcomesDue',
    list: { statuses: ['review_held'], sort: 'deadline' },
    dueHeading: 'Due',
    none: 'No outcomes are waiting to be sent.',
  },
  {
    section: 'appeals',
    title: 'Open appeals',
    count: 'openAppeals',
    list: { statuses: ['appeal_received'], sort: 'deadline' },
    dueHeading: 'Due',
    none: 'No appeals are open.',
  },
];

const caseHref = (reference: string) => `/admin/cases/${reference}`;

export function caseViewService(deps: { queries: CaseQueryRepository; config: Pick<Config, 'council'>; now?: () => Date }) {
  const { queries } = deps;
  const now = deps.now ?? (() => new Date());

  const dashboardCase = (row: DashboardCaseRow, today: IsoDate): DashboardCase => ({
    reference: row.reference,
    href: caseHref(row.reference),
    received: tableDate(londonDate(row.receivedAt)),
    due: row.dueOn ? deadlineWords(row.dueOn, today) : null,
  });

  const listItem = (row: CaseListRow, today: IsoDate): CaseListItem => ({
    reference: row.reference,
    href: caseHref(row.reference),
    victimName: row.victimName ?? 'Not given',
    status: statusTag(row.status),
    channel: label(channelLabels, row.channel as CaseChannel),
    received: tableDate(londonDate(row.receivedAt)),
    deadline: row.nextDeadlineOn ? deadlineWords(row.nextDeadlineOn, today) : null,
  });

  return {
    async dashboard(): Promise<DashboardView> {
      const today = londonDate(now());
      const [counts, ...lists] = await Promise.all([
        queries.dashboardCounts(today, reviewHorizonDays),
        ...dashboardSections.map((spec) => queries.dashboardCases(spec.section, today, reviewHorizonDays, dashboardListLength)),
      ]);
      return {
        today: formatShortDate(today),
        failedEmails: counts.failedEmails,
        sections: dashboardSections.map((spec, index) => ({
          id: spec.section,
          title: spec.title,
          count: counts[spec.count],
          href: caseListHref(spec.list),
          dueHeading: spec.dueHeading,
          none: spec.none,
          cases: (lists[index] ?? []).map((row) => dashboardCase(row, today)),
        })),
      };
    },

    async list(query: CaseListQuery): Promise<CaseListView> {
      const today = londonDate(now());
      const [{ rows, more }, total] = await Promise.all([
        queries.listCases(query, today, caseListPageSize),
        queries.countCases(query, today, caseCountLimit + 1),
      ]);
      const keyOf = (row: CaseListRow) => (query.sort === 'received' ? row.receivedAt.toISOString() : row.nextDeadlineOn);
      const cursorAt = (row: CaseListRow | undefined, direction: CaseListCursor['direction']) =>
        row ? caseListHref(query, { direction, key: keyOf(row), id: row.id }) : null;
      const cameFrom = query.cursor?.direction;
      const hasPrevious = cameFrom === 'after' || (cameFrom === 'before' && more);
      const hasNext = cameFrom === 'before' || more;
      return {
        totalText:
          total > caseCountLimit
            ? `More than ${caseCountLimit.toLocaleString('en-GB')} cases`
            : plural(total, 'case').replace(/^(\d+)/, (n) => Number(n).toLocaleString('en-GB')),
        rows: rows.map((row) => listItem(row, today)),
        previousHref: hasPrevious ? cursorAt(rows[0], 'before') : null,
        nextHref: hasNext ? cursorAt(rows[rows.length - 1], 'after') : null,
      };
    },

    /** The case page, or null for an unknown or malformed reference. Writes the audit entry. */
    async casePage(reference: string, officerId: string): Promise<CasePageView | null> {
      if (!isReference(reference)) return null;
      const record = await queries.findCase(normaliseReference(reference));
      if (!record) return null;
      await queries.recordView({ caseId: record.id, officerId, action: 'viewed case' });
      return presentCase(record, londonDate(now()));
    },

    /** The signed consent form's bytes, or null when the case has none. Writes the audit entry. */
    async consentFile(reference: string, officerId: string): Promise<ConsentDownload | null> {
      if (!isReference(reference)) return null;
      const file = await queries.findConsentFile(normaliseReference(reference));
      if (!file) return null;
      await queries.recordView({ caseId: file.caseId, officerId, action: 'downloaded consent form' });
      return { fileName: file.fileName, mediaType: file.mediaType, data: file.data };
    },
  };
}

export type CaseViewService = ReturnType<typeof caseViewService>;

function presentCase(record: CaseRecord, today: IsoDate): CasePageView {
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

function who(officer: { name: string } | null, fallback: string): string {
  return officer?.name ?? fallback;
}

function presentTimeline(record: CaseRecord): Pick<CasePageView, 'timeline' | 'views'> {
  type Dated = TimelineEntry & { instant: number; order: number };
  const entry = (instant: Date, order: number, title: string, details: string[], by: string): Dated => ({
    instant: instant.getTime(),
    order,
    at: instant.toISOString(),
    when: formatDateTime(instant),
    title,
    details,
    who: by,
  });
  const events: Dated[] = [];
  const views: Dated[] = [];
  for (const change of record.statusChanges) {
    const title =
      change.fromStatus === null
        ? `Status: ${statusLabels[change.toStatus]}`
        : `Status: ${statusLabels[change.fromStatus]} to ${statusLabels[change.toStatus]}`;
    events.push(
      entry(
        change.at,
        0,
        title,
        change.reason ? [change.reason] : [],
        who(change.officer, change.fromStatus === null ? 'The applicant' : 'The system'),
      ),
    );
  }
  for (const entryRow of record.auditEntries) {
    const by = who(
      entryRow.officer,
      entryRow.actor === 'public' ? 'The applicant' : entryRow.actor === 'officer' ? 'An officer' : 'The system',
    );
    const item = entry(entryRow.at, 1, label({}, entryRow.action), [], by);
    (viewActions.has(entryRow.action) ? views : events).push(item);
  }
  for (const note of record.notes) events.push(entry(note.createdAt, 2, 'Note', [note.text], who(note.officer, 'An officer')));
  for (const email of record.emails) {
    const state =
      email.status === 'sent' && email.sentAt
        ? `Sent ${formatDateTime(email.sentAt)}`
        : email.status === 'failed'
          ? `Failed after ${plural(email.attempts, 'attempt')}: see Failed emails`
          : `${label(labels.emailStatus, email.status)}${email.attempts > 0 ? ` (${plural(email.attempts, 'attempt')} so far)` : ''}`;
    events.push(entry(email.createdAt, 3, `Email: ${label(labels.emailKind, email.kind)} to ${email.to}`, [state], 'The system'));
  }
  const byTime = (a: Dated, b: Dated) => a.instant - b.instant || a.order - b.order;
  const strip = ({ at, when, title, details, who: by }: Dated): TimelineEntry => ({ at, when, title, details, who: by });
  return { timeline: events.sort(byTime).map(strip), views: views.sort((a, b) => b.instant - a.instant).map(strip) };
}
