// npm run bench:queries [-- --database asb_bench --queries 3000]
// What one database query costs the portal's process: the same primary-key read of a case, one
// after another, through Prisma (as the portal's pages run it) and through pg alone (the baseline,
// a pool of its own with the portal's size, same run). Reports wall time and this process's CPU time per query, and the ratio.
// A page's cost grows with its number of queries: the case page runs 17, the dashboard 4.
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openPostgres } from '../../src/data/database.ts';
import { databaseUrl } from './lib/processes.ts';
import { table } from './lib/report.ts';

const { values: args } = parseArgs({
  options: {
    database: { type: 'string', default: 'asb_bench' },
    queries: { type: 'string', default: '3000' },
  },
});
const count = Number(args.queries);

interface Cost {
  label: string;
  wallUs: number;
  cpuUs: number;
}

async function measure(label: string, once: () => Promise<unknown>): Promise<Cost> {
  for (let i = 0; i < Math.min(1000, count); i += 1) await once(); // warm-up (JIT, connection)
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < count; i += 1) await once();
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { label, wallUs: (wallMs * 1000) / count, cpuUs: (used.user + used.system) / count };
}

async function main(): Promise<void> {
  const url = databaseUrl(args.database);
  const database = openPostgres(url);
  const raw = new pg.Pool({ connectionString: url, max: 10 });
  try {
    const [sample] = await database.sql.query<{ reference: string }>('SELECT reference FROM "case" ORDER BY received_at DESC LIMIT 1');
    if (!sample) throw new Error(`No cases in ${args.database}: run npm run bench first (it seeds the database).`);
    const reference = sample.reference;
    const pgAlone = () => raw.query('SELECT * FROM "case" WHERE reference = $1', [reference]);
    // pg alone before, between and after the others: its mean is the yardstick for a case read.
    const caseBaselines = [await measure('pg alone, a case (baseline)', pgAlone)];
    const caseReads = [await measure('Prisma findUnique, a case (query builder)', () => database.prisma.case.findUnique({ where: { reference } }))];
    caseBaselines.push(await measure('pg alone, a case, again', pgAlone));
    caseReads.push(await measure('Prisma $queryRaw, a case (SQL written out)', () => database.prisma.$queryRaw`SELECT * FROM "case" WHERE reference = ${reference}`));
    caseBaselines.push(await measure('pg alone, a case, third time', pgAlone));
    const rows: Array<Cost & { ratio: number }> = [];
    const mean = (costs: Cost[]) => costs.reduce((sum, row) => sum + row.cpuUs, 0) / costs.length;
    for (const row of [...caseBaselines, ...caseReads]) rows.push({ ...row, ratio: row.cpuUs / mean(caseBaselines) });
    const [session] = await database.sql.query<{ sid: string }>('SELECT sid FROM session LIMIT 1');
    if (session) {
      const sid = session.sid;
      const sessionBaseline = await measure('pg alone, a session (baseline)', () => raw.query('SELECT * FROM session WHERE sid = $1', [sid]));
      const sessionRead = await measure('Prisma findUnique, a session (3 columns)', () => database.prisma.session.findUnique({ where: { sid } }));
      rows.push({ ...sessionBaseline, ratio: 1 }, { ...sessionRead, ratio: sessionRead.cpuUs / sessionBaseline.cpuUs });
    }
    console.log(`\nOne primary-key read, ${count.toLocaleString('en-GB')} times one after another, database ${args.database}\n`);
    console.log(
      table(
        ['query', 'wall µs/query', 'portal CPU µs/query', 'CPU vs pg alone'],
        rows.map((row) => [row.label, row.wallUs.toFixed(0), row.cpuUs.toFixed(0), `${row.ratio.toFixed(2)}x`]),
      ),
    );
  } finally {
    await Promise.all([database.close(), raw.end()]);
  }
}

await main();
