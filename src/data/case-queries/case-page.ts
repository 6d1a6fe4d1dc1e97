import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { IsoDate } from '../../domain/calendar-date.ts';
import type { CaseStatus } from '../../domain/case-status.ts';

/** One case read whole for its page, its signed consent form, and the audit entry for each view. */

interface OfficerName {
  name: string;
}

export interface CaseRecord {
  id: string;
  reference: string;
  status: CaseStatus;
  channel: string;
  receivedAt: Date;
  acknowledgementDueOn: IsoDate;
  acknowledgedAt: Date | null;
  nextDeadlineOn: IsoDate | null;
  applyingOnBehalf: boolean;
  victimType: string;
  incidentsRelated: string;
  householdsReporting: number | null;
  impact: string;
  vulnerability: string | null;
  hateMotivated: string;
  hateTypes: string[];
  actionSoFar: string;
  hopedOutcome: string;
  thresholdAdvice: unknown;
  thresholdMet: boolean;
  decision: string | null;
  decisionReason: string | null;
  rejectionGround: string | null;
  decidedAt: Date | null;
  outcomeSentAt: Date | null;
  closedAt: Date | null;
  closureReason: string | null;
  anonymisedAt: Date | null;
  spoc: { name: string; email: string } | null;
  people: Array<{
    role: 'victim' | 'applicant';
    name: string;
    organisationName: string | null;
    addressLine1: string | null;
    addressLine2: string | null;
    town: string | null;
    postcode: string | null;
    dateOfBirth: IsoDate | null;
    phone: string | null;
    email: string | null;
    preferredContact: string | null;
    safeTimes: string | null;
    needs: string | null;
    relationship: string | null;
    organisation: string | null;
  }>;
  consent: {
    method: string;
    declared: boolean;
    howToConfirm: string | null;
    confirmedAt: Date | null;
    upload: { fileName: string; mediaType: string; size: number } | null;
  } | null;
  incidents: Array<{
    position: number;
    occurredOn: IsoDate;
    occurredOnApproximate: boolean;
    description: string;
    location: string;
    reportedTo: string[];
    reportedToOther: string | null;
    reportedOn: IsoDate | null;
    reference: string | null;
  }>;
  statusChanges: Array<{
    fromStatus: CaseStatus | null;
    toStatus: CaseStatus;
    reason: string | null;
    at: Date;
    officer: OfficerName | null;
  }>;
  notes: Array<{ text: string; createdAt: Date; officer: OfficerName | null }>;
  auditEntries: Array<{ actor: string; action: string; at: Date; officer: OfficerName | null }>;
  emails: Array<{
    kind: string;
    to: string;
    status: string;
    attempts: number;
    lastError: string | null;
    sentAt: Date | null;
    createdAt: Date;
  }>;
  informationRequests: Array<{ id: string; agency: string; requestedAt: Date; dueOn: IsoDate; repliedAt: Date | null; reply: string | null }>;
  reviews: Array<{
    scheduledFor: Date;
    agenciesInvited: string[];
    independentChair: string | null;
    victimAttendance: string;
    notInvitedReason: string | null;
    heldAt: Date | null;
    createdAt: Date;
  }>;
  recommendations: Array<{ action: string; agency: string; dueOn: IsoDate; done: boolean; victimComments: string | null }>;
  appeals: Array<{ receivedAt: Date; about: string; result: string | null; upheld: boolean | null; concludedAt: Date | null }>;
}

export interface ConsentFile {
  caseId: string;
  fileName: string;
  mediaType: string;
  data: Uint8Array;
}

/** A time from a JSON list ('2026-12-02T09:30:00.123+00:00'). */
const time = (value: string): Date => new Date(value);
const timeOrNull = (value: string | null): Date | null => (value === null ? null : new Date(value));

/** A field of the case record as it arrives inside JSON: times are strings there. */
type InJson<T> = [T] extends [Date] ? string : [T] extends [Date | null] ? string | null : T;
type JsonList<T> = Array<{ [K in keyof T]: InJson<T[K]> }>;

/** The case record as the page's one query returns it: the case's own columns typed by the driver, its parts as JSON. */
type RawCase = Omit<
  CaseRecord,
  'consent' | 'statusChanges' | 'notes' | 'auditEntries' | 'emails' | 'informationRequests' | 'reviews' | 'appeals'
