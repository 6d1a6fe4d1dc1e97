// npm run officer:create -- --email someone@council.gov.uk --role administrator --name "Their Name"
// Creates an officer account. The password comes from OFFICER_PASSWORD, or a random one is made
// and printed once. The officer sets up their second factor at first sign-in.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { buildServices } from '../composition.ts';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../data/database.ts';
import { refuseWhenLocked } from '../data/pglite-lock.ts';
import { migrate } from '../data/migrate.ts';
import { isOfficerRole } from '../domain/officer-roles.ts';
import { createLogger } from '../logger.ts';
import { createMailer } from '../services/mailer.ts';

const { values } = parseArgs({
  options: { email: { type: 'string' }, role: { type: 'string', default: 'officer' }, name: { type: 'string' } },
});
if (!values.email || !isOfficerRole(values.role)) {
  console.error('Usage: npm run officer:create -- --email someone@council.gov.uk --role officer|manager|administrator [--name "Their Name"]');
  process.exit(2);
}

const config = loadConfig();
const database = await openDatabase(config.database).catch(refuseWhenLocked('or create officers from the administration page (/admin/administration/officers).'));
try {
  await migrate(database.sql);
  const logger = createLogger('silent');
  const services = buildServices(config, database, createMailer(config.mail, logger), logger);
  const generated = !process.env.OFFICER_PASSWORD;
  const password = process.env.OFFICER_PASSWORD ?? randomBytes(15).toString('base64url');
  const officer = await services.auth.createOfficer({ email: values.email, name: values.name ?? values.email, role: values.role, password });
  console.log(`Created ${officer.role} ${officer.email}.`);
  if (generated) console.log(`Password (shown once, change it after signing in): ${password}`);
} catch (error) {
  console.error(`Could not create the officer: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await database.close();
}
