import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCardCsv, sum } from '../support/card-csv.js';
import { cardCsv } from '../support/csv-fixtures.js';
import { removeDir, startGateway, waitForRun, type TestGateway } from '../support/gateway.js';
import { S3TablePublisher } from '../../src/pipeline/publication/s3-table-publisher.js';
import { queryParquet } from '../support/parquet.js';
import { usePrivateMoto } from '../support/private-moto.js';
import { readFileSync } from 'node:fs';
import { downloadToFile } from '../../src/storage/s3/s3-transfer.js';
import { generateCardCsv } from '../../src/generator/card-generator.js';

// engine local with an s3:// input and output, against a real moto server.
const moto = usePrivateMoto({ resetEachTest: false });
let gw: TestGateway;
let s3: S3Client;
let csv: string;

async function keys(prefix: string): Promise<string[]> {
  const out: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: 'lake', Prefix: prefix, ContinuationToken: token }));
    out.push(...(page.Contents ?? []).map((o) => o.Key!));
    token = page.NextContinuationToken;
  } while (token);
  return out;
}

async function run(): Promise<Record<string, any>> {
  const res = await gw.app.inject({ method: 'POST', url: '/pipelines/run', payload: { input: 's3a://raw/in/card.csv', output: 's3://lake/wh' } });
  expect(res.statusCode, res.body).toBe(202);
  return waitForRun(gw.app, res.json().runId);
}

beforeAll(async () => {
  const cfg = moto.config();
  s3 = new S3Client(cfg);
  await s3.send(new CreateBucketCommand({ Bucket: 'raw' }));
  await s3.send(new CreateBucketCommand({ Bucket: 'lake' }));
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lakegate-s3in-'));
  csv = await cardCsv(path.join(dir, 'card.csv'), 4_000, undefined, 31);
  await s3.send(new PutObjectCommand({ Bucket: 'raw', Key: 'in/card.csv', Body: readFileSync(csv) }));
  process.env.AWS_ACCESS_KEY_ID = 'testing';
  process.env.AWS_SECRET_ACCESS_KEY = 'testing';
  gw = await startGateway({ AWS_ENDPOINT_URL: cfg.endpoint, AWS_REGION: 'us-east-1', LAKEGATE_WAREHOUSE: 's3://lake/wh' });
});
afterAll(async () => {
  await gw?.close();
  if (gw) await removeDir(gw.home);
});

