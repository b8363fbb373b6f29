import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parquetColumns } from '../../src/catalog/schema/parquet-hive-type.js';
import { LocalStorage } from '../../src/storage/local/local-storage.js';
import { readParquetFooter } from '../../src/storage/parquet/parquet-footer.js';
import { tempDir, writeParquet } from '../catalog/support/lake.js';

describe('Parquet footers (written by DuckDB)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  const storage = new LocalStorage();
  beforeAll(async () => ({ dir, cleanup } = await tempDir()));
  afterAll(() => cleanup());

  it('maps physical and logical types to Hive types', async () => {
    const file = path.join(dir, 'types.parquet');
    await writeParquet(file, `SELECT
      1::INTEGER AS i32, 2::BIGINT AS i64, 3::SMALLINT AS i16, 4::TINYINT AS i8, 5::UINTEGER AS u32, 6::UBIGINT AS u64,
      1.5::FLOAT AS f, 2.5::DOUBLE AS d, true AS b, 'x' AS s, DATE '2024-01-02' AS dt,
      TIMESTAMP '2024-01-01 10:00:00' AS ts, TIMESTAMP_MS '2024-01-01 10:00:00' AS ts_ms, 12.34::DECIMAL(10,2) AS dec,
      123.4::DECIMAL(30,4) AS bigdec, '\\x01'::BLOB AS bin, [1, 2] AS arr, {'a': 1, 'b': 'x'} AS st, MAP {'k': 1} AS mp
      FROM range(3)`);
    const footer = await readParquetFooter(storage, file);
    expect(footer.rows).toBe(3);
    expect(Object.fromEntries(parquetColumns(footer.schema).map((c) => [c.name, c.type]))).toEqual({
      i32: 'INT', i64: 'BIGINT', i16: 'SMALLINT', i8: 'TINYINT', u32: 'BIGINT', u64: 'DECIMAL(20,0)',
      f: 'FLOAT', d: 'DOUBLE', b: 'BOOLEAN', s: 'STRING', dt: 'DATE', ts: 'TIMESTAMP', ts_ms: 'TIMESTAMP',
      dec: 'DECIMAL(10,2)', bigdec: 'DECIMAL(30,4)', bin: 'BINARY', arr: 'ARRAY<INT>',
      st: 'STRUCT<a:INT,b:STRING>', mp: 'MAP<STRING,INT>',
    });
  });

  it('reads a footer larger than the first ranged read', async () => {
    const file = path.join(dir, 'wide.parquet');
    const cols = Array.from({ length: 1500 }, (_, i) => `${i}::BIGINT AS column_with_a_long_name_${i}`).join(', ');
    await writeParquet(file, `SELECT ${cols} FROM range(2)`);
    const footer = await readParquetFooter(storage, file);
    expect(footer.schema.children).toHaveLength(1500);
    expect(footer.rows).toBe(2);
  });

  it('refuses what is not Parquet with INPUT_INVALID', async () => {
    const file = path.join(dir, 'fake.parquet');
    await writeFile(file, 'this is not a parquet file at all');
    await expect(readParquetFooter(storage, file)).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    await writeFile(file, 'PAR1');
    await expect(readParquetFooter(storage, file)).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    const truncated = Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(20), Buffer.from([0xff, 0xff, 0, 0]), Buffer.from('PAR1')]);
    await writeFile(file, truncated);
    await expect(readParquetFooter(storage, file)).rejects.toMatchObject({ code: 'INPUT_INVALID' });
  });
});
