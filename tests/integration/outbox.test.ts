import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { outboxRepository } from '../../src/data/outbox.ts';
import { OutboxWorker } from '../../src/jobs/outbox-worker.ts';
import { createLogger } from '../../src/logger.ts';
import { createMailer } from '../../src/services/mailer.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { query, truncateAll } from '../helpers/database.ts';
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
});

function workerFor(app: TestApp, maxAttempts = 3) {
  const mailer = createMailer(app.services.config.mail, silent);
  return new OutboxWorker(outboxRepository(app.database.prisma), mailer, silent, { pollMs: 50, maxAttempts, batchSize: 5 });
}

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
});
