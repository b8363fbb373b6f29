import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parquetColumns } from '../../src/catalog/schema/parquet-hive-type.js';
import { readParquetFooter } from '../../src/storage/parquet/parquet-footer.js';
import { S3Storage } from '../../src/storage/s3/s3-storage.js';
import { tempDir, transactionsSelect, writeParquet } from '../catalog/support/lake.js';
import { usePrivateMoto } from '../support/private-moto.js';
import { describeStorageWrites } from './storage-writes.js';

describe('S3Storage against moto', () => {
  const moto = usePrivateMoto();
  let client: S3Client;
  let storage: S3Storage;
  const put = (key: string, body: Uint8Array | string = 'x') => client.send(new PutObjectCommand({ Bucket: 'lake', Key: key, Body: body }));

  beforeAll(() => {
    client = new S3Client(moto.config());
    // Two keys per page: every listing below crosses several pages.
    storage = new S3Storage({ client, pageSize: 2 });
  });
  afterAll(() => client.destroy());
  beforeEach(async () => {
    await client.send(new CreateBucketCommand({ Bucket: 'lake' }));
  });

  let n = 0;
  let prefix = '';
  beforeEach(() => {
    prefix = `s3://lake/writes-${n++}`;
  });
  describeStorageWrites('S3Storage', () => storage, () => prefix);

  it('lists one level with delimiter across pages, without folder markers', async () => {
    for (const k of ['t/a.parquet', 't/b.parquet', 't/c.parquet', 't/k=1/x.parquet', 't/k=2/y.parquet', 't/k=3/', 't/', 'other/z']) await put(k);
    const entries = await storage.list('s3://lake/t/');
    expect(entries.map((e) => `${e.isDir ? 'd' : 'f'} ${e.name} ${e.location}`).sort()).toEqual([
      'd k=1 s3://lake/t/k=1', 'd k=2 s3://lake/t/k=2', 'd k=3 s3://lake/t/k=3',
      'f a.parquet s3://lake/t/a.parquet', 'f b.parquet s3://lake/t/b.parquet', 'f c.parquet s3://lake/t/c.parquet',
    ]);
  });

  it('lists recursively across pages, pruning directories', async () => {
    for (const k of ['t/k=1/a', 't/k=1/b', 't/k=2/c', 't/_temporary/0/d', 't/k=3/_x/e', 't/k=3/']) await put(k, 'abc');
    const files = await storage.listRecursive('s3://lake/t', { prune: (n) => n.startsWith('_') });
    expect(files.map((f) => f.location).sort()).toEqual(['s3://lake/t/k=1/a', 's3://lake/t/k=1/b', 's3://lake/t/k=2/c']);
    expect(files.every((f) => f.size === 3 && !f.isDir)).toBe(true);
  });

  it('reads ranges, sizes and existence', async () => {
    await put('f.bin', '0123456789');
    await put('empty', '');
    expect(Buffer.from(await storage.readRange('s3://lake/f.bin', 2, 5)).toString()).toBe('234');
    expect(Buffer.from(await storage.readRange('s3://lake/f.bin', -3)).toString()).toBe('789');
    expect(await storage.readRange('s3://lake/empty', -8)).toHaveLength(0);
    expect(await storage.size('s3://lake/f.bin')).toBe(10);
    expect(await storage.exists('s3://lake/f.bin')).toBe(true);
    await put('dir/x');
    expect(await storage.exists('s3://lake/dir')).toBe(true);
    expect(await storage.exists('s3://lake/nothing')).toBe(false);
    expect(await storage.exists('s3://no-such-bucket/x')).toBe(false);
    await expect(storage.readRange('s3://lake/missing', 0)).rejects.toMatchObject({ code: 'LOCATION_UNREACHABLE' });
  });

  it('treats an empty prefix as empty and a missing bucket as unreachable', async () => {
    expect(await storage.list('s3://lake/nothing/here')).toEqual([]);
    await expect(storage.list('s3://no-such-bucket/t')).rejects.toMatchObject({ code: 'LOCATION_UNREACHABLE', status: 422 });
    await expect(storage.listRecursive('s3://no-such-bucket/t')).rejects.toMatchObject({ code: 'LOCATION_UNREACHABLE' });
  });

  it('reads a Parquet footer with ranged GETs', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const file = path.join(dir, 'p.parquet');
      await writeParquet(file, transactionsSelect(42));
      await put('t/p.parquet', new Uint8Array(await readFile(file)));
      const footer = await readParquetFooter(storage, 's3://lake/t/p.parquet');
      expect(footer.rows).toBe(42);
      expect(parquetColumns(footer.schema).slice(0, 3)).toEqual([
        { name: 'transaction_id', type: 'STRING' },
        { name: 'transaction_ts', type: 'TIMESTAMP' },
        { name: 'card_no', type: 'STRING' },
      ]);
    } finally {
      await cleanup();
    }
  });

  it('reports an unreachable endpoint as UPSTREAM_FAILED', async () => {
    const dead = new S3Client({ ...moto.config(), endpoint: 'http://127.0.0.1:9', maxAttempts: 1 });
    try {
      await expect(new S3Storage({ client: dead }).list('s3://lake/t')).rejects.toMatchObject({ code: 'UPSTREAM_FAILED', retryable: true });
    } finally {
      dead.destroy();
    }
  });
});
