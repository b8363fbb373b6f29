import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { BenchmarkResult } from '../../pipeline/pipeline-types.js';
import { CARD_DOMAIN } from '../../domain/card-domain.js';
import type { AbortableDuckDB } from './duckdb-runner.js';
import { literal } from './duckdb-sql.js';

interface Variant {
  variant: string;
  detail: string;
  /** Work that is not measured (writing a copy to query, warming a cache). */
  setup?: () => Promise<void>;
  measure: () => Promise<number>;
  files?: () => Promise<number>;
}

async function countFiles(dir: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile() && e.name.endsWith('.parquet')).length;
}

/** Times each variant once (after its setup) and reports savings against the first variant. */
async function compare(name: string, variants: Variant[], signal: AbortSignal): Promise<BenchmarkResult[]> {
  const results: BenchmarkResult[] = [];
  for (const v of variants) {
    if (signal.aborted) break;
    await v.setup?.();
    const t0 = performance.now();
    const rows = await v.measure();
    const elapsedMs = performance.now() - t0;
    const base = results[0]?.elapsedMs;
    results.push({
      benchmark: name,
      variant: v.variant,
      elapsedMs: Math.round(elapsedMs * 1000) / 1000,
      rowsRead: rows,
      outputFiles: v.files ? await v.files() : null,
      improvementPct: base === undefined || base === 0 ? null : Math.round(((base - elapsedMs) / base) * 1000) / 10,
      detail: v.detail,
    });
  }
  return results;
}

/** Comparisons that write copies use at most this many rows, so the stage stays a few seconds long. */
export const WRITE_SAMPLE_ROWS = 250_000;

export interface BenchmarkInputs {
  db: AbortableDuckDB;
  /** Typed transactions relation (all rows). */
  txn: string;
  /** The input's CSV files (plain or .gz). */
  csvPaths: string[];
  parquetDir: string;
  scratch: string;
  year: number;
  /** Rows each read comparison scans at most: on a large input the stage stays short (LAKEGATE_BENCHMARK_SAMPLE_ROWS). */
  sampleRows: number;
  signal: AbortSignal;
}

/**
 * The comparisons of the domain facts, measured for real on this run's data with DuckDB:
 * CSV vs Parquet scans, partition layouts, caching, a dimension join, and output file counts.
 */
