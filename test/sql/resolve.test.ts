import { describe, expect, it } from 'vitest';
import { translate, validateSql, type TableRef, type TableResolver } from '../../src/sql/index.js';
import { expectError } from './support/golden.js';

const CATALOG = new Set(['monthly_trend', 'daily_category_summary']);

/** A resolver that records what it was asked. */
function recording(): { resolver: TableResolver; asked: TableRef[] } {
  const asked: TableRef[] = [];
  const resolver: TableResolver = (ref) => {
    asked.push(ref);
    if (ref.database !== undefined && ref.database !== 'card_analytics') return undefined;
    return CATALOG.has(ref.name) ? { sql: `lake.card_analytics.${ref.name}` } : undefined;
  };
  return { resolver, asked };
}

describe('table references', () => {
  it.each([
    ['bare name', 'SELECT * FROM monthly_trend', 'hive'],
    ['qualified', 'SELECT * FROM card_analytics.monthly_trend', 'hive'],
    ['backticks', 'SELECT * FROM `card_analytics`.`monthly_trend`', 'spark'],
    ['double quotes (ANSI)', 'SELECT * FROM "card_analytics"."monthly_trend"', 'duckdb'],
    ['double quotes (Hive)', 'SELECT * FROM "card_analytics"."monthly_trend"', 'hive'],
    ['mixed case', 'SELECT * FROM Card_Analytics.MONTHLY_TREND', 'trino'],
  ] as const)('resolves a %s reference', (_label, sql, from) => {
    const { resolver, asked } = recording();
    const out = translate({ sql, from, to: 'duckdb', resolveTable: resolver });
    expect(out.sql).toBe('SELECT * FROM lake.card_analytics.monthly_trend AS "monthly_trend"');
    expect(asked).toHaveLength(1);
    expect(asked[0]?.name).toBe('monthly_trend');
  });

  it('keeps an explicit alias and adds the table name as alias otherwise', () => {
    const { resolver } = recording();
    const out = translate({
      sql: 'SELECT m.txn_month, monthly_trend.total_amount FROM card_analytics.monthly_trend m, monthly_trend',
      from: 'hive',
      to: 'trino',
      resolveTable: resolver,
    });
    expect(out.sql).toBe(
      'SELECT "m"."txn_month", "monthly_trend"."total_amount" FROM lake.card_analytics.monthly_trend AS "m" CROSS JOIN lake.card_analytics.monthly_trend AS "monthly_trend"',
    );
  });

  it('reports each referenced catalog table once, in order, and never CTE names', () => {
    const sql = `WITH recent AS (SELECT * FROM card_analytics.daily_category_summary),
                      monthly_trend AS (SELECT * FROM recent)
                 SELECT * FROM monthly_trend JOIN recent ON 1 = 1
                 WHERE EXISTS (SELECT 1 FROM card_analytics.monthly_trend)`;
    expect(validateSql(sql, 'hive').tables).toEqual([
      { database: 'card_analytics', name: 'daily_category_summary' },
      { database: 'card_analytics', name: 'monthly_trend' },
    ]);
  });

  it('treats a CTE name as a CTE only where the WITH is in scope', () => {
    const sql = 'SELECT * FROM (WITH x AS (SELECT 1 AS a) SELECT * FROM x) s JOIN x ON 1 = 1';
    expect(validateSql(sql, 'duckdb').tables).toEqual([{ name: 'x' }]);
  });

  it('fails with TABLE_NOT_FOUND naming the table', () => {
    const { resolver } = recording();
    try {
      translate({ sql: 'SELECT * FROM card_analytics.missing', from: 'hive', to: 'duckdb', resolveTable: resolver });
      throw new Error('expected TABLE_NOT_FOUND');
    } catch (err) {
      expect(err).toMatchObject({ code: 'TABLE_NOT_FOUND', details: { table: 'card_analytics.missing' } });
    }
    expectError(() => translate({ sql: 'SELECT * FROM other.monthly_trend', from: 'hive', to: 'duckdb', resolveTable: resolver }), 'TABLE_NOT_FOUND');
  });

  it('renders tables as written when no resolver is given', () => {
    expect(translate({ sql: 'SELECT * FROM card_analytics.t', from: 'hive', to: 'hive' }).sql).toBe(
      'SELECT * FROM `card_analytics`.`t` AS `t`',
    );
  });
});
