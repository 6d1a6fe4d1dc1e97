import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, csrfTokenFrom, visitor, type TestApp } from '../helpers/app.ts';
import { query, truncateAll } from '../helpers/database.ts';
import { createOfficer, officerPassword } from '../helpers/officers.ts';
import { TestSmtpServer } from '../helpers/smtp.ts';

/**
 * How long a failed sign-in takes must not tell anyone whether the email has an account, or
 * whether that account is locked or disabled: each costs one argon2 check. The cases are
 * interleaved round by round (so a busy moment on a shared machine slows them all alike) and
 * compared by their medians. The rate limits are raised so that none of the attempts is refused
 * by them instead.
 */
const smtp = new TestSmtpServer();
let portal: TestApp;

beforeAll(async () => {
  await smtp.start();
  await truncateAll();
  portal = createTestApp({
    smtp,
    worker: false,
    env: { OFFICER_MFA: 'optional', RATE_LIMIT_SIGN_IN_PER_IP: '100000', RATE_LIMIT_SIGN_IN_PER_EMAIL: '100000' },
  });
  await createOfficer(portal, 'officer', 'wrong-password@council.test');
  await createOfficer(portal, 'officer', 'locked@council.test');
  await createOfficer(portal, 'officer', 'disabled@council.test');
  await query("UPDATE officer SET disabled = true WHERE email = 'disabled@council.test'");
});
afterAll(async () => {
  await portal.close();
  await smtp.stop();
});

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

const summaryMessage = (html: string) => /<li><a href="#email">([^<]+)<\/a><\/li>/.exec(html)?.[1];

describe('failed sign-ins', () => {
  it('take the same time whatever the reason: unknown email, locked, disabled or wrong password', async () => {
    const cases = [
      { name: 'unknown email', email: 'nobody@council.test', password: officerPassword },
      // The right password: a locked account is refused whatever is typed.
      { name: 'locked', email: 'locked@council.test', password: officerPassword },
      { name: 'disabled', email: 'disabled@council.test', password: officerPassword },
      { name: 'wrong password', email: 'wrong-password@council.test', password: 'not the password 123' },
    ];
    const browsers = await Promise.all(
      cases.map(async () => {
        const v = visitor(portal.app);
        return { v, token: csrfTokenFrom((await v.get('/admin/sign-in')).text) };
      }),
    );
    const times = new Map<string, number[]>(cases.map((c) => [c.name, []]));
    const rounds = 15;
    const warmUp = 2;
    for (let round = 0; round < warmUp + rounds; round += 1) {
      // Before each round: the locked account locked, the other not yet (its wrong passwords would lock it).
      await query(
        "UPDATE officer SET failed_sign_ins = 0, locked_until = CASE WHEN email = 'locked@council.test' THEN now() + interval '1 hour' END",
      );
      // A different order each round, so no case always runs first or last.
      for (let i = 0; i < cases.length; i += 1) {
        const index = (i + round) % cases.length;
        const attempt = cases[index];
        const browser = browsers[index];
        if (!attempt || !browser) throw new Error('no such case');
        const started = performance.now();
        const response = await browser.v.agent
          .post('/admin/sign-in')
          .type('form')
          .send({ _csrf: browser.token, email: attempt.email, password: attempt.password });
        const elapsed = performance.now() - started;
        expect(response.status, attempt.name).toBe(400);
        expect(summaryMessage(response.text), attempt.name).toBe(
          'Enter a correct email address and password. After 5 wrong attempts the account is locked for 15 minutes.',
        );
        if (round >= warmUp) times.get(attempt.name)?.push(elapsed);
      }
    }
    const medians = cases.map((c) => ({ name: c.name, ms: Math.round(median(times.get(c.name) ?? []) * 10) / 10 }));
    const fastest = Math.min(...medians.map((m) => m.ms));
    const slowest = Math.max(...medians.map((m) => m.ms));
    const report = medians.map((m) => `${m.name} ${m.ms} ms`).join(', ');
    expect(slowest / fastest, `medians: ${report}`).toBeLessThanOrEqual(2);
  });
});
