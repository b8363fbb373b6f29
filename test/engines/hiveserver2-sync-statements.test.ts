import { mkdir, mkdtemp, realpath, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TableDef } from '../../src/catalog/table-def.js';
import { syncStatements } from '../../src/engines/hiveserver2/catalog-sync.js';
import type { CatalogChange } from '../../src/engines/engine.js';

const txns: TableDef = {
  database: 'card_analytics',
  name: 'txns',
  location: 's3://lake/txns',
  format: 'parquet',
  properties: {},
  comment: 'card txns',
  columns: [
    { name: 'id', type: 'BIGINT' },
    { name: 'amount', type: 'DECIMAL(38,2)', comment: "it's" },
  ],
  partitionKeys: [{ name: 'txn_year', type: 'INT' }],
};
const flat: TableDef = { ...txns, name: 'flat', comment: undefined, columns: [{ name: 'id', type: 'BIGINT' }], partitionKeys: [] };
const change = (changed: TableDef[], dropped: string[] = []): CatalogChange => ({ changed, dropped: dropped.map((name) => ({ database: 'card_analytics', name })), reason: 'publication' });

// Golden statements per dialect and mode: Impala has no server here, so its refresh and DDL text are
// checked as text; the Hive ones also run against the Spark Thrift Server (hive-partition-refresh).
describe('HiveServer2 catalog sync: statements per dialect and mode', () => {
  it("Impala, shared: REFRESH a table it knows, INVALIDATE METADATA one new to it, in the engine's database", async () => {
    const known = await syncStatements({ dialect: 'impala', mode: 'shared', database: 'edw', change: change([txns, flat]), isNew: () => false });
    expect(known).toEqual(['ALTER TABLE `edw`.`txns` RECOVER PARTITIONS', 'REFRESH `edw`.`txns`', 'REFRESH `edw`.`flat`']);
    const fresh = await syncStatements({ dialect: 'impala', mode: 'shared', database: 'edw', change: change([txns, flat]), isNew: (d) => d.name === 'flat' });
    expect(fresh).toEqual(['ALTER TABLE `edw`.`txns` RECOVER PARTITIONS', 'REFRESH `edw`.`txns`', 'INVALIDATE METADATA `edw`.`flat`']);
  });

  it('Hive, shared: MSCK REPAIR TABLE for partitioned tables only', async () => {
    expect(await syncStatements({ dialect: 'hive', mode: 'shared', database: 'edw', change: change([txns, flat]), isNew: () => true })).toEqual(['MSCK REPAIR TABLE `edw`.`txns`']);
  });

  it("Impala, managed: its own DDL (COMMENT after PARTITIONED BY, s3a://), dropped tables dropped, partitions recovered", async () => {
    expect(await syncStatements({ dialect: 'impala', mode: 'managed', database: 'edw', change: change([txns], ['old']), isNew: () => true })).toEqual([
      'CREATE DATABASE IF NOT EXISTS `edw`',
      'DROP TABLE IF EXISTS `edw`.`old`',
      'DROP TABLE IF EXISTS `edw`.`txns`',
      [
        'CREATE EXTERNAL TABLE IF NOT EXISTS `edw`.`txns` (',
        '  `id` BIGINT,',
        "  `amount` DECIMAL(38,2) COMMENT 'it\\'s'",
        ')',
        'PARTITIONED BY (',
        '  `txn_year` INT',
        ')',
        "COMMENT 'card txns'",
        'STORED AS PARQUET',
        "LOCATION 's3a://lake/txns'",
      ].join('\n'),
      'ALTER TABLE `edw`.`txns` RECOVER PARTITIONS',
      'REFRESH `edw`.`txns`',
    ]);
  });

  it('Hive, managed: Hive DDL with s3:// kept, then MSCK REPAIR TABLE', async () => {
    expect(await syncStatements({ dialect: 'hive', mode: 'managed', database: 'edw', change: change([txns]), isNew: () => true })).toEqual([
      'CREATE DATABASE IF NOT EXISTS `edw`',
      'DROP TABLE IF EXISTS `edw`.`txns`',
      [
        'CREATE EXTERNAL TABLE IF NOT EXISTS `edw`.`txns` (',
        '  `id` BIGINT,',
        "  `amount` DECIMAL(38,2) COMMENT 'it\\'s'",
        ')',
        "COMMENT 'card txns'",
        'PARTITIONED BY (',
        '  `txn_year` INT',
        ')',
        'STORED AS PARQUET',
        "LOCATION 's3://lake/txns'",
      ].join('\n'),
      'MSCK REPAIR TABLE `edw`.`txns`',
    ]);
  });

  it('nothing to do when nothing changed', async () => {
    for (const dialect of ['hive', 'impala'] as const) {
      for (const mode of ['shared', 'managed'] as const) expect(await syncStatements({ dialect, mode, database: 'edw', change: change([]), isNew: () => true })).toEqual([]);
    }
  });

  describe('local locations', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await realpath(await mkdtemp(path.join(os.tmpdir(), 'lakegate-hs2-sync-')));
      await mkdir(path.join(dir, '.versions', 'flat', 'v2'), { recursive: true });
      await symlink(path.join(dir, '.versions', 'flat', 'v2'), path.join(dir, 'flat'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('managed: a published table (a link to its version folder) is created over the real path as a file: URI', async () => {
      const [, , create] = await syncStatements({ dialect: 'impala', mode: 'managed', database: 'edw', change: change([{ ...flat, location: path.join(dir, 'flat') }]), isNew: () => true });
      expect(create).toBe(['CREATE EXTERNAL TABLE IF NOT EXISTS `edw`.`flat` (', '  `id` BIGINT', ')', 'STORED AS PARQUET', `LOCATION 'file://${dir}/.versions/flat/v2'`].join('\n'));
    });
  });
});
