import { createHash, randomBytes } from 'node:crypto';
import type { Config } from '../config.ts';
import type { DraftRecord, DraftRepository } from '../data/drafts.ts';
import type { OutboxRepository } from '../data/outbox.ts';
import { addCalendarDays, formatLongDate, londonDate } from '../domain/calendar-date.ts';
import { renderTemplate } from '../views.ts';

export const resumeLinkDays = 28;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Save and return: a long random token, emailed as a link; only its hash is stored, and it
 * expires. A new request replaces the old link.
 */
export function resumeService(deps: {
  drafts: DraftRepository;
  outbox: OutboxRepository;
  config: Pick<Config, 'baseUrl' | 'council'>;
  onEmailsQueued: () => void;
}) {
  return {
    async sendLink(draft: DraftRecord, email: string, now: Date): Promise<void> {
      const token = randomBytes(32).toString('base64url');
      const expiresOn = addCalendarDays(londonDate(now), resumeLinkDays);
      await deps.drafts.setResumeToken(draft.id, hashToken(token), new Date(now.getTime() + resumeLinkDays * 86_400_000));
      const data = { link: `${deps.config.baseUrl}/apply/resume/${token}`, expiresOn: formatLongDate(expiresOn), council: deps.config.council };
      await deps.outbox.enqueue({
        kind: 'resume-link',
        to: email,
        subject: 'Your saved application for an ASB Case Review',
        text: await renderTemplate('emails/resume-link.text', data),
        html: await renderTemplate('emails/resume-link.html', data),
      });
      deps.onEmailsQueued();
    },

    findDraft(token: string, now: Date): Promise<DraftRecord | null> {
      if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return Promise.resolve(null);
      return deps.drafts.findByResumeToken(hashToken(token), now);
    },
  };
}

export type ResumeService = ReturnType<typeof resumeService>;
