import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

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
  ])('explains what is wrong with %o', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});
