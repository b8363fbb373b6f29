/**
 * Spark vs embedded engine: the same N-row input (default 1,000,000) through the four-stage pipeline on
 * engine `local` (DuckDB in-process) and engine `spark` (one spark-submit per stage, local[2]), side by
 * side through the same PipelineService the API uses. Prints per-stage and total times and the ratios.
 *
 *   npx tsx bench/spark-vs-local-bench.ts [--records 1000000] [--java-options '<driver JVM options>']
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateCardCsv } from '../src/generator/card-generator.js';
import { LocalJobBackend } from '../src/jobs/local/local-job-backend.js';
import { findSparkSubmit } from '../src/jobs/spark/spark-install.js';
import { SparkJobBackend } from '../src/jobs/spark/spark-job-backend.js';
import { PipelineService } from '../src/pipeline/pipeline-service.js';
import type { PipelineEngine, Run } from '../src/pipeline/pipeline-types.js';
import { RunStore } from '../src/pipeline/run-store.js';
import { TableRegistry } from '../src/pipeline/table-registry.js';

const { values } = parseArgs({ options: { records: { type: 'string', default: '1000000' }, 'java-options': { type: 'string' } } });
const records = Number(values.records);
const root = path.resolve('.');
const out = path.resolve('bench/out');
const csv = path.join(out, `card_${records}.csv`);
await mkdir(out, { recursive: true });
if (!existsSync(csv)) await generateCardCsv({ records, output: csv, seed: 42 });

const home = path.join(out, 'spark-vs-local');
await rm(home, { recursive: true, force: true });
const warehouse = path.join(home, 'warehouse');
const tables = await TableRegistry.load(path.join(root, 'ddl'), { warehouse, database: 'card_analytics' });
const install = findSparkSubmit({ root });
if (!install) throw new Error('no spark-submit found: run scripts/setup-python.sh');
const service = new PipelineService({
  store: await RunStore.open(path.join(home, 'runs')),
  tables,
  backends: {
    local: new LocalJobBackend({ tables }),
    spark: new SparkJobBackend({ ...install, sparkDir: path.join(root, 'spark'), ddlDir: path.join(root, 'ddl'), javaOptions: values['java-options'] }),
  },
  warehouse,
  stageRetries: 0,
  retryDelayMs: 0,
  timeoutMs: 3_600_000,
  log: () => undefined,
});

const load = (): string => os.loadavg().map((x) => x.toFixed(1)).join(' ');
async function timed(engine: PipelineEngine): Promise<{ run: Run; wall: number }> {
  const t0 = performance.now();
  const { run } = await service.submit({ input: csv, output: `${engine}-out`, engine });
  const done = await service.waitFor(run.runId);
  if (done.status !== 'succeeded') throw new Error(`${engine} run ${done.status}: ${done.error}`);
  return { run: done, wall: (performance.now() - t0) / 1000 };
}

const loadBefore = load();
const local = await timed('local');
const spark = await timed('spark');
await service.close();

const secs = (r: Run, name: string): number => {
  const s = r.stages.find((x) => x.name === name)!;
  return (Date.parse(s.finishedAt!) - Date.parse(s.startedAt!)) / 1000;
};
const row = (label: string, a: number, b: number): string => `  ${label.padEnd(10)} ${a.toFixed(2).padStart(8)} s ${b.toFixed(2).padStart(8)} s ${(b / a).toFixed(1).padStart(7)}x`;
const cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/^processor/gm)?.length ?? 0;
console.log(`\n${records.toLocaleString('en')} rows (${csv}), ${cpu} cores, load average before ${loadBefore}, after ${load()}`);
console.log(`  ${'stage'.padEnd(10)} ${'local'.padStart(10)} ${'spark'.padStart(10)} ${'ratio'.padStart(8)}`);
for (const s of local.run.stages) console.log(row(s.name, secs(local.run, s.name), secs(spark.run, s.name)));
console.log(row('total', local.wall, spark.wall));
console.log(`  spark driver JVM options: ${values['java-options'] ?? '(default for local masters)'}`);
console.log(`\nreproduce: npx tsx bench/spark-vs-local-bench.ts --records ${records}`);
