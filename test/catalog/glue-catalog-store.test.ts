import { GetPartitionsCommand, GetTableCommand, GlueClient } from '@aws-sdk/client-glue';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GlueCatalogStore } from '../../src/catalog/glue/glue-catalog-store.js';
import type { PartitionDef, TableDef } from '../../src/catalog/table-def.js';
import { startFaultProxy } from './support/fault-proxy.js';
import { ddlTable } from './support/lake.js';
import { usePrivateMoto } from '../support/private-moto.js';

const parts = (n: number, def: TableDef): PartitionDef[] =>
  Array.from({ length: n }, (_, i) => ({
    values: { txn_year: String(2000 + Math.floor(i / 12)), txn_month: String((i % 12) + 1) },
    location: `${def.location}/txn_year=${2000 + Math.floor(i / 12)}/txn_month=${(i % 12) + 1}`,
  }));

describe('GlueCatalogStore against moto', () => {
  const moto = usePrivateMoto();
  let client: GlueClient;
  let store: GlueCatalogStore;
  let txn: TableDef;

  beforeEach(async () => {
    client = new GlueClient(moto.config());
    store = new GlueCatalogStore({ client, database: 'card_analytics' });
    txn = await ddlTable('partitioned_transactions', 's3://lake/warehouse');
  });
  afterEach(() => client.destroy());

  it('creates the database and a Parquet EXTERNAL_TABLE, and maps it back upper-case', async () => {
    expect(await store.createTable(txn)).toBe(true);
    expect(await store.createTable(txn)).toBe(false);
    const raw = (await client.send(new GetTableCommand({ DatabaseName: 'card_analytics', Name: txn.name }))).Table!;
    expect(raw.TableType).toBe('EXTERNAL_TABLE');
    expect(raw.StorageDescriptor!.SerdeInfo!.SerializationLibrary).toBe('org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe');
    expect(raw.StorageDescriptor!.InputFormat).toBe('org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat');
    expect(raw.StorageDescriptor!.OutputFormat).toBe('org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat');
    expect(raw.StorageDescriptor!.Location).toBe('s3://lake/warehouse/partitioned_transactions');
    expect(raw.StorageDescriptor!.Columns![7]).toEqual({ Name: 'amount', Type: 'bigint', Comment: 'amount in KRW' });
    expect(raw.PartitionKeys!.map((k) => `${k.Name}:${k.Type}`)).toEqual(['txn_year:int', 'txn_month:int']);
    expect(raw.Parameters).toMatchObject({ EXTERNAL: 'TRUE', 'parquet.compress': 'SNAPPY' });
    expect(await store.getTable('Partitioned_Transactions')).toEqual(txn);
    expect(await store.getTable('nope')).toBeUndefined();
  });

  it('lists every table', async () => {
    const names = ['t_c', 't_a', 't_b', 't_e', 't_d'];
    for (const name of names) await store.createTable({ ...txn, name });
    expect((await store.listTables()).map((t) => t.name)).toEqual([...names].sort());
  });

  it('adds more than 100 partitions in batches and deletes more than 25', async () => {
    await store.createTable(txn);
    const v0 = await store.tableVersion(txn.name);
    expect(await store.changePartitions(txn.name, { add: parts(250, txn) })).toEqual({ added: 250, dropped: 0, moved: 0, failed: [] });
    const v1 = await store.tableVersion(txn.name);
    expect(v1).toBeGreaterThan(v0);
    const raw = await client.send(new GetPartitionsCommand({ DatabaseName: 'card_analytics', TableName: txn.name }));
    expect(raw.Partitions).toHaveLength(250);
    expect(raw.Partitions![0]!.StorageDescriptor!.SerdeInfo!.SerializationLibrary).toContain('ParquetHiveSerDe');
    expect(await store.countPartitions(txn.name)).toBe(250);
    expect(await store.listPartitions(txn.name, { txn_year: '2020', txn_month: '03' })).toEqual([
      { values: { txn_year: '2020', txn_month: '3' }, location: 's3://lake/warehouse/partitioned_transactions/txn_year=2020/txn_month=3' },
    ]);
    const drop = parts(60, txn).map((p) => p.values);
    expect(await store.changePartitions(txn.name, { drop })).toEqual({ added: 0, dropped: 60, moved: 0, failed: [] });
    expect(await store.countPartitions(txn.name)).toBe(190);
    expect(await store.tableVersion(txn.name)).toBeGreaterThan(v1);
    // Adding what exists and dropping what is gone are no-ops, not failures.
    expect(await store.changePartitions(txn.name, { add: parts(70, txn), drop })).toEqual({ added: 70, dropped: 60, moved: 0, failed: [] });
    expect(await store.countPartitions(txn.name)).toBe(250);
  });

  it('keeps partitions on a compatible update and drops them when the keys change', async () => {
    await store.createTable(txn);
    await store.changePartitions(txn.name, { add: parts(30, txn) });
    await store.upsertTable({ ...txn, comment: 'new comment' });
    expect((await store.getTable(txn.name))!.comment).toBe('new comment');
    expect(await store.countPartitions(txn.name)).toBe(30);
    await store.upsertTable({ ...txn, partitionKeys: [{ name: 'txn_year', type: 'INT' }] });
    expect(await store.countPartitions(txn.name)).toBe(0);
    await store.upsertTable({ ...txn, name: 'brand_new' });
    expect(await store.getTable('brand_new')).toBeDefined();
  });

  it('drops tables and answers TABLE_NOT_FOUND for their partitions', async () => {
    await store.createTable(txn);
    expect(await store.dropTable(txn.name)).toBe(true);
    expect(await store.dropTable(txn.name)).toBe(false);
    await expect(store.listPartitions(txn.name)).rejects.toMatchObject({ code: 'TABLE_NOT_FOUND' });
    await expect(store.changePartitions(txn.name, { add: parts(1, txn) })).rejects.toMatchObject({ code: 'TABLE_NOT_FOUND' });
    await expect(store.tableVersion(txn.name)).rejects.toMatchObject({ code: 'TABLE_NOT_FOUND' });
  });

  it('retries throttled entries and reports entries that fail for good', async () => {
    let throttledCalls = 0;
    let wholeCallThrottles = 0;
    const proxy = await startFaultProxy(moto.config().endpoint, (target, body) => {
      if (target !== 'AWSGlue.BatchCreatePartition') return { forward: body };
      // The first call is throttled whole; the SDK's own retry strategy absorbs it.
      if (wholeCallThrottles++ === 0) return { status: 400, body: JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }) };
      const req = JSON.parse(body) as { PartitionInputList: { Values: string[] }[] };
      // Year 2001 entries are throttled on their first two tries; month 12 is refused for good.
      const throttle = (v: string[]) => v[0] === '2001' && throttledCalls < 2;
      const refuse = (v: string[]) => v[1] === '12';
      const withheld = req.PartitionInputList.filter((p) => throttle(p.Values) || refuse(p.Values));
      if (withheld.some((p) => throttle(p.Values))) throttledCalls++;
      const forward = JSON.stringify({ ...req, PartitionInputList: req.PartitionInputList.filter((p) => !withheld.includes(p)) });
      const errors = withheld.map((p) => ({
        PartitionValues: p.Values,
        ErrorDetail: refuse(p.Values) ? { ErrorCode: 'InvalidInputException', ErrorMessage: 'bad partition' } : { ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' },
      }));
      return { forward, rewrite: (text) => JSON.stringify({ ...JSON.parse(text || '{}'), ...(errors.length ? { Errors: errors } : {}) }) };
    });
    const faulty = new GlueClient({ ...moto.config(), endpoint: proxy.endpoint, maxAttempts: 3 });
    try {
      const s = new GlueCatalogStore({ client: faulty, database: 'card_analytics', retry: { attempts: 4, baseDelayMs: 5 } });
      await s.createTable(txn);
      const result = await s.changePartitions(txn.name, { add: parts(36, txn) });
      expect(result.added).toBe(33);
      expect(result.failed).toEqual(
        ['2000', '2001', '2002'].map((y) => ({ op: 'add', values: { txn_year: y, txn_month: '12' }, reason: 'InvalidInputException: bad partition' })),
      );
      expect(throttledCalls).toBe(2);
      expect((await store.listPartitions(txn.name, { txn_year: '2001' })).length).toBe(11);
    } finally {
      faulty.destroy();
      await proxy.close();
    }
  });

  it('gives up on entries still throttled after its retries and says so', async () => {
    const proxy = await startFaultProxy(moto.config().endpoint, (target, body) => {
      if (target !== 'AWSGlue.BatchDeletePartition') return { forward: body };
      const req = JSON.parse(body) as { PartitionsToDelete: { Values: string[] }[] };
      const errors = req.PartitionsToDelete.map((p) => ({ PartitionValues: p.Values, ErrorDetail: { ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' } }));
      return { forward: JSON.stringify({ ...req, PartitionsToDelete: [] }), rewrite: () => JSON.stringify({ Errors: errors }) };
    });
    const faulty = new GlueClient({ ...moto.config(), endpoint: proxy.endpoint });
    try {
      const s = new GlueCatalogStore({ client: faulty, database: 'card_analytics', retry: { attempts: 3, baseDelayMs: 1 } });
      await s.createTable(txn);
      await s.changePartitions(txn.name, { add: parts(30, txn) });
      const result = await s.changePartitions(txn.name, { drop: parts(30, txn).map((p) => p.values) });
      expect(result.dropped).toBe(0);
      expect(result.failed).toHaveLength(30);
      expect(result.failed[0]).toEqual({ op: 'drop', values: { txn_year: '2000', txn_month: '1' }, reason: 'ThrottlingException: slow down' });
      expect(await store.countPartitions(txn.name)).toBe(30);
    } finally {
      faulty.destroy();
      await proxy.close();
    }
  });

  it('reports an unreachable Glue as UPSTREAM_FAILED', async () => {
    const dead = new GlueClient({ ...moto.config(), endpoint: 'http://127.0.0.1:9', maxAttempts: 1 });
    try {
      await expect(new GlueCatalogStore({ client: dead, database: 'db' }).listTables()).rejects.toMatchObject({ code: 'UPSTREAM_FAILED', status: 502 });
    } finally {
      dead.destroy();
    }
  });
});
