import { mkdtemp, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeParquet } from '../catalog/support/lake.js';
import { removeDir, startGateway, type TestGateway } from '../support/gateway.js';

/**
 * Issue 10, items 3 and 7: discovery (GET /tables/{name}, /validate, /repair) walks only the table's
 * real location: links out of it are not followed and link cycles end the walk.
 */
describe('discovery stays inside a table', () => {
  let gw: TestGateway;
  let outside: string;

  beforeAll(async () => {
    outside = await mkdtemp(path.join(os.tmpdir(), 'lakegate-outside-'));
    await writeParquet(path.join(outside, 'k=9', 'secret.parquet'), 'SELECT 42 AS a');
    await writeParquet(path.join(outside, 'secret.parquet'), 'SELECT 42 AS a');
    gw = await startGateway();
  });
  afterAll(async () => {
    await gw.close();
    for (const d of [gw.home, outside]) await removeDir(d);
  });

  const inject = (method: 'GET' | 'POST', url: string, payload?: object) => gw.app.inject({ method, url, ...(payload ? { payload } : {}) });

  it('refuses to register a symlink whose real path is outside the roots', async () => {
    const link = path.join(gw.home, 'etclink');
    await symlink(outside, link, 'dir');
    const res = await inject('POST', '/tables', { name: 'etc_t', location: link, columns: [{ name: 'a', type: 'int' }], partitionKeys: [{ name: 'k', type: 'int' }] });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().code).toBe('LOCATION_UNREACHABLE');
    expect(res.json().detail).toContain(`really ${outside}`);
    const ddl = await inject('POST', '/tables', { ddl: `CREATE EXTERNAL TABLE etc_t (a INT) STORED AS PARQUET LOCATION '${link}/sub'` });
    expect(ddl.statusCode).toBe(422);
    expect(ddl.json().code).toBe('LOCATION_UNREACHABLE');
    expect((await inject('GET', '/tables/etc_t')).statusCode).toBe(404);
  });

  it('lists, validates and repairs a table without the files its links lead out to', async () => {
    const loc = path.join(gw.home, 'lab', 'leaky');
    await writeParquet(path.join(loc, 'k=1', 'part-0.parquet'), 'SELECT 1 AS a');
    await symlink(path.join(outside, 'k=9'), path.join(loc, 'k=9'), 'dir');
    await symlink(path.join(outside, 'secret.parquet'), path.join(loc, 'k=1', 'part-1.parquet'));
    const created = await inject('POST', '/tables', { name: 'leaky', location: loc, columns: [{ name: 'a', type: 'int' }], partitionKeys: [{ name: 'k', type: 'int' }] });
    expect(created.statusCode).toBe(201);

    const repair = await inject('POST', '/tables/leaky/repair');
    expect(repair.statusCode).toBe(200);
    expect(repair.json()).toMatchObject({ added: ['k=1'], removed: [], skipped: [] });
    const table = await inject('GET', '/tables/leaky');
    expect(table.json().stats).toEqual({ files: 1, bytes: expect.any(Number), rows: 1 });
    expect(table.body).not.toContain('secret');
    const validate = await inject('GET', '/tables/leaky/validate');
    expect(validate.json()).toEqual({ ok: true, filesChecked: 1, differences: [] });
  });

  it('ends a repair over a partition holding a link to its parent (ln -s .. k=2/loop)', async () => {
    const loc = path.join(gw.home, 'lab', 'loopy');
    for (const k of [1, 2]) await writeParquet(path.join(loc, `k=${k}`, 'part-0.parquet'), `SELECT ${k} AS a`);
    await symlink('..', path.join(loc, 'k=2', 'loop'), 'dir');
    await symlink('.', path.join(loc, 'k=1', 'self'), 'dir');
    const created = await inject('POST', '/tables', { name: 'loopy', location: loc, columns: [{ name: 'a', type: 'int' }], partitionKeys: [{ name: 'k', type: 'int' }] });
    expect(created.statusCode).toBe(201);
    const repair = await inject('POST', '/tables/loopy/repair');
    expect(repair.statusCode).toBe(200);
    expect(repair.json()).toMatchObject({ added: ['k=1', 'k=2'], removed: [], unchanged: 0, skipped: [] });
    expect((await inject('GET', '/tables/loopy')).json().stats).toEqual({ files: 2, bytes: expect.any(Number), rows: 2 });
    expect((await inject('GET', '/tables/loopy/validate')).json()).toEqual({ ok: true, filesChecked: 2, differences: [] });
  });

  it('reports the default partition once when both of its spellings (k= and k=__HIVE_DEFAULT_PARTITION__) are on disk', async () => {
    const loc = path.join(gw.home, 'lab', 'blank');
    await writeParquet(path.join(loc, 'k=', 'part-0.parquet'), 'SELECT 1 AS a');
    await writeParquet(path.join(loc, 'k=__HIVE_DEFAULT_PARTITION__', 'part-0.parquet'), 'SELECT 2 AS a');
    const created = await inject('POST', '/tables', { name: 'blank', location: loc, columns: [{ name: 'a', type: 'int' }], partitionKeys: [{ name: 'k', type: 'string' }] });
    expect(created.statusCode).toBe(201);
    const first = await inject('POST', '/tables/blank/repair');
    expect(first.json()).toMatchObject({
      added: ['k=__HIVE_DEFAULT_PARTITION__'],
      skipped: [{ path: 'k=__HIVE_DEFAULT_PARTITION__', reason: 'same partition values as k=' }],
    });
    const again = await inject('POST', '/tables/blank/repair');
    expect(again.json()).toMatchObject({ added: [], removed: [], unchanged: 1 });
  });
});
