import { openDatabase } from '../../src/data/database.ts';
import { migrate } from '../../src/data/migrate.ts';
import { ensureDatabaseExists, testDatabaseUrl } from './database.ts';

/** Once per test run: the test database exists and is migrated. */
export default async function setup(): Promise<void> {
  await ensureDatabaseExists(testDatabaseUrl);
  const database = await openDatabase({ kind: 'postgres', url: testDatabaseUrl });
  try {
    await migrate(database.sql);
  } finally {
    await database.close();
  }
}
