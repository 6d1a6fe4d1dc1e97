// Starts the portal: builds the dependencies, migrates, listens, and shuts down cleanly on SIGTERM.
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { createApp } from './app.ts';
import { buildServices } from './composition.ts';
import { ConfigError, configWarnings, loadConfig } from './config.ts';
import { openDatabase } from './data/database.ts';
import { migrate } from './data/migrate.ts';
import { createLogger } from './logger.ts';
import { createMailer } from './services/mailer.ts';

let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

const logger = createLogger(config.logLevel);
for (const warning of configWarnings(config)) logger.warn(warning);
const database = await openDatabase(config.database);
const applied = await migrate(database.sql);
if (applied.length) logger.info({ applied }, 'database migrated');
const mailer = createMailer(config.mail, logger);
const services = buildServices(config, database, mailer, logger);
await services.administration.councilSettings.load();
const app = createApp(services);

// The embedded demo only: a first administrator, its password printed once on this console.
if (config.database.kind === 'pglite' && config.env !== 'production' && !(await services.auth.hasOfficers())) {
  const password = randomBytes(15).toString('base64url');
  await services.auth.createOfficer({ email: 'admin@localhost', name: 'Demo administrator', role: 'administrator', password });
  console.log(`\nDemo administrator created (embedded database only). Sign in at ${config.baseUrl}/admin/sign-in\n  email:    admin@localhost\n  password: ${password}   (shown once)\n  Its second factor is optional here (OFFICER_MFA): set up an authenticator app at ${config.baseUrl}/admin/account\n`);
}

// The worker's jobs run where the outbox worker runs: sending emails, and the daily retention job.
const retention = config.outbox.enabled ? services.retention.startDaily() : null;
if (config.outbox.enabled) services.outboxWorker.start();
// The published figures count whole tables (seconds at a million cases): counted once now, in
// the background, so no visitor waits for the first count.
services.figures.warm().catch((error: unknown) => logger.warn({ err: error }, 'published figures not counted at start-up'));
const server = app.listen(config.port, () => {
  logger.info(
    { url: config.baseUrl, port: config.port, database: database.kind, mail: mailer.describe() },
    `ASB Case Review portal listening on ${config.baseUrl}`,
  );
});

// The requests being answered. At shutdown each is answered with "Connection: close": a browser's
// kept-alive connection would otherwise idle on after its response and hold the exit back for the
// keep-alive timeout, or until the forced close below.
const inFlight = new Set<ServerResponse>();
server.on('request', (_req, res: ServerResponse) => {
  inFlight.add(res);
  res.once('close', () => inFlight.delete(res));
});

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down: finishing requests in flight');
  for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const forceAfter = setTimeout(() => server.closeAllConnections(), 10_000);
  await Promise.all([closed, services.outboxWorker.stop(), retention?.stop()]);
  clearTimeout(forceAfter);
  mailer.close();
  await database.close();
  logger.info('stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
