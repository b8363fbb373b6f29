/**
 * Pipeline benchmark: the four-stage embedded run on N rows (default 1,000,000), each stage's time
 * and the process's peak RSS, against a plain DuckDB script doing the same reads and writes
 * (quality+etl+quarterly vs script), measured in the same process run.
 *
 *   npx tsx bench/pipeline-bench.ts [--records 1000000] [--files N --gzip] [--memory-limit 1GB] [--progress-interval-ms 500]
 *
 * --files/--gzip generate the input as N (gzip) files in one folder, which the run takes as its input
 * (a directory) and the plain script reads as a glob.
 *
 * --progress-interval-ms 0 runs without the engine's progress (no polling, DuckDB's progress off),
 * to compare.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { generateCardCsv } from '../src/generator/card-generator.js';
import { STAGE_TABLES } from '../src/pipeline/pipeline-types.js';
import { createServices } from '../src/services.js';
import { watchPeakBytes } from '../test/support/disk-usage.js';

const { values } = parseArgs({
  options: { records: { type: 'string', default: '1000000' }, 'memory-limit': { type: 'string', default: '1GB' }, files: { type: 'string', default: '1' }, gzip: { type: 'boolean', default: false }, 'progress-interval-ms': { type: 'string', default: '500' } },
});
const progressMs = values['progress-interval-ms'];
const records = Number(values.records);
const files = Number(values.files);
const out = path.resolve('bench/out');
// One CSV file, or a folder of N parts (the run's input is then the folder; the plain script reads a glob).
const split = files > 1 || values.gzip;
const csv = split ? path.join(out, `card_${records}_${files}${values.gzip ? '_gz' : ''}`) : path.join(out, `card_${records}.csv`);
const csvGlob = split ? path.join(csv, values.gzip ? '*.csv.gz' : '*.csv') : csv;
await mkdir(out, { recursive: true });
if (!existsSync(csv)) {
  const t0 = performance.now();
  await generateCardCsv({ records, output: csv, seed: 42, files: split ? Math.max(2, files) : 1, gzip: values.gzip });
  console.log(`generated ${records.toLocaleString('en')} rows in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
}

const peakRssMb = (): number => Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024;

/** The same reads and writes with no checks, casts or publication protocol. */
async function plainScript(dir: string): Promise<number> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const t0 = performance.now();
  const db = await DuckDBInstance.create(':memory:', { preserve_insertion_order: 'false', temp_directory: path.join(out, 'plain-tmp') });
  const c = await db.connect();
  await c.run(`CREATE TABLE raw AS SELECT * FROM read_csv('${csvGlob}', header = true, all_varchar = true)`);
  await c.run(`SELECT count(*), count(DISTINCT transaction_id), sum(TRY_CAST(amount AS BIGINT)) FROM raw`);
  await c.run(`CREATE TABLE txn AS SELECT transaction_id, strptime(transaction_date, '%Y-%m-%d %H:%M:%S') AS transaction_ts, card_no, card_type, merchant, sub_category, category,
    CAST(amount AS BIGINT) AS amount, CAST(installment_months AS INTEGER) AS installment_months, approval_status, region,
    CAST(transaction_ts AS DATE) AS txn_date, hour(transaction_ts) AS txn_hour, year(transaction_ts) AS txn_year, month(transaction_ts) AS txn_month FROM raw`);
  await c.run(`COPY txn TO '${dir}/partitioned_transactions' (FORMAT parquet, COMPRESSION snappy, PARTITION_BY (txn_year, txn_month))`);
  for (const t of [...STAGE_TABLES.etl.slice(1), ...STAGE_TABLES.quarterly]) {
    const sql = readFileSync(path.resolve('ddl/transforms', `${t}.sql`), 'utf8').replace(/:year\b/g, '2024');
    await c.run(`COPY (${sql}) TO '${dir}/${t}.parquet' (FORMAT parquet, COMPRESSION snappy)`);
  }
  c.closeSync();
  db.closeSync();
  return (performance.now() - t0) / 1000;
}

const home = path.join(out, 'home');
await rm(home, { recursive: true, force: true });
const services = await createServices(loadConfig({ LAKEGATE_HOME: home, LAKEGATE_SAMPLE: 'off', LAKEGATE_PROGRESS_INTERVAL_MS: progressMs, LAKEGATE_PIPELINE_MEMORY_LIMIT: values['memory-limit'], LAKEGATE_STAGE_RETRIES: '0' }), pino({ level: 'silent' }));
// Temporary disk of the run: DuckDB's spill files (tmp/) and the run's scratch (the input's Parquet copy).
const tempDisk = watchPeakBytes([path.join(home, 'tmp'), path.join(home, 'scratch')], 250);
const t0 = performance.now();
const { run } = await services.pipelines.submit({ input: csv });
const done = await services.pipelines.waitFor(run.runId);
const wall = (performance.now() - t0) / 1000;
const peakTempBytes = await tempDisk.stop();
// Read before the plain script runs in this process (it holds its tables in memory).
const gatewayPeakRssMb = peakRssMb();
await services.close();
if (done.status !== 'succeeded') throw new Error(`run ${done.status}: ${done.error}`);
const secs = (s: (typeof done.stages)[number]): number => (Date.parse(s.finishedAt!) - Date.parse(s.startedAt!)) / 1000;
const stage = Object.fromEntries(done.stages.map((s) => [s.name, secs(s)]));
const core = stage.quality! + stage.etl! + stage.quarterly!;

// The gateway's figures first: the plain script may take long on a large input.
console.log(`\npipeline on ${records.toLocaleString('en')} rows (engine local, ${done.stages[0]!.rows} rows read, progress interval ${progressMs} ms)`);
for (const s of done.stages) console.log(`  ${s.name.padEnd(10)} ${secs(s).toFixed(2)} s`);
console.log(`  whole run  ${wall.toFixed(2)} s (submit to finish)`);
console.log(`  peak RSS of the gateway process during the run ${gatewayPeakRssMb.toFixed(0)} MB (LAKEGATE_PIPELINE_MEMORY_LIMIT ${services.config.pipeline.memoryLimit})`);
console.log(`  peak temporary disk ${(peakTempBytes / 1e6).toFixed(0)} MB (spill and the input's Parquet copy)`);
const plain = await plainScript(path.join(out, 'plain'));
console.log(`  quality+etl+quarterly ${core.toFixed(2)} s vs plain DuckDB script ${plain.toFixed(2)} s: ratio ${(core / plain).toFixed(2)}x`);
console.log(`\nreproduce: npx tsx bench/pipeline-bench.ts --records ${records}${split ? ` --files ${files}${values.gzip ? ' --gzip' : ''}` : ''} --memory-limit ${values['memory-limit']} --progress-interval-ms ${progressMs}`);
