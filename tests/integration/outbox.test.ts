import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { outboxRepository } from '../../src/data/outbox.ts';
import { OutboxWorker, type OutboxWorkerOptions } from '../../src/jobs/outbox-worker.ts';
import { createLogger } from '../../src/logger.ts';
import { createMailer } from '../../src/services/mailer.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { query, truncateAll } from '../helpers/database.ts';
import { killConnectionsMarkingSent } from '../helpers/faults-database.ts';
import { TestSmtpServer } from '../helpers/smtp.ts';

/** The outbox worker against real Postgres and a real SMTP server, as two app instances would run it. */
const smtp = new TestSmtpServer();
let first: TestApp;
let second: TestApp;
const silent = createLogger('silent');

beforeAll(async () => {
  await smtp.start();
  first = createTestApp({ smtp, worker: false });
  second = createTestApp({ smtp, worker: false });
});
afterAll(async () => {
  await first.close();
  await second.close();
  await smtp.stop();
});
beforeEach(async () => {
  await truncateAll();
  smtp.messages.length = 0;
  smtp.refuse.clear();
  smtp.delayMs = 0;
});

function workerFor(app: TestApp, maxAttempts = 3) {
  const mailer = createMailer(app.services.config.mail, silent);
  return new OutboxWorker(outboxRepository(app.database.prisma), mailer, silent, { pollMs: 50, maxAttempts, batchSize: 5 });
}

/** A worker sending as the council (its own mail domain), logging into `logs`, with `options`. */
function councilWorker(app: TestApp, options: Partial<OutboxWorkerOptions> = {}, logs: string[] = []) {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logs.push(chunk.toString());
      callback();
    },
  });
  const logger = createLogger('info', sink);
  const mail = app.services.config.mail;
  const mailer = createMailer(
    { ...mail, from: 'South Derbyshire ASB <asb@southderbyshire.test>', smtp: mail.smtp && { ...mail.smtp, timeoutMs: 10_000 } },
    logger,
  );
  return new OutboxWorker(outboxRepository(app.database.prisma), mailer, logger, { pollMs: 50, maxAttempts: 3, batchSize: 5, ...options });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function enqueue(count: number, to = (i: number) => `person${i}@example.test`) {
  const outbox = outboxRepository(first.database.prisma);
  for (let i = 0; i < count; i += 1) {
    await outbox.enqueue({ kind: 'test', to: to(i), subject: `Message ${i}`, text: `Body ${i}`, html: `<p>Body ${i}</p>` });
  }
}

describe('the outbox worker', () => {
  it('sends every message exactly once when two instances work the same outbox', async () => {
    await enqueue(60);
    const [a, b] = [workerFor(first), workerFor(second)];
    const [sentByA, sentByB] = await Promise.all([a.runOnce(), b.runOnce()]);
    expect(sentByA + sentByB).toBe(60);
    expect(sentByA).toBeGreaterThan(0);
    expect(sentByB).toBeGreaterThan(0);
    const subjects = smtp.messages.map((mail) => mail.subject).sort();
    expect(subjects).toHaveLength(60);
    expect(new Set(subjects).size).toBe(60);
    const statuses = await query<{ status: string; count: string }>('SELECT status, count(*) FROM outbox_message GROUP BY status');
    expect(statuses).toEqual([{ status: 'sent', count: '60' }]);
  });

  it('retries with backoff, then marks a message failed for good with the reason', async () => {
    smtp.refuse.add('bounce@example.test');
    await enqueue(1, () => 'bounce@example.test');
    const worker = workerFor(first, 3);
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      await worker.runOnce();
      const [row] = await query<{ status: string; attempts: number; next_attempt_at: Date; last_error: string }>('SELECT * FROM outbox_message');
      expect(row?.attempts).toBe(attempt);
      if (attempt < 3) {
        expect(row?.status).toBe('pending');
        expect(row?.next_attempt_at.getTime()).toBeGreaterThan(Date.now());
        await query('UPDATE outbox_message SET next_attempt_at = now()');
      } else {
        expect(row?.status).toBe('failed');
        expect(row?.last_error).toContain('Mailbox unavailable');
      }
    }
    expect(smtp.messages).toHaveLength(0);
  });

  it('picks up a message claimed by a process that died', async () => {
    await enqueue(1);
    await query("UPDATE outbox_message SET status = 'sending', locked_by = 'dead-worker', locked_at = now() - interval '10 minutes', attempts = 1");
    await workerFor(second).runOnce();
    expect(smtp.messages.map((mail) => mail.subject)).toEqual(['Message 0']);
    const [row] = await query<{ status: string; attempts: number }>('SELECT status, attempts FROM outbox_message');
    expect(row).toEqual({ status: 'sent', attempts: 2 });
  });

  it('leaves a message another live worker is sending alone', async () => {
    await enqueue(1);
    await query("UPDATE outbox_message SET status = 'sending', locked_by = 'live-worker', locked_at = now()");
    expect(await workerFor(second).runOnce()).toBe(0);
    expect(smtp.messages).toHaveLength(0);
  });

  it('picks up a claim as soon as its lease has run out, and not before', async () => {
    await enqueue(1);
    // A worker claims it with a one-second lease and dies at once (it never renews the claim).
    await outboxRepository(first.database.prisma).claim('dead-worker', 5, 1_000);
    const worker = workerFor(second);
    expect(await worker.runOnce()).toBe(0);
    const start = Date.now();
    while (smtp.messages.length === 0) {
      if (Date.now() - start > 10_000) throw new Error('the claim was not taken within 10 s of its lease running out');
      await worker.runOnce();
      await sleep(100);
    }
    expect(Date.now() - start).toBeGreaterThanOrEqual(500);
    expect(smtp.messages.map((mail) => mail.subject)).toEqual(['Message 0']);
    const [row] = await query<{ status: string; attempts: number }>('SELECT status, attempts FROM outbox_message');
    expect(row).toEqual({ status: 'sent', attempts: 2 });
  });

  it('renews the lease while a slow mail server takes its time, so no other worker sends the message too', async () => {
    await enqueue(2);
    smtp.delayMs = 1_500;
    // Leases of half a second, against sends of a second and a half each.
    const sending = councilWorker(first, { leaseMs: 500 });
    const other = councilWorker(second, { leaseMs: 500 });
    let done = false;
    const sent = sending.runOnce().finally(() => {
      done = true;
    });
    let takenByOther = 0;
    while (!done) {
      await sleep(100);
      takenByOther += await other.runOnce();
    }
    expect(await sent).toBe(2);
    expect(takenByOther).toBe(0);
    expect(smtp.messages.map((mail) => mail.subject).sort()).toEqual(['Message 0', 'Message 1']);
    const rows = await query<{ status: string; attempts: number }>('SELECT status, attempts FROM outbox_message');
    expect(rows).toEqual([
      { status: 'sent', attempts: 1 },
      { status: 'sent', attempts: 1 },
    ]);
  });
});

