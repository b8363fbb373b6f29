import { describe, expect, it } from 'vitest';
import type { Storage } from '../../src/storage/storage.js';

/**
 * The writing half of the Storage contract, run against every implementation (local files, S3 on
 * moto): `root()` gives a fresh, empty directory or prefix for each test.
 */
export function describeStorageWrites(name: string, storage: () => Storage, root: () => string): void {
  const text = async (s: Storage, at: string): Promise<string> => Buffer.from(await s.readRange(at, 0)).toString('utf8');

  describe(`${name}: write, rename, removeAll`, () => {
    it('writes a whole file and replaces it', async () => {
      const s = storage();
      const at = `${root()}/t/_manifest.json`;
      await s.write(at, '{"version":"a"}');
      expect(await text(s, at)).toBe('{"version":"a"}');
      await s.write(at, new TextEncoder().encode('{"version":"bb"}'));
      expect(await text(s, at)).toBe('{"version":"bb"}');
      expect(await s.size(at)).toBe(16);
      expect((await s.list(`${root()}/t`)).map((e) => e.name)).toEqual(['_manifest.json']);
    });

    it('moves a file', async () => {
      const s = storage();
      await s.write(`${root()}/a/x.parquet`, 'PAR1');
      await s.rename(`${root()}/a/x.parquet`, `${root()}/b/y.parquet`);
      expect(await s.exists(`${root()}/a/x.parquet`)).toBe(false);
      expect(await text(s, `${root()}/b/y.parquet`)).toBe('PAR1');
    });

    it('removes a directory and everything below it, and a file; nothing there is no error', async () => {
      const s = storage();
      for (const f of ['v1/k=1/a', 'v1/k=2/b', 'v1/c', 'v2/d']) await s.write(`${root()}/${f}`, f);
      await s.removeAll(`${root()}/v1`);
      expect((await s.listRecursive(root())).map((e) => e.location)).toEqual([`${root()}/v2/d`]);
      await s.removeAll(`${root()}/v2/d`);
      expect(await s.exists(`${root()}/v2`)).toBe(false);
      await s.removeAll(`${root()}/nothing/here`);
    });
  });
}
