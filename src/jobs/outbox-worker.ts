import { randomUUID } from 'node:crypto';
import type { ClaimedMessage, OutboxRepository } from '../data/outbox.ts';
import type { Logger } from '../logger.ts';
import type { Mailer } from '../services/mailer.ts';

export interface OutboxWorkerOptions {
  pollMs: number;
  maxAttempts: number;
  batchSize?: number;
  /**
   * How long a claim holds without being renewed. The worker renews it every third of that while
   * it holds the batch, so a batch may take as long as it takes; a worker that dies holds its
   * messages only this long.
   */
  leaseMs?: number;
  /** Tries at recording a delivery the mail server accepted, before leaving it to the lease. */
  recordAttempts?: number;
  /** The first wait between those tries (doubling, at most 5 s). */
  recordBackoffMs?: number;
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
    const leaseMs = this.options.leaseMs ?? 60_000;
    // Checked between messages: a shutdown waits for one send, not for the whole outbox to drain
    // (with the mail server hanging, a batch alone takes batchSize x the SMTP timeout, and a
    // process killed for taking too long leaves its claims stuck until the lease runs out).
    while (!this.stopping) {
      const batch = await this.outbox.claim(this.id, this.options.batchSize ?? 10, leaseMs);
      if (batch.length === 0) return handled;
      const held = new Set(batch.map((message) => message.id));
      const heartbeat = this.heartbeat(held, leaseMs);
      try {
        for (const [index, message] of batch.entries()) {
          if (this.stopping) {
            await this.outbox.release(
              batch.slice(index).map((unsent) => unsent.id),
              this.id,
            );
            return handled;
          }
          const outcome = await this.deliver(message);
          held.delete(message.id);
          handled += 1;
          // Sent but not recorded: the database is not answering. Sending more now would only
          // make more such messages; the rest of the batch waits for its lease to run out.
          if (outcome === 'unrecorded') return handled;
        }
      } finally {
        clearInterval(heartbeat);
      }
    }
    return handled;
  }

  /** Renews the lease of the messages still held, every third of the lease, until cleared. */
  private heartbeat(held: Set<string>, leaseMs: number): NodeJS.Timeout {
    let renewing = false;
    const timer = setInterval(
      () => {
        if (renewing || held.size === 0) return;
        renewing = true;
        this.outbox
          .renewLease([...held], this.id, leaseMs)
          // Missed once, it is tried again a third of a lease later; missed until the lease runs
          // out, another worker may take the messages (and one may be sent twice).
          .catch((error: unknown) => this.logger.warn({ code: errorCode(error), messages: held.size }, 'outbox lease not renewed'))
          .finally(() => {
            renewing = false;
          });
      },
      Math.max(50, Math.floor(leaseMs / 3)),
    );
    timer.unref();
    return timer;
  }

  private async deliver(message: ClaimedMessage): Promise<'recorded' | 'unrecorded'> {
    try {
      await this.mailer.send(message);
    } catch (error) {
      const reason = describeError(error);
      if (message.attempts >= this.options.maxAttempts) {
        await this.outbox.markFailed(message.id, this.id, reason);
        this.logger.error({ messageId: message.id, attempts: message.attempts, code: errorCode(error) }, 'email failed for good');
      } else {
        await this.outbox.markForRetry(message.id, this.id, reason, new Date(Date.now() + retryDelayMs(message.attempts)));
        this.logger.warn({ messageId: message.id, attempts: message.attempts, code: errorCode(error) }, 'email not sent; will retry');
      }
      return 'recorded';
    }
    return this.recordSent(message);
  }

  /**
   * The mail server has accepted the message: from here a failure is the database's, never a
   * reason to send again. The recording is retried on its own, the message still claimed (the
   * heartbeat keeps its lease). If the database stays away, the message is left claimed: once the
   * lease runs out a worker sends it again, with the same Message-ID (at least once, never lost).
   */
  private async recordSent(message: ClaimedMessage): Promise<'recorded' | 'unrecorded'> {
    const attempts = this.options.recordAttempts ?? 8;
    let waitMs = this.options.recordBackoffMs ?? 250;
    for (let attempt = 1; ; attempt += 1) {
      try {
        const held = await this.outbox.markSent(message.id, this.id);
        // On a first try this means the lease ran out during the send and another worker took it.
        if (!held && attempt === 1)
          this.logger.warn({ messageId: message.id }, 'email sent after its claim had been taken by another worker');
        return 'recorded';
      } catch (error) {
        if (attempt >= attempts) {
          this.logger.error(
            { messageId: message.id, tries: attempt, code: errorCode(error) },
            'email sent but not recorded as sent; left claimed until its lease runs out, then sent again',
          );
          return 'unrecorded';
        }
        this.logger.warn(
          { messageId: message.id, tries: attempt, code: errorCode(error) },
          'email sent; recording it failed, trying again',
        );
        await new Promise((resolve) => setTimeout(resolve, waitMs));
        waitMs = Math.min(waitMs * 2, 5_000);
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