describe('engine local on S3', () => {
  it('streams the input from S3 and publishes every table under a version prefix with a manifest', async () => {
    const done = await run();
    expect(done.status, done.error).toBe('succeeded');
    const manifest = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: 'lake', Key: 'wh/partitioned_transactions/_lakegate_manifest.json' }))).Body!.transformToString());
    expect(manifest.location).toBe(`s3://lake/wh/.versions/partitioned_transactions/${done.runId}-a1`);
    const files = await keys(`wh/.versions/partitioned_transactions/${done.runId}-a1/`);
    const months = new Set(files.map((k) => /txn_year=2024\/txn_month=(\d+)\//.exec(k)?.[1]).filter(Boolean));
    expect(months.size).toBe(12);
    for (const t of ['quality_report', 'monthly_trend', 'quarterly_summary', 'benchmark_report']) {
      expect((await keys(`wh/${t}/_lakegate_manifest.json`)).length, t).toBe(1);
    }
    // Read one uploaded partition back and compare with the CSV.
    const march = files.find((k) => k.includes('txn_month=3/'))!;
    const local = path.join(gw.home, 'march.parquet');
    await writeFile(local, await (await s3.send(new GetObjectCommand({ Bucket: 'lake', Key: march }))).Body!.transformToByteArray());
    const [m] = await queryParquet(`SELECT count(*) n, sum(amount) s FROM read_parquet('${local}')`);
    const rows = readCardCsv(csv).filter((r) => r.month === 3);
    expect(m).toEqual({ n: rows.length, s: sum(rows.map((r) => r.amount)) });
  });

  it('registers the published version in the catalog and re-points partitions on the next run', async () => {
    const first = (await gw.app.inject({ method: 'GET', url: '/tables/partitioned_transactions' })).json();
    expect(first.location).toMatch(/^s3:\/\/lake\/wh\/\.versions\/partitioned_transactions\/run_/);
    expect(first.partitionCount).toBe(12);
    const second = await run();
    expect(second.status).toBe('succeeded');
    const t = (await gw.app.inject({ method: 'GET', url: '/tables/partitioned_transactions' })).json();
    expect(t.location).toBe(`s3://lake/wh/.versions/partitioned_transactions/${second.runId}-a1`);
    const parts = (await gw.app.inject({ method: 'GET', url: '/tables/partitioned_transactions/partitions?txn_year=2024' })).json().partitions;
    expect(parts).toHaveLength(12);
    expect(parts.every((p: any) => p.location.startsWith(t.location + '/'))).toBe(true);
  });

  it('keeps the live version and the one it replaced, and removes older ones once the catalog follows', async () => {
    const runs = (await gw.app.inject({ method: 'GET', url: '/pipelines/runs?limit=10' })).json().runs.filter((r: any) => r.output === 's3://lake/wh');
    const [second, first] = runs.map((r: any) => r.runId as string);
    expect(await keys(`wh/.versions/partitioned_transactions/${first}-a1/`)).not.toEqual([]);
    // Versions this run must leave alone: a later run's (still being written) and the operator CLI's.
    const others = ['run_zzzzzzzzz_later-a1', 'cli_manual-a1'];
    for (const v of others) await s3.send(new PutObjectCommand({ Bucket: 'lake', Key: `wh/.versions/partitioned_transactions/${v}/part-0.parquet`, Body: 'x' }));
    const third = await run();
    expect(third.status, third.error).toBe('succeeded');
    const versionsOf = async (table: string): Promise<string[]> =>
      [...new Set((await keys(`wh/.versions/${table}/`)).map((k) => k.split('/')[3]!))].sort();
    for (const table of ['partitioned_transactions', 'daily_category_summary', 'quarterly_summary', 'quality_report']) {
      const kept = [`${second}-a1`, `${third.runId}-a1`, ...(table === 'partitioned_transactions' ? others : [])];
      expect(await versionsOf(table), table).toEqual(kept.sort());
    }
    const t = (await gw.app.inject({ method: 'GET', url: '/tables/partitioned_transactions' })).json();
    expect(t.location).toBe(`s3://lake/wh/.versions/partitioned_transactions/${third.runId}-a1`);
    expect(t.partitionCount).toBe(12);
  });

  it('keeps the version the catalog names through runs that do not register (registerTables false)', async () => {
    const registered = (await gw.app.inject({ method: 'GET', url: '/tables/quality_report' })).json().location as string;
    for (let i = 0; i < 2; i++) {
      const res = await gw.app.inject({ method: 'POST', url: '/pipelines/run', payload: { input: 's3a://raw/in/card.csv', output: 's3://lake/wh', stages: ['quality'], registerTables: false } });
      expect(res.statusCode, res.body).toBe(202);
      const done = await waitForRun(gw.app, res.json().runId);
      expect(done).toMatchObject({ status: 'succeeded', registerTables: false, registeredTables: [] });
    }
    // The catalog still names the registered version, and its files are all there.
    expect((await gw.app.inject({ method: 'GET', url: '/tables/quality_report' })).json().location).toBe(registered);
    expect(await keys(`${registered.replace('s3://lake/', '')}/`)).not.toEqual([]);
  });

  it('discards a failed attempt\'s uploads but never the version a manifest names', async () => {
    const pub = new S3TablePublisher(s3, 's3://lake/disc');
    const put = (version: string) => s3.send(new PutObjectCommand({ Bucket: 'lake', Key: `disc/.versions/t/${version}/part-0.parquet`, Body: 'x' }));
    await put('v1');
    await pub.publish('t', 'v1');
    await put('v2');
    await pub.discard('t', 'v2');
    await pub.discard('t', 'v1');
    // Another publisher (a later process) cannot discard the live version either.
    await new S3TablePublisher(s3, 's3://lake/disc').discard('t', 'v1');
    expect(await keys('disc/.versions/t/')).toEqual(['disc/.versions/t/v1/part-0.parquet']);
  });

  it('answers a DuckDB query on an S3 table with a 4xx that names engine athena', async () => {
    const res = await gw.app.inject({ method: 'POST', url: '/query', payload: { sql: 'SELECT count(*) FROM monthly_trend' } });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'ENGINE_UNSUPPORTED_LOCATION', suggestedEngine: 'athena' });
  });

  it('refuses a missing S3 input at submit', async () => {
    const res = await gw.app.inject({ method: 'POST', url: '/pipelines/run', payload: { input: 's3://raw/nope.csv', output: 's3://lake/wh2' } });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('INPUT_NOT_FOUND');
  });

  it('records the input object\'s ETag at submit and refuses to read a replaced object (INPUT_CHANGED)', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'raw', Key: 'in/moving.csv', Body: readFileSync(csv) }));
    const res = await gw.app.inject({ method: 'POST', url: '/pipelines/run', payload: { input: 's3://raw/in/moving.csv', output: 's3://lake/moving', stages: ['quality'] } });
    const run = await waitForRun(gw.app, res.json().runId);
    const head = await s3.send(new GetObjectCommand({ Bucket: 'raw', Key: 'in/moving.csv' }));
    expect(run.inputs).toMatchObject({ count: 1, totalBytes: readFileSync(csv).length });
    expect(run.inputs.files[0]).toMatchObject({ path: 's3://raw/in/moving.csv', size: readFileSync(csv).length, etag: head.ETag });
    // The object is replaced: a read that insists on the recorded ETag is refused, not served the new bytes.
    await s3.send(new PutObjectCommand({ Bucket: 'raw', Key: 'in/moving.csv', Body: 'transaction_id\nSECRET\n' }));
    const err = await downloadToFile(s3, 's3://raw/in/moving.csv', path.join(gw.home, 'moving.csv'), undefined, head.ETag).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'INPUT_CHANGED' });
    expect((err as Error).message).not.toMatch(/SECRET/);
  });

  it('keeps the other years of a quarterly table on S3 (copied into the new version)', async () => {
    const y2023 = path.join(gw.home, 'card-2023.csv');
    await generateCardCsv({ records: 2_000, output: y2023, seed: 3, year: 2023, customers: 200 });
    await s3.send(new PutObjectCommand({ Bucket: 'raw', Key: 'in/card-2023.csv', Body: readFileSync(y2023) }));
    const res = await gw.app.inject({ method: 'POST', url: '/pipelines/run', payload: { input: 's3://raw/in/card-2023.csv', output: 's3://lake/wh', year: 2023, stages: ['quality', 'etl', 'quarterly'] } });
    const done = await waitForRun(gw.app, res.json().runId);
    expect(done.status, done.error).toBe('succeeded');
    const t = (await gw.app.inject({ method: 'GET', url: '/tables/quarterly_summary' })).json();
    expect(t.location).toBe(`s3://lake/wh/.versions/quarterly_summary/${done.runId}-a1`);
    const years = new Set((await keys(`wh/.versions/quarterly_summary/${done.runId}-a1/`)).map((k) => /txn_year=(\d+)\//.exec(k)?.[1]));
    expect([...years].sort()).toEqual(['2023', '2024']);
    const parts = (await gw.app.inject({ method: 'GET', url: '/tables/quarterly_summary/partitions' })).json().partitions;
    expect(parts.map((p: any) => p.values.txn_year)).toEqual(['2023', '2024']);
  });
});
