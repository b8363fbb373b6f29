import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.js';
import { AbortableDuckDB } from '../../../src/jobs/local/duckdb-runner.js';

let instance: DuckDBInstance;
let conn: DuckDBConnection;
beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  conn = await instance.connect();
});
afterAll(() => {
  conn.closeSync();
  instance.closeSync();
});

describe('the pipeline DuckDB runner', () => {
  it('stops a statement cancelled before DuckDB started executing it, and the connection stays usable', async () => {
    const db = new AbortableDuckDB(conn);
    // With parameters the statement is prepared, bound, then run: without repeated interrupts an abort
    // that early is forgotten and the statement runs for minutes.
    for (const wait of [() => Promise.resolve(), () => new Promise((r) => setImmediate(r)), () => new Promise((r) => setTimeout(r, 1)), () => new Promise((r) => setTimeout(r, 5))]) {
      const ac = new AbortController();
      const running = db.run('CREATE OR REPLACE TABLE t AS SELECT sum(a.range * b.range) AS s FROM range($n) a, range($n) b', ac.signal, { n: 1_000_000 });
      await wait();
      ac.abort(new AppError('QUERY_TIMEOUT', 'cancelled'));
      await expect(running).rejects.toMatchObject({ code: 'QUERY_TIMEOUT' });
    }
    expect(await db.one('SELECT 40 + 2 AS n')).toEqual({ n: 42 });
  }, 60_000);
});
