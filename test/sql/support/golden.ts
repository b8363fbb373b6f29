import { expect } from 'vitest';
import { isAppError, type ErrorCode } from '../../../src/errors.js';
import { translate, type SqlDialectName } from '../../../src/sql/index.js';
import { catalogResolver } from './catalog-resolver.js';

const TARGETS = ['duckdb', 'trino', 'athena', 'hive', 'spark', 'impala'] as const;
type Target = (typeof TARGETS)[number];

/** Expected output per target: the SQL text, or the error code the translation must fail with. */
export type Golden = Partial<Record<Target, string | { error: ErrorCode }>>;

/**
 * Kysely-style golden test: one source query, the expected SQL per target dialect.
 * Tables resolve against the DDL (so column types are known) and render as their bare name.
 */
export function expectSql(sql: string, expected: Golden, from: SqlDialectName = 'hive'): void {
  for (const [target, want] of Object.entries(expected) as Array<[Target, Golden[Target]]>) {
    const run = () => translate({ sql, from, to: target, resolveTable: catalogResolver(target) });
    if (typeof want === 'string') {
      expect(run().sql, `${from} -> ${target}`).toBe(want);
    } else if (want) {
      expectError(run, want.error, `${from} -> ${target}`);
    }
  }
}

export function expectError(fn: () => unknown, code: ErrorCode, label = ''): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(isAppError(caught), `${label}: expected AppError ${code}, got ${String(caught)}`).toBe(true);
  if (isAppError(caught)) expect(caught.code, `${label}: ${caught.message}`).toBe(code);
}

/** Shorthand: the SELECT list of a one-column query over partitioned_transactions. */
export const col = (expr: string): string => `SELECT ${expr} AS v FROM card_analytics.partitioned_transactions`;
