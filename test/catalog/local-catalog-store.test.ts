import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalCatalogStore } from '../../src/catalog/local/local-catalog-store.js';
import type { TableDef } from '../../src/catalog/table-def.js';
import { ddlTable, tempDir } from './support/lake.js';

describe('LocalCatalogStore', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let store: LocalCatalogStore;
  let txn: TableDef;

  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
    store = await LocalCatalogStore.open({ dir: `${dir}/catalog`, database: 'card_analytics' });
    txn = await ddlTable('partitioned_transactions', `${dir}/wh`);
  });
  afterEach(async () => {
    await store.close();
    await cleanup();
  });

  it('creates, reads back exactly, refuses a second create, and drops', async () => {
    expect(await store.createTable(txn)).toBe(true);
    expect(await store.getTable('PARTITIONED_TRANSACTIONS')).toEqual(txn);
    expect(await store.createTable({ ...txn, columns: [] })).toBe(false);
    expect((await store.getTable(txn.name))!.columns).toHaveLength(13);
    expect((await store.listTables()).map((t) => t.name)).toEqual(['partitioned_transactions']);
    expect(await store.dropTable(txn.name)).toBe(true);
    expect(await store.dropTable(txn.name)).toBe(false);
    expect(await store.getTable(txn.name)).toBeUndefined();
  });

  it('moves registered partitions to a new location in one change', async () => {
    await store.createTable(txn);
    const at = (v: string, m: number) => ({ values: { txn_year: '2024', txn_month: String(m) }, location: `${txn.location}/.v/${v}/txn_year=2024/txn_month=${m}` });
    await store.changePartitions(txn.name, { add: [at('a', 1), at('a', 2)] });
    const before = await store.tableVersion(txn.name);
    expect(await store.changePartitions(txn.name, { move: [at('b', 1), at('b', 2)] })).toEqual({ added: 0, dropped: 0, moved: 2, failed: [] });
    expect(await store.tableVersion(txn.name)).toBeGreaterThan(before);
    expect((await store.listPartitions(txn.name)).sort((x, y) => x.location.localeCompare(y.location))).toEqual([at('b', 1), at('b', 2)]);
  });

  it('adds, filters by typed value, drops partitions and bumps the version each time', async () => {
    await store.createTable(txn);
    const v0 = await store.tableVersion(txn.name);
    const add = [1, 2, 10].map((m) => ({ values: { txn_year: '2024', txn_month: String(m) }, location: `${txn.location}/txn_year=2024/txn_month=${m}` }));
    expect(await store.changePartitions(txn.name, { add })).toEqual({ added: 3, dropped: 0, moved: 0, failed: [] });
    const v1 = await store.tableVersion(txn.name);
    expect(v1).toBeGreaterThan(v0);
    expect(await store.countPartitions(txn.name)).toBe(3);
    expect(await store.listPartitions(txn.name, { txn_month: '01' })).toEqual([add[0]]);
    expect(await store.listPartitions(txn.name, { txn_year: '2023' })).toEqual([]);
    // Re-adding a registered partition (another spelling of it, even) changes nothing.
    await store.changePartitions(txn.name, { add: [{ values: { txn_year: '2024', txn_month: '02' }, location: 'elsewhere' }] });
    expect(await store.countPartitions(txn.name)).toBe(3);
    await store.changePartitions(txn.name, { drop: [{ txn_year: '2024', txn_month: '10' }] });
    expect((await store.listPartitions(txn.name)).map((p) => p.values.txn_month).sort()).toEqual(['1', '2']);
    expect(await store.tableVersion(txn.name)).toBeGreaterThan(v1);
  });

  it('keeps partitions when a definition changes but its keys do not, and drops them when keys change', async () => {
    await store.createTable(txn);
    await store.changePartitions(txn.name, { add: [{ values: { txn_year: '2024', txn_month: '1' }, location: 'x' }] });
    await store.upsertTable({ ...txn, comment: 'changed' });
    expect((await store.getTable(txn.name))!.comment).toBe('changed');
    expect(await store.countPartitions(txn.name)).toBe(1);
    await store.upsertTable({ ...txn, partitionKeys: [{ name: 'txn_year', type: 'INT' }] });
    expect(await store.countPartitions(txn.name)).toBe(0);
  });

  it('never reuses a version, even across drop and re-create', async () => {
    await store.createTable(txn);
    const first = await store.tableVersion(txn.name);
    await store.dropTable(txn.name);
    await store.createTable(txn);
    expect(await store.tableVersion(txn.name)).toBeGreaterThan(first);
  });

  it('answers TABLE_NOT_FOUND for partitions of an unknown table', async () => {
    await expect(store.listPartitions('nope')).rejects.toMatchObject({ code: 'TABLE_NOT_FOUND' });
    await expect(store.changePartitions('nope', { add: [] })).rejects.toMatchObject({ code: 'TABLE_NOT_FOUND' });
    await expect(store.tableVersion('nope')).rejects.toMatchObject({ code: 'TABLE_NOT_FOUND' });
  });

  it('survives close and reopen with everything intact', async () => {
    await store.createTable(txn);
    const add = Array.from({ length: 500 }, (_, i) => ({ values: { txn_year: String(1500 + i), txn_month: '1' }, location: `p${i}` }));
    await store.changePartitions(txn.name, { add });
    const version = await store.tableVersion(txn.name);
    await store.close();
    store = await LocalCatalogStore.open({ dir: `${dir}/catalog`, database: 'card_analytics' });
    expect(await store.getTable(txn.name)).toEqual(txn);
    expect(await store.countPartitions(txn.name)).toBe(500);
    expect(await store.tableVersion(txn.name)).toBe(version);
    expect(await store.listPartitions(txn.name, { txn_year: '1999' })).toEqual([{ values: { txn_year: '1999', txn_month: '1' }, location: 'p499' }]);
  });

  it('rolls a failed change back whole', async () => {
    await store.createTable(txn);
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(store.changePartitions(txn.name, { add: [{ values: { txn_year: '1', txn_month: '1' }, location: 'x' }] }, { signal: controller.signal })).rejects.toThrow();
    expect(await store.countPartitions(txn.name)).toBe(0);
    // The store is still usable afterwards.
    await store.changePartitions(txn.name, { add: [{ values: { txn_year: '1', txn_month: '1' }, location: 'x' }] });
    expect(await store.countPartitions(txn.name)).toBe(1);
  });

  it('serialises concurrent writers', async () => {
    await store.createTable(txn);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.changePartitions(txn.name, { add: [{ values: { txn_year: String(2000 + i), txn_month: '1' }, location: `p${i}` }] }),
      ),
    );
    expect(await store.countPartitions(txn.name)).toBe(20);
  });
});
