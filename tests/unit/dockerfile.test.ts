// The Dockerfile cannot be built on this machine (no Docker engine), so this proves what can be
// proved without one: every file it copies exists, none of them is left out of the build context
// by .dockerignore, every file it copies from the build stage and the file it runs are what
// `npm run build` makes, it runs as a user without privileges, installs only the runtime
// dependencies in the final stage, checks /readyz, and runs the server with the node flags
// `npm start` uses. Run after `npm run build` (`npm test` builds first).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
// One instruction a line: continuation lines joined, comments dropped.
const instructions = dockerfile
  .replace(/\\\n\s*/g, ' ')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'));
const stages = instructions.reduce<string[][]>((list, line) => {
  if (/^FROM\s/i.test(line)) list.push([]);
  list.at(-1)?.push(line);
  return list;
}, []);
const ignored = readFileSync(path.join(root, '.dockerignore'), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'));

interface Copy {
  from: string | null;
  sources: string[];
}

function copies(lines: string[]): Copy[] {
  return lines
    .filter((line) => /^COPY\s/i.test(line))
    .map((line) => {
      const words = line.split(/\s+/).slice(1);
      const from = words.find((word) => word.startsWith('--from='))?.slice('--from='.length) ?? null;
      const paths = words.filter((word) => !word.startsWith('--'));
      return { from, sources: paths.slice(0, -1) };
    });
}

const jsonArray = (line: string, instruction: string) => JSON.parse(line.slice(instruction.length).trim()) as string[];
const startScript =
  (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.start ?? '';

describe('the Dockerfile', () => {
  it('has a build stage and a final stage', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(stages[0]?.[0]).toMatch(/^FROM \S+ AS build$/i);
  });

  it('copies from the build context only files that exist and that .dockerignore lets through', () => {
    const fromContext = stages.flatMap((stage) => copies(stage)).filter((copy) => copy.from === null);
    expect(fromContext.length).toBeGreaterThan(0);
    for (const source of fromContext.flatMap((copy) => copy.sources)) {
      expect(existsSync(path.join(root, source)), `${source} exists`).toBe(true);
      const top = source.replace(/^\.\//, '').split('/')[0];
      expect(ignored, `${source} is not in .dockerignore`).not.toContain(top);
    }
  });

  it('copies from the build stage only what the build makes there', () => {
    const built = copies(stages.at(-1) ?? []).filter((copy) => copy.from === 'build');
    expect(built.map((copy) => copy.sources).flat()).toEqual(expect.arrayContaining(['/app/dist']));
    for (const source of built.flatMap((copy) => copy.sources)) {
      const inProject = path.join(root, path.relative('/app', source));
      expect(existsSync(inProject), `${source} is built (${path.relative(root, inProject)} after npm run build)`).toBe(true);
      // ... and the build stage brings its sources in (the folder itself, or what makes dist/).
      const buildCopies = copies(stages[0] ?? []).flatMap((copy) => copy.sources);
      expect(buildCopies).toContain(path.relative('/app', source) === 'dist' ? 'src' : path.relative('/app', source));
    }
  });

  it('installs only runtime dependencies in the final stage and runs as a user without privileges', () => {
    const final = stages.at(-1) ?? [];
    expect(final.some((line) => /^RUN .*npm ci --omit=dev/.test(line))).toBe(true);
    const user = final.filter((line) => /^USER\s/i.test(line)).at(-1);
    expect(user).toBeDefined();
    expect(user?.split(/\s+/)[1]).not.toMatch(/^(root|0)$/);
  });

  it('checks /readyz', () => {
    const healthcheck = (stages.at(-1) ?? []).find((line) => /^HEALTHCHECK\s/i.test(line));
    expect(healthcheck).toMatch(/\/readyz/);
  });

  it('runs the compiled server, with the node flags npm start uses', () => {
    const cmd = (stages.at(-1) ?? []).find((line) => /^CMD\s/i.test(line));
    expect(cmd).toBeDefined();
    const [command, ...args] = jsonArray(cmd ?? '', 'CMD');
    expect(command).toBe('node');
    const file = args.at(-1) ?? '';
    expect(file).toBe('dist/server.js');
    expect(existsSync(path.join(root, file)), `${file} is made by npm run build`).toBe(true);
    // npm start: `node scripts/build-if-stale.mjs && node <flags> dist/server.js`
    const startFlags = /&&\s*node\s+(.*?)\s*dist\/server\.js\s*$/.exec(startScript)?.[1]?.split(/\s+/).filter(Boolean) ?? null;
    expect(startFlags).not.toBeNull();
    expect(args.slice(0, -1)).toEqual(startFlags);
  });

  it('names every compiled command it documents, and the build makes each', () => {
    for (const file of dockerfile.match(/dist\/[\w/-]+\.js/g) ?? []) {
      expect(existsSync(path.join(root, file)), `${file} is made by npm run build`).toBe(true);
    }
  });
});
