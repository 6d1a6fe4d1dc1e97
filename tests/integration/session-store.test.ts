import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestApp, visitor, type TestApp } from '../helpers/app.ts';
import { query, truncateAll } from '../helpers/database.ts';
import { TestSmtpServer } from '../helpers/smtp.ts';

/**
 * The session's expiry rolls forward with every page, but the store writes it to the database
 * only when it would move by more than a minute (src/data/session-store.ts): a page a resident
 * opens a few seconds after the last costs no write, and the session still ends when it is idle.
 */
const smtp = new TestSmtpServer();
let portal: TestApp; // idle 5 minutes

beforeAll(async () => {
  await smtp.start();
  portal = createTestApp({ smtp, worker: false, env: { SESSION_IDLE_MINUTES: '5' } });
});
afterAll(async () => {
  await portal.close();
  await smtp.stop();
});
beforeEach(() => truncateAll());
afterEach(() => vi.useRealTimers());

const storedExpiry = async () => {
  const rows = await query<{ expires_at: Date }>('SELECT expires_at FROM session');
  expect(rows).toHaveLength(1);
  return rows[0]?.expires_at.getTime() ?? 0;
};

describe('the session store', () => {
  it('writes a rolled expiry only when it moves by more than a minute; an idle session still ends', async () => {
    const start = Date.now();
    vi.useFakeTimers({ toFake: ['Date'], now: start });
    const v = visitor(portal.app);
    const answered = await v.submit('/apply/who-is-applying', { applyingAs: 'self' });
    expect(answered.headers.location).toBe('/apply/victim-type');
    const first = await storedExpiry();
    expect(first).toBeGreaterThanOrEqual(start + 5 * 60_000);

    vi.setSystemTime(start + 30_000);
    expect((await v.get('/apply/victim-type')).status).toBe(200);
    expect(await storedExpiry(), '30 seconds later: no write').toBe(first);

    vi.setSystemTime(start + 3 * 60_000);
    expect((await v.get('/apply/victim-type')).status).toBe(200);
    const rolled = await storedExpiry();
    expect(rolled, '3 minutes later: the expiry moved to 5 minutes from now').toBeGreaterThanOrEqual(start + 8 * 60_000);

    // Idle for longer than 5 minutes after the last page: the application's session is gone.
    vi.setSystemTime(start + 3 * 60_000 + 5 * 60_000 + 1_000);
    const after = await v.get('/apply/victim-type');
    expect(after.status).toBe(303);
    expect(after.headers.location).not.toBe('/apply/victim-type');
  });
});
