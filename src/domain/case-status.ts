/**
 * The case status machine. Every change of status goes through nextStatus, so a move that is not
 * in the table below is refused with a message an officer can act on.
 */

export const caseStatuses = [
  'received',
  'acknowledged',
  'threshold_met',
  'threshold_not_met',
  'rejected',
  'review_scheduled',
  'review_held',
  'outcome_sent',
  'appeal_received',
  'appeal_concluded',
  'closed',
  'withdrawn',
] as const;
export type CaseStatus = (typeof caseStatuses)[number];

export const caseActions = [
  'acknowledge',
  'decide_met',
  'decide_not_met',
  'reject',
  'schedule_review',
  'hold_review',
  'send_outcome',
  'receive_appeal',
  'conclude_appeal',
  'reopen',
  'close',
  'withdraw',
] as const;
export type CaseAction = (typeof caseActions)[number];

export type TransitionResult = { ok: true; to: CaseStatus } | { ok: false; message: string };

type Transition = readonly [from: CaseStatus, action: CaseAction, to: CaseStatus];

/** One row per allowed move. Anything not listed is refused. */
const transitions: readonly Transition[] = [
  // The acknowledgement comes first: it names the single point of contact and tells the applicant
  // when to expect the decision. A received case cannot be decided until it is acknowledged.
  ['received', 'acknowledge', 'acknowledged'],
  ['received', 'withdraw', 'withdrawn'],

  ['acknowledged', 'decide_met', 'threshold_met'],
  ['acknowledged', 'decide_not_met', 'threshold_not_met'],
  ['acknowledged', 'reject', 'rejected'],
  ['acknowledged', 'withdraw', 'withdrawn'],

  ['threshold_met', 'schedule_review', 'review_scheduled'],
  ['threshold_met', 'withdraw', 'withdrawn'],

  ['threshold_not_met', 'receive_appeal', 'appeal_received'],
  ['threshold_not_met', 'close', 'closed'],

  ['rejected', 'receive_appeal', 'appeal_received'],
  ['rejected', 'close', 'closed'],

  // Scheduling again is rescheduling.
  ['review_scheduled', 'schedule_review', 'review_scheduled'],
  ['review_scheduled', 'hold_review', 'review_held'],
  ['review_scheduled', 'withdraw', 'withdrawn'],

  ['review_held', 'send_outcome', 'outcome_sent'],
  ['review_held', 'withdraw', 'withdrawn'],

  ['outcome_sent', 'receive_appeal', 'appeal_received'],
  ['outcome_sent', 'close', 'closed'],

  ['appeal_received', 'conclude_appeal', 'appeal_concluded'],

  // An upheld appeal sends the case back to be reconsidered.
  ['appeal_concluded', 'reopen', 'acknowledged'],
  ['appeal_concluded', 'close', 'closed'],

  // 'closed' and 'withdrawn' are final: no rows start from them.
];

export const statusLabels: Record<CaseStatus, string> = {
  received: 'Received',
  acknowledged: 'Acknowledged',
  threshold_met: 'Threshold met',
  threshold_not_met: 'Threshold not met',
  rejected: 'Rejected',
  review_scheduled: 'Review scheduled',
  review_held: 'Review held',
  outcome_sent: 'Outcome sent',
  appeal_received: 'Appeal received',
  appeal_concluded: 'Appeal concluded',
  closed: 'Closed',
  withdrawn: 'Withdrawn',
};

/** Button text. */
export const actionLabels: Record<CaseAction, string> = {
  acknowledge: 'Acknowledge application',
  decide_met: 'Decide threshold met',
  decide_not_met: 'Decide threshold not met',
  reject: 'Reject application',
  schedule_review: 'Schedule review',
  hold_review: 'Record review held',
  send_outcome: 'Send outcome',
  receive_appeal: 'Record appeal',
  conclude_appeal: 'Conclude appeal',
  reopen: 'Reopen case',
  close: 'Close case',
  withdraw: 'Withdraw case',
};

/** The action as an instruction: "Schedule the review first.", "From here you can ...". */
const actionPhrases: Record<CaseAction, string> = {
  acknowledge: 'acknowledge the application',
  decide_met: 'decide the threshold is met',
  decide_not_met: 'decide the threshold is not met',
  reject: 'reject the application',
  schedule_review: 'schedule the review',
  hold_review: 'hold the review',
  send_outcome: 'send the outcome',
  receive_appeal: 'record an appeal',
  conclude_appeal: 'conclude the appeal',
  reopen: 'reopen the case',
  close: 'close the case',
  withdraw: 'withdraw the case',
};

/** The action in a refusal: "You cannot <phrase> that is Received." */
const refusalPhrases: Record<CaseAction, string> = {
  acknowledge: 'acknowledge the application for a case',
  decide_met: 'decide the threshold is met for a case',
  decide_not_met: 'decide the threshold is not met for a case',
  reject: 'reject the application for a case',
  schedule_review: 'schedule the review for a case',
  hold_review: 'hold the review for a case',
  send_outcome: 'send the outcome for a case',
  receive_appeal: 'record an appeal for a case',
  conclude_appeal: 'conclude the appeal for a case',
  reopen: 'reopen a case',
  close: 'close a case',
  withdraw: 'withdraw a case',
};

const finalStatuses: ReadonlySet<CaseStatus> = new Set<CaseStatus>(['closed', 'withdrawn']);

export function isCaseStatus(value: unknown): value is CaseStatus {
  return typeof value === 'string' && (caseStatuses as readonly string[]).includes(value);
}

export function isCaseAction(value: unknown): value is CaseAction {
  return typeof value === 'string' && (caseActions as readonly string[]).includes(value);
}

/** Closed and withdrawn cases cannot move again. */
export function isFinalStatus(status: CaseStatus): boolean {
  return finalStatuses.has(status);
}

function targetOf(from: CaseStatus, action: CaseAction): CaseStatus | undefined {
  return transitions.find(([rowFrom, rowAction]) => rowFrom === from && rowAction === action)?.[2];
}

/** The actions allowed from a status, in the order of caseActions. */
export function allowedActions(from: CaseStatus): CaseAction[] {
  return caseActions.filter((action) => targetOf(from, action) !== undefined);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function listWithOr(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1] ?? ''}`;
}

/**
 * What to do first, when one allowed step from here leads to a status from which the refused
 * action is allowed ("Schedule the review first."); otherwise the list of allowed steps.
 */
function refusalHint(from: CaseStatus, action: CaseAction): string {
  const allowed = allowedActions(from);
  const stepping = allowed.find((step) => {
    const reached = targetOf(from, step);
    return reached !== undefined && reached !== from && targetOf(reached, action) !== undefined;
  });
  if (stepping !== undefined) return `${capitalise(actionPhrases[stepping])} first.`;
  const options = allowed.map((step) => actionPhrases[step]);
  return `From here you can ${listWithOr(options)}.`;
}

export function nextStatus(from: CaseStatus, action: CaseAction): TransitionResult {
  const to = targetOf(from, action);
  if (to !== undefined) return { ok: true, to };
  const status = statusLabels[from];
  const refusal = `You cannot ${refusalPhrases[action]} that is ${status}.`;
  const explanation = isFinalStatus(from)
    ? `A ${status.toLowerCase()} case cannot be changed.`
    : refusalHint(from, action);
  return { ok: false, message: `${refusal} ${explanation}` };
}
