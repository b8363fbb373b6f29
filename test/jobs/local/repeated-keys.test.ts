import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repeatedHashesSql, repeatedKeysSql } from '../../../src/jobs/local/quality-sql.js';

// The quality checks find repeated keys by hash first and then count exactly by the key itself:
// a hash shared by different keys (a collision) must not be counted, and buckets must add up.
describe('repeated keys counted by hash candidates, exactly', () => {
  let db: DuckDBInstance;
  const one = async (sql: string): Promise<Record<string, number>> => {
    const conn = await db.connect();
    try {
      const row = (await conn.runAndReadAll(sql)).getRowObjectsJS()[0]!;
      return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]));
    } finally {
      conn.closeSync();
    }
  };

  beforeAll(async () => {
    db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    // ids: a once, b twice, c three times, d once, NULL twice (not a key); in numbers: 2 repeated ids, 5 rows of them
    await conn.run(`CREATE TABLE raw AS SELECT * FROM (VALUES ('a', 'x'), ('b', 'x'), ('b', 'y'), ('c', 'x'), ('c', 'x'), ('c', 'x'), ('d', NULL), (NULL, 'x'), (NULL, 'x')) AS t(transaction_id, merchant)`);
    conn.closeSync();
  });
  afterAll(() => db?.closeSync());

  it('finds the hashes seen twice, leaving out rows with a NULL in the key', async () => {
    expect(await one(`SELECT count(*) AS hashes, sum(n) AS rows FROM (${repeatedHashesSql('raw', ['transaction_id'])})`)).toEqual({ hashes: 2, rows: 5 });
    // two columns: (b,x) (b,y) differ; (c,x) three times; (d,NULL) and (NULL,x) are not keys
    expect(await one(`SELECT count(*) AS hashes, sum(n) AS rows FROM (${repeatedHashesSql('raw', ['transaction_id', 'merchant'])})`)).toEqual({ hashes: 1, rows: 3 });
  });

  it('counts by the key itself, so a candidate hash whose rows hold different keys counts nothing', async () => {
    // Candidates whose rows hold one key each ('a', 'd'), as a collision's rows would: not counted.
    // (A real collision of DuckDB's 64-bit hash cannot be made here; the count is by the key either way.)
    const candidates = `(SELECT hash('a') AS h UNION ALL SELECT hash('d') UNION ALL SELECT hash('b') UNION ALL SELECT hash('c'))`;
    expect(await one(repeatedKeysSql('raw', ['transaction_id'], candidates))).toEqual({ keys: 2, rows: 5 });
    const onlyA = `(SELECT hash('a') AS h)`;
    expect(await one(repeatedKeysSql('raw', ['transaction_id'], onlyA))).toEqual({ keys: 0, rows: 0 });
  });

  it('gives the same totals in any number of buckets', async () => {
    const candidates = `(${repeatedHashesSql('raw', ['transaction_id'])})`;
    for (const of of [1, 2, 3, 7]) {
      let keys = 0;
      let rows = 0;
      for (let k = 0; k < of; k++) {
        const part = await one(repeatedKeysSql('raw', ['transaction_id'], candidates, { k, of }));
        keys += part.keys!;
        rows += part.rows!;
      }
      expect({ of, keys, rows }).toEqual({ of, keys: 2, rows: 5 });
    }
  });
});
