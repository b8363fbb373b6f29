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
