import { randomUUID } from 'node:crypto';
import type { OutboxRepository } from '../data/outbox.ts';
import type { Logger } from '../logger.ts';
import type { Mailer } from '../services/mailer.ts';

export interface OutboxWorkerOptions {
  pollMs: number;
  maxAttempts: number;
  batchSize?: number;
  /** A message left "sending" this long (its worker died) is claimed again. */
  staleAfterMs?: number;
}

/** Backoff before the next try: 5 s, 10 s, 20 s ... capped at an hour, with jitter. */
export function retryDelayMs(attempts: number): number {
  const base = Math.min(5_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/**
 * Sends the outbox: claims due messages, sends each, marks it sent, or schedules a retry, or
 * marks it failed for good after maxAttempts (officers see those). Runs in the app process and
 * can also run alone; any number can run against one database.
 */
export class OutboxWorker {
  readonly id = `worker-${randomUUID()}`;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  /** Set by stop(): the batch in hand is cut short and no more are claimed. */
  private stopping = false;
  private wakeAgain = false;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly mailer: Mailer,
    private readonly logger: Logger,
    private readonly options: OutboxWorkerOptions,
  ) {}

  start(): void {
    this.stopped = false;
    this.stopping = false;
    this.schedule(0);
  }

  /**
   * Stops claiming; resolves once the message being sent is finished and the rest of the batch in
   * hand has been handed back unsent (for another instance, or this one's next start).
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Called after a commit that wrote outbox rows: send now rather than at the next poll. */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) {
      this.wakeAgain = true;
      return;
    }
    this.schedule(0);
  }

  /** Sends every message due now; returns how many it handled. */
  async runOnce(): Promise<number> {
    let handled = 0;
    // Checked between messages: a shutdown waits for one send, not for the whole outbox to drain
    // (with the mail server hanging, a batch alone takes batchSize x the SMTP timeout, and a
    // process killed for taking too long leaves its claims stuck until the lease runs out).
    while (!this.stopping) {
      const batch = await this.outbox.claim(this.id, this.options.batchSize ?? 10, this.options.staleAfterMs ?? 300_000);
      if (batch.length === 0) return handled;
      for (const [index, message] of batch.entries()) {
        if (this.stopping) {
          await this.outbox.release(
            batch.slice(index).map((unsent) => unsent.id),
            this.id,
          );
          return handled;
        }
        await this.deliver(message);
        handled += 1;
      }
    }
    return handled;
  }

  private async deliver(message: { id: string; to: string; subject: string; text: string; html: string; attempts: number }): Promise<void> {
    try {
      await this.mailer.send(message);
      await this.outbox.markSent(message.id, this.id);
    } catch (error) {
      const reason = describeError(error);
      if (message.attempts >= this.options.maxAttempts) {
        await this.outbox.markFailed(message.id, this.id, reason);
        this.logger.error({ messageId: message.id, attempts: message.attempts, code: errorCode(error) }, 'email failed for good');
      } else {
        await this.outbox.markForRetry(message.id, this.id, reason, new Date(Date.now() + retryDelayMs(message.attempts)));
        this.logger.warn({ messageId: message.id, attempts: message.attempts, code: errorCode(error) }, 'email not sent; will retry');
      }
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.runOnce()
        .then(() => undefined)
        .catch((error: unknown) => this.logger.error({ code: errorCode(error) }, 'outbox worker error'))
        .finally(() => {
          this.running = null;
          const again = this.wakeAgain;
          this.wakeAgain = false;
          this.schedule(again ? 0 : this.options.pollMs);
        });
    }, delayMs);
    this.timer.unref();
  }
}

/** An error's code and message, short, for the outbox row and the log (never the message body). */
function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return `${typeof code === 'string' ? `${code}: ` : ''}${error.message}`.slice(0, 500);
  }
  return String(error).slice(0, 500);
}

/** Logs carry only the error's code: an SMTP reply can quote the recipient's address. */
function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : error instanceof Error ? error.name : 'unknown';
}
