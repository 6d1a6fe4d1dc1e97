import type { Council } from '../council.ts';
import type { AppealPackRecord, CaseSnapshot } from '../data/case-actions.ts';
import type { NewEmail } from '../data/cases.ts';
import { formatLongDate, londonDate, type IsoDate } from '../domain/calendar-date.ts';
import {
  isRejectionGround,
  isVictimAttendance,
  rejectionGroundLabels,
  victimAttendanceLabels,
  victimInvited,
  type VictimAttendance,
} from '../domain/case-decisions.ts';
import { formatLondonTime } from '../domain/london-time.ts';
import { addWorkingDays } from '../domain/working-days.ts';
import { renderTemplate } from '../views.ts';

// The case's letters and emails: which letters exist and when, who they go to, and their words
// (views/letters/_<name>-body.ejs and views/emails/). The actions that send them are in
// case-action-service.ts.

/** The letters a case can print, each with the same words as its email (views/letters/_<name>-body.ejs). */
export const letterNames = ['acknowledgement', 'decision', 'invitation', 'outcome', 'appeal-acknowledgement', 'closure'] as const;
export type LetterName = (typeof letterNames)[number];

export const letterTitles: Record<LetterName, string> = {
  acknowledgement: 'Acknowledgement letter',
  decision: 'Decision letter',
  invitation: 'Review meeting invitation letter',
  outcome: 'Outcome letter',
  'appeal-acknowledgement': 'Appeal acknowledgement letter',
  closure: 'Case closed letter',
};

export function isLetterName(value: unknown): value is LetterName {
  return typeof value === 'string' && (letterNames as readonly string[]).includes(value);
}

/** What decides whether a case has a letter to print (a CaseSnapshot has all of it). */
export interface LetterFacts {
  status: string;
  acknowledgedAt: Date | null;
  decision: string | null;
  decidedAt: Date | null;
  /** The latest review meeting. */
  review: { victimAttendance: string } | null;
  outcomeSentAt: Date | null;
  /** The latest appeal. */
  appeal: object | null;
  closedAt: Date | null;
}

/** Why a letter cannot be printed yet, or null when it can. */
export function letterMissing(name: LetterName, facts: LetterFacts): string | null {
  switch (name) {
    case 'acknowledgement':
      return facts.acknowledgedAt ? null : 'There is no acknowledgement letter yet: acknowledge the application first.';
    case 'decision':
      return facts.decision && facts.decidedAt ? null : 'There is no decision letter yet: decide the threshold first.';
    case 'invitation':
      if (!facts.review) return 'There is no invitation letter yet: schedule the review meeting first.';
      return isVictimAttendance(facts.review.victimAttendance) && victimInvited(facts.review.victimAttendance)
        ? null
        : 'There is no invitation letter: the victim was not invited to the review meeting.';
    case 'outcome':
      return facts.outcomeSentAt ? null : 'There is no outcome letter yet: send the outcome first.';
    case 'appeal-acknowledgement':
      return facts.appeal ? null : 'There is no appeal acknowledgement letter yet: record the appeal first.';
    case 'closure':
      return facts.status === 'closed' && facts.closedAt ? null : 'There is no closure letter yet: close the case first.';
  }
}

/** Who hears about the case by email: the applicant, and the victim too when someone applied for them. */
interface Recipient {
  email: string;
  name: string;
  onBehalfOf: string | null;
}

function victimDisplayName(snapshot: CaseSnapshot): string {
  return snapshot.victim?.organisationName ?? snapshot.victim?.name ?? '';
}

export function emailRecipients(snapshot: CaseSnapshot): Recipient[] {
  const recipients: Recipient[] = [];
  const add = (email: string | null, name: string, onBehalfOf: string | null) => {
    if (email && !recipients.some((r) => r.email.toLowerCase() === email.toLowerCase())) recipients.push({ email, name, onBehalfOf });
  };
  if (snapshot.applicant) add(snapshot.applicant.email, snapshot.applicant.name, victimDisplayName(snapshot));
  if (snapshot.victim) add(snapshot.victim.email, snapshot.victim.name, null);
  return recipients;
}

/** The person a printed letter goes to: the one who applied. Only the victim's address is known. */
export function letterAddressee(snapshot: CaseSnapshot): { name: string; address: string[]; onBehalfOf: string | null; hasEmail: boolean } {
  if (snapshot.applicant) {
    return {
      name: snapshot.applicant.name,
      address: [],
      onBehalfOf: victimDisplayName(snapshot),
      hasEmail: Boolean(snapshot.applicant.email),
    };
  }
  return {
    name: snapshot.victim?.name ?? '',
    address: snapshot.victim?.address ?? [],
    onBehalfOf: null,
    hasEmail: Boolean(snapshot.victim?.email),
  };
}

export const today = () => londonDate(new Date());
const dayOf = (instant: Date | null) => (instant ? londonDate(instant) : today());

/**
 * The words of each letter and of the email that goes with it, from what is stored, so a
 * reprint says the same. `council` is read on every use: an administrator may change the
 * settings while the portal runs.
 */
