// npm run db:seed -- --cases 100000 [--seed 1] [--today 2026-11-25] [--batch 2000]
// Fills the Postgres database in DATABASE_URL with realistic, made-up cases for development and
// load testing: every status of the machine, five years of receipt dates (Europe/London), 1-8
// incidents each, victims (and applicants with consent), status changes consistent with the
// status, reviews, recommendations, appeals, emails and notes. The same --seed (and --today)
// gives the same cases. Rows go in as batched multi-row INSERTs (json_populate_recordset), one
// transaction per batch. Refuses to run without DATABASE_URL or with NODE_ENV=production.
//
// The made-up cases come from ./seed/generate.ts (seeded, no I/O) and go in through
// ./seed/write.ts; this file reads the arguments, runs the batches and reports progress.
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openDatabase } from '../data/database.ts';
import { migrate } from '../data/migrate.ts';
import { addCalendarDays, isIsoDate, londonDate } from '../domain/calendar-date.ts';
import type { CaseStatus } from '../domain/case-status.ts';
import { makeCase } from './seed/generate.ts';
import { londonInstant } from './seed/london-days.ts';
import { seededRandom } from './seed/random.ts';
import { emptyBatch, tables, type SeedContext, type Table } from './seed/rows.ts';
import { insertBatch, seededOfficers } from './seed/write.ts';

// ---------------------------------------------------------------------------------------------
// Arguments and guards

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    today: { type: 'string' },
    batch: { type: 'string', default: '2000' },
  },
});

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

const databaseUrl = process.env.DATABASE_URL;
if (process.env.NODE_ENV === 'production')
  fail('Refusing to seed: NODE_ENV is production. The seed makes up cases; never run it on live data.');
if (!databaseUrl || !/^postgres(ql)?:\/\//.test(databaseUrl)) {
  fail(
    'Set DATABASE_URL to the Postgres database to fill, for example DATABASE_URL=postgresql://postgres@127.0.0.1:5432/asb_dev npm run db:seed -- --cases 1000',
  );
}
const caseCount = Number(values.cases);
const seed = Number(values.seed);
const batchSize = Number(values.batch);
if (!Number.isInteger(caseCount) || caseCount < 1) fail('--cases must be a whole number, 1 or more');
if (!Number.isInteger(seed)) fail('--seed must be a whole number');
if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 5000) fail('--batch must be between 1 and 5000');
if (values.today !== undefined && !isIsoDate(values.today)) fail('--today must be a date like 2026-11-25');

async function main(url: string): Promise<void> {
  const started = performance.now();
  const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
  const database = await openDatabase({ kind: 'postgres', url });
  try {
    await migrate(database.sql);
  } finally {
    await database.close();
  }
  const writers = 2;
  const pool = new pg.Pool({ connectionString: url, max: writers + 1 });
  try {
    const now = values.today ? londonInstant(values.today, 17, 0) : new Date();
    const existing = await pool.query<{ reference: string }>('SELECT reference FROM "case"');
    const context: SeedContext = {
      random: seededRandom(seed),
      now,
      earliest: londonInstant(addCalendarDays(londonDate(now), -5 * 365 - 1), 0, 0).getTime(),
      officerIds: await seededOfficers(pool),
      references: new Set(existing.rows.map((row) => row.reference)),
    };
    const statuses = new Map<CaseStatus, number>();
    const totals = new Map<Table, number>();
    let done = 0;
    let written = 0;
    // Two batches are written at once (one per Postgres connection) while the next is made.
    const writing: Array<Promise<void>> = [];
    console.log(`Seeding ${caseCount.toLocaleString('en-GB')} cases (seed ${seed}) into ${new URL(url).pathname.slice(1)}...`);
    while (done < caseCount) {
      const batch = emptyBatch();
      const size = Math.min(batchSize, caseCount - done);
      for (let i = 0; i < size; i += 1) {
        const status = makeCase(context, batch);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
      for (const table of tables) totals.set(table, (totals.get(table) ?? 0) + batch[table].length);
      if (writing.length >= writers) await writing.shift();
      done += size;
      const write = insertBatch(pool, batch).then(() => {
        written += size;
        console.log(`  ${written.toLocaleString('en-GB')} cases written (${seconds()} s)`);
      });
      write.catch(() => undefined); // awaited below; this only stops an early failure counting as unhandled
      writing.push(write);
    }
    await Promise.all(writing);
    // Fresh statistics and visibility map, as autovacuum would leave them, so queries plan as in real use.
    await pool.query('VACUUM (ANALYZE)');
    console.log(`Seeded ${caseCount.toLocaleString('en-GB')} cases in ${seconds()} s.`);
    console.log(`  Rows: ${tables.map((table) => `${table} ${(totals.get(table) ?? 0).toLocaleString('en-GB')}`).join(', ')}`);
    console.log(`  Statuses: ${[...statuses.entries()].map(([status, n]) => `${status} ${n.toLocaleString('en-GB')}`).join(', ')}`);
  } finally {
    await pool.end();
  }
}

try {
  await main(databaseUrl);
} catch (error) {
  console.error(`The seed failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
