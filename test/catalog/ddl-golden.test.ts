import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DDL_DIALECTS } from '../../src/catalog/ddl/dialect.js';
import { renderTableDdl } from '../../src/catalog/ddl/render-ddl.js';
import type { TableDef } from '../../src/catalog/table-def.js';
import { ddlTable, put, repoRoot, tempDir, transactionsSelect, writeParquet } from './support/lake.js';

/** Golden files are reviewed by hand; UPDATE_GOLDEN=1 rewrites them from the current renderer. */
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const goldenDir = path.join(repoRoot, 'test/fixtures/ddl-golden');

const CASES: { table: string; warehouse: string }[] = [
  { table: 'partitioned_transactions', warehouse: 's3://card-lake/warehouse' },
  { table: 'daily_category_summary', warehouse: '/data/lakegate/warehouse' },
];

describe('DDL per dialect (golden files)', () => {
  for (const { table, warehouse } of CASES) {
    for (const dialect of DDL_DIALECTS) {
      it(`${table}.${dialect}.sql`, async () => {
        const text = renderTableDdl(await ddlTable(table, warehouse), dialect);
        const file = path.join(goldenDir, `${table}.${dialect}.sql`);
        if (UPDATE) await writeFile(file, text);
        expect(text).toBe(await readFile(file, 'utf8'));
      });
    }
  }

  it('escapes identifiers and string literals per dialect', async () => {
    const def: TableDef = {
      database: 'db', name: 't', location: "/lake/it's",
      columns: [{ name: 'a', type: 'STRING', comment: "it's a \\ back\nslash" }, { name: 's', type: 'STRUCT<x:INT,`select`:STRING>'.replace('`select`', 'sel') }],
      partitionKeys: [], format: 'parquet', properties: { "k'ey": 'v\\al' }, comment: "o'clock",
    };
    const hive = renderTableDdl(def, 'hive');
    expect(hive).toContain("`a` STRING COMMENT 'it\\'s a \\\\ back\\nslash'");
    expect(hive).toContain("COMMENT 'o\\'clock'");
    expect(hive).toContain("LOCATION 'file:///lake/it\\'s'");
    expect(hive).toContain("TBLPROPERTIES ('k\\'ey'='v\\\\al')");
    expect(hive).toContain('`s` STRUCT<`x`:INT,`sel`:STRING>');
    expect(renderTableDdl(def, 'athena')).toContain('`s` struct<x:int,sel:string>');
    const duck = renderTableDdl(def, 'duckdb');
    expect(duck).toContain("read_parquet('/lake/it''s/[!._]*.parquet', hive_partitioning = false, union_by_name = true)");
  });
});

describe('the DuckDB DDL, run for real', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let instance: DuckDBInstance;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    instance = await DuckDBInstance.create(':memory:');
  });
  afterAll(async () => {
    instance.closeSync();
    await cleanup();
  });

  it('creates a view that reads the partitions with typed keys, ignoring junk', async () => {
    // The warehouse itself lies below `.` and `_` names: only names below the table's location are junk.
    const def = await ddlTable('partitioned_transactions', path.join(dir, '_lake', '.wh'));
    await writeParquet(path.join(def.location, 'txn_year=2024/txn_month=1/part-0.parquet'), transactionsSelect(7));
    await writeParquet(path.join(def.location, 'txn_year=2024/txn_month=12/part-0.parquet'), transactionsSelect(3, 100));
    await put(def.location, '_SUCCESS', '');
    await put(def.location, 'txn_year=2024/txn_month=1/_SUCCESS', '');
    // What Spark leaves or hides (a task attempt's output, a checksum, a hidden copy): never read,
    // nor even opened (the garbage ones would fail the query if they were).
    await writeParquet(path.join(def.location, '_temporary/0/_temporary/attempt_1/txn_year=2024/txn_month=3/part-0.parquet'), transactionsSelect(5, 200));
    await writeParquet(path.join(def.location, 'txn_year=2024/txn_month=12/.part-0.parquet'), transactionsSelect(4, 300));
    await put(def.location, 'txn_year=2024/txn_month=1/.part-0.parquet.crc', 'crc');
    await put(def.location, 'txn_year=2024/txn_month=1/_part-9.parquet', 'not parquet');
    await put(def.location, '.staging/txn_year=2024/txn_month=2/part-0.parquet', 'not parquet');
    const conn = await instance.connect();
    try {
      for (const statement of renderTableDdl(def, 'duckdb').split(/;\n/).map((s) => s.trim()).filter(Boolean)) await conn.run(statement.replace(/;$/, ''));
      const rows = (await conn.runAndReadAll(
        'SELECT txn_year, txn_month, typeof(txn_month) AS t, count(*) AS n FROM card_analytics.partitioned_transactions GROUP BY ALL ORDER BY txn_month',
      )).getRowObjectsJson();
      expect(rows).toEqual([
        { txn_year: 2024, txn_month: 1, t: 'INTEGER', n: '7' },
        { txn_year: 2024, txn_month: 12, t: 'INTEGER', n: '3' },
      ]);
    } finally {
      conn.closeSync();
    }
  });
});

describe('refresh statements after a repair that removed partitions', () => {
  it('drops explicitly where the engine cannot sync', async () => {
    const { refreshStatements } = await import('../../src/catalog/ddl/render-ddl.js');
    const def = await ddlTable('partitioned_transactions', 's3://lake/wh');
    const removed = [{ txn_year: '2024', txn_month: '1' }, { txn_year: '__HIVE_DEFAULT_PARTITION__', txn_month: '2' }];
    const t = '`card_analytics`.`partitioned_transactions`';
    expect(refreshStatements(def, { removed })).toEqual({
      hive: [`MSCK REPAIR TABLE ${t} SYNC PARTITIONS`],
      athena: [
        `ALTER TABLE ${t} DROP IF EXISTS PARTITION (\`txn_year\`=2024, \`txn_month\`=1), PARTITION (\`txn_year\`='__HIVE_DEFAULT_PARTITION__', \`txn_month\`=2)`,
        `MSCK REPAIR TABLE ${t}`,
      ],
      impala: [
        `ALTER TABLE ${t} DROP IF EXISTS PARTITION (\`txn_year\`=2024, \`txn_month\`=1)`,
        `ALTER TABLE ${t} DROP IF EXISTS PARTITION (\`txn_year\`='__HIVE_DEFAULT_PARTITION__', \`txn_month\`=2)`,
        `ALTER TABLE ${t} RECOVER PARTITIONS`,
        `REFRESH ${t}`,
      ],
      spark: [`MSCK REPAIR TABLE ${t} SYNC PARTITIONS`, `REFRESH TABLE ${t}`],
    });
  });
});
