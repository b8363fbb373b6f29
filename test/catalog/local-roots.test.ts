import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { cardCsv } from '../support/csv-fixtures.js';
import { removeDir, startGateway, type TestGateway } from '../support/gateway.js';
import { writeParquet } from './support/lake.js';

describe('LAKEGATE_LOCAL_ROOTS in the configuration', () => {
  it('defaults to the home, plus the parent of a local warehouse kept elsewhere (where relative outputs go)', () => {
    expect(loadConfig({ LAKEGATE_HOME: '/srv/lg' }).localRoots).toEqual(['/srv/lg']);
    expect(loadConfig({ LAKEGATE_HOME: '/srv/lg', LAKEGATE_WAREHOUSE: '/data/wh' }).localRoots).toEqual(['/srv/lg', '/data']);
    expect(loadConfig({ LAKEGATE_HOME: '/srv/lg', LAKEGATE_WAREHOUSE: 's3://lake/wh' }).localRoots).toEqual(['/srv/lg']);
  });

  it('reads a comma-separated list, relative entries against the working directory', () => {
    expect(loadConfig({ LAKEGATE_LOCAL_ROOTS: '/data/a, lake ,/' }, '/work').localRoots).toEqual(['/data/a', '/work/lake', '/']);
    expect(() => loadConfig({ LAKEGATE_LOCAL_ROOTS: ' , ' })).toThrow(/LAKEGATE_LOCAL_ROOTS/);
  });
});

describe('a gateway fenced to its local roots', () => {
  let gw: TestGateway;
  let outside: string;
  let extra: string;

  beforeAll(async () => {
    outside = await mkdtemp(path.join(os.tmpdir(), 'lakegate-outside-'));
    extra = await mkdtemp(path.join(os.tmpdir(), 'lakegate-extra-'));
    const home = await mkdtemp(path.join(os.tmpdir(), 'lakegate-test-'));
    gw = await startGateway({ LAKEGATE_LOCAL_ROOTS: `${home},${extra}` }, home);
    for (const dir of [outside, extra, path.join(home, 'inside')]) await writeParquet(path.join(dir, 'k=1', 'part-0.parquet'), 'SELECT 1 AS a');
  });
  afterAll(async () => {
    await gw.close();
    for (const d of [gw.home, outside, extra]) await removeDir(d);
  });

  const create = (payload: Record<string, unknown>) => gw.app.inject({ method: 'POST', url: '/tables', payload });

  it('refuses a table outside the roots, by location or by DDL, and registers nothing', async () => {
    for (const payload of [
      { name: 'escaped', location: outside },
      { name: 'escaped', location: path.join(gw.home, '..', path.basename(outside)) },
      { ddl: `CREATE EXTERNAL TABLE escaped (a INT) PARTITIONED BY (k STRING) STORED AS PARQUET LOCATION '${outside}'` },
      { ddl: `CREATE EXTERNAL TABLE escaped (a INT) PARTITIONED BY (k STRING) STORED AS PARQUET LOCATION 'file://${outside}'` },
      { name: 'escaped', location: '/' },
    ]) {
      const res = await create(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(422);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().code).toBe('LOCATION_UNREACHABLE');
      expect(res.json().detail).toContain('LAKEGATE_LOCAL_ROOTS');
    }
    expect((await gw.app.inject({ method: 'GET', url: '/tables/escaped' })).statusCode).toBe(404);
  });

  it('registers tables under the home and under every configured root', async () => {
    const inside = await create({ name: 'inside', location: path.join(gw.home, 'inside') });
    expect(inside.statusCode).toBe(201);
    const other = await create({ name: 'other', location: extra });
    expect(other.statusCode).toBe(201);
    expect((await gw.app.inject({ method: 'POST', url: '/tables/other/repair' })).json().added).toEqual(['k=1']);
    const res = await gw.app.inject({ method: 'POST', url: '/query', payload: { sql: 'SELECT a, k FROM other' } });
    expect(res.json().rows).toEqual([[1, 1]]); // k=1 is inferred as an integer key
  });

  it('refuses a pipeline output outside the roots before anything is written', async () => {
    const input = await cardCsv(path.join(gw.home, 'in.csv'), 200);
    const target = path.join(outside, 'wh');
    const res = await gw.app.inject({ method: 'POST', url: '/pipelines/run', payload: { input, output: target } });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'LOCATION_UNREACHABLE' });
    expect(existsSync(target)).toBe(false);
    expect((await gw.app.inject({ method: 'GET', url: '/pipelines/runs' })).json().runs).toEqual([]);
  });
});
