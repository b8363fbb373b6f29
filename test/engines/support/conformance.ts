import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TableDef } from '../../../src/catalog/table-def.js';
import type { QueryEngine } from '../../../src/engines/engine.js';
import { isAppError } from '../../../src/errors.js';
import { translate, type CatalogTable } from '../../../src/sql/index.js';
import { catalogResolver } from '../../../src/sql/resolve.js';

/**
 * The shared conformance suite of query engines: the same Hive queries, translated for the engine by the
 * gateway's translator and run by `engine.execute`, must give the same values and types on every engine
 * (the expected values below are written out by hand, not computed by any engine), and every engine must
 * stop on abort, report engine errors as 422 QUERY_FAILED with the engine's message, and name itself
 * when it cannot be reached.
 */
export interface EngineUnderTest {
  engine: QueryEngine;
  /** Makes the catalog tables visible to the engine (managed engines create theirs here). */
  publish(defs: TableDef[]): Promise<void>;
  /** SQL in the engine's dialect that runs for more than 20 seconds (for cancel). */
  slowSql: string;
  /** The same engine pointed at a port where nothing listens (engines with a server only). */
  unreachable?(): QueryEngine;
}

/** The fixture table's rows as every engine must answer them (ORDER BY id NULLS LAST). */
export const CONFORMANCE_ROWS: unknown[][] = [
  ['-9223372036854775808', '-0.01', '1970-01-01', '1970-01-01 00:00:00', '', false, -1.5, 2024],
  ['1', '0.00', '2024-02-29', '2024-02-29 23:59:59', 'plain', true, 0, 2024],
  ['9007199254740993', '999999999999999999999999999999999999.99', '2024-12-31', '2024-12-31 12:34:56.789123', '카드 "quoted" \\ back', true, 1e300, 2025],
  [null, null, null, null, null, null, null, 2025],
];

const COLUMNS = [
  { name: 'id', type: 'BIGINT' },
  { name: 'amount', type: 'DECIMAL(38,2)' },
  { name: 'd', type: 'DATE' },
  { name: 'ts', type: 'TIMESTAMP' },
  { name: 's', type: 'STRING' },
  { name: 'flag', type: 'BOOLEAN' },
  { name: 'x', type: 'DOUBLE' },
];

/** Writes the fixture as Hive-partitioned Parquet (txn_year=...) with DuckDB, from literals. */
async function writeFixture(dir: string): Promise<TableDef> {
  const location = path.join(dir, 'conformance');
  const conn = await (await DuckDBInstance.create(':memory:')).connect();
  try {
    for (const year of [2024, 2025]) await mkdir(path.join(location, `txn_year=${year}`), { recursive: true });
    const values = [
      `(-9223372036854775808, -0.01, DATE '1970-01-01', TIMESTAMP '1970-01-01 00:00:00', '', false, -1.5, 2024)`,
      `(1, 0.00, DATE '2024-02-29', TIMESTAMP '2024-02-29 23:59:59', 'plain', true, 0.0, 2024)`,
      `(9007199254740993, 999999999999999999999999999999999999.99, DATE '2024-12-31', TIMESTAMP '2024-12-31 12:34:56.789123', '카드 "quoted" \\ back', true, 1e300, 2025)`,
      `(NULL, NULL, NULL, NULL, NULL, NULL, NULL, 2025)`,
    ];
    await conn.run(`CREATE TABLE t AS SELECT id::BIGINT AS id, amount::DECIMAL(38,2) AS amount, d, ts, s, flag, x::DOUBLE AS x, txn_year::INTEGER AS txn_year
      FROM (VALUES ${values.join(', ')}) v(id, amount, d, ts, s, flag, x, txn_year)`);
    for (const year of [2024, 2025]) {
      await conn.run(`COPY (SELECT * EXCLUDE (txn_year) FROM t WHERE txn_year = ${year}) TO '${path.join(location, `txn_year=${year}`, 'part-0.parquet')}' (FORMAT parquet)`);
    }
  } finally {
    conn.closeSync();
  }
  return { database: 'card_analytics', name: 'conformance', location, format: 'parquet', properties: {}, columns: COLUMNS, partitionKeys: [{ name: 'txn_year', type: 'INT' }] };
}

/** Runs `sql` on `engine` and reads the whole stream. */
export async function collect(engine: QueryEngine, sql: string, signal = new AbortController().signal, maxRows = 1000): Promise<{ columns: string[]; rows: unknown[][] }> {
  const stream = await engine.execute(sql, { signal, maxRows });
  const rows: unknown[][] = [];
  try {
    for await (const batch of stream.batches) rows.push(...batch);
  } finally {
    stream.close();
  }
  return { columns: stream.columns.map((c) => c.name), rows };
}

/** What `SELECT 1` on a freshly made engine threw (undefined if it answered) and how long it took; the engine is closed after. */
export async function firstFailure(engine: QueryEngine): Promise<{ err: unknown; ms: number }> {
  const started = Date.now();
  try {
    const err = await collect(engine, 'SELECT 1').then(() => undefined, (e: unknown) => e);
    return { err, ms: Date.now() - started };
  } finally {
    await engine.close();
  }
}

/** Normalizes what may differ only in representation: doubles compared as numbers. */
const numeric = (v: unknown): unknown => (typeof v === 'string' && /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(v) ? Number(v) : v);

