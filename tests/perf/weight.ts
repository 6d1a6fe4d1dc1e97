// npm run bench:weight [-- --url http://127.0.0.1:3000] [--database asb_bench] [--budget 100] [--no-write]
//
// Page weight as a first-time visitor's browser sees it: every public page (found by following
// the links from the start page, plus each page of the application form with a session) with
// its stylesheets, scripts (and the modules they import), fonts and images, all asked for with
// `Accept-Encoding: gzip, deflate, br`. Reports the bytes transferred per page (compressed, headers
// included) against the budget, and checks: text responses compressed; fingerprinted assets with
// `Cache-Control: public, max-age=31536000, immutable`; no render-blocking JavaScript; every
// form usable without JavaScript (method and action on the form, a real submit button).
// Without --url it starts the portal itself (NODE_ENV=production) on the bench database.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { proxyHeaders, rawRequest, type RawResponse } from './lib/http.ts';
import { caseCount, databaseUrl, freePort, recreateDatabase, root, run, startNode, type Running } from './lib/processes.ts';
import { kb, machine, table, writeBlock } from './lib/report.ts';
import { completeDraft } from './lib/sessions.ts';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' },
    database: { type: 'string', default: 'asb_bench' },
    budget: { type: 'string', default: '100' },
    build: { type: 'boolean', default: true },
    write: { type: 'boolean', default: true },
    results: { type: 'string', default: path.join(root, 'tests/perf/results/latest.md') },
  },
  allowNegative: true,
});
const budgetBytes = Number(args.budget) * 1024;
const acceptEncoding = 'gzip, deflate, br';
const year = 31_536_000;

interface Fetched {
  url: string;
  response: RawResponse;
  /** On the wire: headers and the body as sent. */
  bytes: number;
  /** The body as the browser has it after decompressing. */
  text: string;
  uncompressed: number;
}

interface Asset extends Fetched {
  kind: 'stylesheet' | 'script' | 'font' | 'image' | 'icon' | 'other';
}

interface PageWeight {
  path: string;
  html: Fetched;
  assets: Asset[];
  blockingScripts: string[];
  formProblems: string[];
}

const attr = (tag: string, name: string) => new RegExp(`\\s${name}\\s*=\\s*"([^"]*)"`, 'i').exec(tag)?.[1] ?? null;
const hasAttr = (tag: string, name: string) => new RegExp(`\\s${name}(\\s|=|>|/)`, 'i').test(tag);

/** The body of a response, decompressed as the browser would. */
function decoded(response: RawResponse): Buffer {
  const encoding = String(response.headers['content-encoding'] ?? '');
  if (encoding === 'br') return brotliDecompressSync(response.body);
  if (encoding === 'gzip') return gunzipSync(response.body);
  if (encoding === 'deflate') return inflateSync(response.body);
  return response.body;
}

async function fetchRaw(origin: string, url: string, cookie?: string): Promise<Fetched> {
  const response = await rawRequest(new URL(url, origin).toString(), {
    headers: { ...proxyHeaders, 'accept-encoding': acceptEncoding, ...(cookie ? { cookie } : {}) },
  });
  const body = decoded(response);
  return { url, response, bytes: response.headerBytes + response.body.length, text: body.toString('utf8'), uncompressed: body.length };
}

