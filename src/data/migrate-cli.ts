// `npm run migrate`: applies pending migrations to DATABASE_URL (or the embedded database).
import { loadConfig } from '../config.ts';
import { openDatabase } from './database.ts';
import { refuseWhenLocked } from './pglite-lock.ts';
import { migrate } from './migrate.ts';

const config = loadConfig();
const database = await openDatabase(config.database).catch(refuseWhenLocked());
try {
  const applied = await migrate(database.sql);
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
} finally {
  await database.close();
}
