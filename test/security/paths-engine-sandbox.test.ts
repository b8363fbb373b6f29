import { mkdir, mkdtemp, rename, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TableDef } from '../../src/catalog/table-def.js';
import { writeParquet } from '../catalog/support/lake.js';
import { removeDir, startGateway, type TestGateway } from '../support/gateway.js';

/**
 * Issue 10, item 3: a table whose location was a symlink put the link target's parent into DuckDB's
 * allowed_directories (`/` for a link to /etc), after which a Parquet file link in another table
 * read a file outside the home. The engine now allows each table's location and its real path only.
 */
describe("the DuckDB engine's sandbox with symlinked locations", () => {
  let gw: TestGateway;
  let outside: string;
  const query = async (sql: string) => {
    const res = await gw.app.inject({ method: 'POST', url: '/query', payload: { sql } });
    return { status: res.statusCode, body: res.json(), type: String(res.headers['content-type']) };
  };
  const def = (name: string, location: string): TableDef => ({ database: 'card_analytics', name, columns: [{ name: 'a', type: 'int' }], partitionKeys: [], location, format: 'parquet', properties: {} });

  beforeAll(async () => {
    outside = await mkdtemp(path.join(os.tmpdir(), 'lakegate-outside-'));
    await writeParquet(path.join(outside, 'etc', 'x.parquet'), 'SELECT 7 AS a');
    await writeParquet(path.join(outside, 'secret.parquet'), 'SELECT 42 AS a');
    gw = await startGateway();
  });
  afterAll(async () => {
    await gw.close();
    for (const d of [gw.home, outside]) await removeDir(d);
  });

  it('does not widen the sandbox for a link out of the roots that another writer registered', async () => {
    // Another catalog writer (or a registration from before the roots were checked on real paths).
    await symlink(path.join(outside, 'etc'), path.join(gw.home, 'etclink'), 'dir');
    await gw.services.catalog.store.createTable(def('etc_t', path.join(gw.home, 'etclink')));
    const plain = path.join(gw.home, 'lab', 'plain');
    await writeParquet(path.join(plain, 'part-0.parquet'), 'SELECT 1 AS a');
    await symlink(path.join(outside, 'secret.parquet'), path.join(plain, 'part-1.parquet'));
    await gw.services.catalog.store.createTable(def('plain', plain));

    const etc = await query('SELECT a FROM etc_t');
    expect(etc.status).toBe(422);
    expect(etc.type).toContain('application/problem+json');
    expect(etc.body.code).toBe('LOCATION_UNREACHABLE');
    const leak = await query('SELECT a FROM plain ORDER BY a');
    // DuckDB checks the real path of each file it opens: the link to secret.parquet is refused.
    expect(leak.status).toBe(400);
    expect(leak.body.code).toBe('SQL_NOT_ALLOWED');
    expect(JSON.stringify(leak.body)).not.toContain('42');
  });

  it('reads a published table through its link, and the next version after the link is swapped', async () => {
    const versions = path.join(gw.home, 'pub', '.versions', 'pub_t');
    await writeParquet(path.join(versions, 'v1', 'part-0.parquet'), 'SELECT 1 AS a');
    await writeParquet(path.join(versions, 'v2', 'part-0.parquet'), 'SELECT 2 AS a');
    // A sibling version the live link does not name is not readable through a file link either.
    await writeParquet(path.join(versions, 'v0', 'old.parquet'), 'SELECT 0 AS a');
    const link = path.join(gw.home, 'pub', 'pub_t');
    await symlink(path.join('.versions', 'pub_t', 'v1'), link, 'dir');
    await gw.services.catalog.store.createTable(def('pub_t', link));
    expect((await query('SELECT a FROM pub_t')).body.rows).toEqual([[1]]);

    await mkdir(path.dirname(link), { recursive: true });
    await symlink(path.join('.versions', 'pub_t', 'v2'), `${link}.tmp`, 'dir');
    await rename(`${link}.tmp`, link);
    expect((await query('SELECT a FROM pub_t')).body.rows).toEqual([[2]]);

    const sneaky = path.join(gw.home, 'lab', 'sneaky');
    await writeParquet(path.join(sneaky, 'part-0.parquet'), 'SELECT 5 AS a');
    await symlink(path.join(versions, 'v0', 'old.parquet'), path.join(sneaky, 'part-1.parquet'));
    await gw.services.catalog.store.createTable(def('sneaky', sneaky));
    const res = await query('SELECT a FROM sneaky');
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.code).toBe('SQL_NOT_ALLOWED');
  });
});
