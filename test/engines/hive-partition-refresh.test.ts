import { mkdir, mkdtemp, realpath, rename, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TableDef } from '../../src/catalog/table-def.js';
import type { QueryEngine } from '../../src/engines/engine.js';
import { createHiveServer2Engine } from '../../src/engines/hiveserver2/index.js';
import { collect } from './support/conformance.js';
import { thriftServerConfig } from './support/hiveserver2.js';

/** Writes one partition folder `day=<day>` holding the rows `values` of column v (BIGINT), with DuckDB. */
async function writePartition(table: string, day: number, values: number[]): Promise<void> {
  const folder = path.join(table, `day=${day}`);
  await mkdir(folder, { recursive: true });
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    await conn.run(`COPY (SELECT v::BIGINT AS v FROM (VALUES ${values.map((v) => `(${v})`).join(', ')}) t(v)) TO '${path.join(folder, 'part-0.parquet')}' (FORMAT parquet)`);
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

const rows = async (engine: QueryEngine, sql: string): Promise<unknown[][]> => (await collect(engine, sql)).rows;

// A published table as the pipeline leaves it: `events` is a link to `.versions/events/<version>`.
describe("engine 'hive' follows the catalog: new partitions and new versions become visible after onCatalogChange", () => {
  let dir: string;
  let def: TableDef;
  let managed: QueryEngine;
  let shared: QueryEngine;
  const signal = new AbortController().signal;
  const select = 'SELECT day, v FROM `refresh_test`.`events` ORDER BY day, v';

  beforeAll(async () => {
    dir = await realpath(await mkdtemp(path.join(os.tmpdir(), 'lakegate-hive-refresh-')));
    await writePartition(path.join(dir, '.versions', 'events', 'v1'), 1, [10]);
    await symlink(path.join(dir, '.versions', 'events', 'v1'), path.join(dir, 'events'));
    // A column called `type`: DESCRIBE FORMATTED lists it before the table's own "Type" row.
    def = { database: 'card_analytics', name: 'events', location: path.join(dir, 'events'), format: 'parquet', properties: {}, columns: [{ name: 'v', type: 'BIGINT' }, { name: 'type', type: 'STRING' }], partitionKeys: [{ name: 'day', type: 'INT' }] };
    const config = await thriftServerConfig({ database: 'refresh_test' });
    managed = createHiveServer2Engine('hive', 'hive', config);
    shared = createHiveServer2Engine('hive', 'hive', { ...config, tables: 'shared' });
  }, 240_000);
  afterAll(async () => {
    await managed?.close();
    await shared?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('managed: creates the table over the version the link points to and registers its partitions', async () => {
    const outcome = await managed.onCatalogChange!({ changed: [def], dropped: [], reason: 'publication' }, signal);
    expect(outcome).toMatchObject({ engine: 'hive', mode: 'managed', status: 'synced', tables: ['events'] });
    expect(outcome.statements.find((s) => s.startsWith('CREATE EXTERNAL TABLE'))).toContain(`LOCATION 'file://${dir}/.versions/events/v1'`);
    expect(await rows(managed, select)).toEqual([[1, '10']]);
  });

  it('shared: a partition folder that lands is invisible until the refresh (MSCK REPAIR TABLE), then its rows are there', async () => {
    await writePartition(path.join(dir, '.versions', 'events', 'v1'), 2, [20, 21]);
    expect(await rows(shared, select)).toEqual([[1, '10']]);
    const outcome = await shared.onCatalogChange!({ changed: [def], dropped: [], reason: 'repair' }, signal);
    expect(outcome).toEqual({ engine: 'hive', mode: 'shared', status: 'synced', tables: ['events'], statements: ['MSCK REPAIR TABLE `refresh_test`.`events`'] });
    expect(await rows(shared, select)).toEqual([[1, '10'], [2, '20'], [2, '21']]);
    expect(await rows(managed, select)).toEqual([[1, '10'], [2, '20'], [2, '21']]);
  });

  it('managed: a new version swapped in behind the link is read after the change re-creates the table', async () => {
    await writePartition(path.join(dir, '.versions', 'events', 'v2'), 3, [30]);
    await symlink(path.join(dir, '.versions', 'events', 'v2'), path.join(dir, 'events.next'));
    await rename(path.join(dir, 'events.next'), path.join(dir, 'events'));
    const outcome = await managed.onCatalogChange!({ changed: [def], dropped: [], reason: 'publication' }, signal);
    expect(outcome.status, outcome.error).toBe('synced');
    expect(await rows(managed, select)).toEqual([[3, '30']]);
  });

  it('managed: a table dropped from the catalog is dropped from the engine', async () => {
    const outcome = await managed.onCatalogChange!({ changed: [], dropped: [{ database: 'card_analytics', name: 'events' }], reason: 'repair' }, signal);
    expect(outcome).toMatchObject({ status: 'synced', tables: ['events'], statements: ['CREATE DATABASE IF NOT EXISTS `refresh_test`', 'DROP TABLE IF EXISTS `refresh_test`.`events`'] });
    const err = await rows(managed, select).then(() => undefined, (e: unknown) => e);
    expect(String(err)).toMatch(/TABLE_OR_VIEW_NOT_FOUND|not found/i);
  });

  it('managed: a table of the engine holding its own data is never dropped; it is reported and retried while the other tables follow', async () => {
    await rows(managed, 'CREATE TABLE `refresh_test`.`owned` (v BIGINT) STORED AS PARQUET');
    await rows(managed, 'INSERT INTO `refresh_test`.`owned` VALUES (7)');
    const owned: TableDef = { ...def, name: 'owned' };
    const first = await managed.onCatalogChange!({ changed: [owned, def], dropped: [], reason: 'publication' }, signal);
    expect(first).toMatchObject({ status: 'failed', tables: ['owned', 'events'] });
    expect(first.error).toBe("owned: hive's table refresh_test.owned is not an external table: the gateway does not replace or drop it");
    expect(await rows(managed, 'SELECT v FROM `refresh_test`.`owned`')).toEqual([['7']]);
    expect(await rows(managed, select)).toEqual([[3, '30']]);
    // Still pending: the next change (of another table) tries it again, and a drop is refused the same way.
    const second = await managed.onCatalogChange!({ changed: [], dropped: [{ database: 'card_analytics', name: 'owned' }], reason: 'repair' }, signal);
    expect(second).toMatchObject({ status: 'failed', tables: ['owned'] });
    expect(await rows(managed, 'SELECT v FROM `refresh_test`.`owned`')).toEqual([['7']]);
  });

  it('managed: an external table marked to purge its files on DROP is refused too', async () => {
    const location = path.join(dir, '.versions', 'events', 'v2');
    await rows(shared, `CREATE EXTERNAL TABLE \`refresh_test\`.\`purging\` (v BIGINT) PARTITIONED BY (day INT) STORED AS PARQUET LOCATION 'file://${location}' TBLPROPERTIES ('external.table.purge'='true')`);
    const other = createHiveServer2Engine('hive', 'hive', await thriftServerConfig({ database: 'refresh_test' }));
    try {
      const refused = await other.onCatalogChange!({ changed: [], dropped: [{ database: 'card_analytics', name: 'purging' }], reason: 'repair' }, signal);
      expect(refused.error).toBe("purging: hive's table refresh_test.purging purges its files when dropped (external.table.purge): the gateway does not replace or drop it");
      expect((await rows(other, 'SHOW TABLES IN `refresh_test`')).map((r) => r[1])).toContain('purging');
    } finally {
      await other.close();
    }
  });

  it('gives a sync session back to the pool exactly once when the sync is aborted mid-statement', async () => {
    const engine = createHiveServer2Engine('hive', 'hive', await thriftServerConfig({ database: 'abort_test', poolSize: 1 }));
    const pool = (engine as unknown as { pool: { open: number; idle: unknown[] } }).pool;
    try {
      for (const delay of [100, 300, 700, 1200]) {
        const ac = new AbortController();
        setTimeout(() => ac.abort(), delay);
        await engine.onCatalogChange!({ changed: [{ ...def, name: `aborted_${delay}` }], dropped: [], reason: 'publication' }, ac.signal).catch(() => undefined);
        // The cancel and close of the statement the abort cut settle over the next moments.
        await new Promise((r) => setTimeout(r, 2500));
        expect({ delay, open: pool.open, idle: pool.idle.length }).toEqual({ delay, open: pool.idle.length, idle: pool.idle.length });
        expect(pool.open).toBeLessThanOrEqual(1);
      }
      // The pool still serves.
      expect(await rows(engine, 'SELECT 1')).toEqual([[1]]);
    } finally {
      await engine.close();
    }
  }, 60_000);
});