export function caseCorrespondence(council: () => Council) {
  /** The words every letter and email share: the council, the reference, who it is to, the SPoC. */
  function common(snapshot: CaseSnapshot, recipient: { name: string; onBehalfOf: string | null }, letterDate: IsoDate) {
    return {
      council: council(),
      reference: snapshot.reference,
      name: recipient.name,
      onBehalfOf: recipient.onBehalfOf,
      spocName: snapshot.spoc?.name ?? null,
      letterDate: formatLongDate(letterDate),
      pcc: council().pcc,
    };
  }

  /** The data for each letter (and its email), from what is stored, so a reprint says the same. */
  function letterData(
    name: LetterName,
    snapshot: CaseSnapshot,
    recipient: { name: string; onBehalfOf: string | null },
  ): Record<string, unknown> {
    switch (name) {
      case 'acknowledgement': {
        const on = dayOf(snapshot.acknowledgedAt);
        return {
          ...common(snapshot, recipient, on),
          decisionDue: formatLongDate(addWorkingDays(on, council().deadlines.thresholdDecisionWorkingDays)),
        };
      }
      case 'decision': {
        const on = dayOf(snapshot.decidedAt);
        const ground = isRejectionGround(snapshot.rejectionGround) ? rejectionGroundLabels[snapshot.rejectionGround] : null;
        return {
          ...common(snapshot, recipient, on),
          outcome: snapshot.decision,
          reason: snapshot.decisionReason ?? '',
          ground,
          reviewDue: formatLongDate(addWorkingDays(on, council().deadlines.reviewMeetingWorkingDays)),
          appealBy: formatLongDate(addWorkingDays(on, council().pcc.appealWithinWorkingDays)),
        };
      }
      case 'outcome': {
        const on = dayOf(snapshot.outcomeSentAt);
        return {
          ...common(snapshot, recipient, on),
          heldOn: snapshot.review?.heldAt ? formatLongDate(londonDate(snapshot.review.heldAt)) : null,
          summary: snapshot.outcomeSummary ?? '',
          recommendations: snapshot.recommendations.map((r) => ({ action: r.action, agency: r.agency, dueOn: formatLongDate(r.dueOn) })),
          appealBy: formatLongDate(addWorkingDays(on, council().pcc.appealWithinWorkingDays)),
        };
      }
      case 'invitation': {
        // The meeting as it stands (a rescheduled meeting updates the same review).
        const review = snapshot.review;
        const scheduledFor = review?.scheduledFor ?? new Date();
        const attendance: VictimAttendance = isVictimAttendance(review?.victimAttendance) ? review.victimAttendance : 'not-attending';
        return {
          ...common(snapshot, recipient, today()),
          date: formatLongDate(londonDate(scheduledFor)),
          time: formatLondonTime(scheduledFor),
          attendance,
          attendanceLabel: victimAttendanceLabels[attendance],
          chair: review?.independentChair ?? null,
          rescheduled: false,
        };
      }
      case 'appeal-acknowledgement': {
        const appeal = snapshot.appeal;
        return {
          ...common(snapshot, recipient, today()),
          receivedOn: formatLongDate(dayOf(appeal?.receivedAt ?? null)),
          about: appeal?.about ?? 'outcome',
        };
      }
      case 'closure':
        return { ...common(snapshot, recipient, dayOf(snapshot.closedAt)), reason: snapshot.closureReason ?? '' };
    }
  }

  async function email(kind: string, template: string, to: string, subject: string, data: Record<string, unknown>): Promise<NewEmail> {
    return {
      kind,
      to,
      subject,
      text: await renderTemplate(`emails/${template}.text`, data),
      html: await renderTemplate(`emails/${template}.html`, data),
    };
  }

  /** One email per recipient, from the template whose words match the printed letter. */
  async function emailsFor(
    snapshot: CaseSnapshot,
    kind: string,
    template: string,
    subject: string,
    data: (recipient: Recipient) => Record<string, unknown>,
  ): Promise<NewEmail[]> {
    const emails: NewEmail[] = [];
    for (const recipient of emailRecipients(snapshot)) emails.push(await email(kind, template, recipient.email, subject, data(recipient)));
    return emails;
  }

  return { letterData, emailsFor };
}

/**
 * The letter asking a partner agency for information: who the case is about, the incidents
 * reported, what is asked and by when.
 */
export function informationRequestLetterData(
  council: Council,
  snapshot: CaseSnapshot,
  application: AppealPackRecord['application'],
  request: CaseSnapshot['informationRequests'][number],
): Record<string, unknown> {
  const victim = snapshot.victim;
  const agencyLabels: Record<string, string> = {
    council: 'the council',
    police: 'the police',
    landlord: 'the landlord or housing provider',
  };
  return {
    council,
    reference: snapshot.reference,
    name: request.agency,
    address: [],
    letterDate: formatLongDate(londonDate(request.requestedAt)),
    spocName: snapshot.spoc?.name ?? null,
    agency: request.agency,
    asked: request.asked ?? '',
    dueOn: formatLongDate(request.dueOn),
    thresholdMet: snapshot.decision === 'met',
    receivedOn: formatLongDate(londonDate(snapshot.receivedAt)),
    subject: {
      name: victim?.name ?? '',
      organisationName: victim?.organisationName ?? null,
      address: victim?.address ?? [],
      dateOfBirth: victim?.dateOfBirth ? formatLongDate(victim.dateOfBirth) : null,
    },
    incidents: application.incidents.map((incident) => ({
      when: `${formatLongDate(incident.occurredOn)}${incident.occurredOnApproximate ? ' (approximately)' : ''}`,
      where: incident.location,
      what: incident.description,
      reported:
        incident.reportedTo
          .filter((to) => to !== 'none')
          .map((to) => (to === 'other' ? (incident.reportedToOther ?? 'someone else') : (agencyLabels[to] ?? to)))
          .join(', ') || 'Not reported',
      reportedOn: incident.reportedOn ? formatLongDate(incident.reportedOn) : null,
      reference: incident.reference,
    })),
  };
}
