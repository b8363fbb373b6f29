import { describe, expect, it } from 'vitest';
import { inputFilesOf } from '../../src/pipeline/input-set.js';

describe('the files a run reads', () => {
  it('are its input set, or the one fingerprint of a run recorded before input sets', () => {
    const old = { path: '/in/a.csv', size: 10, mtimeMs: 1, sha256: 'x' };
    expect(inputFilesOf({ inputFingerprint: old })).toEqual([old]);
    const files = [old, { path: 's3://b/k.csv.gz', size: 5, mtimeMs: 2, etag: '"e"' }];
    expect(inputFilesOf({ inputs: { count: 2, totalBytes: 15, files }, inputFingerprint: null })).toEqual(files);
    expect(inputFilesOf({ inputFingerprint: null })).toEqual([]);
  });
});
