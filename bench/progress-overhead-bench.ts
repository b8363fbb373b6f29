/**
 * What reading DuckDB's progress costs the embedded pipeline: its heaviest statements (the input CSV
 * read into a table, then that table written as Parquet) run alternately with progress off and with
 * it on (enable_progress_bar, polled every 500 ms as a stage does), wall and CPU time of each.
 *
 *   npx tsx bench/progress-overhead-bench.ts [--records 1000000] [--reps 4]
 */
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { generateCardCsv } from '../src/generator/card-generator.js';
import { DuckDBStageProgress } from '../src/jobs/local/duckdb-progress.js';
import { AbortableDuckDB } from '../src/jobs/local/duckdb-runner.js';

const { values } = parseArgs({ options: { records: { type: 'string', default: '1000000' }, reps: { type: 'string', default: '4' } } });
const records = Number(values.records);
const out = path.resolve('bench/out');
const csv = path.join(out, `card_${records}.csv`);
const parquet = path.join(out, 'progress-overhead');
await mkdir(out, { recursive: true });
if (!existsSync(csv)) await generateCardCsv({ records, output: csv, seed: 42 });

const instance = await DuckDBInstance.create(':memory:', { preserve_insertion_order: 'false' });
const conn = await instance.connect();
const db = new AbortableDuckDB(conn);
const times = { off: { wall: [] as number[], cpu: [] as number[] }, on: { wall: [] as number[], cpu: [] as number[] } };
for (let i = 0; i < Number(values.reps); i++) {
  // Alternating which goes first, so that a drift in the machine's load falls on both.
  for (const mode of i % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const)) {
    await conn.run(`SET enable_progress_bar = ${mode === 'on'}`);
    await conn.run('SET enable_progress_bar_print = false');
    db.progress = mode === 'on' ? new DuckDBStageProgress(conn, () => undefined, [1, 1], 500) : undefined;
    await rm(parquet, { recursive: true, force: true });
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await db.run(`CREATE OR REPLACE TABLE raw AS SELECT * FROM read_csv('${csv}', header = true, all_varchar = true)`);
    await db.run(`COPY raw TO '${parquet}' (FORMAT parquet, COMPRESSION snappy, PER_THREAD_OUTPUT)`);
    const cpu = process.cpuUsage(cpu0);
    times[mode].wall.push((performance.now() - t0) / 1000);
    times[mode].cpu.push((cpu.user + cpu.system) / 1e6);
  }
}
conn.closeSync();
instance.closeSync();
await rm(parquet, { recursive: true, force: true });

const mean = (xs: number[]): string => (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(2);
console.log(`CSV read + Parquet write of ${records.toLocaleString('en')} rows, ${values.reps} runs each`);
for (const mode of ['off', 'on'] as const) {
  console.log(`  progress ${mode.padEnd(3)}  wall ${mean(times[mode].wall)} s  cpu ${mean(times[mode].cpu)} s  (wall ${times[mode].wall.map((t) => t.toFixed(2)).join(', ')})`);
}
console.log(`\nreproduce: npx tsx bench/progress-overhead-bench.ts --records ${records} --reps ${values.reps}`);
