import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { translate } from '../../src/sql/index.js';
import { expectError } from './support/golden.js';

const SQL = 'SELECT :s AS s, :n AS n, :d AS d, :b AS b, :z AS z, :big AS big';
const PARAMS = { s: "O'Brien \\ ; DROP TABLE x; --\n", n: 2024, d: 1.5, b: true, z: null, big: 9007199254740993n };

describe(':name parameters', () => {
  it('binds typed literals, escaped for each target', () => {
    expect(translate({ sql: SQL, from: 'hive', to: 'duckdb', params: PARAMS }).sql).toBe(
      "SELECT 'O''Brien \\ ; DROP TABLE x; --\n' AS \"s\", 2024 AS \"n\", 1.5E0 AS \"d\", TRUE AS \"b\", NULL AS \"z\", 9007199254740993 AS \"big\"",
    );
    expect(translate({ sql: SQL, from: 'duckdb', to: 'hive', params: PARAMS }).sql).toBe(
      "SELECT 'O\\'Brien \\\\ ; DROP TABLE x; --\\n' AS `s`, 2024 AS `n`, 1.5 AS `d`, TRUE AS `b`, NULL AS `z`, 9007199254740993 AS `big`",
    );
  });

  it('round-trips hostile strings through a real engine unchanged', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const con = await instance.connect();
    try {
      const { sql } = translate({ sql: SQL, from: 'spark', to: 'duckdb', params: PARAMS });
      const rows = (await con.runAndReadAll(sql)).getRowsJson();
      expect(rows).toEqual([[PARAMS.s, 2024, 1.5, true, null, '9007199254740993']]);
    } finally {
      con.closeSync();
      instance.closeSync();
    }
  });

  it('binds inside expressions and leaves look-alikes in string literals alone', () => {
    const out = translate({
      sql: "SELECT txn_month FROM monthly_trend WHERE txn_year = :year AND ':year' <> concat(':', :label)",
      from: 'hive',
      to: 'trino',
      params: { year: 2024, label: 'year' },
    });
    expect(out.sql).toBe(
      `SELECT "txn_month" FROM "monthly_trend" AS "monthly_trend" WHERE "txn_year" = 2024 AND ':year' <> concat(':', 'year')`,
    );
  });

  it('refuses missing and non-finite values', () => {
    expectError(() => translate({ sql: 'SELECT :x', from: 'hive', to: 'duckdb' }), 'VALIDATION_FAILED');
    expectError(() => translate({ sql: 'SELECT :x', from: 'hive', to: 'duckdb', params: { x: Number.NaN } }), 'VALIDATION_FAILED');
    expectError(() => translate({ sql: 'SELECT :x', from: 'hive', to: 'duckdb', params: { x: 2 ** 60 } }), 'VALIDATION_FAILED');
  });
});
