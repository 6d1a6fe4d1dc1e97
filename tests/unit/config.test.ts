import { describe, expect, it } from 'vitest';
import { ConfigError, configWarnings, loadConfig } from '../../src/config.ts';

describe('configuration', () => {
  it('starts the embedded demo with no settings at all: PGlite under ./data and emails as files', () => {
    const config = loadConfig({});
    expect(config.database).toMatchObject({ kind: 'pglite' });
    expect(config.mail.smtp).toBeNull();
    expect(config.mail.fileDir).toMatch(/data[\\/]mail$/);
    expect(config.council.name).toBe('South Derbyshire District Council');
    expect(config.council.threshold.minimumIncidents).toBe(3);
  });

  it('refuses to start in production without a database, a session secret, with a clear message', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    try {
      loadConfig({ NODE_ENV: 'production' });
    } catch (error) {
      expect((error as Error).message).toContain('SESSION_SECRET: SESSION_SECRET is required in production');
      expect((error as Error).message).toContain('DATABASE_URL: DATABASE_URL is required in production');
    }
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL must start with postgres:// or postgresql://'],
    [{ SESSION_SECRET: 'short' }, 'SESSION_SECRET must be at least 32 characters'],
    [{ OFFICER_MAILBOX: 'not-an-email' }, 'OFFICER_MAILBOX'],
    [{ COUNCIL_CONFIG_FILE: '/nonexistent/council.json' }, 'COUNCIL_CONFIG_FILE /nonexistent/council.json could not be read'],
    [{ OUTBOX_LEASE_SECONDS: '0' }, 'OUTBOX_LEASE_SECONDS'],
  ])('explains what is wrong with %o', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it("holds an outbox worker's claim for a minute unless OUTBOX_LEASE_SECONDS says otherwise", () => {
    expect(loadConfig({}).outbox.leaseMs).toBe(60_000);
    expect(loadConfig({ OUTBOX_LEASE_SECONDS: '15' }).outbox.leaseMs).toBe(15_000);
    expect(loadConfig({ OUTBOX_LEASE_SECONDS: '0.5' }).outbox.leaseMs).toBe(500);
  });

  const production = { NODE_ENV: 'production', DATABASE_URL: 'postgresql://db/asb', SESSION_SECRET: 'x'.repeat(40) };
  it.each([
    [{ ...production, BASE_URL: 'http://asb.council.test' }, true],
    [{ ...production, BASE_URL: 'http://asb.council.test', TRUST_PROXY: '1' }, false],
    [{ ...production, BASE_URL: 'https://asb.council.test' }, false],
    [{ ...production }, true], // BASE_URL defaults to http://localhost
    [{ BASE_URL: 'http://localhost:3000' }, false], // development: the cookie is not Secure
  ])('warns at start-up that forms cannot work over plain HTTP in production: %o -> %s', (env, warns) => {
    const warnings = configWarnings(loadConfig(env));
    expect(warnings.some((warning) => warning.includes('every form will answer 403'))).toBe(warns);
  });
});
