import { mkdir, mkdtemp, readFile, realpath, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsole } from '../../scripts/build-console.js';
import { ConsoleAssets } from '../../src/console/console-assets.js';
import { removeDir, startGateway, type TestGateway } from '../support/gateway.js';
import { apiKeysEnv } from '../auth/keys.js';

describe('the console routes', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    // Keys on: the page and its scripts still need none (the data behind them does).
    gw = await startGateway({ LAKEGATE_API_KEYS: apiKeysEnv() });
  });
  afterAll(async () => {
    await gw.close();
    await removeDir(gw.home);
  });

  it('redirects / and /console to /console/', async () => {
    for (const url of ['/', '/console']) {
      const res = await gw.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(302);
      expect(res.headers.location).toBe('/console/');
    }
  });

  it('serves the page with a CSP that keeps it on the gateway, and its script', async () => {
    const page = await gw.app.inject({ method: 'GET', url: '/console/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<script type="module" src="app.js">');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    const script = await gw.app.inject({ method: 'GET', url: '/console/app.js' });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    const again = await gw.app.inject({ method: 'GET', url: '/console/app.js', headers: { 'if-none-match': String(script.headers.etag) } });
    expect(again.statusCode).toBe(304);
    // Compressed for a client that accepts it, the same bytes once inflated.
    const zipped = await gw.app.inject({ method: 'GET', url: '/console/app.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.rawPayload.length).toBeLessThan(script.rawPayload.length / 2);
    expect(gunzipSync(zipped.rawPayload).equals(script.rawPayload)).toBe(true);
    expect(script.headers['content-encoding']).toBeUndefined();
    // Each representation has its own ETag; q=0 refuses gzip.
    expect(zipped.headers.etag).not.toBe(script.headers.etag);
    const stale = await gw.app.inject({ method: 'GET', url: '/console/app.js', headers: { 'accept-encoding': 'gzip', 'if-none-match': String(script.headers.etag) } });
    expect(stale.statusCode).toBe(200);
    const refused = await gw.app.inject({ method: 'GET', url: '/console/app.js', headers: { 'accept-encoding': 'gzip;q=0, identity' } });
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect((await gw.app.inject({ method: 'GET', url: '/console/app.js', headers: { 'if-none-match': `W/"x", ${script.headers.etag}` } })).statusCode).toBe(304);
  });

  it('serves every chunk the script imports, as immutable', async () => {
    const script = (await gw.app.inject({ method: 'GET', url: '/console/app.js' })).body;
    const chunks = [...new Set([...script.matchAll(/\.\/(chunk-[A-Za-z0-9]+\.js)/g)].map((m) => m[1]!))];
    expect(chunks.length).toBeGreaterThanOrEqual(1);
    for (const c of chunks) {
      const res = await gw.app.inject({ method: 'GET', url: `/console/${c}` });
      expect(res.statusCode, c).toBe(200);
      expect(res.headers['cache-control']).toContain('immutable');
    }
  });

  it('answers 404 problem+json for anything that is not a built file, traversal included', async () => {
    for (const url of ['/console/nope.js', '/console/..%2f..%2fpackage.json', '/console/app.js%00.html']) {
      const res = await gw.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    // A path that leaves /console/ before routing is another route: unknown, so it wants a key first.
    for (const url of ['/console/../package.json', '/console/%2e%2e/%2e%2e/package.json']) expect((await gw.app.inject({ method: 'GET', url })).statusCode, url).toBe(401);
  });
});

describe('ConsoleAssets', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'lakegate-console-assets-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is CONSOLE_NOT_BUILT (503) without a built index.html', async () => {
    await expect(new ConsoleAssets(path.join(dir, 'missing')).get('')).rejects.toMatchObject({ code: 'CONSOLE_NOT_BUILT' });
  });

  it('serves only regular files of known types in the folder, never what a link leads to', async () => {
    const dist = path.join(dir, 'dist');
    await mkdir(path.join(dist, 'sub'), { recursive: true });
    await writeFile(path.join(dist, 'index.html'), '<!doctype html>');
    await writeFile(path.join(dist, 'a.css'), 'a{}');
    await writeFile(path.join(dist, 'sub', 'b.css'), 'b{}');
    await writeFile(path.join(dist, 'notes.txt'), 'not served');
    await writeFile(path.join(dir, 'secret.js'), 'outside');
    await symlink(path.join(dir, 'secret.js'), path.join(dist, 'linked.js'));
    const assets = new ConsoleAssets(dist);
    expect((await assets.get(''))?.body.toString()).toBe('<!doctype html>');
    expect((await assets.get('a.css'))?.contentType).toBe('text/css; charset=utf-8');
    expect(await assets.get('sub/b.css')).toBeUndefined();
    expect(await assets.get('notes.txt')).toBeUndefined();
    expect(await assets.get('linked.js')).toBeUndefined();
    expect(await assets.get('../secret.js')).toBeUndefined();
  });

  it('serves every request while the bundle is rebuilt, and the new bundle after it, without a restart', async () => {
    const link = path.join(dir, 'built', 'dist');
    await mkdir(path.dirname(link));
    await buildConsole(link);
    const assets = new ConsoleAssets(link);
    const first = (await assets.get('app.js'))!.etag;
    // The page changes in place, then the bundle is rebuilt while requests keep coming.
    await writeFile(path.join(await realpath(link), 'index.html'), '<!doctype html><title>edited</title>');
    await utimes(path.join(await realpath(link), 'index.html'), new Date(), new Date(Date.now() + 5000));
    expect((await assets.get(''))?.body.toString()).toContain('edited');
    let stop = false;
    const failures: unknown[] = [];
    const readers = Array.from({ length: 4 }, async () => {
      while (!stop) await assets.get('app.js').then((a) => a ?? failures.push('missing'), (err: unknown) => failures.push(err));
    });
    await buildConsole(link);
    await buildConsole(link);
    stop = true;
    await Promise.all(readers);
    expect(failures).toEqual([]);
    expect((await assets.get(''))?.body.toString()).not.toContain('edited');
    expect((await assets.get('app.js'))!.etag).toBe(first);

    // A chunk the previous bundle's script loads is still served after a rebuild that no longer has it
    // (a page opened before the rebuild asks for it later).
    const current = await realpath(link);
    await writeFile(path.join(current, 'chunk-OLDCHART.js'), 'export const old = 1;');
    await writeFile(path.join(current, 'app.js'), `${await readFile(path.join(current, 'app.js'), 'utf8')}\nimport("./chunk-OLDCHART.js");`);
    await buildConsole(link);
    expect(await realpath(link)).not.toBe(current);
    expect((await assets.get('chunk-OLDCHART.js'))?.body.toString()).toBe('export const old = 1;');
  });
});
