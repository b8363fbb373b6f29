import { mkdir, rename, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DefaultCatalogService } from '../../src/catalog/default-catalog-service.js';
import type { TableDef } from '../../src/catalog/table-def.js';
import { localCatalog, transactionsFile } from './support/catalog-fixture.js';
import { ddlTable, layOutPartitions, put } from './support/lake.js';

describe('repair of a local table', () => {
  let ctx: Awaited<ReturnType<typeof localCatalog>>;
  let catalog: DefaultCatalogService;
  let txn: TableDef;
  let root: string;
  let data: Uint8Array;

  beforeEach(async () => {
    ctx = await localCatalog();
    catalog = ctx.catalog;
    txn = await ddlTable('partitioned_transactions', ctx.warehouse);
    root = txn.location;
    data = await transactionsFile();
    await ctx.store.createTable(txn);
  });
  afterEach(() => ctx.close());

  it('registers real partitions, ignores junk and reports malformed directories', async () => {
    const files: [string, Uint8Array | string][] = [
      ['txn_year=2024/txn_month=1/part-0.parquet', data],
      ['txn_year=2024/txn_month=1/_SUCCESS', ''],
      ['txn_year=2024/txn_month=1/.part-0.parquet.crc', 'crc'],
      ['txn_year=2024/txn_month=2/part-0.parquet', data],
      ['txn_year=2024/_temporary/0/txn_month=9/part-0.parquet', data],
      ['_SUCCESS', ''],
      ['.hidden/txn_month=1/x.parquet', data],
      ['txn_year=2024/txn_month=abc/part-0.parquet', data],
      ['txn_year=2024/month=3/part-0.parquet', data],
      ['stray.parquet', data],
      ['txn_year=2024/txn_month=5/nested/part-0.parquet', data],
      ['txn_year=2024/txn_month=06/part-0.parquet', data],
      ['txn_year=2024/txn_month=6/part-0.parquet', data],
      ['txn_year=__HIVE_DEFAULT_PARTITION__/txn_month=1/part-0.parquet', data],
      ['TXN_YEAR=2023/txn_month=12/part-0.parquet', data],
    ];
    for (const [rel, bytes] of files) await put(root, rel, bytes);
    await mkdir(path.join(root, 'txn_year=2024/txn_month=4'), { recursive: true });

    const result = await catalog.repair(txn.name);
    expect(result.added).toEqual([
      'txn_year=2023/txn_month=12',
      'txn_year=2024/txn_month=1',
      'txn_year=2024/txn_month=2',
      'txn_year=2024/txn_month=06',
      'txn_year=__HIVE_DEFAULT_PARTITION__/txn_month=1',
    ]);
    expect(result.removed).toEqual([]);
    expect(result.unchanged).toBe(0);
    expect(result.dryRun).toBe(false);
    expect(result.skipped).toEqual([
      { path: '.', reason: expect.stringContaining('data files outside a partition directory') },
      { path: 'txn_year=2024/month=3', reason: "expected a directory 'txn_month=<INT>' but found 'month=3'" },
      { path: 'txn_year=2024/txn_month=5/nested', reason: expect.stringContaining('directory below a partition') },
      { path: 'txn_year=2024/txn_month=6', reason: 'same partition values as txn_year=2024/txn_month=06' },
      { path: 'txn_year=2024/txn_month=abc', reason: "txn_month: 'abc' is not a valid INT" },
    ]);
    expect(result.statements).toEqual({
      hive: ['MSCK REPAIR TABLE `card_analytics`.`partitioned_transactions`'],
      athena: ['MSCK REPAIR TABLE `card_analytics`.`partitioned_transactions`'],
      impala: ['ALTER TABLE `card_analytics`.`partitioned_transactions` RECOVER PARTITIONS', 'REFRESH `card_analytics`.`partitioned_transactions`'],
      spark: ['MSCK REPAIR TABLE `card_analytics`.`partitioned_transactions`', 'REFRESH TABLE `card_analytics`.`partitioned_transactions`'],
    });
    const parts = await catalog.listPartitions(txn.name, { txn_year: '2024' });
    expect(parts).toEqual([
      { values: { txn_year: '2024', txn_month: '1' }, location: path.join(root, 'txn_year=2024/txn_month=1') },
      { values: { txn_year: '2024', txn_month: '2' }, location: path.join(root, 'txn_year=2024/txn_month=2') },
      { values: { txn_year: '2024', txn_month: '06' }, location: path.join(root, 'txn_year=2024/txn_month=06') },
    ]);
    expect(await catalog.listPartitions(txn.name, { txn_month: '6' })).toHaveLength(1);
    const again = await catalog.repair(txn.name);
    expect(again.added).toEqual([]);
    expect(again.unchanged).toBe(5);
  });

  it('unescapes Hive-escaped values and keeps the escaped directory as location', async () => {
    const events: TableDef = { ...txn, name: 'events', location: path.join(ctx.warehouse, 'events'), partitionKeys: [{ name: 'ts', type: 'TIMESTAMP' }, { name: 'region', type: 'STRING' }] };
    await ctx.store.createTable(events);
    await put(events.location, 'ts=2024-01-01 10%3A00%3A00/region=a%2Fb/part-0.parquet', data);
    await put(events.location, 'ts=2024-13-01 10%3A00%3A00/region=x/part-0.parquet', data);
    const result = await catalog.repair('events');
    expect(result.added).toEqual(['ts=2024-01-01 10%3A00%3A00/region=a%2Fb']);
    expect(result.skipped).toEqual([{ path: 'ts=2024-13-01 10%3A00%3A00', reason: "ts: '2024-13-01 10:00:00' is not a valid TIMESTAMP" }]);
    expect(await catalog.listPartitions('events', { region: 'a/b' })).toEqual([
      { values: { ts: '2024-01-01 10:00:00', region: 'a/b' }, location: path.join(events.location, 'ts=2024-01-01 10%3A00%3A00/region=a%2Fb') },
    ]);
  });

  it('drops vanished partitions only with dropMissing, and changes nothing on a dry run', async () => {
    await layOutPartitions(root, 3, data);
    await catalog.repair(txn.name);
    await rm(path.join(root, 'txn_year=2000/txn_month=2'), { recursive: true });
    await put(root, 'txn_year=2001/txn_month=1/part-0.parquet', data);

    const dry = await catalog.repair(txn.name, { dryRun: true, dropMissing: true });
    expect(dry).toMatchObject({ added: ['txn_year=2001/txn_month=1'], removed: ['txn_year=2000/txn_month=2'], unchanged: 2, dryRun: true });
    expect(dry.statements.athena).toEqual([
      'ALTER TABLE `card_analytics`.`partitioned_transactions` DROP IF EXISTS PARTITION (`txn_year`=2000, `txn_month`=2)',
      'MSCK REPAIR TABLE `card_analytics`.`partitioned_transactions`',
    ]);
    expect(dry.statements.hive).toEqual(['MSCK REPAIR TABLE `card_analytics`.`partitioned_transactions` SYNC PARTITIONS']);
    expect(await ctx.store.countPartitions(txn.name)).toBe(3);

    const addOnly = await catalog.repair(txn.name);
    expect(addOnly).toMatchObject({ added: ['txn_year=2001/txn_month=1'], removed: [], unchanged: 2 });
    expect(await ctx.store.countPartitions(txn.name)).toBe(4);

    const sync = await catalog.repair(txn.name, { dropMissing: true });
    expect(sync).toMatchObject({ added: [], removed: ['txn_year=2000/txn_month=2'], unchanged: 3 });
    expect((await catalog.listPartitions(txn.name)).map((p) => `${p.values.txn_year}/${p.values.txn_month}`)).toEqual(['2000/1', '2000/3', '2001/1']);
  });

  it('follows the published symlink and stores locations under the declared location', async () => {
    const versions = path.join(ctx.warehouse, '.versions', txn.name);
    await layOutPartitions(path.join(versions, 'run1'), 2, data);
    await mkdir(ctx.warehouse, { recursive: true });
    await symlink(path.join('.versions', txn.name, 'run1'), root, 'dir');
    await catalog.repair(txn.name);
    expect((await catalog.listPartitions(txn.name)).map((p) => p.location)).toEqual([
      path.join(root, 'txn_year=2000/txn_month=1'),
      path.join(root, 'txn_year=2000/txn_month=2'),
    ]);
    // The pipeline publishes run2 (one partition fewer) by swapping the link atomically.
    await layOutPartitions(path.join(versions, 'run2'), 1, data);
    await symlink(path.join('.versions', txn.name, 'run2'), `${root}.tmp`, 'dir');
    await rename(`${root}.tmp`, root);
    const result = await catalog.repair(txn.name, { dropMissing: true });
    expect(result).toMatchObject({ added: [], removed: ['txn_year=2000/txn_month=2'], unchanged: 1 });
  });

  it('treats a location that does not exist yet as empty', async () => {
    const result = await catalog.repair(txn.name, { dropMissing: true });
    expect(result).toMatchObject({ added: [], removed: [], unchanged: 0, skipped: [] });
  });

  it('answers an unpartitioned table with refresh statements only', async () => {
    const daily = await ddlTable('daily_category_summary', ctx.warehouse);
    await ctx.store.createTable(daily);
    await put(daily.location, 'part-0.parquet', data);
    const result = await catalog.repair(daily.name);
    expect(result).toEqual({
      added: [], removed: [], unchanged: 0, skipped: [], dryRun: false,
      statements: { hive: [], athena: [], impala: ['REFRESH `card_analytics`.`daily_category_summary`'], spark: ['REFRESH TABLE `card_analytics`.`daily_category_summary`'] },
    });
  });

  it('refuses a location that is a file with LOCATION_UNREACHABLE', async () => {
    await put(ctx.warehouse, 'partitioned_transactions', 'not a directory');
    await expect(catalog.repair(txn.name)).rejects.toMatchObject({ code: 'LOCATION_UNREACHABLE' });
  });

  it('refuses local locations outside the configured roots', async () => {
    const { DefaultCatalogService } = await import('../../src/catalog/default-catalog-service.js');
    const { LocalStorage } = await import('../../src/storage/local/local-storage.js');
    const fenced = new DefaultCatalogService({ store: ctx.store, storage: { local: new LocalStorage() }, warehouse: ctx.warehouse, database: 'card_analytics', localRoots: [ctx.warehouse] });
    await expect(fenced.createTable({ name: 'etc', location: '/etc', columns: [{ name: 'a', type: 'STRING' }], partitionKeys: [{ name: 'k', type: 'STRING' }] })).rejects.toMatchObject({ code: 'LOCATION_UNREACHABLE' });
    await ctx.store.createTable({ ...txn, name: 'etc', location: '/etc' });
    await expect(fenced.repair('etc')).rejects.toMatchObject({ code: 'LOCATION_UNREACHABLE' });
    await expect(fenced.createTable({ name: 'up', location: '../..' })).rejects.toMatchObject({ code: 'LOCATION_UNREACHABLE' });
    await expect(fenced.repair(txn.name)).resolves.toMatchObject({ added: [] });
  });

  it('repairs 10,000 partitions, then finds nothing to change (timing: bench/repair-bench.ts)', async () => {
    const specs = await layOutPartitions(root, 10_000, data);
    const first = await catalog.repair(txn.name);
    expect(first.added).toHaveLength(10_000);
    expect(new Set(first.added)).toEqual(new Set(specs));
    expect(await ctx.store.countPartitions(txn.name)).toBe(10_000);
    const second = await catalog.repair(txn.name, { dropMissing: true });
    expect(second).toMatchObject({ added: [], removed: [], unchanged: 10_000 });
  });
});
