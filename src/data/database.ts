import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.ts';
import type { Config } from '../config.ts';
import { lockPgliteFolder } from './pglite-lock.ts';
import { startFromTemplate } from './pglite-template.ts';

/** Runs whole SQL scripts (migrations) and simple queries outside Prisma. */
export interface SqlRunner {
  exec(sql: string): Promise<void>;
  query<Row>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Serialises migrations when several instances start at once. */
  withMigrationLock<T>(work: () => Promise<T>): Promise<T>;
}

export interface Database {
  prisma: PrismaClient;
  sql: SqlRunner;
  kind: 'postgres' | 'pglite';
  close(): Promise<void>;
}

// Prisma's own advisory lock key for migrations, so our migrate and Prisma's never overlap.
const migrationLockKey = 72707369;

export async function openDatabase(database: Config['database']): Promise<Database> {
  return database.kind === 'postgres'
    ? openPostgres(database.url, { poolTimeoutMs: database.poolTimeoutMs })
    : await openPglite(database.dataDir);
}

/** How long a query may wait for a free connection of the pool before it fails (a 503 page). */
export const defaultPoolTimeoutMs = 5_000;

/** Postgres through pg's pool: synchronous, for callers that know the database is Postgres. */
export function openPostgres(url: string, options: { poolTimeoutMs?: number } = {}): Database {
  // A saturated pool (every connection busy, say behind a lock) fails fast with "try again" rather
  // than holding the resident's request until their browser gives up.
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: options.poolTimeoutMs ?? defaultPoolTimeoutMs });
  // Postgres can drop any connection at any moment (a restart, a failover, pg_terminate_backend).
  // pg reports that as an 'error' event on the client, and an 'error' event nobody listens to
  // crashes the process. pg-pool listens only while a client is idle, and the Prisma adapter only
  // once its transaction has the client: a termination that arrives in the same network read as
  // the previous query's reply, just as the client passes from one to the other, finds neither.
  // Every client gets a listener of its own from the start.
  //
  // A broken client must also leave the pool at once. When Postgres ends a connection under a
  // running query it says so first (an error of severity FATAL, e.g. 57P01) and closes the socket
  // after; the query fails at the first, and pg marks the client broken only at the second. In
  // between, the Prisma adapter ends its transaction and releases the client (with no error; at
  // once when it was the COMMIT that failed), and pg-pool handed it to the next request, whose queries then failed ("Client has encountered a
  // connection error and is not queryable"). Ending the client as soon as either is heard marks
  // it as ending, and pg-pool discards an ending client when it is released, never handing it out.
  pool.on('connect', (client) => {
    const discard = () => {
      client.end().catch(() => undefined);
    };
    client.on('error', discard);
    client.connection.on('errorMessage', (message: { severity?: string }) => {
      if (message.severity === 'FATAL' || message.severity === 'PANIC') discard();
    });
  });
  pool.on('error', () => undefined); // an idle client lost: pg-pool has already discarded it
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  // One dedicated connection for migrations and maintenance: BEGIN/COMMIT and the advisory lock
  // must all run on the same connection.
  let client: pg.Client | null = null;
  const connection = async (): Promise<pg.Client> => {
    if (!client) {
      const fresh = new pg.Client({ connectionString: url });
      // This connection sits idle after the start-up migration. When Postgres drops it (a restart,
      // a failover, pg_terminate_backend) pg emits 'error' on the client; with no listener that
      // crashes the whole process. Forget the dead connection instead: the next use opens another,
      // and the query that was running (if any) still rejects to its caller.
      const forget = () => {
        if (client === fresh) client = null;
      };
      fresh.on('error', forget);
      fresh.on('end', forget);
      await fresh.connect();
      client = fresh;
    }
    return client;
  };
  const sql: SqlRunner = {
    async exec(text) {
      await (await connection()).query(text);
    },
    async query<Row>(text: string, params: unknown[] = []) {
      const result = await (await connection()).query(text, params);
      return result.rows as Row[];
    },
    async withMigrationLock(work) {
      const db = await connection();
      await db.query('SELECT pg_advisory_lock($1)', [migrationLockKey]);
      try {
        return await work();
      } finally {
        await db.query('SELECT pg_advisory_unlock($1)', [migrationLockKey]).catch(() => undefined);
      }
    },
  };
  return {
    prisma,
    sql,
    kind: 'postgres',
    async close() {
      await prisma.$disconnect();
      await pool.end();
      await client?.end();
    },
  };
}

/**
 * The embedded default: real Postgres compiled to WASM, persisted under DATA_DIR (or in memory).
 * Imported only here: loading PGlite costs about 50 MB of memory that a portal on Postgres never uses.
 */
async function openPglite(dataDir: string | null): Promise<Database> {
  const [{ PGlite }, { pg_trgm }, { PrismaPGlite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/pg_trgm'),
    import('pglite-prisma-adapter'),
  ]);
  // One process at a time on the folder: a second opener is refused (src/data/pglite-lock.ts).
  // The lock file sits beside the folder, so its parent must exist first.
  if (dataDir) mkdirSync(path.dirname(path.resolve(dataDir)), { recursive: true });
  const unlock = dataDir ? lockPgliteFolder(dataDir) : () => undefined;
  // A new data directory starts as a copy of the build's migrated template, not from initdb
  // (pglite-template.ts).
  if (dataDir && !startFromTemplate(dataDir)) mkdirSync(dataDir, { recursive: true });
  // pg_trgm backs the officers' search by name, as on real Postgres.
  const options = { extensions: { pg_trgm } };
  const client = dataDir ? new PGlite(dataDir, options) : new PGlite(options);
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(client) });
  const sql: SqlRunner = {
    async exec(text) {
      await client.exec(text);
    },
    async query<Row>(text: string, params: unknown[] = []) {
      const result = await client.query(text, params);
      return result.rows as Row[];
    },
    // One connection in one process: nothing else can migrate at the same time.
    withMigrationLock: (work) => work(),
  };
  return {
    prisma,
    sql,
    kind: 'pglite',
    async close() {
      await prisma.$disconnect();
      await client.close();
      unlock();
    },
  };
}
