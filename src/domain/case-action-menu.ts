import { allowedActions, type CaseAction, type CaseStatus } from './case-status.ts';

/**
 * What an officer can do on a case page, and the URL of each action's form:
 * `/admin/cases/<reference>/actions/<slug>` (GET shows the form, POST does it).
 * Status moves come from the case status machine; the rest can be done at any open stage.
 */
export interface CaseActionLink {
  slug: string;
  label: string;
}

/** Status moves, by the status machine's action. Deciding the threshold is one form with three outcomes. */
const statusMoveSlugs: Partial<Record<CaseAction, CaseActionLink>> = {
  acknowledge: { slug: 'acknowledge', label: 'Acknowledge the application' },
  decide_met: { slug: 'decide-threshold', label: 'Decide the threshold' },
  schedule_review: { slug: 'schedule-review', label: 'Schedule the review meeting' },
  hold_review: { slug: 'hold-review', label: 'Record the review meeting' },
  send_outcome: { slug: 'send-outcome', label: 'Send the outcome' },
  receive_appeal: { slug: 'record-appeal', label: 'Record an appeal' },
  conclude_appeal: { slug: 'conclude-appeal', label: 'Record the appeal result' },
  reopen: { slug: 'reopen', label: 'Reopen the case' },
  close: { slug: 'close', label: 'Close the case' },
  withdraw: { slug: 'withdraw', label: 'Record that the application was withdrawn' },
};

/** Actions that do not move the status; allowed while the case is not closed or withdrawn. */
export const caseRecordActions: CaseActionLink[] = [
  { slug: 'assign-spoc', label: 'Assign the single point of contact' },
  { slug: 'request-information', label: 'Ask a partner agency for information' },
  { slug: 'add-recommendation', label: 'Add a recommendation to the action plan' },
  { slug: 'record-victim-comments', label: 'Record the victim’s comments on the action plan' },
  { slug: 'add-note', label: 'Add a note' },
];

export function caseActionMenu(status: CaseStatus): { moves: CaseActionLink[]; records: CaseActionLink[] } {
  const moves: CaseActionLink[] = [];
  for (const action of allowedActions(status)) {
    const link = statusMoveSlugs[action] ?? (action === 'decide_not_met' || action === 'reject' ? statusMoveSlugs.decide_met : undefined);
    if (link && !moves.some((existing) => existing.slug === link.slug)) moves.push(link);
  }
  const open = status !== 'closed' && status !== 'withdrawn';
  return { moves, records: open ? caseRecordActions : [] };
}
