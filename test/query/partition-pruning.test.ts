import { describe, expect, it } from 'vitest';
import { prunePartitions } from '../../src/query/scan/partition-pruning.js';
import { scanFilters } from '../../src/sql/index.js';
import { validateSql } from '../../src/sql/validate.js';

const keys = [{ name: 'y', type: 'INT' }, { name: 'r', type: 'STRING' }];
const part = (y: string, r: string) => ({ values: { y, r }, location: `/t/y=${y}/r=${r}` });
const parts = [part('2023', 'eu'), part('2024', 'eu'), part('02024', 'us'), part('2025', '😀'), part('__HIVE_DEFAULT_PARTITION__', 'eu'), part('2024', '')];
const kept = (where: string) => {
  const [ref] = scanFilters(validateSql(`SELECT * FROM t WHERE ${where}`, 'hive').query);
  return prunePartitions(keys, parts, ref!.filters).map((p) => p.location);
};

describe('prunePartitions', () => {
  it('compares INT keys as integers (02024 is 2024) and leaves out NULL partitions', () => {
    expect(kept('y = 2024')).toEqual(['/t/y=2024/r=eu', '/t/y=02024/r=us', '/t/y=2024/r=']);
    expect(kept('y > 2023 AND y <= 2024 AND r IS NOT NULL')).toEqual(['/t/y=2024/r=eu', '/t/y=02024/r=us', '/t/y=2024/r=']);
    expect(kept("y = 2024 AND r = 'eu'")).toEqual(['/t/y=2024/r=eu']);
  });

  it('orders strings by code point (UTF-8), as engines do, not by UTF-16 unit', () => {
    // U+1F600 is above U+FF21, though its first UTF-16 unit (0xD83D) is below 0xFF21.
    expect(kept("r > '\uFF21'")).toEqual(['/t/y=2025/r=😀']);
  });

  it('keeps every partition for a literal the key type cannot be compared with exactly', () => {
    expect(kept("y = '2024'")).toHaveLength(parts.length);
    expect(kept('y < 2024.5')).toHaveLength(parts.length);
    expect(kept('r = 1')).toHaveLength(parts.length);
  });
});
