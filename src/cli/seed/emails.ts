import { randomUUID } from 'node:crypto';
import type { Batch, SeedContext } from './rows.ts';

/** Writes one email of a case to the outbox (sent, or now and then failed), unless it has no address or is still to come. */
export type SendEmail = (kind: string, to: string | null, subject: string, at: Date) => void;

export function caseEmails(context: SeedContext, batch: Batch, id: string, reference: string): SendEmail {
  const { random, now } = context;
  return (kind: string, to: string | null, subject: string, at: Date) => {
    if (!to || at > now) return;
    const failed = now.getTime() - at.getTime() < 60 * 86_400_000 && random.chance(0.01);
    batch.outbox_message.push({
      id: randomUUID(),
      case_id: id,
      kind,
      to,
      subject: `${subject} (${reference})`,
      text: `${subject}.`,
      html: `<p>${subject}.</p>`,
      status: failed ? 'failed' : 'sent',
      attempts: failed ? 8 : 1,
      next_attempt_at: at,
      last_error: failed ? '550 Mailbox unavailable' : null,
      sent_at: failed ? null : new Date(at.getTime() + 60_000),
      created_at: at,
    });
  };
}