describe('the outbox worker when the database drops out just after the mail server accepted a message', () => {
  it('records the delivery on its own and never sends the message again', async () => {
    await enqueue(1);
    const logs: string[] = [];
    const worker = councilWorker(first, { recordBackoffMs: 50 }, logs);
    const fault = await killConnectionsMarkingSent(1);
    try {
      await worker.runOnce();
      // Whatever the worker scheduled, it is due now (as though its retry delay had passed).
      await query("UPDATE outbox_message SET next_attempt_at = now() WHERE status = 'pending'");
      await worker.runOnce();
    } finally {
      // The fault struck once: the first recording of the delivery died with its connection.
      expect(await fault.remove()).toBe(1);
    }
    await sleep(200);
    expect(smtp.messages.map((mail) => mail.subject)).toEqual(['Message 0']);
    const [row] = await query<{ id: string; status: string; attempts: number; sent_at: Date | null; lease_until: Date | null }>(
      'SELECT id, status, attempts, sent_at, lease_until FROM outbox_message',
    );
    expect(row).toMatchObject({ status: 'sent', attempts: 1, lease_until: null });
    expect(row?.sent_at).not.toBeNull();
    expect(smtp.messages[0]?.messageId).toBe(`<${row?.id}@southderbyshire.test>`);
    expect(logs.join('')).not.toContain('will retry');
    expect(logs.join('')).not.toContain('person0@example.test');
  });

  it('leaves a delivery it cannot record claimed; once the lease runs out it goes again, with the same Message-ID', async () => {
    await enqueue(1);
    const logs: string[] = [];
    const gaveUp = councilWorker(first, { leaseMs: 2_000, recordAttempts: 3, recordBackoffMs: 20 }, logs);
    const fault = await killConnectionsMarkingSent(1_000);
    try {
      expect(await gaveUp.runOnce()).toBe(1);
      // It gave up recording and did not send again from memory: claimed, by it, not sent.
      expect(smtp.messages).toHaveLength(1);
      const [held] = await query<{ status: string; locked_by: string }>('SELECT status, locked_by FROM outbox_message');
      expect(held).toEqual({ status: 'sending', locked_by: gaveUp.id });
    } finally {
      expect(await fault.remove()).toBe(3);
    }
    const log = logs.join('');
    expect(log).toContain('email sent but not recorded as sent');
    expect(log).not.toContain('person0@example.test');
    expect(log).not.toContain('Message 0');

    // Another worker takes it once the lease has run out, and sends it again.
    const other = councilWorker(second);
    expect(await other.runOnce()).toBe(0);
    const start = Date.now();
    while (smtp.messages.length < 2) {
      if (Date.now() - start > 10_000) throw new Error('the message was not sent again after its lease ran out');
      await other.runOnce();
      await sleep(100);
    }
    const [row] = await query<{ id: string; status: string; attempts: number }>('SELECT id, status, attempts FROM outbox_message');
    expect(row).toMatchObject({ status: 'sent', attempts: 2 });
    expect(smtp.messages.map((mail) => mail.messageId)).toEqual([`<${row?.id}@southderbyshire.test>`, `<${row?.id}@southderbyshire.test>`]);
  });
});
