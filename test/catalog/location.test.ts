import { describe, expect, it } from 'vitest';
import { locationUri, resolveLocation } from '../../src/storage/location.js';

describe('resolveLocation', () => {
  it.each([
    ['sales', '/lake/wh', '/lake/wh/sales'],
    ['sub/sales/', '/lake/wh', '/lake/wh/sub/sales'],
    ['/abs/sales', '/lake/wh', '/abs/sales'],
    ['file:///abs/sales', '/lake/wh', '/abs/sales'],
    ['file:/abs/my%20sales', '/lake/wh', '/abs/my sales'],
    ['s3://bucket/p/sales/', '/lake/wh', 's3://bucket/p/sales'],
    ['s3a://bucket/p/sales', '/lake/wh', 's3://bucket/p/sales'],
    ['S3N://bucket/sales', '/lake/wh', 's3://bucket/sales'],
    ['sales', 's3://bucket/wh', 's3://bucket/wh/sales'],
    ['./a//b', 's3://bucket/wh/', 's3://bucket/wh/a/b'],
    ['hdfs://nn/x/', '/lake/wh', 'hdfs://nn/x'],
  ])('%s under %s is %s', (location, warehouse, expected) => {
    expect(resolveLocation(location, warehouse)).toBe(expected);
  });

  it('refuses bucket-less S3 and .. under an S3 warehouse', () => {
    expect(() => resolveLocation('s3://', '/w')).toThrow(/names no bucket/);
    expect(() => resolveLocation('../x', 's3://b/wh')).toThrow(/may not use/);
  });

  it('refuses file URLs of another host or with broken escapes as bad input, not as a crash', () => {
    for (const bad of ['file://otherhost/x', 'file:/%E0%A4%A', 'FILE://h/y']) {
      let caught: unknown;
      try {
        resolveLocation(bad, '/w');
      } catch (err) {
        caught = err;
      }
      expect(caught, bad).toMatchObject({ code: 'VALIDATION_FAILED' });
    }
  });

  it('gives engines URIs', () => {
    expect(locationUri('/lake/t')).toBe('file:///lake/t');
    expect(locationUri('s3://b/t', 's3a')).toBe('s3a://b/t');
  });
});