export async function runBenchmarks(b: BenchmarkInputs): Promise<BenchmarkResult[]> {
  const { db, signal } = b;
  const n = async (sql: string): Promise<number> => Number(Object.values(await db.one(sql, signal))[0] ?? 0);
  const copy = (select: string, dir: string, opts: string): Promise<void> =>
    db.run(`COPY (${select}) TO ${literal(dir)} (FORMAT parquet, COMPRESSION snappy${opts})`, signal);
  const dir = (name: string): string => path.join(b.scratch, name);
  const parquetGlob = literal(`${b.parquetDir}/**/*.parquet`);
  // Every read comparison scans the first sampleRows rows of its source at most.
  const limit = `LIMIT ${b.sampleRows}`;
  const parquet = `(SELECT * FROM read_parquet(${parquetGlob}) ${limit})`;
  const scanned = `(at most ${b.sampleRows.toLocaleString('en')} rows)`;
  const monthQuery = (from: string): string =>
    `SELECT count(*) FROM (SELECT category, sum(amount) FROM ${from} WHERE txn_year = ${b.year} AND txn_month = 6 GROUP BY category)`;
  const aggregate = (from: string): string => `SELECT count(*) FROM (SELECT region, category, sum(amount), avg(amount) FROM ${from} GROUP BY ALL)`;
  const dim = `(SELECT * FROM (VALUES ${CARD_DOMAIN.categories.map((c, i) => `(${literal(c.name)}, ${i + 1})`).join(', ')}) AS d(category, category_id))`;

  const writeRows = Math.min(WRITE_SAMPLE_ROWS, b.sampleRows);
  const sample = `(SELECT * FROM ${b.txn} LIMIT ${writeRows})`;
  const sampled = `(up to ${writeRows.toLocaleString('en')} rows)`;
  const results: BenchmarkResult[] = [];
  results.push(
    ...(await compare('csv_vs_parquet', [
      { variant: 'csv', detail: `count and sum(amount) scanning the input CSV ${scanned}`, measure: () => n(`SELECT count(*) FROM (SELECT count(*), sum(TRY_CAST(amount AS BIGINT)) FROM (SELECT amount FROM read_csv([${b.csvPaths.map(literal).join(', ')}], header = true, all_varchar = true) ${limit}))`) },
      { variant: 'parquet', detail: `the same over partitioned_transactions Parquet ${scanned}`, measure: () => n(`SELECT count(*) FROM (SELECT count(*), sum(amount) FROM (SELECT amount FROM read_parquet(${parquetGlob}) ${limit}))`) },
    ], signal)),
  );
  results.push(
    ...(await compare('partitioning', [
      {
        variant: 'unpartitioned', detail: `one month filtered from a single unpartitioned file ${sampled}`,
        setup: () => copy(`SELECT * FROM ${sample}`, dir('flat.parquet'), ''),
        measure: () => n(monthQuery(`read_parquet(${literal(dir('flat.parquet'))})`)), files: async () => 1,
      },
      {
        variant: 'by_date', detail: `the same month from a copy partitioned by txn_date ${sampled}`,
        setup: () => copy(`SELECT *, CAST(txn_date AS VARCHAR) AS d FROM ${sample}`, dir('by_date'), ', PARTITION_BY (d)'),
        measure: () => n(monthQuery(`read_parquet(${literal(dir('by_date') + '/**/*.parquet')}, hive_partitioning = true)`)),
        files: () => countFiles(dir('by_date')),
      },
      {
        variant: 'by_year_month', detail: `the same month from a txn_year/txn_month copy, pruning partitions ${sampled}`,
        setup: () => copy(`SELECT * FROM ${sample}`, dir('by_year_month'), ', PARTITION_BY (txn_year, txn_month)'),
        measure: () => n(monthQuery(`read_parquet(${literal(dir('by_year_month') + '/**/*.parquet')}, hive_partitioning = true)`)),
        files: () => countFiles(dir('by_year_month')),
      },
    ], signal)),
  );
  results.push(
    ...(await compare('caching', [
      { variant: 'uncached', detail: `region x category aggregate re-reading Parquet ${scanned}`, setup: async () => void (await n(aggregate(parquet))), measure: () => n(aggregate(parquet)) },
      {
        variant: 'cached', detail: `the same aggregate on an in-memory copy (second run) ${scanned}`,
        setup: async () => {
          await db.run(`CREATE OR REPLACE TEMP TABLE bench_cached AS SELECT region, category, amount FROM ${parquet}`, signal);
          await n(aggregate('bench_cached'));
        },
        measure: () => n(aggregate('bench_cached')),
      },
    ], signal)),
  );
  const txnSample = `(SELECT category, amount FROM ${b.txn} ${limit})`;
  const mapLookup = `map_from_entries([${CARD_DOMAIN.categories.map((c, i) => `(${literal(c.name)}, ${i + 1})`).join(', ')}])`;
  results.push(
    ...(await compare('dimension_join', [
      { variant: 'hash_join', detail: `join with an 8-row category dimension ${scanned}`, measure: () => n(`SELECT count(*) FROM (SELECT d.category_id, sum(t.amount) FROM ${txnSample} t JOIN ${dim} d ON t.category = d.category GROUP BY 1)`) },
      { variant: 'broadcast', detail: `the dimension shipped as a constant map to every worker (broadcast analogue) ${scanned}`, measure: () => n(`SELECT count(*) FROM (SELECT ${mapLookup}[t.category], sum(t.amount) FROM ${txnSample} t GROUP BY 1)`) },
    ], signal)),
  );
  const repartition = (k: number): Variant => ({
    variant: `files_${k}`, detail: `transactions rewritten as ${k} hash buckets ${sampled}`,
    measure: async () => {
      await copy(`SELECT *, hash(transaction_id) % ${k} AS bucket FROM ${sample}`, dir(`bucket_${k}`), ', PARTITION_BY (bucket)');
      return n(`SELECT count(*) FROM ${sample}`);
    },
    files: () => countFiles(dir(`bucket_${k}`)),
  });
  results.push(...(await compare('repartition', [1, 4, 16].map(repartition), signal)));
  await rm(b.scratch, { recursive: true, force: true });
  return results;
}
