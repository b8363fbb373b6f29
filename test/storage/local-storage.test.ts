import { lstat, readFile, symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalStorage } from '../../src/storage/local/local-storage.js';
import { put, tempDir } from '../catalog/support/lake.js';
import { describeStorageWrites } from './storage-writes.js';

describe('LocalStorage', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  const storage = new LocalStorage();
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(() => cleanup());

  it('copies the file a link names, not the link: the copy outlives the link and its target', async () => {
    const target = await put(dir, 'v1/txn_year=2023/part-0.parquet', 'data');
    await symlink(target, path.join(dir, 'v1/txn_year=2023/alias.parquet'));
    await storage.copy(path.join(dir, 'v1/txn_year=2023/alias.parquet'), path.join(dir, 'v2/txn_year=2023/alias.parquet'));
    await storage.removeAll(path.join(dir, 'v1'));
    expect((await lstat(path.join(dir, 'v2/txn_year=2023/alias.parquet'))).isFile()).toBe(true);
    expect(await readFile(path.join(dir, 'v2/txn_year=2023/alias.parquet'), 'utf8')).toBe('data');
  });

  it('lists children with sizes, directories without', async () => {
    await put(dir, 't/a.parquet', '12345');
    await put(dir, 't/sub/b.parquet', '1');
    const entries = (await storage.list(path.join(dir, 't'))).sort((a, b) => (a.name < b.name ? -1 : 1));
    expect(entries).toEqual([
      { location: path.join(dir, 't/a.parquet'), name: 'a.parquet', isDir: false, size: 5 },
      { location: path.join(dir, 't/sub'), name: 'sub', isDir: true },
    ]);
  });

  it('follows a symlinked table directory and reports paths under the link', async () => {
    await put(dir, '.versions/t/run1/k=1/part-0.parquet', 'abc');
    await symlink(path.join('.versions', 't', 'run1'), path.join(dir, 't'), 'dir');
    const files = await storage.listRecursive(path.join(dir, 't'));
    expect(files).toEqual([{ location: path.join(dir, 't/k=1/part-0.parquet'), name: 'part-0.parquet', isDir: false, size: 3 }]);
  });

  it('prunes directories and drops dangling links', async () => {
    await put(dir, 't/_temporary/0/x.parquet');
    await put(dir, 't/k=1/y.parquet');
    await symlink(path.join(dir, 'nowhere'), path.join(dir, 't/dangling'));
    const files = await storage.listRecursive(path.join(dir, 't'), { prune: (n) => n.startsWith('_') });
    expect(files.map((f) => f.location)).toEqual([path.join(dir, 't/k=1/y.parquet')]);
  });

  it('enters each real directory once, so a symlink cycle ends the walk', async () => {
    await put(dir, 't/a.parquet');
    await symlink(path.join(dir, 't'), path.join(dir, 't/loop'), 'dir');
    const files = await storage.listRecursive(path.join(dir, 't'));
    expect(files.map((f) => f.location)).toEqual([path.join(dir, 't/a.parquet')]);
  });

  it('does not follow links out of the real location', async () => {
    await put(dir, 't/a.parquet');
    await put(dir, 'other/secret.parquet');
    await symlink(path.join(dir, 'other'), path.join(dir, 't/out'), 'dir');
    await symlink(path.join(dir, 'other/secret.parquet'), path.join(dir, 't/b.parquet'));
    const files = await storage.listRecursive(path.join(dir, 't'));
    expect(files.map((f) => f.location)).toEqual([path.join(dir, 't/a.parquet')]);
  });

  it('lists a missing location as empty and refuses a file as a directory', async () => {
    expect(await storage.list(path.join(dir, 'missing'))).toEqual([]);
    expect(await storage.listRecursive(path.join(dir, 'missing'))).toEqual([]);
    const file = await put(dir, 'file');
    await expect(storage.list(file)).rejects.toMatchObject({ code: 'LOCATION_UNREACHABLE' });
  });

  it('refuses a location it cannot open', async () => {
    // A link to itself fails to open for every user (ELOOP), root included.
    await symlink('loop', path.join(dir, 'loop'));
    await expect(storage.list(path.join(dir, 'loop'))).rejects.toMatchObject({ code: 'LOCATION_UNREACHABLE' });
    await expect(storage.listRecursive(path.join(dir, 'loop'))).rejects.toMatchObject({ code: 'LOCATION_UNREACHABLE' });
  });

  it('reads ranges, sizes and existence', async () => {
    const file = await put(dir, 'f.bin', '0123456789');
    expect(Buffer.from(await storage.readRange(file, 2, 5)).toString()).toBe('234');
    expect(Buffer.from(await storage.readRange(file, -3)).toString()).toBe('789');
    expect(Buffer.from(await storage.readRange(file, -30)).toString()).toBe('0123456789');
    expect(await storage.size(file)).toBe(10);
    expect(await storage.exists(file)).toBe(true);
    expect(await storage.exists(dir)).toBe(true);
    expect(await storage.exists(path.join(dir, 'nope'))).toBe(false);
    await expect(storage.readRange(path.join(dir, 'nope'), 0)).rejects.toMatchObject({ code: 'LOCATION_UNREACHABLE' });
  });
});

describe('LocalStorage writes', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(() => cleanup());
  describeStorageWrites('LocalStorage', () => new LocalStorage(), () => dir);

  it('removes a link, never what it points at', async () => {
    await put(dir, 'target/keep', 'kept');
    await symlink(path.join(dir, 'target'), path.join(dir, 'link'), 'dir');
    await new LocalStorage().removeAll(path.join(dir, 'link'));
    expect(await new LocalStorage().exists(path.join(dir, 'link'))).toBe(false);
    expect(await new LocalStorage().size(path.join(dir, 'target', 'keep'))).toBe(4);
  });
});
