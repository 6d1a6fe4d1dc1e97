// npm run retention
// Anonymises every case closed longer ago than the council's retention period (Settings, "Months
// to keep a closed case"), each with an audit entry, and forgets ended rate-limit counters. The
// worker process runs the same job daily; this runs it now, for example from a scheduler.
import { buildServices } from '../composition.ts';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../data/database.ts';
import { refuseWhenLocked } from '../data/pglite-lock.ts';
import { migrate } from '../data/migrate.ts';
import { createLogger } from '../logger.ts';
import { createMailer } from '../services/mailer.ts';

const config = loadConfig();
const database = await openDatabase(config.database).catch(refuseWhenLocked());
try {
  await migrate(database.sql);
  const logger = createLogger('silent');
  const services = buildServices(config, database, createMailer(config.mail, logger), logger);
  const result = await services.retention.run();
  console.log(
    `Retention: ${result.retentionMonths} months, cases closed on or before ${result.cutoff}. ` +
      `Anonymised ${result.anonymised} ${result.anonymised === 1 ? 'case' : 'cases'}; deleted ${result.draftsDeleted} ${result.draftsDeleted === 1 ? 'application' : 'applications'} never sent; forgot ${result.countersForgotten} ended rate-limit counters.`,
  );
} catch (error) {
  console.error(`The retention job failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await database.close();
}
