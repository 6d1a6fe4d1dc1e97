import type { Request, Response } from 'express';
import type { Services } from '../../composition.ts';
import type { DraftRecord } from '../../data/drafts.ts';
import { londonDate } from '../../domain/calendar-date.ts';
import { journeyProgress } from '../../journey/steps.ts';
import type { JourneyMount } from './journey-mount.ts';

export const today = () => londonDate(new Date());

/** The draft this session has on this mount, if any. */
export async function currentDraft(services: Pick<Services, 'applications'>, req: Request, mount: JourneyMount): Promise<DraftRecord | null> {
  const id = req.session[mount.sessionKey];
  if (!id) return null;
  const draft = await services.applications.findDraft(id);
  if (!draft || draft.submittedCaseId) {
    delete req.session[mount.sessionKey];
    return null;
  }
  return draft;
}

/** The first page not yet finished, as a URL on this mount. */
export function firstIncompletePath(mount: JourneyMount, draft: DraftRecord): string {
  return `${mount.base}/${journeyProgress(draft.answers, today()).firstIncomplete}`;
}

/**
 * Sends someone to the first page they have not finished when they ask for one they cannot
 * reach yet. Returns false when it redirected.
 */
export function guard(res: Response, mount: JourneyMount, draft: DraftRecord | null, slug: string): boolean {
  if (!draft) {
    if (slug === 'who-is-applying' && !mount.assisted) return true;
    res.redirect(303, mount.startPath);
    return false;
  }
  if (journeyProgress(draft.answers, today()).reachable.includes(slug)) return true;
  res.redirect(303, firstIncompletePath(mount, draft));
  return false;
}

/** Where to go after saving a page: back to check-your-answers when changing an answer. */
export function afterSave(mount: JourneyMount, draft: DraftRecord, next: string, changing: boolean): string {
  return changing ? firstIncompletePath(mount, draft) : `${mount.base}/${next}`;
}
