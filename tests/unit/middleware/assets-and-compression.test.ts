import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { compression } from '../../../src/middleware/compression.ts';
import { preferredEncoding, publicFiles, staticAssets } from '../../../src/middleware/static-assets.ts';

const publicDir = mkdtempSync(path.join(os.tmpdir(), 'asb-assets-'));
mkdirSync(path.join(publicDir, 'assets'));
mkdirSync(path.join(publicDir, 'js'));
const css = `body{margin:0}${'.a{color:red}'.repeat(200)}`;
writeFileSync(path.join(publicDir, 'assets', 'app.css'), css);
writeFileSync(path.join(publicDir, 'assets', 'lib.js'), `export const x = 1;${' '.repeat(2000)}`);
writeFileSync(path.join(publicDir, 'js', 'init.js'), "import { x } from '/assets/lib.js';\nconsole.log(x);\n");
afterAll(() => rmSync(publicDir, { recursive: true, force: true }));

function app() {
  const assets = staticAssets(publicDir);
  const server = express();
  server.use(compression());
  server.use(assets.serve);
  server.get(['/page', '/admin/page'], (_req, res) => {
    res.type('html').send(`<p>${'Hello '.repeat(500)}</p>`);
  });
  return { server, assets };
}

describe('fingerprinted static assets', () => {
  it('names each file by a hash of its content, and scripts import each other by the new names', async () => {
    const { server, assets } = app();
    const cssUrl = assets.assetPath('/assets/app.css');
    const libUrl = assets.assetPath('/assets/lib.js');
    expect(cssUrl).toMatch(/^\/assets\/app\.[0-9a-f]{10}\.css$/);
    expect(assets.assetPath('/not/fingerprinted.css')).toBe('/not/fingerprinted.css');
    const init = await request(server).get(assets.assetPath('/js/init.js')).set('Accept-Encoding', 'identity');
    expect(init.text).toContain(`from '${libUrl}'`);
    expect(init.headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it('caches them for a year, compressed as the browser allows (brotli first)', async () => {
    const { server, assets } = app();
    const url = assets.assetPath('/assets/app.css');
    // supertest decompresses what it receives: the text is the file again.
    const br = await request(server).get(url).set('Accept-Encoding', 'gzip, deflate, br');
    expect(br.status).toBe(200);
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toBe('Accept-Encoding');
    expect(Number(br.headers['content-length'])).toBeLessThan(css.length / 5);
    expect(br.text).toBe(css);
    const gz = await request(server).get(url).set('Accept-Encoding', 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.text).toBe(css);
    const plain = await request(server).get(url).set('Accept-Encoding', 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.text).toBe(css);
  });

  it('answers a revalidation with 304, and leaves other paths to the next handler', async () => {
    const { server, assets } = app();
    const url = assets.assetPath('/assets/app.css');
    const first = await request(server).get(url).set('Accept-Encoding', 'br');
    const again = await request(server).get(url).set('Accept-Encoding', 'br').set('If-None-Match', String(first.headers.etag));
    expect(again.status).toBe(304);
    expect((await request(server).get('/assets/app.0000000000.css')).status).toBe(404);
  });

  it.each([
    ['gzip, deflate, br, zstd', 'br'],
    ['gzip', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['*', 'br'],
    ['identity', null],
    [undefined, null],
  ])('Accept-Encoding %s -> %s', (header, expected) => {
    expect(preferredEncoding(header)).toBe(expected);
  });
});

describe('response compression', () => {
  it('compresses pages, except in the officers’ area (BREACH: CSRF token beside reflected search text)', async () => {
    const { server } = app();
    const page = await request(server).get('/page').set('Accept-Encoding', 'gzip, br');
    expect(page.headers['content-encoding']).toBe('br');
    const admin = await request(server).get('/admin/page').set('Accept-Encoding', 'gzip, br');
    expect(admin.headers['content-encoding']).toBeUndefined();
  });
});

describe('the public folder', () => {
  it('serves its files by their plain names, and lets every other path through untouched', async () => {
    const server = express();
    server.use(publicFiles(publicDir, { index: false, maxAge: '1h' }));
    server.get('/page', (_req, res) => {
      res.send('page');
    });
    const file = await request(server).get('/assets/app.css');
    expect(file.status).toBe(200);
    expect(file.headers['cache-control']).toBe('public, max-age=3600');
    expect((await request(server).get('/page')).text).toBe('page');
    expect((await request(server).get('/assets/missing.css')).status).toBe(404);
  });
});
