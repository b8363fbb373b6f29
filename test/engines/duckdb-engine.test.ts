import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TableDef } from '../../src/catalog/table-def.js';
import { DuckDBQueryEngine } from '../../src/engines/duckdb/duckdb-engine.js';
import { AppError } from '../../src/errors.js';

let dir: string;
let defs: TableDef[];
let engine: DuckDBQueryEngine;

const table = (name: string, location: string, partitioned = false): TableDef => ({
  database: 'card_analytics', name, location, format: 'parquet', properties: {},
  columns: [{ name: 'id', type: 'BIGINT' }, { name: 'label', type: 'STRING' }],
  partitionKeys: partitioned ? [{ name: 'txn_year', type: 'INT' }] : [],
});

async function run(sql: string, signal = new AbortController().signal): Promise<unknown[][]> {
  const s = await engine.execute(sql, { signal, maxRows: 1000 });
  const rows: unknown[][] = [];
  for await (const b of s.batches) rows.push(...b);
  return rows;
}

async function refusal(sql: string): Promise<AppError> {
  try {
    await run(sql);
  } catch (err) {
    return err as AppError;
  }
  throw new Error(`not refused: ${sql}`);
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lakegate-duck-'));
  await mkdir(path.join(dir, 'lake', 'events', 'txn_year=2024'), { recursive: true });
  const w = await (await DuckDBInstance.create(':memory:')).connect();
  await w.run(`COPY (SELECT 9007199254740993::BIGINT AS id, 'a' AS label UNION ALL SELECT 2, 'b') TO '${dir}/lake/events/txn_year=2024/p.parquet'`);
  await w.run(`COPY (SELECT 'secret' AS s) TO '${dir}/outside.parquet'`);
  defs = [table('events', path.join(dir, 'lake', 'events'), true), table('empty', path.join(dir, 'lake', 'empty')), table('remote', 's3://bucket/remote')];
  engine = new DuckDBQueryEngine({ listTables: async () => defs, memoryLimit: '512MB' });
});
afterAll(async () => engine.close());

