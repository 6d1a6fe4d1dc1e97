import type { Request, Response } from 'express';
import type { Services } from '../../composition.ts';
import type { DraftRecord } from '../../data/drafts.ts';
import { londonDate } from '../../domain/calendar-date.ts';
import { journeyProgress } from '../../journey/steps.ts';

export const today = () => londonDate(new Date());

/** The draft in this browser's session, if any. */
export async function currentDraft(services: Pick<Services, 'applications'>, req: Request): Promise<DraftRecord | null> {
  const id = req.session.draftId;
  if (!id) return null;
  const draft = await services.applications.findDraft(id);
  if (!draft || draft.submittedCaseId) {
    delete req.session.draftId;
    return null;
  }
  return draft;
}

/**
 * Sends the resident to the first page they have not finished when they ask for one they
 * cannot reach yet. Returns false when it redirected.
 */
export function guard(res: Response, draft: DraftRecord | null, slug: string): boolean {
  if (!draft) {
    if (slug === 'who-is-applying') return true;
    res.redirect(303, '/apply/who-is-applying');
    return false;
  }
  const progress = journeyProgress(draft.answers, today());
  if (progress.reachable.includes(slug)) return true;
  res.redirect(303, `/apply/${progress.firstIncomplete}`);
  return false;
}

/** Where to go after saving a page: back to check-your-answers when changing an answer. */
export function afterSave(draft: DraftRecord, next: string, changing: boolean): string {
  if (!changing) return `/apply/${next}`;
  return `/apply/${journeyProgress(draft.answers, today()).firstIncomplete}`;
}

