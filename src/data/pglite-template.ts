// A new embedded database starts as a copy of one made by the build: creating a PGlite data
// directory runs Postgres's initdb in WebAssembly (about 3 s on a quiet core, 9 s or more on a
// busy one), while copying a saved one takes a fraction of a second. `npm run build`
// (build:pglite) creates an empty database, applies every migration and keeps it in
// dist/pglite-template/; a data directory that does not exist yet (or is empty) starts as a copy
// of it, and the start-up migration then applies anything newer than the template. Without the
// template (or for an in-memory database) PGlite runs initdb as before.
import { cpSync, existsSync, readdirSync, renameSync, rmSync, utimesSync } from 'node:fs';
import path from 'node:path';
import type { SqlRunner } from './database.ts';
import { migrate } from './migrate.ts';

/** The same path from src/data and from dist/data: the project's dist/ folder. */
export const templateDir = path.resolve(import.meta.dirname, '../../dist/pglite-template');

const holdsDatabase = (dir: string) => existsSync(path.join(dir, 'PG_VERSION'));

/** Fills `dataDir` from the template when it holds no database yet; true when it did. */
export function startFromTemplate(dataDir: string, template = templateDir): boolean {
  if (!holdsDatabase(template) || holdsDatabase(dataDir)) return false;
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) return false; // someone else's files: leave them to PGlite
  // Copied beside it, then renamed into place: a copy cut short never looks like a database.
  const partial = `${dataDir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  cpSync(template, partial, { recursive: true });
  rmSync(dataDir, { recursive: true, force: true });
  renameSync(partial, dataDir);
  return true;
}

/** Creates an empty embedded database in `dir`, applies every migration: the migrations applied. */
export async function buildTemplate(dir = templateDir): Promise<string[]> {
  const [{ PGlite }, { pg_trgm }] = await Promise.all([import('@electric-sql/pglite'), import('@electric-sql/pglite/contrib/pg_trgm')]);
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  const client = new PGlite(partial, { extensions: { pg_trgm } });
  let applied: string[];
  try {
    const sql: SqlRunner = {
      exec: async (text) => void (await client.exec(text)),
      query: async <Row>(text: string, params: unknown[] = []) => (await client.query<Row>(text, params)).rows,
      withMigrationLock: (work) => work(),
    };
    applied = await migrate(sql);
    // A checkpoint, so the copy holds the data in its tables and not only in the write-ahead log.
    await client.exec('CHECKPOINT');
  } finally {
    await client.close();
  }
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  // PGlite's initdb keeps the file times of the files it unpacks (1970): stamp the template as made
  // now, which is what `npm start`'s staleness check (scripts/build-if-stale.mjs) compares.
  const now = new Date();
  utimesSync(path.join(dir, 'PG_VERSION'), now, now);
  return applied;
}