describe('DuckDB query engine', () => {
  it('serves catalog tables as views with partition columns and exact 64-bit integers', async () => {
    const s = await engine.execute('SELECT id, label, txn_year FROM "card_analytics"."events" ORDER BY label', { signal: new AbortController().signal, maxRows: 10 });
    expect(s.columns).toEqual([{ name: 'id', type: 'BIGINT' }, { name: 'label', type: 'VARCHAR' }, { name: 'txn_year', type: 'INTEGER' }]);
    const rows: unknown[][] = [];
    for await (const b of s.batches) rows.push(...b);
    expect(rows).toEqual([['9007199254740993', 'a', 2024], ['2', 'b', 2024]]);
  });

  it('answers a table with no files yet as an empty view of its declared columns', async () => {
    expect(await run('SELECT * FROM card_analytics.empty')).toEqual([]);
  });

  it('refuses s3:// tables without httpfs, naming the engine that can read them', async () => {
    await expect(engine.checkReadable(defs)).rejects.toMatchObject({ code: 'ENGINE_UNSUPPORTED_LOCATION', details: { suggestedEngine: 'athena' } });
    await expect(engine.checkReadable(defs.filter((d) => d.name !== 'remote'))).resolves.toBeUndefined();
  });

  describe('sandbox, with the validator bypassed', () => {
    const hostile = [
      `SELECT * FROM read_csv('/etc/passwd')`,
      `SELECT * FROM read_text('/etc/hostname')`,
      `SELECT * FROM read_parquet('OUTSIDE')`,
      `SELECT * FROM read_parquet('LAKE/../outside.parquet')`,
      `SELECT * FROM glob('/etc/*')`,
      `SELECT * FROM read_parquet('s3://bucket/x.parquet')`,
    ];
    for (const sql of hostile) {
      it(`refuses ${sql}`, async () => {
        const real = sql.replace('OUTSIDE', path.join(dir, 'outside.parquet')).replace('LAKE', path.join(dir, 'lake'));
        const err = await refusal(real);
        expect(err).toBeInstanceOf(AppError);
        expect(['SQL_NOT_ALLOWED', 'QUERY_FAILED']).toContain(err.code);
        expect(err.message).not.toContain('secret');
      });
    }
    for (const sql of [`COPY (SELECT 1) TO 'LAKE/events/evil.csv'`, `ATTACH 'LAKE/x.db'`, `INSTALL httpfs`, `LOAD httpfs`, `SET enable_external_access = true`, `CREATE TABLE t AS SELECT 1`, `EXPORT DATABASE 'LAKE/dump'`, `CHECKPOINT`, `DETACH memory`]) {
      it(`refuses the statement ${sql.split(' ')[0]}`, async () => {
        const err = await refusal(sql.replace('LAKE', path.join(dir, 'lake')));
        expect(err.code).toBe('SQL_NOT_ALLOWED');
      });
    }
  });

  it('interrupts a long query when the signal aborts', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(new AppError('QUERY_TIMEOUT', 'too slow')), 100);
    const t0 = Date.now();
    await expect(run('SELECT count(*) FROM range(100000000000) a', ac.signal)).rejects.toMatchObject({ code: 'QUERY_TIMEOUT' });
    expect(Date.now() - t0).toBeLessThan(5_000);
  });

  it('interrupts a query aborted before DuckDB has started it (while connecting or preparing)', async () => {
    // An interrupt DuckDB receives before execution begins is forgotten; the engine must repeat it.
    for (const wait of [() => Promise.resolve(), () => new Promise((r) => setImmediate(r)), () => new Promise((r) => setTimeout(r, 1)), () => new Promise((r) => setTimeout(r, 5))]) {
      const ac = new AbortController();
      const running = run('SELECT sum(a.range * b.range) FROM range(1000000) a, range(1000000) b', ac.signal);
      await wait();
      ac.abort(new AppError('QUERY_TIMEOUT', 'client gone'));
      await expect(running).rejects.toMatchObject({ code: 'QUERY_TIMEOUT' });
    }
  }, 60_000);

  it('does not read a table outside LAKEGATE_LOCAL_ROOTS, even one another writer registered', async () => {
    const fencedEngine = new DuckDBQueryEngine({ listTables: async () => defs, memoryLimit: '256MB', localRoots: [path.join(dir, 'lake', 'empty')] });
    try {
      await expect(fencedEngine.checkReadable(defs.filter((d) => d.name === 'events'))).rejects.toMatchObject({ code: 'LOCATION_UNREACHABLE' });
      await expect(fencedEngine.checkReadable(defs.filter((d) => d.name === 'empty'))).resolves.toBeUndefined();
      // At the engine too: no view, and its directory is not among the allowed ones.
      const s = fencedEngine.execute('SELECT count(*) FROM card_analytics.events', { signal: new AbortController().signal, maxRows: 10 });
      await expect(s).rejects.toMatchObject({ code: 'QUERY_FAILED' });
      const direct = fencedEngine.execute(`SELECT count(*) FROM read_parquet('${dir}/lake/events/**/*.parquet')`, { signal: new AbortController().signal, maxRows: 10 });
      await expect(direct).rejects.toMatchObject({ code: 'SQL_NOT_ALLOWED' });
    } finally {
      await fencedEngine.close();
    }
  });

  it('picks up a new table definition on the next query', async () => {
    defs = [...defs, table('events_copy', path.join(dir, 'lake', 'events'), true)];
    expect(await run('SELECT count(*) FROM card_analytics.events_copy')).toEqual([['2']]);
  });

  it('refuses a table whose files are not Parquet with the reason, instead of answering it as empty, and keeps serving the others', async () => {
    await mkdir(path.join(dir, 'lake', 'corrupt'), { recursive: true });
    await writeFile(path.join(dir, 'lake', 'corrupt', 'part-0.parquet'), 'this is not parquet at all');
    defs = [...defs, table('corrupt', path.join(dir, 'lake', 'corrupt'))];
    expect(await run('SELECT count(*) FROM card_analytics.events')).toEqual([['2']]);
    const refused = await engine.checkReadable(defs.filter((d) => d.name === 'corrupt')).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: 'QUERY_FAILED', message: expect.stringContaining('corrupt:') });
    await expect(run('SELECT count(*) FROM card_analytics.corrupt')).rejects.toMatchObject({ code: 'QUERY_FAILED' });

    // Its files replaced by readable ones, the same table is served again.
    const w = await (await DuckDBInstance.create(':memory:')).connect();
    await w.run(`COPY (SELECT 5::BIGINT AS id, 'e' AS label) TO '${dir}/lake/corrupt/part-0.parquet'`);
    await expect(engine.checkReadable(defs.filter((d) => d.name === 'corrupt'))).resolves.toBeUndefined();
    expect(await run('SELECT id, label FROM card_analytics.corrupt')).toEqual([['5', 'e']]);
  });
});
