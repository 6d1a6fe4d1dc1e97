// `npm start`'s first step: builds only what is missing or older than its sources, so that
// `npm ci && npm start` sets everything up on a fresh machine and a second start does not wait
// for a build. Each step is one of `npm run build`'s:
//   the Prisma client (src/generated) when prisma/schema.prisma is newer;
//   the stylesheet (public/assets) when a file in src/styles or govuk-frontend is newer;
//   the compiled server (dist/) when any file in src/ (the generated client included) or a
//   tsconfig is newer than tsc's last build (dist/.tsbuildinfo);
//   the embedded database's template (dist/pglite-template/) when a migration or PGlite is newer.
// With no src/ (a production image holds only dist/), there is nothing to build from: it checks
// that dist/server.js exists and stops.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const at = (...parts) => path.join(root, ...parts);

/** The newest modification time of a file or of any file under a folder (0 when absent). */
function newest(target) {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = 0;
  for (const entry of readdirSync(target, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) latest = Math.max(latest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return latest;
}

/** True when `output` is missing or older than any of `sources`. */
const stale = (output, ...sources) => !existsSync(output) || Math.max(...sources.map(newest)) > newest(output);

function npmRun(script) {
  const result = spawnSync('npm', ['run', script, '--silent'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (!existsSync(at('src'))) {
  if (!existsSync(at('dist', 'server.js'))) {
    console.error('dist/server.js is missing and there is no src/ to build it from: run `npm run build` where the source is.');
    process.exit(1);
  }
  process.exit(0);
}

if (
  stale(
    at('src', 'generated', 'prisma', 'client.ts'),
    at('prisma', 'schema.prisma'),
    at('node_modules', '@prisma', 'client', 'package.json'),
  )
) {
  npmRun('generate');
}
if (stale(at('public', 'assets', 'app.css'), at('src', 'styles'), at('node_modules', 'govuk-frontend', 'package.json')))
  npmRun('build:css');
if (stale(at('dist', '.tsbuildinfo'), at('src'), at('tsconfig.json'), at('tsconfig.build.json'))) {
  npmRun('build:js');
  // tsc leaves its build info alone when no output changed (a file touched, not edited): mark the
  // build as current so the next start does not run tsc again.
  const now = new Date();
  utimesSync(at('dist', '.tsbuildinfo'), now, now);
}
if (
  stale(
    at('dist', 'pglite-template', 'PG_VERSION'),
    at('prisma', 'migrations'),
    at('node_modules', '@electric-sql', 'pglite', 'package.json'),
  )
) {
  npmRun('build:pglite');
}
