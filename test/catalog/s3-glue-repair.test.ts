import { CreateBucketCommand, DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GlueClient } from '@aws-sdk/client-glue';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DefaultCatalogService } from '../../src/catalog/default-catalog-service.js';
import { GlueCatalogStore } from '../../src/catalog/glue/glue-catalog-store.js';
import { LocalStorage } from '../../src/storage/local/local-storage.js';
import { S3Storage } from '../../src/storage/s3/s3-storage.js';
import type { TableDef } from '../../src/catalog/table-def.js';
import { transactionsFile } from './support/catalog-fixture.js';
import { ddlTable } from './support/lake.js';
import { usePrivateMoto } from '../support/private-moto.js';
import { mapLimit } from '../../src/storage/concurrency.js';
import { startFaultProxy } from './support/fault-proxy.js';

describe('repair from S3 into Glue (moto)', () => {
  const moto = usePrivateMoto();
  let s3: S3Client;
  let glue: GlueClient;
  let catalog: DefaultCatalogService;
  let store: GlueCatalogStore;
  let txn: TableDef;
  let data: Uint8Array;
  const put = (key: string, body: Uint8Array | string) => s3.send(new PutObjectCommand({ Bucket: 'lake', Key: key, Body: body }));

  beforeAll(async () => {
    s3 = new S3Client(moto.config());
    glue = new GlueClient(moto.config());
    data = await transactionsFile();
  });
  afterAll(() => {
    s3.destroy();
    glue.destroy();
  });
  beforeEach(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'lake' }));
    store = new GlueCatalogStore({ client: glue, database: 'card_analytics' });
    catalog = new DefaultCatalogService({
      store,
      storage: { local: new LocalStorage(), s3: new S3Storage({ client: s3, pageSize: 100 }) },
      warehouse: 's3://lake/warehouse',
      database: 'card_analytics',
    });
    txn = await ddlTable('partitioned_transactions', 's3://lake/warehouse');
  });

  it('registers 240 partitions (several list pages and create batches), then drops vanished ones', async () => {
    const keys = Array.from({ length: 240 }, (_, i) => `warehouse/partitioned_transactions/txn_year=${2000 + Math.floor(i / 12)}/txn_month=${(i % 12) + 1}/part-0.parquet`);
    await mapLimit(keys, 16, (k) => put(k, data));
    await put('warehouse/partitioned_transactions/_SUCCESS', '');
    await put('warehouse/partitioned_transactions/txn_year=2000/txn_month=1/_SUCCESS', '');
    await put('warehouse/partitioned_transactions/txn_year=2000/_temporary/0/part-9.parquet', data);
    await put('warehouse/partitioned_transactions/txn_year=oops/txn_month=1/part-0.parquet', data);
    await put('warehouse/partitioned_transactions_$folder$', '');

    const reports = await catalog.registerAndRepair([txn]);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ table: 'partitioned_transactions', action: 'created' });
    const first = reports[0]!.repair!;
    expect(first.added).toHaveLength(240);
    expect(first.added[0]).toBe('txn_year=2000/txn_month=1');
    expect(first.skipped).toEqual([{ path: 'txn_year=oops', reason: "txn_year: 'oops' is not a valid INT" }]);
    expect(first.statements.impala).toEqual(['INVALIDATE METADATA `card_analytics`.`partitioned_transactions`', 'ALTER TABLE `card_analytics`.`partitioned_transactions` RECOVER PARTITIONS']);
    expect(await store.countPartitions(txn.name)).toBe(240);
    expect(await catalog.listPartitions(txn.name, { txn_year: '2010', txn_month: '7' })).toEqual([
      { values: { txn_year: '2010', txn_month: '7' }, location: 's3://lake/warehouse/partitioned_transactions/txn_year=2010/txn_month=7' },
    ]);

    for (const k of keys.slice(0, 30)) await s3.send(new DeleteObjectCommand({ Bucket: 'lake', Key: k }));
    const second = await catalog.repair(txn.name, { dropMissing: true });
    expect(second.removed).toHaveLength(30);
    expect(second.unchanged).toBe(210);
    expect(second.statements.athena[0]).toMatch(/^ALTER TABLE `card_analytics`\.`partitioned_transactions` DROP IF EXISTS PARTITION \(`txn_year`=2000, `txn_month`=1\), PARTITION/);
    expect(await store.countPartitions(txn.name)).toBe(210);
    const again = await catalog.registerAndRepair([txn]);
    expect(again[0]).toMatchObject({ action: 'unchanged', repair: { added: [], removed: [], unchanged: 210 } });
  });

  it('re-points the partitions of a republished table in place, never dropping them', async () => {
    // Watch what reaches Glue: a republish must be updates, not deletes followed by creates.
    const targets: string[] = [];
    const proxy = await startFaultProxy(moto.config().endpoint, (target, body) => {
      targets.push(target.replace(/^AWSGlue\./, ''));
      return { forward: body };
    });
    const watched = new GlueClient({ ...moto.config(), endpoint: proxy.endpoint });
    try {
      const watchedStore = new GlueCatalogStore({ client: watched, database: 'card_analytics' });
      const watchedCatalog = new DefaultCatalogService({
        store: watchedStore,
        storage: { local: new LocalStorage(), s3: new S3Storage({ client: s3, pageSize: 100 }) },
        warehouse: 's3://lake/warehouse',
        database: 'card_analytics',
      });
      const month = (v: string, i: number) => `warehouse/partitioned_transactions/.v/${v}/txn_year=${2000 + Math.floor(i / 12)}/txn_month=${(i % 12) + 1}/part-0.parquet`;
      const n = 130; // more than one BatchUpdatePartition call (100 entries each)
      await mapLimit(Array.from({ length: n }, (_, i) => i), 16, (i) => put(month('v1', i), data));
      const v1 = { ...txn, location: 's3://lake/warehouse/partitioned_transactions/.v/v1' };
      expect((await watchedCatalog.registerAndRepair([v1]))[0]!.repair!.added).toHaveLength(n);

      await mapLimit(Array.from({ length: n }, (_, i) => i), 16, (i) => put(month('v2', i), data));
      targets.length = 0;
      const v2 = { ...txn, location: 's3://lake/warehouse/partitioned_transactions/.v/v2' };
      const [report] = await watchedCatalog.registerAndRepair([v2]);
      expect(report).toMatchObject({ action: 'updated', repair: { removed: [], unchanged: 0 } });
      expect(report!.repair!.added).toHaveLength(n);
      expect(targets.filter((t) => t === 'BatchUpdatePartition')).toHaveLength(2);
      expect(targets).not.toContain('BatchDeletePartition');
      expect(targets).not.toContain('BatchCreatePartition');
      const parts = await store.listPartitions(txn.name);
      expect(parts).toHaveLength(n);
      expect(parts.every((p) => p.location.startsWith('s3://lake/warehouse/partitioned_transactions/.v/v2/'))).toBe(true);
    } finally {
      watched.destroy();
      await proxy.close();
    }
  });

  it('fails a registration whose partitions Glue refuses, instead of reporting it done', async () => {
    for (const m of [1, 2, 3]) await put(`warehouse/partitioned_transactions/txn_year=2024/txn_month=${m}/part-0.parquet`, data);
    // Glue refuses month 2 for good (a per-entry error in an otherwise successful batch).
    const proxy = await startFaultProxy(moto.config().endpoint, (target, body) => {
      if (target !== 'AWSGlue.BatchCreatePartition') return { forward: body };
      const req = JSON.parse(body) as { PartitionInputList: { Values: string[] }[] };
      const refused = req.PartitionInputList.filter((p) => p.Values[1] === '2');
      const forward = JSON.stringify({ ...req, PartitionInputList: req.PartitionInputList.filter((p) => !refused.includes(p)) });
      const Errors = refused.map((p) => ({ PartitionValues: p.Values, ErrorDetail: { ErrorCode: 'InvalidInputException', ErrorMessage: 'bad partition' } }));
      return { forward, rewrite: (text) => JSON.stringify({ ...JSON.parse(text || '{}'), Errors }) };
    });
    const faulty = new GlueClient({ ...moto.config(), endpoint: proxy.endpoint });
    try {
      const c = new DefaultCatalogService({
        store: new GlueCatalogStore({ client: faulty, database: 'card_analytics' }),
        storage: { local: new LocalStorage(), s3: new S3Storage({ client: s3 }) },
        warehouse: 's3://lake/warehouse',
        database: 'card_analytics',
      });
      const err = await c.registerAndRepair([txn]).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'UPSTREAM_FAILED', retryable: true, message: expect.stringContaining('txn_year=2024/txn_month=2') });
      expect((await store.listPartitions(txn.name)).map((p) => p.values.txn_month).sort()).toEqual(['1', '3']);
    } finally {
      faulty.destroy();
      await proxy.close();
    }
  });

  it('creates a table from an S3 location, inferring keys and columns from the files', async () => {
    await put('raw/sales/txn_year=2024/txn_month=1/part-0.parquet', data);
    await put('raw/sales/txn_year=2024/txn_month=2/part-0.parquet', data);
    const { table, created } = await catalog.createTable({ name: 'Sales', location: 's3a://lake/raw/sales/' });
    expect(created).toBe(true);
    expect(table.location).toBe('s3://lake/raw/sales');
    expect(table.partitionKeys).toEqual([{ name: 'txn_year', type: 'INT' }, { name: 'txn_month', type: 'INT' }]);
    expect(table.columns.map((c) => `${c.name} ${c.type}`)).toEqual(txn.columns.map((c) => `${c.name} ${c.type}`));
    await catalog.repair('sales');
    const view = await catalog.getTable('sales', { stats: true });
    expect(view.partitionCount).toBe(2);
    expect(view.stats).toEqual({ files: 2, bytes: 2 * data.length, rows: 10 });
    expect(await catalog.validate('sales')).toEqual({ ok: true, filesChecked: 2, differences: [] });
  });

  it('answers LOCATION_UNREACHABLE for a bucket that does not exist', async () => {
    await store.createTable({ ...txn, location: 's3://missing-bucket/t' });
    await expect(catalog.repair(txn.name)).rejects.toMatchObject({ code: 'LOCATION_UNREACHABLE' });
    await expect(catalog.createTable({ name: 'x', location: 's3://missing-bucket/x' })).rejects.toMatchObject({ code: 'LOCATION_UNREACHABLE' });
  });
});
