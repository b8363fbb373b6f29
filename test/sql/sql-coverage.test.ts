import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COVERAGE_FILE, renderCoverage } from '../../scripts/sql-coverage.js';
import { CANONICAL_NAMES } from '../../src/sql/functions.js';
import { dialectFor } from '../../src/sql/dialects/registry.js';

describe('docs/sql-coverage.md', () => {
  it('is current (regenerate with npx tsx scripts/sql-coverage.ts)', () => {
    expect(readFileSync(COVERAGE_FILE, 'utf8')).toBe(renderCoverage());
  });

  it('every target says something about every canonical function, at run time too', () => {
    for (const target of ['duckdb', 'trino', 'athena', 'hive', 'spark', 'impala'] as const) {
      const table = dialectFor(target).functions;
      for (const fn of CANONICAL_NAMES) expect(table[fn], `${target}: ${fn}`).toBeDefined();
    }
  });
});
