import { describe, expect, it } from 'vitest';
import { scanFilters, translate } from '../../src/sql/index.js';
import { validateSql } from '../../src/sql/validate.js';

const filtersOf = (sql: string, dialect = 'hive') => scanFilters(validateSql(sql, dialect).query);
const int = (value: string) => ({ type: 'integer', value });
const str = (value: string) => ({ type: 'string', value });

describe('scanFilters: literal bounds on the columns of each table reference', () => {
  it('takes =, IN, ranges and BETWEEN joined by AND, either side of the operator, names lower-cased', () => {
    expect(filtersOf("SELECT * FROM db.t WHERE Y = 2024 AND m IN (1, 2) AND 3 > d AND dt BETWEEN '2024-01-01' AND DATE '2024-02-01' AND amount > 0.5")).toEqual([
      {
        table: { database: 'db', name: 't' },
        filters: [
          { column: 'y', op: '=', value: int('2024') },
          { column: 'm', op: 'in', values: [int('1'), int('2')] },
          { column: 'd', op: '<', value: int('3') },
          { column: 'dt', op: '>=', value: str('2024-01-01') },
          { column: 'dt', op: '<=', value: { type: 'date', value: '2024-02-01' } },
        ],
      },
    ]);
  });

  it('reports the right side of SEMI and ANTI joins (it is read, and the WHERE cannot name it)', () => {
    expect(filtersOf("SELECT a.id FROM t a LEFT SEMI JOIN t b ON a.id = b.id WHERE a.y = 2024")).toEqual([
      { table: { name: 't' }, filters: [{ column: 'y', op: '=', value: int('2024') }] },
      { table: { name: 't' }, filters: [] },
    ]);
  });

  it('takes nothing from OR, NOT, negations, functions of the column, columns compared with columns', () => {
    const sql = "SELECT * FROM t WHERE (y = 2024 OR m = 1) AND NOT (y = 2023) AND m NOT IN (1) AND y NOT BETWEEN 1 AND 2 AND upper(r) = 'EU' AND y + 0 = 5 AND y = m AND r IS NULL AND y = NULL";
    expect(filtersOf(sql)).toEqual([{ table: { name: 't' }, filters: [] }]);
  });

  it('attributes columns by alias, and unqualified columns only when the table is alone in FROM', () => {
    const joined = filtersOf('SELECT * FROM a x JOIN b ON x.id = b.id WHERE x.y = 1 AND b.y = 2 AND y = 3');
    expect(joined).toEqual([
      { table: { name: 'a' }, filters: [{ column: 'y', op: '=', value: int('1') }] },
      { table: { name: 'b' }, filters: [{ column: 'y', op: '=', value: int('2') }] },
    ]);
  });

  it('gives each reference its own SELECT: subqueries, CTEs and UNION branches', () => {
    const sql = "WITH c AS (SELECT * FROM t WHERE y = 1) SELECT * FROM c WHERE y IN (SELECT y FROM t WHERE r = 'eu') UNION ALL SELECT * FROM t";
    expect(filtersOf(sql).map((f) => f.filters)).toEqual([[{ column: 'y', op: '=', value: int('1') }], [{ column: 'r', op: '=', value: str('eu') }], []]);
  });

  it('sees bound parameters, and translation answers the filters only when asked', () => {
    const request = { sql: 'SELECT * FROM t WHERE y = :y', from: 'hive', to: 'duckdb', params: { y: 2024 } };
    expect(translate(request)).not.toHaveProperty('scanFilters');
    const out = translate({ ...request, scanFilters: true });
    expect(out.sql).toBe(translate(request).sql);
    expect(out.scanFilters).toEqual([{ table: { name: 't' }, filters: [{ column: 'y', op: '=', value: int('2024') }] }]);
  });

  it('passes a bound on a derived table\'s column down to the one table it passes through from (a view expanded in place)', () => {
    const view = 'SELECT txn_year AS y, t.txn_month, amount FROM db.t WHERE status = \'ok\'';
    expect(filtersOf(`SELECT * FROM (${view}) v WHERE v.y = 2024 AND txn_month IN (1, 2) AND amount > 0`)).toEqual([
      { table: { database: 'db', name: 't' }, filters: [
        { column: 'status', op: '=', value: str('ok') },
        { column: 'txn_year', op: '=', value: int('2024') },
        { column: 'txn_month', op: 'in', values: [int('1'), int('2')] },
        { column: 'amount', op: '>', value: int('0') },
      ] },
    ]);
    // A grouping key passes through too.
    expect(filtersOf('SELECT * FROM (SELECT y, count(*) AS n FROM t GROUP BY y) g WHERE y = 2024 AND n > 5')[0]!.filters).toEqual([{ column: 'y', op: '=', value: int('2024') }]);
  });

  it('passes nothing down where it could change which rows count: a window, a LIMIT, a join inside, a computed column, a set operation, an unqualified column beside a join', () => {
    for (const sql of [
      'SELECT * FROM (SELECT y, rank() OVER (ORDER BY amount) AS r FROM t) v WHERE y = 2024',
      'SELECT * FROM (SELECT y FROM t LIMIT 10) v WHERE y = 2024',
      'SELECT * FROM (SELECT a.y FROM t a JOIN u b ON a.id = b.id) v WHERE y = 2024',
      'SELECT * FROM (SELECT y + 1 AS y FROM t) v WHERE y = 2024',
      'SELECT * FROM (SELECT y FROM t UNION ALL SELECT y FROM t) v WHERE y = 2024',
      'SELECT * FROM u JOIN (SELECT y FROM t) v ON u.id = 1 WHERE y = 2024',
    ]) {
      expect(filtersOf(sql).filter((f) => f.table.name === 't').every((f) => f.filters.length === 0), sql).toBe(true);
    }
  });

  it('bounds the base table of a view through translation, as the scan budget sees it', () => {
    const out = translate({
      sql: 'SELECT count(*) FROM original.txns WHERE txn_year = 2024 AND txn_month = 3',
      from: 'trino',
      to: 'duckdb',
      scanFilters: true,
      resolveTable: (ref) => (ref.name === 'txns' ? { view: { sql: "SELECT txn_year, txn_month, amount FROM lake.pt WHERE approval_status = 'approved'", dialect: 'hive' } } : { sql: '"lake"."pt"' }),
    });
    expect(out.tables).toEqual([{ database: 'lake', name: 'pt' }]);
    expect(out.scanFilters).toEqual([{ table: { database: 'lake', name: 'pt' }, filters: [
      { column: 'approval_status', op: '=', value: str('approved') },
      { column: 'txn_year', op: '=', value: int('2024') },
      { column: 'txn_month', op: '=', value: int('3') },
    ] }]);
  });
});
