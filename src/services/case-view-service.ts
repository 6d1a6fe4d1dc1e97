import type { Config } from '../config.ts';
import type { CaseQueryRepository } from '../data/case-queries.ts';

/** The dashboard, the case list and the case page, with every view of a case audited. */
export function caseViewService(_deps: { queries: CaseQueryRepository; config: Config }) {
  return {};
}

export type CaseViewService = ReturnType<typeof caseViewService>;
