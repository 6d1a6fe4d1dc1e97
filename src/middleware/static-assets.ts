import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';
import express, { type RequestHandler } from 'express';

/**
 * Fingerprinted static assets: each stylesheet, script and image under public/assets and
 * public/js is also served at a name with a hash of its content (`/assets/app.3f9a1c0b2d.css`),
 * cached by browsers for a year (`immutable`): a new build has new names, so nobody is served a
 * stale file. Scripts that import another fingerprinted file import it by its new name too.
 *
 * Views link to `assetPath('/assets/app.css')` (the print layout too: the PDF service finds the
 * file by its plain name). The plain names still work, with a short cache, for anything that
 * links to them directly. Compressed copies
 * (brotli, gzip) are made once, on first request, and kept in memory.
 */

const types: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};
const compressible = new Set(['.css', '.js', '.mjs', '.svg']);
const immutable = 'public, max-age=31536000, immutable';

interface Asset {
  type: string;
  body: Buffer;
  etag: string;
  compressible: boolean;
  encoded: Map<'br' | 'gzip', Promise<Buffer>>;
}

export interface StaticAssets {
  /** The fingerprinted URL of a public file (`/assets/app.css`), or the URL itself when it has none. */
  assetPath(url: string): string;
  /** Serves the fingerprinted URLs; anything else goes on to the next handler. */
  serve: RequestHandler;
}

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

function encode(asset: Asset, encoding: 'br' | 'gzip'): Promise<Buffer> {
  let pending = asset.encoded.get(encoding);
  if (!pending) {
    pending =
      encoding === 'br'
        ? brotli(asset.body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: asset.body.length } })
        : gzipped(asset.body, { level: 9 });
    asset.encoded.set(encoding, pending);
  }
  return pending;
}

/**
 * brotli when the browser takes it, else gzip, else none: our preference, not the order the
 * browser lists them in (Chrome sends "gzip, deflate, br, zstd").
 */
export function preferredEncoding(header: string | undefined): 'br' | 'gzip' | null {
  const q = new Map<string, number>();
  for (const part of (header ?? '').split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const weight = params.map((param) => /^\s*q=([0-9.]+)\s*$/.exec(param)?.[1]).find((value) => value !== undefined);
    if (name) q.set(name, weight === undefined ? 1 : Number(weight));
  }
  const accepts = (name: string) => (q.get(name) ?? q.get('*') ?? 0) > 0;
  if (accepts('br')) return 'br';
  if (accepts('gzip')) return 'gzip';
  return null;
}

/** `/assets/app.css` + hash -> `/assets/app.<hash>.css` (the hash before the last extension). */
function hashedUrl(url: string, hash: string): string {
  const ext = path.posix.extname(url);
  return `${url.slice(0, url.length - ext.length)}.${hash}${ext}`;
}

/** The public URL of every servable file directly inside the given folders, with its content. */
function readFiles(publicDir: string, folders: string[]): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const folder of folders) {
    let names: string[];
    try {
      names = readdirSync(path.join(publicDir, folder));
    } catch {
      continue; // not built yet: nothing to fingerprint
    }
    for (const name of names.sort()) {
      const file = path.join(publicDir, folder, name);
      if (!types[path.extname(name)] || !statSync(file).isFile()) continue;
      files.set(`/${folder}/${name}`, readFileSync(file));
    }
  }
  return files;
}

/**
 * Hashes each file's content; a script or stylesheet that names another fingerprinted file (in
 * quotes or url()) has that name replaced by the hashed one first, so its own hash covers it.
 */
function fingerprint(files: Map<string, Buffer>): Map<string, { url: string; body: Buffer }> {
  const result = new Map<string, { url: string; body: Buffer }>();
  const hashOf = (body: Buffer) => createHash('sha256').update(body).digest('hex').slice(0, 10);
  for (const [url, body] of files) result.set(url, { url: hashedUrl(url, hashOf(body)), body });
  // References go one level deep here (init.js imports GOV.UK Frontend); a few rounds settle any chain.
  for (let round = 0; round < 4; round += 1) {
    let changed = false;
    for (const [url, original] of files) {
      if (!compressible.has(path.extname(url))) continue;
      let text = original.toString('utf8');
      for (const [other, entry] of result) {
        if (other === url) continue;
        for (const quote of ["'", '"']) text = text.split(`${quote}${other}${quote}`).join(`${quote}${entry.url}${quote}`);
        text = text.split(`url(${other})`).join(`url(${entry.url})`);
      }
      const body = Buffer.from(text, 'utf8');
      const next = hashedUrl(url, hashOf(body));
      if (result.get(url)?.url !== next) changed = true;
      result.set(url, { url: next, body });
    }
    if (!changed) break;
  }
  return result;
}

/** Reads and fingerprints public/assets and public/js once per set of files (by name, size and time). */
const built = new Map<string, { manifest: Map<string, string>; assets: Map<string, Asset> }>();

export function staticAssets(publicDir: string, folders: string[] = ['assets', 'js']): StaticAssets {
  const files = readFiles(publicDir, folders);
  const key = [publicDir, ...[...files.keys()].map((url) => `${url}:${statSync(path.join(publicDir, url)).mtimeMs}:${files.get(url)?.length}`)].join('|');
  let entry = built.get(key);
  if (!entry) {
    const manifest = new Map<string, string>();
    const assets = new Map<string, Asset>();
    for (const [url, { url: hashed, body }] of fingerprint(files)) {
      const ext = path.extname(url);
      manifest.set(url, hashed);
      assets.set(hashed, {
        type: types[ext] ?? 'application/octet-stream',
        body,
        etag: `"${hashed.slice(hashed.lastIndexOf('/') + 1)}"`,
        compressible: compressible.has(ext) && body.length >= 1024,
        encoded: new Map(),
      });
    }
    entry = { manifest, assets };
    built.set(key, entry);
  }
  const { manifest, assets } = entry;

  const serve: RequestHandler = (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const asset = assets.get(req.path);
    if (!asset) return next();
    const encoded = asset.compressible ? preferredEncoding(req.get('accept-encoding')) : null;
    res.setHeader('Content-Type', asset.type);
    res.setHeader('Cache-Control', immutable);
    // One ETag per representation: the brotli, gzip and plain bodies differ.
    res.setHeader('ETag', encoded ? `${asset.etag.slice(0, -1)}-${encoded}"` : asset.etag);
    if (asset.compressible) res.setHeader('Vary', 'Accept-Encoding');
    if (req.fresh) {
      res.statusCode = 304;
      return res.end();
    }
    if (!encoded) {
      res.setHeader('Content-Length', asset.body.length);
      return res.end(req.method === 'HEAD' ? undefined : asset.body);
    }
    encode(asset, encoded).then((body) => {
      res.setHeader('Content-Encoding', encoded);
      res.setHeader('Content-Length', body.length);
      res.end(req.method === 'HEAD' ? undefined : body);
    }, next);
  };

  return { assetPath: (url) => manifest.get(url) ?? url, serve };
}

/**
 * express.static for the public folder, asked only about paths under its top-level entries
 * (`/assets/...`, `/js/...`). Otherwise every page request would cost a file-system stat and a
 * 404 error object (with its stack trace) before reaching its route.
 */
export function publicFiles(publicDir: string, options: Parameters<typeof express.static>[1]): RequestHandler {
  const serve = express.static(publicDir, options);
  let entries: Set<string>;
  try {
    entries = new Set(readdirSync(publicDir));
  } catch {
    entries = new Set();
  }
  return (req, res, next) => (entries.has(req.path.split('/')[1] ?? '') ? serve(req, res, next) : next());
}