export function describeQueryEngine(name: string, setup: () => Promise<EngineUnderTest>, options: { timeoutMs?: number; hasServer?: boolean } = {}): void {
  describe(`query engine conformance: ${name}`, () => {
    let dir: string;
    let under: EngineUnderTest;
    let def: TableDef;
    const hive = (sql: string): string =>
      translate({ sql, from: 'hive', to: under.engine.dialect, resolveTable: (ref) => (ref.name === 'conformance' ? { sql: under.engine.tableRef(def), columns: [...def.columns, ...def.partitionKeys] } : undefined) }).sql;

    beforeAll(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), `lakegate-conformance-${name}-`));
      def = await writeFixture(dir);
      under = await setup();
      await under.publish([def]);
    }, options.timeoutMs ?? 300_000);
    afterAll(async () => {
      await under?.engine.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('answers exact BIGINT (2^53+1, -2^63) and DECIMAL(38,2), dates and timestamps in the /query format, text as stored', async () => {
      const { columns, rows } = await collect(under.engine, hive('SELECT id, amount, d, ts, s, flag, x, txn_year FROM card_analytics.conformance ORDER BY id ASC NULLS LAST'));
      expect(columns).toEqual(['id', 'amount', 'd', 'ts', 's', 'flag', 'x', 'txn_year']);
      // The DOUBLE column is compared as a number (engines may print 0 or 0.0); everything else exactly.
      expect(rows.map((r) => [...r.slice(0, 6), numeric(r[6]), numeric(r[7])])).toEqual(CONFORMANCE_ROWS);
    });

    it('computes over the values without losing digits: exact sums of DECIMAL(38,2) and BIGINT', async () => {
      const { rows } = await collect(under.engine, hive("SELECT CAST(sum(amount) AS STRING) AS total, CAST(max(id) + 1 AS STRING) AS next_id, count(*) AS n, count(id) AS ids FROM card_analytics.conformance"));
      expect(rows.map((r) => [r[0], r[1], numeric(r[2]), numeric(r[3])])).toEqual([['999999999999999999999999999999999999.98', '9007199254740994', 4, 3]]);
    });

    it('prunes by partition and filters on a DATE compared with a string literal', async () => {
      const { rows } = await collect(under.engine, hive("SELECT s FROM card_analytics.conformance WHERE txn_year = 2024 AND d >= '2024-01-01'"));
      expect(rows).toEqual([['plain']]);
    });

    it('reads views, expanded into the query it runs: a join of a view of constants, a window and a division', async () => {
      const view = (name: string, sql: string): CatalogTable => ({ database: 'compat', name, view: { sql, dialect: 'hive' } });
      const tables: CatalogTable[] = [
        { database: 'card_analytics', name: 'conformance', sql: under.engine.tableRef(def), columns: [...def.columns, ...def.partitionKeys] },
        view('labels', "SELECT 2024 AS y, 'first' AS label UNION ALL SELECT 2025, 'second'"),
        view('by_year', `SELECT l.label, c.txn_year, count(*) AS n, dense_rank() OVER (ORDER BY c.txn_year DESC) AS r
                         FROM card_analytics.conformance c JOIN compat.labels l ON l.y = c.txn_year GROUP BY l.label, c.txn_year`),
      ];
      const sql = translate({ sql: 'SELECT label, n, r, round(CAST(n AS DOUBLE) / 3, 2) AS share FROM by_year ORDER BY label', from: 'trino', to: under.engine.dialect, resolveTable: catalogResolver(tables, 'compat') }).sql;
      const { rows } = await collect(under.engine, sql);
      expect(rows.map((r) => r.map(numeric))).toEqual([['first', 2, 2, 0.67], ['second', 2, 1, 0.67]]);
    });

    it('stops after maxRows when asked for fewer rows than the result has (the engine may stop early; never more is lost)', async () => {
      const { rows } = await collect(under.engine, hive('SELECT id FROM card_analytics.conformance ORDER BY id ASC NULLS LAST'), undefined, 2);
      expect(rows.length).toBeGreaterThanOrEqual(2);
      expect(rows.slice(0, 2)).toEqual([[CONFORMANCE_ROWS[0]![0]], [CONFORMANCE_ROWS[1]![0]]]);
    });

    it('answers an engine error as 422 QUERY_FAILED carrying the engine message', async () => {
      const err = await collect(under.engine, `SELECT no_such_column FROM ${under.engine.tableRef(def)}`).then(() => undefined, (e: unknown) => e);
      expect(isAppError(err) && err.code, String(err)).toBe('QUERY_FAILED');
      expect(String((err as Error).message)).toMatch(/no_such_column/i);
    });

    it('stops a running query when the signal aborts, and answers the next query', async () => {
      const ac = new AbortController();
      const started = Date.now();
      const pending = collect(under.engine, under.slowSql, ac.signal).then(() => undefined, (e: unknown) => e);
      setTimeout(() => ac.abort(), 1500);
      const err = await pending;
      expect(isAppError(err) && err.code, String(err)).toMatch(/QUERY_CANCELLED|QUERY_TIMEOUT/);
      expect(Date.now() - started).toBeLessThan(15_000);
      const { rows } = await collect(under.engine, hive('SELECT count(*) AS n FROM card_analytics.conformance'));
      expect(rows.map((r) => numeric(r[0]))).toEqual([4]);
    }, 60_000);

    // Engines in this process (DuckDB) have no server to lose; the others must say which one is down.
    if (options.hasServer ?? true)
      it('names itself with a 502/503 when its server cannot be reached, within seconds', async () => {
      const down = under.unreachable?.();
      if (!down) throw new Error(`${name}: an engine with a server must say how to reach a dead one (unreachable)`);
      const started = Date.now();
      try {
        const err = await collect(down, 'SELECT 1').then(() => undefined, (e: unknown) => e);
        expect(isAppError(err) && [502, 503].includes(err.status), String(err)).toBe(true);
        expect(String((err as Error).message)).toContain(under.engine.name);
        expect(Date.now() - started).toBeLessThan(15_000);
      } finally {
        await down.close();
      }
    }, 30_000);
  });
}
