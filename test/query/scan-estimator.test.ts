import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PartitionDef, TableDef } from '../../src/catalog/table-def.js';
import { ScanEstimator } from '../../src/query/scan/scan-estimator.js';
import { LocalStorage } from '../../src/storage/local/local-storage.js';
import type { ListOptions } from '../../src/storage/storage.js';
import { removeDir } from '../support/gateway.js';

let root: string;
let def: TableDef;
let partitions: PartitionDef[];
const listed: string[] = [];
let state = 'v1';

/** LocalStorage that records what it was asked to list. */
class CountingStorage extends LocalStorage {
  override async listRecursive(location: string, options?: ListOptions) {
    listed.push(location);
    return super.listRecursive(location, options);
  }
}
const storage = new CountingStorage();
const estimator = (ttl?: number) =>
  new ScanEstimator({ partitions: async () => partitions, storageFor: async () => storage, tableState: async () => state, ...(ttl === undefined ? {} : { listingTtlMs: ttl }) });

async function file(rel: string, bytes: number): Promise<void> {
  await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
  await writeFile(path.join(root, rel), Buffer.alloc(bytes, 1));
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'lakegate-estimator-'));
  await file('t/k=1/a.parquet', 100);
  await file('t/k=1/b.parquet', 20);
  await file('t/k=1/_SUCCESS', 7);
  await file('t/k=2/a.parquet', 300);
  await file('t/k=9/a.parquet', 4000); // on storage, never registered: not read
  await file('elsewhere/k=3/a.parquet', 50); // a partition registered at another location
  await file('elsewhere/k=3/.a.parquet.crc', 8);
  def = { database: 'db', name: 't', columns: [{ name: 'x', type: 'BIGINT' }], partitionKeys: [{ name: 'k', type: 'INT' }], location: path.join(root, 't'), format: 'parquet', properties: {} };
  partitions = [
    { values: { k: '1' }, location: path.join(root, 't/k=1') },
    { values: { k: '2' }, location: path.join(root, 't/k=2') },
    { values: { k: '3' }, location: path.join(root, 'elsewhere/k=3') },
  ];
});
afterAll(async () => removeDir(root));

describe('ScanEstimator', () => {
  it('sums the data files of registered partitions, those registered elsewhere included, and lists once per table state', async () => {
    listed.length = 0;
    const e = estimator();
    const all = await e.estimate([def], []);
    expect(all).toEqual({ estimatedBytes: 470, tables: [{ name: 'db.t', partitions: { total: 3, read: 3, list: ['k=1', 'k=2', 'k=3'] }, estimatedBytes: 470 }] });
    expect(listed.sort()).toEqual([path.join(root, 'elsewhere/k=3'), path.join(root, 't')]);
    const pruned = await e.estimate([def], [{ table: { name: 't' }, filters: [{ column: 'k', op: '>=', value: { type: 'integer', value: '2' } }] }]);
    expect(pruned.estimatedBytes).toBe(350);
    expect(listed).toHaveLength(2);
    state = 'v2';
    await e.estimate([def], []);
    expect(listed).toHaveLength(4);
  });

  it('lists again once a listing is older than its time to live', async () => {
    const e = estimator(1);
    expect((await e.estimate([def], [])).estimatedBytes).toBe(470);
    await file('t/k=2/c.parquet', 5);
    await new Promise((r) => setTimeout(r, 5));
    expect((await e.estimate([def], [])).estimatedBytes).toBe(475);
  });

  it('stops listing when the signal is aborted', async () => {
    const ac = new AbortController();
    ac.abort(new Error('client left'));
    await expect(estimator().estimate([def], [], ac.signal)).rejects.toThrow();
  });

  it("counts partitions Glue holds as s3a:// against the s3:// listing's sizes", async () => {
    const s3 = { listRecursive: async () => [{ name: 'a.parquet', location: 's3://lake/t/k=1/a.parquet', size: 5_000_000_000 }] } as unknown as LocalStorage;
    const remote: TableDef = { ...def, location: 's3a://lake/t' };
    const e = new ScanEstimator({ partitions: async () => [{ values: { k: '1' }, location: 's3a://lake/t/k=1' }], storageFor: async () => s3, tableState: async () => 's3' });
    expect((await e.estimate([remote], [])).estimatedBytes).toBe(5_000_000_000);
  });
});
