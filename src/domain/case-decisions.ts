import { isFinalStatus, statusLabels, type CaseAction, type CaseStatus } from './case-status.ts';

/**
 * The choices an officer makes on a case, in words the letters use, and the rules that go with
 * them (the Home Office statutory guidance on the ASB Case Review, 2025). Pure: no I/O.
 */

export const thresholdOutcomes = ['met', 'not-met', 'rejected'] as const;
export type ThresholdOutcome = (typeof thresholdOutcomes)[number];

export const thresholdOutcomeActions: Record<ThresholdOutcome, CaseAction> = {
  met: 'decide_met',
  'not-met': 'decide_not_met',
  rejected: 'reject',
};

export const thresholdOutcomeLabels: Record<ThresholdOutcome, string> = {
  met: 'The threshold is met',
  'not-met': 'The threshold is not met',
  rejected: 'Reject the application',
};

/** The grounds on which an application may be rejected, with what each means for the letter. */
export const rejectionGrounds = ['prejudicial', 'discriminatory', 'malicious', 'unreasonable', 'vexatious'] as const;
export type RejectionGround = (typeof rejectionGrounds)[number];

export const rejectionGroundLabels: Record<RejectionGround, string> = {
  prejudicial: 'Prejudicial',
  discriminatory: 'Discriminatory',
  malicious: 'Malicious',
  unreasonable: 'Unreasonable',
  vexatious: 'Vexatious',
};

export const rejectionGroundHints: Record<RejectionGround, string> = {
  prejudicial: 'A review could harm a criminal investigation or prosecution.',
  discriminatory: 'The application targets someone because of a protected characteristic.',
  malicious: 'The application is made to cause harm or distress to someone.',
  unreasonable: 'The application asks for something a review cannot reasonably do.',
  vexatious: 'The application repeats one already decided, without new incidents, or is made to annoy.',
};

export function isRejectionGround(value: unknown): value is RejectionGround {
  return typeof value === 'string' && (rejectionGrounds as readonly string[]).includes(value);
}

/**
 * The officer's decision differs from the threshold rule's advice (met against not met, either
 * way): the guidance lets them weigh persistence, harm and the response so far, with a reason
 * on record. Rejecting an application is a different question and needs no override.
 */
export function needsOverrideReason(outcome: ThresholdOutcome, adviceMet: boolean): boolean {
  if (outcome === 'met') return !adviceMet;
  if (outcome === 'not-met') return adviceMet;
  return false;
}

/** Whether the victim wants to attend the review meeting (2025 guidance). */
export const victimAttendanceOptions = ['in-person', 'online', 'not-attending', 'not-invited'] as const;
export type VictimAttendance = (typeof victimAttendanceOptions)[number];

export const victimAttendanceLabels: Record<VictimAttendance, string> = {
  'in-person': 'In person',
  online: 'Online',
  'not-attending': 'Does not want to attend',
  'not-invited': 'Not invited',
};

export function isVictimAttendance(value: unknown): value is VictimAttendance {
  return typeof value === 'string' && (victimAttendanceOptions as readonly string[]).includes(value);
}

/** The victim is invited (and so gets an invitation) unless the chair decided not to invite them. */
export function victimInvited(attendance: VictimAttendance): boolean {
  return attendance !== 'not-invited';
}

/** What an appeal to the PCC is about. */
export const appealSubjects = ['outcome', 'threshold-decision'] as const;
export type AppealSubject = (typeof appealSubjects)[number];

export const appealSubjectLabels: Record<AppealSubject, string> = {
  outcome: 'The outcome of the review',
  'threshold-decision': 'The decision that the threshold was not met, or the rejection',
};

export function isAppealSubject(value: unknown): value is AppealSubject {
  return typeof value === 'string' && (appealSubjects as readonly string[]).includes(value);
}

/**
 * The victim is consulted on the draft action plan before it is final (2025 guidance): with
 * recommendations on the plan, the outcome cannot be sent until their comments are recorded.
 */
export function outcomeBlocker(recommendationCount: number, victimCommentsRecorded: boolean): string | null {
  if (recommendationCount > 0 && !victimCommentsRecorded) {
    return 'Record the victim’s comments on the draft action plan before you send the outcome.';
  }
  return null;
}

/**
 * Actions that do not move the status (a note, a recommendation, an information request, the
 * SPoC) are allowed at any open stage; a closed or withdrawn case cannot be changed.
 */
export function recordActionRefusal(status: CaseStatus, doing: string): string | null {
  if (!isFinalStatus(status)) return null;
  const label = statusLabels[status];
  return `You cannot ${doing} for a case that is ${label}. A ${label.toLowerCase()} case cannot be changed.`;
}
