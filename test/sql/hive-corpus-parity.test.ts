import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { translate, validateSql, type TableResolver } from '../../src/sql/index.js';
import { runSparkSql, type SparkResult } from '../support/spark-sql.js';
import { runTrino, trinoEndpoint, type TrinoResult } from '../support/trino-server.js';
import { generateTransactions, writeCardDataset } from './support/card-dataset.js';
import { compareRows, fromDuck, fromSpark, fromTrino } from './support/compare.js';
import { loadCorpus } from './support/corpus.js';
import { ddlColumns } from './support/ddl-columns.js';
import { expectError } from './support/golden.js';

/**
 * Every Hive query of test/fixtures/hive-corpus runs three times over the same Parquet files: translated
 * to DuckDB on an in-process DuckDB, translated to Trino on the run's Trino server (hive connector, file
 * metastore), and untouched in Spark SQL (local mode, one session for all), the reference. The results
 * must agree: integers exactly, other numbers within 1e-9 relative (or the query's declared tolerance),
 * in order when the query has a top-level ORDER BY, as multisets otherwise. A query with a
 * `-- refused: trino: <why>` header must instead be refused by the Trino translation.
 */
const corpus = loadCorpus();
const columns = ddlColumns();

/**
 * Queries whose Spark rendering differs most from the input (NULL guards, substr and add_months
 * emulation, casts, arrays): also translated hive -> spark and run in the same Spark session; they must
 * give what the untouched query gives.
 */
const SPARK_TARGET = new Set([
  '004-to-date', '005-date-add-sub', '007-add-months-first-of-month', '008-last-day', '009-trunc-year-month', '019-cast-string-to-number',
  '020-cast-double-to-int', '022-division-semantics', '023-division-columns', '025-concat-null', '026-substr', '029-regexp-extract',
  '033-split', '036-if-nvl-coalesce', '038-greatest-least', '042-collect-set-size', '047-lag-lead', '049-order-by-nulls', '057-union-distinct-order', '065-like-escape',
  '502-lateral-view-posexplode', '503-lateral-view-outer', '505-grouping-sets-hive', '506-with-rollup', '507-cube', '509-left-anti-join',
  '510-null-safe-equals', '513-map-struct-array-values', '514-distribute-sort-by', '518-interval-arithmetic',
]);
const sparkResolver: TableResolver = (ref) =>
  (ref.database === undefined || ref.database === 'card_analytics') && columns.has(ref.name)
    ? { sql: `\`card_analytics\`.\`${ref.name}\``, columns: columns.get(ref.name) }
    : undefined;
const sparkTargetQueries = corpus
  .filter((q) => SPARK_TARGET.has(q.id))
  .map((q) => ({ ...q, id: `spark:${q.id}`, sql: translate({ sql: q.sql, from: q.from, to: 'spark', resolveTable: sparkResolver }).sql, original: q.id }));

/** Hive DDL types as Trino's hive connector declares them (`timestamp(6)`: the test server reads microseconds). */
const trinoType = (hive: string): string =>
  ({ STRING: 'varchar', INT: 'integer', BIGINT: 'bigint', DOUBLE: 'double', DATE: 'date', TIMESTAMP: 'timestamp(6)', BOOLEAN: 'boolean' })[hive] ?? hive.toLowerCase();
const PARTITION_KEYS: Partial<Record<string, string[]>> = { partitioned_transactions: ['txn_year', 'txn_month'] };

/** Registers the Parquet directories as external tables of Trino's `hive` catalog, schema card_analytics. */
async function createTrinoTables(endpoint: string, tables: Record<string, string>): Promise<void> {
  await runTrino(endpoint, 'CREATE SCHEMA IF NOT EXISTS hive.card_analytics');
  for (const [name, location] of Object.entries(tables)) {
    const cols = (columns.get(name) ?? []).map((c) => `"${c.name}" ${trinoType(c.type)}`).join(', ');
    const keys = PARTITION_KEYS[name];
    const partitioned = keys ? `, partitioned_by = ARRAY[${keys.map((k) => `'${k}'`).join(', ')}]` : '';
    await runTrino(endpoint, `CREATE TABLE hive.card_analytics."${name}" (${cols}) WITH (external_location = 'local://${location}', format = 'PARQUET'${partitioned})`);
    if (keys) await runTrino(endpoint, `CALL hive.system.sync_partition_metadata('card_analytics', '${name}', 'FULL')`);
  }
}

