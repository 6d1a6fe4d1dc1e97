import { allowedActions, isFinalStatus, type CaseAction, type CaseStatus } from './case-status.ts';

/**
 * What an officer can do on a case page, and the URL of each action's form:
 * `/admin/cases/<reference>/actions/<slug>` (GET shows the form, POST does it).
 * Status moves come from the case status machine; the actions that record something without
 * moving the status are offered at the stages they belong to. The next expected step comes
 * first, then the rest grouped by stage.
 */
export interface CaseActionLink {
  slug: string;
  label: string;
}

type Stage = 'threshold' | 'review' | 'appeal' | 'case' | 'ending';

interface MenuItem extends CaseActionLink {
  stage: Stage;
}

/** Status moves, by the status machine's action. Deciding the threshold is one form with three outcomes. */
const statusMoveSlugs: Partial<Record<CaseAction, MenuItem>> = {
  acknowledge: { slug: 'acknowledge', label: 'Acknowledge the application', stage: 'threshold' },
  decide_met: { slug: 'decide-threshold', label: 'Decide the threshold', stage: 'threshold' },
  schedule_review: { slug: 'schedule-review', label: 'Schedule the review meeting', stage: 'review' },
  hold_review: { slug: 'hold-review', label: 'Record the review meeting', stage: 'review' },
  send_outcome: { slug: 'send-outcome', label: 'Send the outcome', stage: 'review' },
  receive_appeal: { slug: 'record-appeal', label: 'Record an appeal', stage: 'appeal' },
  conclude_appeal: { slug: 'conclude-appeal', label: 'Record the appeal result', stage: 'appeal' },
  reopen: { slug: 'reopen', label: 'Reopen the case', stage: 'appeal' },
  close: { slug: 'close', label: 'Close the case', stage: 'ending' },
  withdraw: { slug: 'withdraw', label: 'Record that the application was withdrawn', stage: 'ending' },
};

const openStatuses = (except: CaseStatus[] = []) => (status: CaseStatus) => !isFinalStatus(status) && !except.includes(status);
const onlyAt = (statuses: CaseStatus[]) => (status: CaseStatus) => statuses.includes(status);

/** Actions that do not move the status, and the statuses at which each belongs. */
const recordActions: Array<MenuItem & { offeredAt: (status: CaseStatus) => boolean }> = [
  // At Received, acknowledging the application is what names the single point of contact.
  { slug: 'assign-spoc', label: 'Change the single point of contact', stage: 'case', offeredAt: openStatuses(['received']) },
  {
    slug: 'request-information',
    label: 'Ask a partner agency for information',
    stage: 'case',
    offeredAt: onlyAt(['acknowledged', 'threshold_met', 'review_scheduled', 'review_held', 'appeal_received']),
  },
  // The action plan comes out of the review meeting.
  { slug: 'add-recommendation', label: 'Add a recommendation to the action plan', stage: 'review', offeredAt: onlyAt(['review_held', 'outcome_sent']) },
  {
    slug: 'record-victim-comments',
    label: 'Record the victim’s comments on the action plan',
    stage: 'review',
    offeredAt: onlyAt(['review_held', 'outcome_sent']),
  },
  { slug: 'add-note', label: 'Add a note', stage: 'case', offeredAt: openStatuses() },
];

/** The step the process expects next at each status, where there is one. */
const nextSteps: Partial<Record<CaseStatus, string>> = {
  received: 'acknowledge',
  acknowledged: 'decide-threshold',
  threshold_met: 'schedule-review',
  review_scheduled: 'hold-review',
  review_held: 'send-outcome',
  appeal_received: 'conclude-appeal',
};

const stageHeadings: Record<Stage, string> = {
  threshold: 'Application and threshold',
  review: 'Review meeting and action plan',
  appeal: 'Appeal',
  case: 'Contact, information and notes',
  ending: 'Ending the case',
};
const stageOrder: Stage[] = ['threshold', 'review', 'appeal', 'case', 'ending'];

export interface CaseActionMenu {
  next: CaseActionLink | null;
  groups: Array<{ heading: string; links: CaseActionLink[] }>;
}

export function caseActionMenu(status: CaseStatus): CaseActionMenu {
  const items: MenuItem[] = [];
  for (const action of allowedActions(status)) {
    const item = statusMoveSlugs[action] ?? (action === 'decide_not_met' || action === 'reject' ? statusMoveSlugs.decide_met : undefined);
    if (item && !items.some((existing) => existing.slug === item.slug)) items.push(item);
  }
  for (const item of recordActions) if (item.offeredAt(status)) items.push(item);
  const nextItem = items.find((item) => item.slug === nextSteps[status]) ?? null;
  const link = ({ slug, label }: MenuItem): CaseActionLink => ({ slug, label });
  return {
    next: nextItem ? link(nextItem) : null,
    groups: stageOrder
      .map((stage) => ({ heading: stageHeadings[stage], links: items.filter((item) => item.stage === stage && item !== nextItem).map(link) }))
      .filter((group) => group.links.length > 0),
  };
}

/** Every action offered at a status, in the order the case page lists them. */
export function caseActionLinks(status: CaseStatus): CaseActionLink[] {
  const menu = caseActionMenu(status);
  return [...(menu.next ? [menu.next] : []), ...menu.groups.flatMap((group) => group.links)];
}

/** What the success banner on the case page says after each action (?done=<slug>). */
export const actionDoneMessages: Record<string, string> = {
  acknowledge: 'The application is acknowledged.',
  'decide-threshold': 'The threshold decision is recorded.',
  'assign-spoc': 'The single point of contact is changed.',
  reopen: 'The case is reopened to be reconsidered.',
  close: 'The case is closed.',
  withdraw: 'The application is recorded as withdrawn.',
  'add-note': 'Your note is added to the timeline.',
  'request-information': 'The request for information is recorded.',
  'information-reply': 'The agency’s reply is recorded.',
  'schedule-review': 'The review meeting is scheduled.',
  'hold-review': 'The review meeting is recorded as held.',
  'add-recommendation': 'The recommendation is added to the action plan.',
  'record-victim-comments': 'The victim’s comments on the action plan are recorded.',
  'recommendation-done': 'The recommendation is marked as done.',
  'send-outcome': 'The outcome is sent.',
  'record-appeal': 'The appeal is recorded.',
  'conclude-appeal': 'The appeal result is recorded.',
};

/** The actions that move the status: their banner also says where the case is now. */
export const statusMoveSlugList: readonly string[] = [...new Set(Object.values(statusMoveSlugs).map((item) => item.slug))];
