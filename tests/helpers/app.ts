import { Writable } from 'node:stream';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../src/app.ts';
import { buildServices, type Services } from '../../src/composition.ts';
import { loadConfig } from '../../src/config.ts';
import { openPostgres, type Database } from '../../src/data/database.ts';
import { createLogger } from '../../src/logger.ts';
import { createMailer } from '../../src/services/mailer.ts';
import { testDatabaseUrl } from './database.ts';
import type { TestSmtpServer } from './smtp.ts';

export interface TestApp {
  app: Express;
  services: Services;
  database: Database;
  /** Every log line the app wrote, as text. */
  logs: string[];
  close(): Promise<void>;
}

/**
 * The real app on the test database, sending mail to the given SMTP server. The outbox worker
 * runs (polling fast) unless `worker: false`.
 */
export function createTestApp(options: { smtp: TestSmtpServer; env?: Record<string, string>; worker?: boolean }): TestApp {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: testDatabaseUrl,
    BASE_URL: 'http://portal.test',
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(options.smtp.port),
    SMTP_TIMEOUT_MS: '2000',
    OFFICER_MAILBOX: 'asb-team@council.test',
    OUTBOX_POLL_MS: '100',
    OUTBOX_MAX_ATTEMPTS: '5',
    SESSION_SECRET: 'test-session-secret-that-is-long-enough-123',
    UPLOAD_MAX_MB: '1',
    LOG_LEVEL: 'info',
    // Tests read the figures right after changing cases; the cache has its own unit test.
    FIGURES_CACHE_SECONDS: '0',
    ...options.env,
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logs.push(chunk.toString());
      callback();
    },
  });
  const logger = createLogger(config.logLevel, sink);
  if (config.database.kind !== 'postgres') throw new Error('The tests run on Postgres: set TEST_DATABASE_URL');
  const database = openPostgres(config.database.url, { poolTimeoutMs: config.database.poolTimeoutMs });
  const mailer = createMailer(config.mail, logger);
  const services = buildServices(config, database, mailer, logger);
  if (options.worker !== false) services.outboxWorker.start();
  return {
    app: createApp(services),
    services,
    database,
    logs,
    async close() {
      await services.outboxWorker.stop();
      mailer.close();
      await database.close();
    },
  };
}

/** The CSRF token in a page's form. */
export function csrfTokenFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('No CSRF token on the page');
  return match[1];
}

/**
 * A browser-like visitor: keeps cookies, reads the CSRF token from the page it GETs and posts
 * the form back with it (the real token flow).
 */
export function visitor(app: Express | string) {
  const agent = request.agent(app);
  return {
    agent,
    get: (path: string) => agent.get(path),
    /** GET the page, then POST `fields` to `action` (default: the same path) with its token. */
    async submit(path: string, fields: Record<string, string | string[]>, action = path) {
      const page = await agent.get(path);
      if (page.status !== 200 && page.status !== 400) throw new Error(`GET ${path} gave ${page.status} (${page.headers.location ?? ''})`);
      return agent
        .post(action)
        .type('form')
        .send({ _csrf: csrfTokenFrom(page.text), ...fields });
    },
  };
}

export type Visitor = ReturnType<typeof visitor>;