describe('Hive corpus: translated to DuckDB and Trino vs Spark SQL', () => {
  let dir = '';
  let spark = new Map<string, SparkResult>();
  let instance: DuckDBInstance | undefined;
  let con: DuckDBConnection | undefined;
  let tables: Record<string, string> = {};
  /** The Trino endpoint once its tables exist; started while Spark runs. */
  let trino: Promise<string> | undefined;
  /** Each translated corpus query's Trino result, all run (a few at a time) as soon as the tables exist. */
  const trinoResults = new Map<string, Promise<TrinoResult>>();

  const trinoResolver: TableResolver = (ref) => {
    if (ref.database !== undefined && ref.database !== 'card_analytics') return undefined;
    const cols = columns.get(ref.name);
    return cols && tables[ref.name] ? { sql: `"hive"."card_analytics"."${ref.name}"`, columns: cols } : undefined;
  };

  const resolveTable: TableResolver = (ref) => {
    if (ref.database !== undefined && ref.database !== 'card_analytics') return undefined;
    const cols = columns.get(ref.name);
    return cols && tables[ref.name] ? { sql: `"card_analytics"."${ref.name}"`, columns: cols } : undefined;
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'lakegate-parity-'));
    tables = await writeCardDataset(dir, generateTransactions(3000));
    trino = trinoEndpoint(inject('trinoState')).then(async (endpoint) => {
      await createTrinoTables(endpoint, tables);
      return endpoint;
    });
    trino.catch(() => undefined); // reported by the Trino tests
    // Queued queries cost only latency: running four at a time keeps Trino's two cores busy.
    const lanes: Array<Promise<unknown>> = [0, 1, 2, 3].map(() => Promise.resolve());
    for (const [i, q] of corpus.filter((c) => c.refused.trino === undefined).entries()) {
      const ready = Promise.all([trino, lanes[i % 4]]);
      const result = ready.then(([endpoint]) => runTrino(endpoint, translate({ sql: q.sql, from: q.from, to: 'trino', resolveTable: trinoResolver }).sql));
      lanes[i % 4] = result.catch(() => undefined); // a failure is reported by the query's test
      trinoResults.set(q.id, result);
    }
    const queries = [...corpus, ...sparkTargetQueries].map((q) => ({ id: q.id, sql: q.sql }));
    spark = await runSparkSql({ tables, queries }, { timeoutMs: 840_000 });
    await trino.catch(() => undefined); // started alongside Spark; its start-up is not a test's 60 s
    instance = await DuckDBInstance.create(':memory:');
    con = await instance.connect();
    await con.run(`SET TimeZone = 'UTC'`);
    await con.run('CREATE SCHEMA card_analytics');
    for (const [name, location] of Object.entries(tables)) {
      const source =
        name === 'partitioned_transactions'
          ? `read_parquet('${location}/**/*.parquet', hive_partitioning = true, hive_types = {'txn_year': INTEGER, 'txn_month': INTEGER})`
          : `read_parquet('${location}/*.parquet')`;
      await con.run(`CREATE VIEW card_analytics.${name} AS SELECT * FROM ${source}`);
    }
  }, 900_000);

  afterAll(async () => {
    con?.closeSync();
    instance?.closeSync();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('has at least 60 queries, covering every function family', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(60);
    const families = new Set(corpus.flatMap((q) => q.families));
    for (const f of ['date', 'cast', 'division', 'string', 'conditional', 'aggregate', 'window', 'quoting', 'limit']) {
      expect(families, f).toContain(f);
    }
    const text = corpus.map((q) => q.sql.toLowerCase()).join('\n');
    const functions = [
      'date_format', 'to_date', 'date_add', 'date_sub', 'datediff', 'add_months', 'last_day', 'trunc(', 'year(', 'quarter(',
      'month(', 'day(', 'hour(', 'dayofweek', 'weekofyear', 'unix_timestamp', 'from_unixtime', ' div ', 'concat(', 'concat_ws',
      'substr(', 'lpad', 'rpad', 'regexp_extract', 'rlike', 'split(', 'instr(', 'if(', 'nvl(', 'coalesce', 'nullif', 'case ',
      'greatest', 'least', 'percentile_approx', 'collect_list', 'collect_set', 'count(distinct', 'size(', 'sort_array', 'pmod',
      'limit', '`',
    ];
    for (const f of functions) expect(text, f).toContain(f);
  });

  it.each(corpus)('$id', async (q) => {
    const sparkResult = spark.get(q.id);
    if (!sparkResult) throw new Error(`Spark returned nothing for ${q.id}`);
    if ('error' in sparkResult) throw new Error(`Spark failed on ${q.id}: ${sparkResult.error}`);
    if (q.refused.duckdb !== undefined) {
      expectError(() => translate({ sql: q.sql, from: q.from, to: 'duckdb', resolveTable }), 'SQL_UNTRANSLATABLE', `${q.id} declares "refused: duckdb"`);
      return;
    }
    const translated = translate({ sql: q.sql, from: q.from, to: 'duckdb', resolveTable });
    if (!con) throw new Error('DuckDB is not open');
    const reader = await con.runAndReadAll(translated.sql);
    const types = reader.columnTypes().map(String);
    const duck = reader.getRowsJson().map((row) => row.map((v, i) => fromDuck(v, types[i] ?? '')));
    const expected = sparkResult.rows.map((row) => row.map(fromSpark));
    const ordered = validateSql(q.sql, q.from).query.orderBy.length > 0;
    const diff = compareRows(expected, duck, { ordered, relTol: q.tolerance });
    expect(diff, `${q.id}\n${translated.sql}`).toBeUndefined();
    expect(reader.columnCount).toBe(sparkResult.columns.length);
  });

  it.each(corpus)('$id on Trino', async (q) => {
    const refused = q.refused.trino;
    if (refused !== undefined) {
      expectError(() => translate({ sql: q.sql, from: q.from, to: 'trino', resolveTable: trinoResolver }), 'SQL_UNTRANSLATABLE', `${q.id} declares "refused: trino: ${refused}"`);
      return;
    }
    const sparkResult = spark.get(q.id);
    if (!sparkResult || 'error' in sparkResult) throw new Error(`Spark failed on ${q.id}`);
    const translated = translate({ sql: q.sql, from: q.from, to: 'trino', resolveTable: trinoResolver });
    const pending = trinoResults.get(q.id);
    if (!pending) throw new Error('Trino was not started');
    const result = await pending.catch((err: unknown) => {
      throw new Error(`${q.id}: Trino refused the translation: ${err instanceof Error ? err.message : String(err)}\n${translated.sql}`);
    });
    const rows = result.rows.map((row) => row.map((v, i) => fromTrino(v, result.columns[i]?.type ?? '')));
    const expected = sparkResult.rows.map((row) => row.map(fromSpark));
    const ordered = validateSql(q.sql, q.from).query.orderBy.length > 0;
    expect(compareRows(expected, rows, { ordered, relTol: q.tolerance }), `${q.id}\n${translated.sql}`).toBeUndefined();
    expect(result.columns.length).toBe(sparkResult.columns.length);
  });

  it('Hive DIV of non-integers and strings compared with dates, on Trino (Spark refuses DIV of a DOUBLE; the expected values are Hive\'s)', async () => {
    if (!trino) throw new Error('Trino was not started');
    const sql =
      "SELECT 7.9 DIV 2 AS a, -7.9 DIV 2 AS b, '123' DIV 7 AS c, 7 DIV 0.5 AS d, CAST(7.9 AS DECIMAL(3,1)) DIV 2 AS e, 'x' DIV 2 AS f, " +
      "CAST('2024-03-10' AS DATE) < '2024-02-30' AS g, CAST('2024-03-10' AS DATE) = '2024-03-10 23:59:59' AS h, CAST('2024-03-10 10:00:00' AS TIMESTAMP) > '2024-03-10' AS i";
    const translated = translate({ sql, from: 'hive', to: 'trino' }).sql;
    const result = await runTrino(await trino, translated);
    const row = (result.rows[0] ?? []).map((v, i) => fromTrino(v, result.columns[i]?.type ?? ''));
    const int = (n: number) => ({ num: n, int: BigInt(n) });
    expect(row, translated).toEqual([int(3), int(-3), int(17), null, int(3), null, null, true, true]);
  });

  it.each(sparkTargetQueries)('$id (translated to Spark SQL)', (q) => {
    const [original, translated] = [spark.get(q.original), spark.get(q.id)];
    if (!original || 'error' in original) throw new Error(`Spark failed on ${q.original}`);
    if (!translated || 'error' in translated) throw new Error(`Spark failed on the translation of ${q.original}: ${translated && 'error' in translated ? translated.error : ''}\n${q.sql}`);
    const rows = (r: typeof original) => r.rows.map((row) => row.map(fromSpark));
    const source = corpus.find((c) => c.id === q.original);
    const ordered = validateSql(source?.sql ?? '', source?.from ?? 'hive').query.orderBy.length > 0;
    expect(compareRows(rows(original), rows(translated), { ordered, relTol: q.tolerance }), q.sql).toBeUndefined();
  });
});
