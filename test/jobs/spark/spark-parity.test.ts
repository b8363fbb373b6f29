import { lstat, mkdtemp, readdir, readlink, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCardCsv } from '../../../src/generator/card-generator.js';
import { STAGE_TABLES, type Run } from '../../../src/pipeline/pipeline-types.js';
import { readCardCsv, sum, type CsvRow } from '../../support/card-csv.js';
import { queryParquet } from '../../support/parquet.js';
import { sparkPipelines, type SparkPipelines } from './spark-support.js';

// The same 20,000 rows through the embedded engine (one CSV) and the Spark engine (local[2], the same
// rows as three gzip parts in a folder: several --input files and Hadoop's gzip codec), every table compared.
const ALL_TABLES = Object.values(STAGE_TABLES).flat();
/** Columns that legitimately differ between two runs: ids, clocks, timings, engine-specific wording. */
const VOLATILE: Record<string, string[]> = {
  quality_report: ['run_id', 'checked_at'],
  benchmark_report: ['run_id', 'elapsed_ms', 'improvement_pct', 'detail'],
};

let home: string;
let pipes: SparkPipelines;
let rows: CsvRow[];
let local: Run;
let spark: Run;
const out = (engine: string, table: string): string => path.join(home, `${engine}-out`, table);
const rel = (engine: string, table: string): string =>
  `read_parquet('${out(engine, table)}/**/*.parquet', hive_partitioning = ${table === 'partitioned_transactions'})`;

async function parquetFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name)).sort();
}

/** Physical type, converted type (INT32/INT64 without annotation mean INT_32/INT_64) and timestamp semantics. */
async function fileSchema(file: string): Promise<string[]> {
  const cols = await queryParquet(`SELECT name, type, converted_type, logical_type, repetition_type FROM parquet_schema('${file}') WHERE type IS NOT NULL`);
  return cols.map((c) => {
    const converted = c.converted_type ?? ({ INT32: 'INT_32', INT64: 'INT_64' } as Record<string, string>)[c.type] ?? '';
    const ts = String(c.logical_type ?? '').startsWith('TimestampType') ? c.logical_type : '';
    return [c.name, c.type, converted, ts, c.repetition_type].join(' ');
  });
}

async function columnTypes(engine: string, table: string): Promise<{ name: string; type: string }[]> {
  const d = await queryParquet(`DESCRIBE SELECT * FROM ${rel(engine, table)}`);
  return d.map((c) => ({ name: c.column_name, type: c.column_type }));
}

const closeTo = (a: number, b: number): boolean => a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'lakegate-spark-parity-'));
  const input = path.join(home, 'card.csv');
  await generateCardCsv({ records: 20_000, output: input, seed: 2024, customers: 2_000 });
  const parts = path.join(home, 'drop');
  await generateCardCsv({ records: 20_000, output: parts, seed: 2024, customers: 2_000, files: 3, gzip: true });
  expect((await readdir(parts)).sort()).toEqual(['part-00000-of-00003.csv.gz', 'part-00001-of-00003.csv.gz', 'part-00002-of-00003.csv.gz']);
  rows = readCardCsv(input);
  pipes = await sparkPipelines(home);
  local = await pipes.run({ input, output: 'local-out', engine: 'local', year: 2024 });
  spark = await pipes.run({ input: parts, output: 'spark-out', engine: 'spark', year: 2024 });
}, 1_200_000);
afterAll(async () => {
  await pipes?.service.close();
  if (home) await rm(home, { recursive: true, force: true });
});

