import { rename, symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeParquet } from '../catalog/support/lake.js';
import { removeDir, startGateway, type TestGateway } from '../support/gateway.js';

/**
 * Issue 10, item 3 (tail): the result cache keyed a table by its catalog version and by reading the
 * table's own symlink, so a change of where the files really are (a link above the table directory)
 * went unseen, and the query service knew the pipeline's link layout. The key now holds what services
 * says the table's state is: catalog version plus the real place of its files.
 */
describe('the query result cache follows the catalog and the files', () => {
  let gw: TestGateway;
  beforeAll(async () => (gw = await startGateway()));
  afterAll(async () => {
    await gw.close();
    await removeDir(gw.home);
  });

  const query = async (sql: string) => {
    const res = await gw.app.inject({ method: 'POST', url: '/query', payload: { sql } });
    return { status: res.statusCode, body: res.json() };
  };
  const answer = async (sql: string) => {
    const { body } = await query(sql);
    return { rows: body.rows, hit: body.cache?.hit };
  };

  it('answers from the new files after a link above the table directory is swapped', async () => {
    await writeParquet(path.join(gw.home, 'gen1', 'moving', 'part-0.parquet'), 'SELECT 1 AS a');
    await writeParquet(path.join(gw.home, 'gen2', 'moving', 'part-0.parquet'), 'SELECT 2 AS a');
    const current = path.join(gw.home, 'current');
    await symlink('gen1', current, 'dir');
    const created = await gw.app.inject({ method: 'POST', url: '/tables', payload: { name: 'moving', location: path.join(current, 'moving') } });
    expect(created.statusCode).toBe(201);

    expect(await answer('SELECT a FROM moving')).toEqual({ rows: [[1]], hit: false });
    expect(await answer('SELECT a FROM moving')).toEqual({ rows: [[1]], hit: true });
    await symlink('gen2', `${current}.tmp`, 'dir');
    await rename(`${current}.tmp`, current);
    expect(await answer('SELECT a FROM moving')).toEqual({ rows: [[2]], hit: false });
  });

  it('never answers a deleted table from the cache, nor a re-created one from the old entry', async () => {
    const loc = path.join(gw.home, 'lab', 'gone');
    await writeParquet(path.join(loc, 'part-0.parquet'), 'SELECT 1 AS a');
    expect((await gw.app.inject({ method: 'POST', url: '/tables', payload: { name: 'gone', location: loc } })).statusCode).toBe(201);
    expect(await answer('SELECT a FROM gone')).toEqual({ rows: [[1]], hit: false });
    expect(await answer('SELECT a FROM gone')).toEqual({ rows: [[1]], hit: true });

    expect((await gw.app.inject({ method: 'DELETE', url: '/tables/gone' })).statusCode).toBe(204);
    const deleted = await query('SELECT a FROM gone');
    expect(deleted.status).toBe(404);
    expect(deleted.body.code).toBe('TABLE_NOT_FOUND');

    await writeParquet(path.join(loc, 'part-0.parquet'), 'SELECT 3 AS a');
    expect((await gw.app.inject({ method: 'POST', url: '/tables', payload: { name: 'gone', location: loc } })).statusCode).toBe(201);
    expect(await answer('SELECT a FROM gone')).toEqual({ rows: [[3]], hit: false });
  });
});
