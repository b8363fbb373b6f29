import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { loadViewDir, parseViewDdl } from '../../src/catalog/ddl/view-loader.js';
import { translate, SQL_DIALECTS, type CatalogTable } from '../../src/sql/index.js';
import { catalogResolver } from '../../src/sql/resolve.js';
import { isAppError, type ErrorCode } from '../../src/errors.js';

function refused(fn: () => unknown, code: ErrorCode, message: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(isAppError(caught) && caught.code, String(caught)).toBe(code);
  expect((caught as Error).message).toMatch(message);
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const base = (name: string, columns: Array<[string, string]>): CatalogTable => ({
  database: 'card_analytics', name, sql: `"card_analytics"."${name}"`, columns: columns.map(([n, type]) => ({ name: n, type })),
});
const view = (database: string, name: string, sql: string): CatalogTable => ({ database, name, view: { sql, dialect: 'hive' } });

const TABLES: CatalogTable[] = [
  base('monthly_trend', [['txn_year', 'INT'], ['txn_month', 'INT'], ['transaction_count', 'BIGINT'], ['total_amount', 'BIGINT']]),
  view('original', 'monthly_trend', 'SELECT txn_year, txn_month, transaction_count AS txn_count, total_amount FROM card_analytics.monthly_trend'),
  view('original', 'big_months', 'SELECT * FROM original.monthly_trend WHERE txn_count > 1'),
  view('original', 'loop_a', 'SELECT * FROM original.loop_b'),
  view('original', 'loop_b', 'SELECT * FROM original.loop_a'),
];

const run = (sql: string, database?: string, to: 'duckdb' | 'trino' = 'duckdb') =>
  translate({ sql, from: 'hive', to, resolveTable: catalogResolver(TABLES, database) });

describe('views', () => {
  it('replaces a view by its query under the name it was referenced by, and reports only the tables read', () => {
    const out = run('SELECT txn_count FROM original.monthly_trend WHERE txn_month = 3');
    expect(out.sql).toBe(
      'SELECT "txn_count" FROM (SELECT "txn_year", "txn_month", "transaction_count" AS "txn_count", "total_amount" FROM "card_analytics"."monthly_trend" AS "monthly_trend") AS "monthly_trend" WHERE "txn_month" = 3',
    );
    expect(out.tables).toEqual([{ database: 'card_analytics', name: 'monthly_trend' }]);
  });

  it('keeps the alias a query gives a view, and expands views inside joins, subqueries and other views', () => {
    const out = run(`SELECT o.txn_count, b.txn_count FROM original.monthly_trend o
                     JOIN original.big_months b ON b.txn_month = o.txn_month
                     WHERE o.txn_year IN (SELECT txn_year FROM original.monthly_trend)`);
    expect(out.sql).not.toMatch(/"original"/);
    expect(out.sql).toContain(') AS "o" INNER JOIN (SELECT * FROM (SELECT');
    expect(out.sql).toContain(') AS "b" ON');
    expect(out.tables).toEqual([{ database: 'card_analytics', name: 'monthly_trend' }]);
  });

  it('looks bare names up in the request database, and in any database without one', () => {
    expect(run('SELECT txn_count FROM monthly_trend', 'original').sql).toContain('AS "txn_count"');
    // Without a default database the first table of the name (the catalog's) is the one.
    expect(run('SELECT transaction_count FROM monthly_trend').sql).toBe('SELECT "transaction_count" FROM "card_analytics"."monthly_trend" AS "monthly_trend"');
    refused(() => run('SELECT * FROM monthly_trend', 'nowhere'), 'TABLE_NOT_FOUND', /monthly_trend/);
  });

  it('refuses a view that names itself through another', () => {
    refused(() => run('SELECT * FROM original.loop_a'), 'SQL_NOT_ALLOWED', /original\.loop_a -> original\.loop_b -> original\.loop_a/);
  });

  it('a view of a table the catalog lacks is TABLE_NOT_FOUND naming that table', () => {
    const tables = [view('original', 'lost', 'SELECT * FROM card_analytics.gone')];
    refused(() => translate({ sql: 'SELECT * FROM original.lost', from: 'trino', to: 'duckdb', resolveTable: catalogResolver(tables) }), 'TABLE_NOT_FOUND', /card_analytics\.gone/);
  });

  it('parses a CREATE VIEW file and refuses one whose tables have no database', () => {
    const v = parseViewDdl('-- what it is\nCREATE VIEW original.x AS\nSELECT 1 AS a FROM card_analytics.monthly_trend;\n');
    expect(v).toEqual({ database: 'original', name: 'x', sql: 'SELECT 1 AS a FROM card_analytics.monthly_trend', dialect: 'hive', comment: 'what it is' });
    refused(() => parseViewDdl('CREATE VIEW original.x AS SELECT * FROM monthly_trend'), 'VALIDATION_FAILED', /monthly_trend without a database/);
    refused(() => parseViewDdl('CREATE TABLE original.x (a INT)'), 'VALIDATION_FAILED', /CREATE VIEW/);
  });
});

describe('ddl/compat/original', () => {
  it('every view translates to every dialect, and runs on DuckDB over empty tables of the declared columns', async () => {
    const { loadDdlDir } = await import('../../src/catalog/ddl/ddl-loader.js');
    const defs = await loadDdlDir(path.join(root, 'ddl'), { warehouse: '/nowhere', database: 'card_analytics' });
    const views = await loadViewDir(path.join(root, 'ddl/compat/original'));
    expect(views.map((v) => v.name).sort()).toEqual([
      'daily_category_summary', 'hourly_pattern', 'merchant_ranking', 'monthly_trend', 'partitioned_transactions', 'qoq_growth',
      'quarterly_card_type', 'quarterly_category_summary', 'quarterly_installment', 'quarterly_merchant_top10', 'quarterly_region', 'quarters', 'regional_analysis',
    ]);
    const tables: CatalogTable[] = [
      ...defs.map((d) => ({ database: d.database, name: d.name, sql: `"${d.database}"."${d.name}"`, columns: [...d.columns, ...d.partitionKeys] })),
      ...views.map((v) => ({ database: v.database, name: v.name, view: { sql: v.sql, dialect: v.dialect } })),
    ];
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    await conn.run('CREATE SCHEMA card_analytics');
    const { duckdbType } = await import('../../src/catalog/ddl/render-duckdb.js');
    const { typeOf } = await import('../../src/catalog/ddl/sql-text.js');
    for (const d of defs) {
      await conn.run(`CREATE TABLE card_analytics.${d.name} (${[...d.columns, ...d.partitionKeys].map((c) => `"${c.name}" ${duckdbType(typeOf(c))}`).join(', ')})`);
    }
    for (const v of views) {
      for (const to of SQL_DIALECTS) {
        const out = translate({ sql: `SELECT * FROM ${v.name}`, from: 'trino', to, resolveTable: catalogResolver(tables, 'original') });
        expect(out.tables.every((t) => t.database === 'card_analytics'), `${v.name} -> ${to}`).toBe(true);
        if (to === 'duckdb') await conn.run(out.sql);
      }
    }
    conn.closeSync();
    db.closeSync();
  });
});
