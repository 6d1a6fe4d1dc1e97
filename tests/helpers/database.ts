import pg from 'pg';

/**
 * Integration tests use a real Postgres database: TEST_DATABASE_URL, or `asb_test` on the local
 * server. The global setup creates it when missing and migrates it.
 */
export const testDatabaseUrl = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/asb_test';

export async function ensureDatabaseExists(url = testDatabaseUrl): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `The tests need Postgres at ${admin.host} (set TEST_DATABASE_URL). Start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start\n${(error as Error).message}`,
      { cause: error },
    );
  }
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

/** Empties every table but the migration bookkeeping, between tests. */
export async function truncateAll(url = testDatabaseUrl): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ tablename: string }>(
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'",
    );
    if (rows.length) await client.query(`TRUNCATE ${rows.map((row) => `"${row.tablename}"`).join(', ')} CASCADE`);
  } finally {
    await client.end();
  }
}

export async function query<Row extends pg.QueryResultRow>(text: string, params: unknown[] = [], url = testDatabaseUrl): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<Row>(text, params)).rows;
  } finally {
    await client.end();
  }
}
