// --explain: the SQL behind the officers' pages and the published figures, captured from the
// portal's own code (Prisma's query log, the app running in this process against the bench
// database), each run again under EXPLAIN (ANALYZE, BUFFERS).
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { createApp } from '../../../src/app.ts';
import { buildServices } from '../../../src/composition.ts';
import { loadConfig } from '../../../src/config.ts';
import { openDatabase } from '../../../src/data/database.ts';
import { PrismaClient } from '../../../src/generated/prisma/client.ts';
import { createLogger } from '../../../src/logger.ts';
import { createMailer } from '../../../src/services/mailer.ts';
import { rawRequest, proxyHeaders } from './http.ts';
import { officerSession } from './sessions.ts';

export interface ExplainPage {
  name: string;
  path: string;
}

interface Captured {
  query: string;
  params: string;
}

export interface ExplainedQuery {
  page: string;
  sql: string;
  params: unknown[];
  plan: string;
  executionMs: number;
  /** "Index Scan using x", "Seq Scan on y", ... in plan order, each once. */
  scans: string[];
}

/** The access paths a plan uses, each once, in order. */
export function scansIn(plan: string): string[] {
  const found = new Set<string>();
  for (const match of plan.matchAll(/(Parallel )?(Index Only Scan|Index Scan|Bitmap Index Scan|Seq Scan)(?: Backward)?(?: using| on) ("?[\w.]+"?)(?: on ("?[\w.]+"?))?/g)) {
    found.add(`${match[2]} ${match[2] === 'Seq Scan' || match[2] === 'Bitmap Index Scan' ? 'on' : 'using'} ${match[3]}${match[4] ? ` (${match[4]})` : ''}`);
  }
  return [...found];
}

export async function explainPages(options: {
  databaseUrl: string;
  pages: ExplainPage[];
  officer: { email: string; password: string };
}): Promise<ExplainedQuery[]> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'asb-explain-'));
  const config = loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: options.databaseUrl,
    SESSION_SECRET: 'explain-mode-session-secret-0123456789abcdef',
    TRUST_PROXY: '1',
    OUTBOX_WORKER: 'off',
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
  });
  const logger = createLogger('warn');
  const opened = await openDatabase(config.database);
  const prisma = new PrismaClient({
    adapter: new PrismaPg({ connectionString: options.databaseUrl, max: 10 }),
    log: [{ emit: 'event', level: 'query' }],
  });
  const captured: Captured[] = [];
  prisma.$on('query', (event) => captured.push({ query: event.query, params: event.params }));
  const database = {
    ...opened,
    prisma,
    async close() {
      await prisma.$disconnect();
      await opened.close();
    },
  };
  const mailer = createMailer(config.mail, logger);
  const services = buildServices(config, database, mailer, logger);
  await services.administration.councilSettings.load();
  const server = createApp(services).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new pg.Client({ connectionString: options.databaseUrl });
  await client.connect();
  const explained: ExplainedQuery[] = [];
  try {
    const cookie = await officerSession(origin, options.officer.email, options.officer.password);
    for (const page of options.pages) {
      const headers = { ...proxyHeaders, cookie };
      await rawRequest(origin + page.path, { headers }); // warm: plans and caches as under load
      captured.length = 0;
      const response = await rawRequest(origin + page.path, { headers });
      if (response.status !== 200) throw new Error(`--explain: ${page.path} gave ${response.status}`);
      for (const { query, params } of [...captured]) {
        if (!/^\s*(SELECT|WITH)\b/i.test(query)) continue; // the audit entry a case view writes, and the session's touch
        const values = JSON.parse(params || '[]') as unknown[];
        await client.query('BEGIN READ ONLY');
        try {
          const result = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${query}`, values);
          const plan = result.rows.map((row) => row['QUERY PLAN']).join('\n');
          explained.push({
            page: page.name,
            sql: query,
            params: values,
            plan,
            executionMs: Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? Number.NaN),
            scans: scansIn(plan),
          });
        } finally {
          await client.query('ROLLBACK');
        }
      }
    }
  } finally {
    await client.end();
    await new Promise((resolve) => server.close(resolve));
    mailer.close();
    await database.close();
  }
  return explained;
}
