import type { Config } from '../config.ts';
import type { CaseActionRepository } from '../data/case-actions.ts';

/** The officer's actions on a case, through the case status machine. */
export function caseActionService(_deps: { actions: CaseActionRepository; config: Config; onEmailsQueued: () => void }) {
  return {};
}

export type CaseActionService = ReturnType<typeof caseActionService>;