/** The resources a page makes the browser fetch (first visit), following CSS and JS module imports. */
async function assetsOf(origin: string, html: string): Promise<Asset[]> {
  const wanted: Array<{ url: string; kind: Asset['kind'] }> = [];
  for (const [tag] of html.matchAll(/<link\b[^>]*>/gi)) {
    const href = attr(tag, 'href');
    const rel = (attr(tag, 'rel') ?? '').toLowerCase();
    if (!href || href.startsWith('data:')) continue;
    if (rel.includes('stylesheet')) wanted.push({ url: href, kind: 'stylesheet' });
    else if (rel.includes('icon')) wanted.push({ url: href, kind: 'icon' });
    else if (rel.includes('preload') || rel.includes('modulepreload')) wanted.push({ url: href, kind: 'other' });
  }
  for (const [tag] of html.matchAll(/<script\b[^>]*>/gi)) {
    const src = attr(tag, 'src');
    if (src) wanted.push({ url: src, kind: 'script' });
  }
  for (const [tag] of html.matchAll(/<img\b[^>]*>/gi)) {
    const src = attr(tag, 'src');
    if (src && !src.startsWith('data:')) wanted.push({ url: src, kind: 'image' });
  }
  const seen = new Set<string>();
  const assets: Asset[] = [];
  while (wanted.length) {
    const next = wanted.shift();
    if (!next || seen.has(next.url)) continue;
    seen.add(next.url);
    const fetched = await fetchRaw(origin, next.url);
    assets.push({ ...fetched, kind: next.kind });
    if (fetched.response.status !== 200) continue;
    const text = next.kind === 'stylesheet' || next.kind === 'script' ? fetched.text : '';
    if (next.kind === 'script') {
      for (const match of text.matchAll(/(?:^|[;\s}])import\s*(?:[\w*{}\s,]+from\s*)?["']([^"']+)["']/g)) {
        if (match[1]) wanted.push({ url: new URL(match[1], new URL(next.url, origin)).pathname, kind: 'script' });
      }
    }
    if (next.kind === 'stylesheet') {
      for (const match of text.matchAll(/@import\s+(?:url\()?["']?([^"')\s]+)/g)) if (match[1]) wanted.push({ url: match[1], kind: 'stylesheet' });
      // Fonts are fetched whenever a @font-face is used; other url()s only when a rule matches.
      for (const [face] of text.matchAll(/@font-face\s*{[^}]*}/g)) {
        for (const match of face.matchAll(/url\(["']?([^"')]+)["']?\)/g)) {
          if (match[1] && !match[1].startsWith('data:')) wanted.push({ url: match[1], kind: 'font' });
        }
      }
    }
  }
  return assets;
}

/** External scripts that hold up rendering: classic scripts without defer or async. */
function blockingScripts(html: string): string[] {
  const blocking: string[] = [];
  for (const [tag] of html.matchAll(/<script\b[^>]*>/gi)) {
    const src = attr(tag, 'src');
    if (!src) continue; // inline: nothing to fetch (the portal's one inline script sets a class)
    const module = (attr(tag, 'type') ?? '').toLowerCase() === 'module';
    if (!module && !hasAttr(tag, 'defer') && !hasAttr(tag, 'async')) blocking.push(src);
  }
  return blocking;
}

/** Forms that would need JavaScript: no method or action, or nothing to submit them with. */
function formProblems(html: string): string[] {
  const problems: string[] = [];
  for (const match of html.matchAll(/<form\b[^>]*>([\s\S]*?)<\/form>/gi)) {
    const open = /<form\b[^>]*>/i.exec(match[0])?.[0] ?? '';
    const method = (attr(open, 'method') ?? 'get').toLowerCase();
    const action = attr(open, 'action');
    const submit = /<button\b(?![^>]*type="button")[^>]*>|<input\b[^>]*type="submit"/i.test(match[1] ?? '');
    if (method === 'post' && !action) problems.push('POST form without an action');
    if (!submit) problems.push(`form ${action ?? ''} has no submit button`);
  }
  return problems;
}

async function weigh(origin: string, pagePath: string, cookie?: string): Promise<PageWeight | null> {
  const html = await fetchRaw(origin, pagePath, cookie);
  const type = String(html.response.headers['content-type'] ?? '');
  if (html.response.status >= 300 || !type.startsWith('text/html')) return null;
  const text = html.text;
  return { path: pagePath, html, assets: await assetsOf(origin, text), blockingScripts: blockingScripts(text), formProblems: formProblems(text) };
}

/** Every public page reachable by links from the start page (not the officers' area, not files). */
async function publicPaths(origin: string): Promise<string[]> {
  const found: string[] = [];
  const queue = ['/'];
  const seen = new Set(queue);
  while (queue.length && found.length < 60) {
    const next = queue.shift() as string;
    const fetched = await fetchRaw(origin, next);
    const type = String(fetched.response.headers['content-type'] ?? '');
    if (fetched.response.status !== 200 || !type.startsWith('text/html')) continue;
    found.push(next);
    for (const match of fetched.text.matchAll(/<a\b[^>]*\shref="([^"#]+)/gi)) {
      const href = match[1] ?? '';
      if (!href.startsWith('/') || href.startsWith('//')) continue;
      if (/^\/(admin|apply|assets|js)(\/|$)/.test(href) || /[?&]format=/.test(href) || /\.\w+$/.test(href.split('?')[0] ?? '')) continue;
      if (!seen.has(href)) {
        seen.add(href);
        queue.push(href);
      }
    }
  }
  return found;
}

const formSteps = [
  'who-is-applying',
  'victim-type',
  'victim-details',
  'victim-contact',
  'incidents',
  'incident-details',
  'related-incidents',
  'impact',
  'action-so-far',
  'check-answers',
];

async function main(): Promise<void> {
  let portal: Running | null = null;
  let origin = args.url;
  if (!origin) {
    if (args.build) await run('npm', ['run', 'build', '--silent'], process.env);
    if ((await caseCount(args.database)) === null) await recreateDatabase(args.database);
    const work = mkdtempSync(path.join(os.tmpdir(), 'asb-weight-'));
    const port = await freePort();
    portal = await startNode('src/server.ts', {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        DATABASE_URL: databaseUrl(args.database),
        SESSION_SECRET: randomBytes(32).toString('base64url'),
        BASE_URL: `http://127.0.0.1:${port}`,
        TRUST_PROXY: '1',
        OUTBOX_WORKER: 'off',
        LOG_LEVEL: 'warn',
        DATA_DIR: path.join(work, 'data'),
      },
      logFile: path.join(work, 'portal.log'),
      readyPath: '/readyz',
      port,
    });
    origin = portal.origin;
  }
  try {
    const pages: PageWeight[] = [];
    for (const pagePath of await publicPaths(origin)) {
      const page = await weigh(origin, pagePath);
      if (page) pages.push(page);
    }
    const draft = await completeDraft(origin, 1);
    for (const step of formSteps) {
      const page = await weigh(origin, `/apply/${step}`, draft.cookie);
      if (page) pages.push(page);
    }
    for (const extra of ['/check-if-you-can-apply?reported=yes&incidents=meets&aboutStaff=no', '/no-such-page']) {
      const html = await fetchRaw(origin, extra);
      const text = html.text;
      pages.push({ path: extra, html, assets: await assetsOf(origin, text), blockingScripts: blockingScripts(text), formProblems: formProblems(text) });
    }

    const report = render(pages);
    console.log(report);
    if (args.write) {
      writeBlock(args.results, 'weight', report);
      console.log(`\nWritten to ${path.relative(process.cwd(), args.results)} (block weight).`);
    }
    const over = pages.filter((page) => total(page) > budgetBytes);
    if (over.length) process.exitCode = 1;
  } finally {
    await portal?.stop();
  }
}

const total = (page: PageWeight) => page.html.bytes + page.assets.reduce((sum, asset) => sum + asset.bytes, 0);
const encodingOf = (fetched: Fetched) => String(fetched.response.headers['content-encoding'] ?? 'none');
const compressibleType = (fetched: Fetched) => /text\/|javascript|json|svg|xml/.test(String(fetched.response.headers['content-type'] ?? ''));
const fingerprinted = (url: string) => /\.[0-9a-f]{8,}\.\w+$/.test(url);

function cachedForAYear(fetched: Fetched): boolean {
  const header = String(fetched.response.headers['cache-control'] ?? '');
  const maxAge = Number(/max-age=(\d+)/.exec(header)?.[1] ?? 0);
  return maxAge >= year && /immutable/.test(header) && /public/.test(header);
}

function render(pages: PageWeight[]): string {
  const lines: string[] = [];
  lines.push(`## Page weight, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`);
  lines.push('');
  lines.push(
    `Machine: ${machine()}. Each page as a first visit (empty cache) with \`Accept-Encoding: ${acceptEncoding}\`: bytes on the wire, headers included. A repeat visit fetches only the HTML (the assets are cached for a year). Budget ${kb(budgetBytes)}.`,
  );
  lines.push('');
  lines.push(
    table(
      ['page', 'status', 'HTML', 'HTML uncompressed', 'encoding', 'assets', 'first visit', 'repeat visit', 'budget'],
      pages.map((page) => [
        page.path,
        page.html.response.status,
        kb(page.html.bytes),
        kb(page.html.uncompressed),
        encodingOf(page.html),
        `${page.assets.length}: ${kb(page.assets.reduce((sum, asset) => sum + asset.bytes, 0))}`,
        kb(total(page)),
        kb(page.html.bytes),
        total(page) <= budgetBytes ? 'met' : '**missed**',
      ]),
    ),
  );
  const assets = new Map<string, Asset>();
  for (const page of pages) for (const asset of page.assets) assets.set(asset.url, asset);
  lines.push('');
  lines.push('Assets the pages load:');
  lines.push('');
  lines.push(
    table(
      ['asset', 'kind', 'status', 'bytes on the wire', 'uncompressed', 'encoding', 'Cache-Control', 'fingerprinted, cached a year'],
      [...assets.values()].map((asset) => [
        asset.url,
        asset.kind,
        asset.response.status,
        kb(asset.bytes),
        kb(asset.uncompressed),
        encodingOf(asset),
        String(asset.response.headers['cache-control'] ?? ''),
        fingerprinted(asset.url) && cachedForAYear(asset) ? 'yes' : '**no**',
      ]),
    ),
  );
  const uncompressedText = [...pages.map((page) => page.html), ...assets.values()].filter(
    (fetched) => compressibleType(fetched) && fetched.response.body.length > 1024 && encodingOf(fetched) === 'none',
  );
  const notImmutable = [...assets.values()].filter((asset) => !(fingerprinted(asset.url) && cachedForAYear(asset)));
  const blocking = pages.flatMap((page) => page.blockingScripts.map((src) => `${page.path}: ${src}`));
  const forms = pages.flatMap((page) => page.formProblems.map((problem) => `${page.path}: ${problem}`));
  const heaviest = Math.max(...pages.map(total));
  lines.push('');
  lines.push('Checks:');
  lines.push('');
  lines.push(`- Every page within ${kb(budgetBytes)}: ${pages.every((page) => total(page) <= budgetBytes) ? 'met' : '**missed**'} (heaviest first visit ${kb(heaviest)}).`);
  lines.push(`- Compressed text responses (over 1 KB): ${uncompressedText.length === 0 ? 'met' : `**missed**: ${uncompressedText.map((item) => item.url).join(', ')}`}.`);
  lines.push(
    `- Fingerprinted assets cached for a year (\`public, max-age=31536000, immutable\`): ${notImmutable.length === 0 ? 'met' : `**missed**: ${notImmutable.map((item) => item.url).join(', ')}`}.`,
  );
  lines.push(`- No render-blocking JavaScript (external classic scripts without defer/async): ${blocking.length === 0 ? 'met (the one script is a module, deferred by default)' : `**missed**: ${blocking.join(', ')}`}.`);
  lines.push(
    `- Usable with JavaScript off (every form has its method, action and a submit button; the benchmarks fill and send the whole application with a client that runs no JavaScript): ${forms.length === 0 ? 'met' : `**missed**: ${forms.join(', ')}`}.`,
  );
  return lines.join('\n');
}

try {
  await main();
} catch (error) {
  console.error(error);
  process.exitCode = 1;
}