> & {
  consent: { [K in keyof NonNullable<CaseRecord['consent']>]: InJson<NonNullable<CaseRecord['consent']>[K]> } | null;
  statusChanges: JsonList<CaseRecord['statusChanges'][number]>;
  notes: JsonList<CaseRecord['notes'][number]>;
  auditEntries: JsonList<CaseRecord['auditEntries'][number]>;
  emails: JsonList<CaseRecord['emails'][number]>;
  informationRequests: JsonList<CaseRecord['informationRequests'][number]>;
  reviews: JsonList<CaseRecord['reviews'][number]>;
  appeals: JsonList<CaseRecord['appeals'][number]>;
};

export function casePageQueries(prisma: PrismaClient) {
  return {
    /**
     * Everything about one case, for its page, in one statement: each part of the case (people,
     * incidents, timeline, emails, review...) as a JSON list built by Postgres. One query instead
     * of one per table matters here: every query costs the portal about half a millisecond of CPU
     * through the ORM (`npm run bench:queries`), and the case page is the page officers open most.
     * Null when there is no such case.
     */
    async findCase(reference: string): Promise<CaseRecord | null> {
      const [row] = await prisma.$queryRaw<RawCase[]>`
        SELECT c.id::text AS id, c.reference, c.status::text AS status, c.channel::text AS channel,
          c.received_at AS "receivedAt", c.acknowledgement_due_on::text AS "acknowledgementDueOn",
          c.acknowledged_at AS "acknowledgedAt", c.next_deadline_on::text AS "nextDeadlineOn",
          c.applying_on_behalf AS "applyingOnBehalf", c.victim_type AS "victimType", c.incidents_related AS "incidentsRelated",
          c.households_reporting AS "householdsReporting", c.impact, c.vulnerability, c.hate_motivated AS "hateMotivated",
          c.hate_types AS "hateTypes", c.action_so_far AS "actionSoFar", c.hoped_outcome AS "hopedOutcome",
          c.threshold_advice AS "thresholdAdvice", c.threshold_met AS "thresholdMet", c.decision,
          c.decision_reason AS "decisionReason", c.rejection_ground AS "rejectionGround", c.decided_at AS "decidedAt",
          c.outcome_sent_at AS "outcomeSentAt", c.closed_at AS "closedAt", c.closure_reason AS "closureReason",
          c.anonymised_at AS "anonymisedAt",
          (SELECT json_build_object('name', o.name, 'email', o.email) FROM officer o WHERE o.id = c.spoc_officer_id) AS spoc,
          (SELECT coalesce(json_agg(json_build_object(
              'role', p.role, 'name', p.name, 'organisationName', p.organisation_name,
              'addressLine1', p.address_line_1, 'addressLine2', p.address_line_2, 'town', p.town, 'postcode', p.postcode,
              'dateOfBirth', p.date_of_birth, 'phone', p.phone, 'email', p.email, 'preferredContact', p.preferred_contact,
              'safeTimes', p.safe_times, 'needs', p.needs, 'relationship', p.relationship, 'organisation', p.organisation
            ) ORDER BY p.role), '[]'::json) FROM person p WHERE p.case_id = c.id) AS people,
          (SELECT json_build_object(
              'method', k.method, 'declared', k.declared, 'howToConfirm', k.how_to_confirm, 'confirmedAt', k.confirmed_at,
              'upload', (SELECT json_build_object('fileName', u.file_name, 'mediaType', u.media_type, 'size', u.size)
                           FROM upload u WHERE u.id = k.upload_id)
            ) FROM consent k WHERE k.case_id = c.id) AS consent,
          (SELECT coalesce(json_agg(json_build_object(
              'position', i.position, 'occurredOn', i.occurred_on, 'occurredOnApproximate', i.occurred_on_approximate,
              'description', i.description, 'location', i.location, 'reportedTo', i.reported_to,
              'reportedToOther', i.reported_to_other, 'reportedOn', i.reported_on, 'reference', i.reference
            ) ORDER BY i.position), '[]'::json) FROM incident i WHERE i.case_id = c.id) AS incidents,
          (SELECT coalesce(json_agg(json_build_object(
              'fromStatus', s.from_status, 'toStatus', s.to_status, 'reason', s.reason, 'at', s.at,
              'officer', CASE WHEN o.id IS NULL THEN NULL ELSE json_build_object('name', o.name) END
            ) ORDER BY s.at, s.id), '[]'::json)
            FROM status_change s LEFT JOIN officer o ON o.id = s.officer_id WHERE s.case_id = c.id) AS "statusChanges",
          (SELECT coalesce(json_agg(json_build_object(
              'text', n.text, 'createdAt', n.created_at,
              'officer', CASE WHEN o.id IS NULL THEN NULL ELSE json_build_object('name', o.name) END
            ) ORDER BY n.created_at, n.id), '[]'::json)
            FROM note n LEFT JOIN officer o ON o.id = n.officer_id WHERE n.case_id = c.id) AS notes,
          (SELECT coalesce(json_agg(json_build_object(
              'actor', a.actor, 'action', a.action, 'at', a.at,
              'officer', CASE WHEN o.id IS NULL THEN NULL ELSE json_build_object('name', o.name) END
            ) ORDER BY a.at, a.id), '[]'::json)
            FROM audit_entry a LEFT JOIN officer o ON o.id = a.officer_id WHERE a.case_id = c.id) AS "auditEntries",
          (SELECT coalesce(json_agg(json_build_object(
              'kind', m.kind, 'to', m."to", 'status', m.status, 'attempts', m.attempts, 'lastError', m.last_error,
              'sentAt', m.sent_at, 'createdAt', m.created_at
            ) ORDER BY m.created_at, m.id), '[]'::json) FROM outbox_message m WHERE m.case_id = c.id) AS emails,
          (SELECT coalesce(json_agg(json_build_object(
              'id', r.id, 'agency', r.agency, 'requestedAt', r.requested_at, 'dueOn', r.due_on, 'repliedAt', r.replied_at, 'reply', r.reply
            ) ORDER BY r.requested_at, r.id), '[]'::json) FROM information_request r WHERE r.case_id = c.id) AS "informationRequests",
          (SELECT coalesce(json_agg(json_build_object(
              'scheduledFor', v.scheduled_for, 'agenciesInvited', v.agencies_invited, 'independentChair', v.independent_chair,
              'victimAttendance', v.victim_attendance, 'notInvitedReason', v.not_invited_reason, 'heldAt', v.held_at,
              'createdAt', v.created_at
            ) ORDER BY v.created_at, v.id), '[]'::json) FROM review v WHERE v.case_id = c.id) AS reviews,
          (SELECT coalesce(json_agg(json_build_object(
              'action', x.action, 'agency', x.agency, 'dueOn', x.due_on, 'done', x.done, 'victimComments', x.victim_comments
            ) ORDER BY x.created_at, x.id), '[]'::json) FROM recommendation x WHERE x.case_id = c.id) AS recommendations,
          (SELECT coalesce(json_agg(json_build_object(
              'receivedAt', ap.received_at, 'about', ap.about, 'result', ap.result, 'upheld', ap.upheld, 'concludedAt', ap.concluded_at
            ) ORDER BY ap.received_at, ap.id), '[]'::json) FROM appeal ap WHERE ap.case_id = c.id) AS appeals
        FROM "case" c WHERE c.reference = ${reference}`;
      if (!row) return null;
      // Dates (date columns) arrive as 'YYYY-MM-DD', which is what the page wants; times inside
      // the JSON lists arrive as ISO strings and become Dates here.
      return {
        ...row,
        consent: row.consent ? { ...row.consent, confirmedAt: timeOrNull(row.consent.confirmedAt) } : null,
        statusChanges: row.statusChanges.map((change) => ({ ...change, at: time(change.at) })),
        notes: row.notes.map((note) => ({ ...note, createdAt: time(note.createdAt) })),
        auditEntries: row.auditEntries.map((entry) => ({ ...entry, at: time(entry.at) })),
        emails: row.emails.map((email) => ({ ...email, sentAt: timeOrNull(email.sentAt), createdAt: time(email.createdAt) })),
        informationRequests: row.informationRequests.map((request) => ({
          ...request,
          requestedAt: time(request.requestedAt),
          repliedAt: timeOrNull(request.repliedAt),
        })),
        reviews: row.reviews.map((review) => ({
          ...review,
          scheduledFor: time(review.scheduledFor),
          heldAt: timeOrNull(review.heldAt),
          createdAt: time(review.createdAt),
        })),
        appeals: row.appeals.map((appeal) => ({
          ...appeal,
          receivedAt: time(appeal.receivedAt),
          concludedAt: timeOrNull(appeal.concludedAt),
        })),
      };
    },

    /** The signed consent form uploaded with a case, with its bytes. */
    async findConsentFile(reference: string): Promise<ConsentFile | null> {
      const row = await prisma.case.findUnique({
        where: { reference },
        select: { id: true, consent: { select: { upload: { select: { fileName: true, mediaType: true, data: true } } } } },
      });
      const upload = row?.consent?.upload;
      if (!row || !upload) return null;
      return { caseId: row.id, fileName: upload.fileName, mediaType: upload.mediaType, data: upload.data };
    },

    async recordView(entry: { caseId: string; officerId: string; action: string }): Promise<void> {
      await prisma.auditEntry.create({
        data: { caseId: entry.caseId, officerId: entry.officerId, actor: 'officer', action: entry.action },
      });
    },
  };
}
