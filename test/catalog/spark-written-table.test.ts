import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, startGateway, type TestGateway } from '../support/gateway.js';
import { put, transactionsSelect, writeParquet } from './support/lake.js';

// A table folder as Spark leaves it (and as the original batch's output is registered): besides the
// data files, `_SUCCESS`, checksums next to each file, a `_temporary/` left by a failed job and a
// hidden staging copy. Discovery, validation, repair and queries must see the data files only.
describe('a table written by Spark, with its markers, checksums and leftovers', () => {
  let gw: TestGateway;
  let location: string;

  beforeAll(async () => {
    gw = await startGateway();
    location = path.join(gw.home, 'lake', 'spark_txn');
    const part = (m: number): string => `txn_year=2024/txn_month=${m}/part-00000-5f1c.c000.snappy.parquet`;
    await writeParquet(path.join(location, part(1)), transactionsSelect(7));
    await writeParquet(path.join(location, part(2)), transactionsSelect(5, 100));
    await put(location, '_SUCCESS', '');
    for (const m of [1, 2]) await put(location, `txn_year=2024/txn_month=${m}/.part-00000-5f1c.c000.snappy.parquet.crc`, 'crc');
    // A task attempt's output (garbage: reading it would fail the query) and a hidden copy with rows.
    await put(location, '_temporary/0/_temporary/attempt_202412020000_0001_m_000000_0/txn_year=2024/txn_month=3/part-00000.snappy.parquet', 'half-written');
    await writeParquet(path.join(location, '.spark-staging-1/txn_year=2024/txn_month=4/part-00000.snappy.parquet'), transactionsSelect(9, 200));
    await writeParquet(path.join(location, 'txn_year=2024/txn_month=2/_part-00001.snappy.parquet'), transactionsSelect(4, 300));
    // Registered by location: keys and columns are discovered from the files.
    const created = await gw.app.inject({ method: 'POST', url: '/tables', payload: { name: 'spark_txn', location } });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().partitionKeys).toEqual([{ name: 'txn_year', type: 'INT' }, { name: 'txn_month', type: 'INT' }]);
    expect(created.json().columns.map((c: { name: string }) => c.name)).toContain('transaction_id');
  });
  afterAll(async () => {
    await gw?.close();
    if (gw) await removeDir(gw.home);
  });

  it('repairs exactly the two data partitions, and again finds nothing else', async () => {
    const res = await gw.app.inject({ method: 'POST', url: '/tables/spark_txn/repair' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ added: ['txn_year=2024/txn_month=1', 'txn_year=2024/txn_month=2'], removed: [], skipped: [] });
    const again = await gw.app.inject({ method: 'POST', url: '/tables/spark_txn/repair' });
    expect(again.json()).toMatchObject({ added: [], removed: [], unchanged: 2, skipped: [] });
  });

  it('validates cleanly, reading the two data files only', async () => {
    const res = await gw.app.inject({ method: 'GET', url: '/tables/spark_txn/validate' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, filesChecked: 2 });
  });

  it('answers queries from the data files only (7 + 5 rows)', async () => {
    const res = await gw.app.inject({ method: 'POST', url: '/query', payload: { sql: 'SELECT txn_month, count(*) AS n FROM spark_txn GROUP BY txn_month ORDER BY txn_month' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().rows).toEqual([[1, 7], [2, 5]]);
  });
});
