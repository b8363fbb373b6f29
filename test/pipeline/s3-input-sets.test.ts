import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardCsv } from '../support/csv-fixtures.js';
import { removeDir, startGateway, waitForRun, type TestGateway } from '../support/gateway.js';
import { queryParquet, tableGlob } from '../support/parquet.js';
import { usePrivateMoto } from '../support/private-moto.js';

// engine local reading s3:// prefixes and globs (plain and gzip objects) on a real moto server.
const moto = usePrivateMoto({ resetEachTest: false });
let gw: TestGateway;
let s3: S3Client;
let parts: string[];
let header: string;
let plainTotals: Record<string, unknown>[];

const put = (key: string, body: string | Uint8Array) => s3.send(new PutObjectCommand({ Bucket: 'raw', Key: key, Body: body }));
const post = (payload: Record<string, unknown>) => gw.app.inject({ method: 'POST', url: '/pipelines/run', payload });

async function run(input: unknown, output: string): Promise<Record<string, any>> {
  const res = await post({ input, output: path.join(gw.home, output), stages: ['quality', 'etl'] });
  expect(res.statusCode, res.body).toBe(202);
  return waitForRun(gw.app, res.json().runId);
}

/** Rows and sum of amount per month of partitioned_transactions, and the monthly trend. */
async function totals(output: string): Promise<Record<string, unknown>[]> {
  return queryParquet(`SELECT txn_month, count(*) AS n, sum(amount) AS s FROM ${tableGlob(path.join(gw.home, output), 'partitioned_transactions')} GROUP BY ALL ORDER BY txn_month`);
}

beforeAll(async () => {
  const cfg = moto.config();
  s3 = new S3Client(cfg);
  await s3.send(new CreateBucketCommand({ Bucket: 'raw' }));
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lakegate-s3sets-'));
  const plain = await cardCsv(path.join(dir, 'card.csv'), 3_000, undefined, 37);
  const [head, ...lines] = (await readFile(plain, 'utf8')).trimEnd().split('\n');
  header = head!;
  parts = [0, 1, 2].map((i) => `${header}\n${lines.slice(i * 1000, (i + 1) * 1000).join('\n')}\n`);
  await put('whole/card.csv', await readFile(plain));
  await put('drop/part-0.csv', parts[0]!);
  await put('drop/part-1.csv.gz', gzipSync(parts[1]!));
  await put('drop/part-2.csv.gz', gzipSync(parts[2]!));
  await put('drop/_SUCCESS', '');
  await put('drop/sub/ignored.csv', 'not,read\n');
  for (const [i, p] of parts.entries()) await put(`months/2024-0${i + 1}/cards.csv.gz`, gzipSync(p));
  await put('months/2023-12/cards.csv.gz', 'not gzip, not matched');
  process.env.AWS_ACCESS_KEY_ID = 'testing';
  process.env.AWS_SECRET_ACCESS_KEY = 'testing';
  gw = await startGateway({ AWS_ENDPOINT_URL: cfg.endpoint, AWS_REGION: 'us-east-1' });
  await removeDir(dir);
  const base = await run('s3://raw/whole/card.csv', 'plain');
  expect(base.status, base.error).toBe('succeeded');
  plainTotals = await totals('plain');
}, 120_000);
afterAll(async () => {
  await gw?.close();
  if (gw) await removeDir(gw.home);
});

describe('s3:// input sets', () => {
  it('reads a prefix: its direct .csv and .csv.gz objects, markers and sub-prefixes skipped', async () => {
    const done = await run('s3://raw/drop/', 'prefix');
    expect(done.status, done.error).toBe('succeeded');
    expect(done.inputs.files.map((f: any) => f.path)).toEqual(['s3://raw/drop/part-0.csv', 's3://raw/drop/part-1.csv.gz', 's3://raw/drop/part-2.csv.gz']);
    expect(done.inputs.files.every((f: any) => /^"[0-9a-f]{32}"$/.test(f.etag))).toBe(true);
    expect(done.inputs.totalBytes).toBe(done.inputs.files.reduce((n: number, f: any) => n + f.size, 0));
    expect(await totals('prefix')).toEqual(plainTotals);
  }, 120_000);

  it('reads a glob over keys', async () => {
    const done = await run('s3a://raw/months/2024-*/*.csv.gz', 'glob');
    expect(done.status, done.error).toBe('succeeded');
    expect(done.inputs.count).toBe(3);
    expect(await totals('glob')).toEqual(plainTotals);
  }, 120_000);

  it('refuses a prefix or glob naming no object, and a mixed header among many, naming the object', async () => {
    for (const input of ['s3://raw/nothing/', 's3://raw/months/1999-*/*.csv.gz']) {
      const res = await post({ input });
      expect(res.statusCode, input).toBe(422);
      expect(res.json().code).toBe('INPUT_NOT_FOUND');
    }
    const cols = header.split(',');
    await put('mixed/a.csv', parts[0]!);
    await put('mixed/b.csv.gz', gzipSync(`${[...cols.slice(1), cols[0]].join(',')}\n`));
    const res = await post({ input: 's3://raw/mixed' });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('INPUT_INVALID');
    expect(res.json().detail).toContain('s3://raw/mixed/b.csv.gz');
  });
});
