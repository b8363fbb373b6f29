/**
 * Partition repair timings: 10,000 local partitions into the local (DuckDB) catalog, and 2,000 S3
 * partitions into Glue, both against real peers (the filesystem; a moto server started here).
 * Run: npx tsx bench/repair-bench.ts [--local N] [--s3 N] [--runs R]
 */
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GlueClient } from '@aws-sdk/client-glue';
import { DefaultCatalogService } from '../src/catalog/default-catalog-service.js';
import { GlueCatalogStore } from '../src/catalog/glue/glue-catalog-store.js';
import { LocalCatalogStore } from '../src/catalog/local/local-catalog-store.js';
import { mapLimit } from '../src/storage/concurrency.js';
import { LocalStorage } from '../src/storage/local/local-storage.js';
import { S3Storage } from '../src/storage/s3/s3-storage.js';
import { ddlTable, layOutPartitions, tempDir, transactionsSelect, writeParquet } from '../test/catalog/support/lake.js';
import { startMotoServer } from '../test/support/moto-server.js';

// The SDK's notice about Node 22 is noise in benchmark output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
}
const LOCAL = arg('local', 10_000);
const S3N = arg('s3', 2_000);
const RUNS = arg('runs', 3);

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number): string => `${x.toFixed(0)} ms`;

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const out = await fn();
  return [performance.now() - t0, out];
}

async function template(dir: string): Promise<Uint8Array> {
  const file = path.join(dir, 'template.parquet');
  await writeParquet(file, transactionsSelect(100));
  return new Uint8Array(await readFile(file));
}

async function localBench(): Promise<void> {
  const { dir, cleanup } = await tempDir('lakegate-bench-');
  try {
    const data = await template(dir);
    const warehouse = path.join(dir, 'warehouse');
    const def = await ddlTable('partitioned_transactions', warehouse);
    await layOutPartitions(def.location, LOCAL, data);
    const adds: number[] = [];
    const noops: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const store = await LocalCatalogStore.open({ dir: path.join(dir, `catalog-${run}`), database: 'card_analytics' });
      const catalog = new DefaultCatalogService({ store, storage: { local: new LocalStorage() }, warehouse, database: 'card_analytics' });
      await store.createTable(def);
      const [addMs, added] = await timed(() => catalog.repair(def.name));
      if (added.added.length !== LOCAL) throw new Error(`expected ${LOCAL} partitions, got ${added.added.length}`);
      const [noopMs, noop] = await timed(() => catalog.repair(def.name, { dropMissing: true }));
      if (noop.unchanged !== LOCAL) throw new Error('second repair was not a no-op');
      adds.push(addMs);
      noops.push(noopMs);
      await store.close();
    }
    console.log(`local: ${LOCAL} partitions (DuckDB catalog, local filesystem), median of ${RUNS}`);
    console.log(`  first repair (adds all):       ${ms(median(adds))}   runs: ${adds.map(ms).join(', ')}`);
    console.log(`  second repair (no change):     ${ms(median(noops))}   runs: ${noops.map(ms).join(', ')}`);
  } finally {
    await cleanup();
  }
}

async function s3Bench(): Promise<void> {
  const moto = await startMotoServer();
  const config = { endpoint: moto.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } };
  const s3 = new S3Client(config);
  const glue = new GlueClient(config);
  const { dir, cleanup } = await tempDir('lakegate-bench-');
  try {
    const data = await template(dir);
    await s3.send(new CreateBucketCommand({ Bucket: 'lake' }));
    const keys = Array.from({ length: S3N }, (_, i) => `warehouse/partitioned_transactions/txn_year=${2000 + Math.floor(i / 12)}/txn_month=${(i % 12) + 1}/part-0.parquet`);
    const [uploadMs] = await timed(() => mapLimit(keys, 32, (Key) => s3.send(new PutObjectCommand({ Bucket: 'lake', Key, Body: data }))));
    const def = await ddlTable('partitioned_transactions', 's3://lake/warehouse');
    const adds: number[] = [];
    const noops: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const store = new GlueCatalogStore({ client: glue, database: `bench_${run}` });
      const catalog = new DefaultCatalogService({ store, storage: { local: new LocalStorage(), s3: new S3Storage({ client: s3 }) }, warehouse: 's3://lake/warehouse', database: `bench_${run}` });
      await store.createTable({ ...def, database: `bench_${run}` });
      const [addMs, added] = await timed(() => catalog.repair(def.name));
      if (added.added.length !== S3N || added.failed) throw new Error(`expected ${S3N} partitions, got ${added.added.length}`);
      const [noopMs, noop] = await timed(() => catalog.repair(def.name, { dropMissing: true }));
      if (noop.unchanged !== S3N) throw new Error('second repair was not a no-op');
      adds.push(addMs);
      noops.push(noopMs);
    }
    console.log(`s3 -> glue: ${S3N} partitions (moto server on loopback; ${S3N} objects uploaded in ${ms(uploadMs)}), median of ${RUNS}`);
    console.log(`  first repair (list + ${Math.ceil(S3N / 100)} BatchCreatePartition): ${ms(median(adds))}   runs: ${adds.map(ms).join(', ')}`);
    console.log(`  second repair (no change):     ${ms(median(noops))}   runs: ${noops.map(ms).join(', ')}`);
  } finally {
    s3.destroy();
    glue.destroy();
    await moto.stop();
    await cleanup();
  }
}

console.log(`repair bench on ${os.cpus().length} cores, node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
console.log(`command: npx tsx bench/repair-bench.ts --local ${LOCAL} --s3 ${S3N} --runs ${RUNS}`);
await localBench();
await s3Bench();
