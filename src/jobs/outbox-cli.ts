// `npm run worker`: the outbox worker on its own (for deployments that run web instances with
// OUTBOX_WORKER=off and a separate worker process), and the daily retention job. Stops cleanly on
// SIGTERM.
import { buildServices } from '../composition.ts';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../data/database.ts';
import { refuseWhenLocked } from '../data/pglite-lock.ts';
import { migrate } from '../data/migrate.ts';
import { outboxRepository } from '../data/outbox.ts';
import { createLogger } from '../logger.ts';
import { createMailer } from '../services/mailer.ts';
import { OutboxWorker } from './outbox-worker.ts';

const config = loadConfig();
const logger = createLogger(config.logLevel);
const database = await openDatabase(config.database).catch(refuseWhenLocked());
await migrate(database.sql);
const mailer = createMailer(config.mail, logger);
const worker = new OutboxWorker(outboxRepository(database.prisma), mailer, logger, {
  pollMs: config.outbox.pollMs,
  maxAttempts: config.outbox.maxAttempts,
  leaseMs: config.outbox.leaseMs,
});
worker.start();
logger.info({ worker: worker.id, mail: mailer.describe() }, 'outbox worker started');
// Anonymises cases past the council's retention period, soon after start and then daily.
const retention = buildServices(config, database, mailer, logger).retention.startDaily();

const stop = async (signal: string) => {
  logger.info({ signal }, 'outbox worker stopping');
  await Promise.all([worker.stop(), retention.stop()]);
  mailer.close();
  await database.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
// Keep the process alive: the worker's timer is unref'd so the web server can exit on its own.
setInterval(() => undefined, 60_000);
