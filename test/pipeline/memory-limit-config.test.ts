import { describe, expect, it } from 'vitest';
import { loadConfig, memorySizeBytes } from '../../src/config.js';

describe('LAKEGATE_PIPELINE_MEMORY_LIMIT and LAKEGATE_QUERY_MEMORY_LIMIT', () => {
  it('default to 1GB for the pipeline and 2GB for queries, apart from each other', () => {
    const c = loadConfig({ LAKEGATE_SAMPLE: 'off' });
    expect([c.pipeline.memoryLimit, c.query.memoryLimit]).toEqual(['1GB', '2GB']);
  });

  it("take the sizes DuckDB reads (512MB, 4G, 1.5GiB) and refuse a share of the machine or a word at start", () => {
    for (const size of ['512MB', '4G', '1.5GiB', '256 MB']) expect(loadConfig({ LAKEGATE_PIPELINE_MEMORY_LIMIT: size }).pipeline.memoryLimit).toBe(size);
    for (const size of ['80%', 'lots', '1 GB of it', '1Gi', '512Mi']) {
      expect(() => loadConfig({ LAKEGATE_PIPELINE_MEMORY_LIMIT: size })).toThrow(`LAKEGATE_PIPELINE_MEMORY_LIMIT: '${size}' is not a memory size`);
    }
    expect(() => loadConfig({ LAKEGATE_QUERY_MEMORY_LIMIT: '80%' })).toThrow(/LAKEGATE_QUERY_MEMORY_LIMIT/);
  });

  it('are read in bytes as DuckDB reads them: KB, MB, GB in powers of 1000, KiB, MiB, GiB in powers of 1024', () => {
    expect(['512MB', '4G', '1.5GiB', '256 MB', '2KiB', '100B', '7 bytes'].map(memorySizeBytes)).toEqual([512e6, 4e9, 1.5 * 2 ** 30, 256e6, 2048, 100, 7]);
  });
});
