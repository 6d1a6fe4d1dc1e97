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
    const results: Cost[] = [];
    const pgAlone = () => raw.query('SELECT * FROM "case" WHERE reference = $1', [reference]);
    const baselines: Cost[] = [];
    baselines.push(await measure('pg alone (baseline)', pgAlone));
    results.push(await measure('Prisma findUnique (query builder)', () => database.prisma.case.findUnique({ where: { reference } })));
    baselines.push(await measure('pg alone again', pgAlone));
    results.push(await measure('Prisma $queryRaw (SQL written out)', () => database.prisma.$queryRaw`SELECT * FROM "case" WHERE reference = ${reference}`));
    baselines.push(await measure('pg alone, third time', pgAlone));
    const [session] = await database.sql.query<{ sid: string }>('SELECT sid FROM session LIMIT 1');
    if (session) {
      const sid = session.sid;
      results.push(await measure('Prisma findUnique of a session (3 columns)', () => database.prisma.session.findUnique({ where: { sid } })));
      baselines.push(await measure('pg alone, a session', () => raw.query('SELECT * FROM session WHERE sid = $1', [sid])));
    }
    results.unshift(...baselines);
    const baseline = baselines.reduce((sum, row) => sum + row.cpuUs, 0) / baselines.length;
    console.log(`\nOne primary-key read of a case, ${count.toLocaleString('en-GB')} times one after another, database ${args.database}\n`);
    console.log(
      table(
        ['query', 'wall µs/query', 'portal CPU µs/query', 'CPU vs pg alone'],
        results.map((row) => [row.label, row.wallUs.toFixed(0), row.cpuUs.toFixed(0), `${(row.cpuUs / baseline).toFixed(2)}x`]),
      ),
    );
  } finally {
    await Promise.all([database.close(), raw.end()]);
  }
}

await main();
