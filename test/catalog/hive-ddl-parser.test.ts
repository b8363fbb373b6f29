import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { loadDdlDir } from '../../src/catalog/ddl/ddl-loader.js';
import { normalizeHiveType, parseHiveDdl } from '../../src/catalog/ddl/hive-ddl-parser.js';
import { repoRoot } from './support/lake.js';

function failure(text: string): AppError {
  try {
    parseHiveDdl(text);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected a parse error');
}

describe('parseHiveDdl', () => {
  it('parses every table of ddl/', async () => {
    const files = (await readdir(path.join(repoRoot, 'ddl'))).filter((f) => f.endsWith('.sql'));
    expect(files).toHaveLength(14);
    for (const f of files) {
      const ddl = parseHiveDdl(await readFile(path.join(repoRoot, 'ddl', f), 'utf8'));
      expect(ddl.name).toBe(f.replace(/\.sql$/, ''));
      expect(ddl.database).toBe('card_analytics');
      expect(ddl.storedAs).toBe('PARQUET');
      expect(ddl.properties).toEqual({ 'parquet.compress': 'SNAPPY' });
    }
  });

  it('reads partitioned_transactions as declared', async () => {
    const ddl = parseHiveDdl(await readFile(path.join(repoRoot, 'ddl/partitioned_transactions.sql'), 'utf8'));
    expect(ddl.columns.map((c) => `${c.name} ${c.type}`)).toEqual([
      'transaction_id STRING', 'transaction_ts TIMESTAMP', 'card_no STRING', 'card_type STRING', 'merchant STRING',
      'sub_category STRING', 'category STRING', 'amount BIGINT', 'installment_months INT', 'approval_status STRING',
      'region STRING', 'txn_date DATE', 'txn_hour INT',
    ]);
    expect(ddl.partitionKeys).toEqual([
      { name: 'txn_year', type: 'INT', comment: 'year of transaction_ts' },
      { name: 'txn_month', type: 'INT', comment: 'month 1-12' },
    ]);
    expect(ddl.columns[3]!.comment).toBe('신용 (credit) or 체크 (debit)');
    expect(ddl.comment).toBe('card transactions');
    expect(ddl).toMatchObject({ external: true, ifNotExists: true, location: 'partitioned_transactions' });
  });

  it('loads the directory with locations under the warehouse', async () => {
    const defs = await loadDdlDir(path.join(repoRoot, 'ddl'), { warehouse: '/lake/wh', database: 'card_analytics' });
    expect(defs.find((d) => d.name === 'hourly_pattern')!.location).toBe('/lake/wh/hourly_pattern');
  });

  it('normalises types: aliases, defaults, nesting, case', () => {
    const ddl = parseHiveDdl(`create table t (
      a integer, b decimal, c dec(12, 3), d double precision, e varchar(20),
      f array<struct<X:int, y:map<string, bigint>>>, \`select\` string) stored as parquet`);
    expect(ddl.columns.map((c) => c.type)).toEqual([
      'INT', 'DECIMAL(10,0)', 'DECIMAL(12,3)', 'DOUBLE', 'VARCHAR(20)', 'ARRAY<STRUCT<x:INT,y:MAP<STRING,BIGINT>>>', 'STRING',
    ]);
    expect(ddl.columns[6]!.name).toBe('select');
    expect(normalizeHiveType('decimal(38,10)')).toBe('DECIMAL(38,10)');
  });

  it('accepts comments, escapes, STORED AS INPUTFORMAT and SERDEPROPERTIES', () => {
    const ddl = parseHiveDdl(`-- leading comment
      CREATE EXTERNAL TABLE db.t /* inline */ (a STRING COMMENT 'it\\'s ''quoted''')
      ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' WITH SERDEPROPERTIES ('x'='1')
      STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'
        OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'
      LOCATION 's3a://bucket/t';`);
    expect(ddl.columns[0]!.comment).toBe("it's 'quoted'");
    expect(ddl.storedAs).toBe('PARQUET');
    expect(ddl.serde).toBe('org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe');
    expect(ddl.properties).toEqual({});
    expect(ddl.location).toBe('s3a://bucket/t');
  });

  it.each([
    ['CREATE TABLE t (a INT', 1, 22, "expected ')' but found end of input"],
    ['CREATE TABLE t (\n  a INT,\n  b FOO\n)', 3, 5, "unknown type 'FOO'"],
    ['CREATE TABLE t (a INT, a STRING)', 1, 24, "duplicate column 'a'"],
    ['CREATE TABLE t (s STRUCT<x:INT, X:STRING>)', 1, 33, "duplicate struct field 'x'"],
    ['CREATE TABLE t (a INT)\nPARTITIONED BY (b INT, a INT)', 2, 24, "partition key 'a' is also a column"],
    ['CREATE TABLE t (a INT) LOCATION "x" LOCATION "y"', 1, 37, 'LOCATION given twice'],
    ['CREATE TABLE t (a INT) STORED AS PARQUET\n  CLUSTERED BY (a) INTO 4 BUCKETS', 2, 3, 'CLUSTERED is not supported'],
    ['CREATE TABLE t (a INT) WHATEVER', 1, 24, "found 'WHATEVER'"],
    ["CREATE TABLE t (a STRING COMMENT 'open", 1, 34, 'unterminated quoted text'],
    ['CREATE TABLE t (a DECIMAL(40,2))', 1, 19, 'DECIMAL(40,2) needs'],
    ['CREATE TABLE t (a VARCHAR)', 1, 19, 'VARCHAR needs a length'],
    ['CREATE TABLE t (a INT) PARTITIONED BY (p ARRAY<INT>)', 1, 42, 'must have a primitive type'],
    ['CREATE TABLE t (a INT) # x', 1, 24, "unexpected character '#'"],
    ['SELECT 1', 1, 1, "expected CREATE but found 'SELECT'"],
    ['', 1, 1, 'expected CREATE but found end of input'],
    ['CREATE TABLE t (a INT);\nDROP TABLE t', 2, 1, "found 'DROP'"],
  ])('reports %j at line %i, column %i', (text, line, column, message) => {
    const err = failure(text);
    expect(err.code).toBe('DDL_SYNTAX');
    expect(err.details.position).toEqual({ line, column });
    expect(err.message).toContain(message);
    expect(err.message).toContain(`at line ${line}, column ${column}`);
  });

  it.each([
    ['CREATE TABLE `../etc` (a INT)', 1, 14],
    ['CREATE TABLE t (\n  `a b` INT)', 2, 3],
    ['CREATE TABLE `db`.`t-1` (a INT)', 1, 19],
  ])('refuses the name in %j with INVALID_NAME at its position', (text, line, column) => {
    const err = failure(text);
    expect(err.code).toBe('INVALID_NAME');
    expect(err.details.position).toEqual({ line, column });
  });

  it('counts columns in UTF-16 units after multi-byte text on the same line', () => {
    const err = failure("CREATE TABLE t (a STRING COMMENT '신용', b NOPE)");
    expect(err.details.position).toEqual({ line: 1, column: 42 });
  });
});