describe('spark engine parity with the embedded engine', () => {
  it('runs the four stages as four spark-submits and reports like the embedded engine', () => {
    const log = pipes.logs.get(spark.runId) ?? [];
    expect(spark.status, spark.error ?? log.slice(-30).join('\n')).toBe('succeeded');
    expect(local.status).toBe('succeeded');
    expect(log.filter((l) => /spark job \w+\.py exited with 0/.test(l))).toHaveLength(4);
    expect(spark.stages.map((s) => [s.name, s.status, s.rows, s.tables])).toEqual(local.stages.map((s) => [s.name, s.status, s.rows, s.tables]));
    expect(spark.stages[1]!.rows).toBe(rows.length);
    expect(spark.quality).toEqual(local.quality);
    expect(spark.benchmark!.map((b) => [b.benchmark, b.variant, b.rowsRead, b.outputFiles])).toEqual(
      local.benchmark!.map((b) => [b.benchmark, b.variant, b.rowsRead, b.outputFiles]),
    );
  });

  it('publishes every table as a link to this run\'s version, with nothing but Parquet files in it', async () => {
    for (const table of ALL_TABLES) {
      expect((await lstat(out('spark', table))).isSymbolicLink()).toBe(true);
      expect(await readlink(out('spark', table))).toBe(path.join('.versions', table, `${spark.runId}-a1`));
      const files = await parquetFiles(out('spark', table));
      expect(files.length, table).toBeGreaterThan(0);
      expect(files.filter((f) => !f.endsWith('.parquet')), table).toEqual([]);
    }
  });

  it('writes the same Hive-style partitions, one file each', async () => {
    const layout = async (engine: string): Promise<string[]> =>
      (await parquetFiles(out(engine, 'partitioned_transactions'))).map((f) => path.dirname(path.relative(out(engine, 'partitioned_transactions'), f)));
    const months = [...new Set(rows.map((r) => `txn_year=${r.year}/txn_month=${r.month}`))].sort();
    expect(await layout('spark')).toEqual(months);
    expect(await layout('local')).toEqual(months);
  });

  it.each(ALL_TABLES)('%s: identical Parquet schema, as declared in ddl/', async (table) => {
    const declared = pipes.tables.table(table);
    const [sparkFiles, localFiles] = [await parquetFiles(out('spark', table)), await parquetFiles(out('local', table))];
    const reference = await fileSchema(localFiles[0]!);
    expect(reference.map((c) => c.split(' ')[0])).toEqual(declared.columns.map((c) => c.name));
    for (const f of [...sparkFiles, ...localFiles]) expect(await fileSchema(f), f).toEqual(reference);
    expect(await columnTypes('spark', table)).toEqual(await columnTypes('local', table));
  });

  it.each(ALL_TABLES)('%s: same rows, counts and sums of every numeric column', async (table) => {
    const types = await columnTypes('local', table);
    const volatile = VOLATILE[table] ?? [];
    const numeric = types.filter((c) => /^(TINYINT|SMALLINT|INTEGER|BIGINT|DOUBLE|FLOAT)$/.test(c.type) && !volatile.includes(c.name));
    const aggs = ['count(*) AS n', ...types.map((c, i) => `count("${c.name}") AS c${i}`), ...numeric.map((c, i) => `sum("${c.name}") AS s${i}`)].join(', ');
    const [a] = await queryParquet(`SELECT ${aggs} FROM ${rel('spark', table)}`);
    const [b] = await queryParquet(`SELECT ${aggs} FROM ${rel('local', table)}`);
    expect(a!.n).toBeGreaterThan(0);
    for (const [k, v] of Object.entries(b!)) {
      const isDouble = k.startsWith('s') && numeric[Number(k.slice(1))]!.type === 'DOUBLE';
      if (isDouble) expect(closeTo(a![k], v), `${table}.${k}: ${a![k]} vs ${v}`).toBe(true);
      else expect(a![k], `${table}.${k}`).toBe(v);
    }
    // Every non-floating column, row by row (multiset difference both ways is empty).
    const exact = types.filter((c) => !/^(DOUBLE|FLOAT)$/.test(c.type) && !volatile.includes(c.name)).map((c) => `"${c.name}"`).join(', ');
    const [diff] = await queryParquet(
      `SELECT (SELECT count(*) FROM (SELECT ${exact} FROM ${rel('spark', table)} EXCEPT ALL SELECT ${exact} FROM ${rel('local', table)})) AS only_spark,
              (SELECT count(*) FROM (SELECT ${exact} FROM ${rel('local', table)} EXCEPT ALL SELECT ${exact} FROM ${rel('spark', table)})) AS only_local`,
    );
    expect(diff).toEqual({ only_spark: 0, only_local: 0 });
  });

  it('keeps local wall-clock times and amounts exactly as the CSV wrote them', async () => {
    const sample = [rows[0]!, rows[4321]!, rows.at(-1)!];
    const got = await queryParquet(
      `SELECT transaction_id, strftime(transaction_ts, '%Y-%m-%d %H:%M:%S') AS ts, CAST(txn_date AS VARCHAR) AS d, txn_hour, amount
       FROM ${rel('spark', 'partitioned_transactions')} WHERE transaction_id IN (${sample.map((r) => `'${r.transaction_id}'`).join(', ')}) ORDER BY 1`,
    );
    expect(got).toEqual(
      sample
        .map((r) => ({ transaction_id: r.transaction_id, ts: r.transaction_date, d: r.day, txn_hour: r.hour, amount: r.amount }))
        .sort((x, y) => x.transaction_id.localeCompare(y.transaction_id)),
    );
    const [t] = await queryParquet(`SELECT count(*) AS n, sum(amount) AS s FROM ${rel('spark', 'partitioned_transactions')}`);
    expect(t).toEqual({ n: rows.length, s: sum(rows.map((r) => r.amount)) });
  });
});
