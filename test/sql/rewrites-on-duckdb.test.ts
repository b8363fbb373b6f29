import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translate, type SqlDialectName, type TableResolver } from '../../src/sql/index.js';
import { compareRows, fromDuck, sameValue, type Canon } from './support/compare.js';

/**
 * The rewrites a target without a construct gets (EXISTS for SEMI/ANTI joins, a derived table for
 * QUALIFY, listed columns for * EXCLUDE and GROUP BY ALL, ROW values for count(DISTINCT a, b)) run on
 * DuckDB next to a reference: the DuckDB query itself as written, or for Hive input the same question
 * asked in plain SQL. The Trino rendering of these queries is also DuckDB SQL, so it can run here.
 */
const COLUMNS = [
  { name: 'id', type: 'INT' },
  { name: 'grp', type: 'STRING' },
  { name: 'val', type: 'INT' },
  { name: 'tag', type: 'STRING' },
];
const resolver: TableResolver = (ref) => (ref.name === 't' || ref.name === 'u' ? { sql: `"${ref.name}"`, columns: COLUMNS } : undefined);

const CASES: Array<[label: string, sql: string, from: SqlDialectName, reference?: string]> = [
  ['QUALIFY', 'SELECT grp, val AS v FROM t QUALIFY row_number() OVER (PARTITION BY grp ORDER BY v DESC, id) = 1', 'duckdb'],
  ['QUALIFY with DISTINCT', 'SELECT DISTINCT grp FROM t QUALIFY rank() OVER (PARTITION BY grp ORDER BY val) <= 2', 'duckdb'],
  ['SEMI JOIN', 'SELECT t.id FROM t SEMI JOIN u ON t.grp = u.grp AND u.val > 2', 'duckdb'],
  ['ANTI JOIN with NULLs on the right', 'SELECT t.id FROM t ANTI JOIN u ON t.tag = u.tag', 'duckdb'],
  ['* EXCLUDE', 'SELECT * EXCLUDE (tag, val) FROM t', 'duckdb'],
  ['GROUP BY ALL', 'SELECT grp, tag, sum(val) AS s FROM t GROUP BY ALL', 'duckdb'],
  [
    'count(DISTINCT a, b) skips rows with a NULL',
    'SELECT grp, count(DISTINCT tag, val) AS n FROM t GROUP BY grp',
    'hive',
    'SELECT g.grp, count(d.tag) AS n FROM (SELECT DISTINCT grp FROM t) g LEFT JOIN (SELECT DISTINCT grp, tag, val FROM t WHERE tag IS NOT NULL AND val IS NOT NULL) d ON g.grp IS NOT DISTINCT FROM d.grp GROUP BY g.grp',
  ],
  ['LEFT SEMI JOIN from Hive', 'SELECT t.id FROM t LEFT SEMI JOIN u ON t.grp = u.grp', 'hive', 'SELECT id FROM t WHERE grp IN (SELECT grp FROM u)'],
];

let duck: DuckDBInstance;
let conn: DuckDBConnection;
beforeAll(async () => {
  duck = await DuckDBInstance.create(':memory:');
  conn = await duck.connect();
  const rows = "(1, 'a', 1, 'x'), (2, 'a', 3, NULL), (3, 'a', 3, 'yxz'), (4, 'b', 2, 'x'), (5, 'b', NULL, 'x'), (6, 'c', 5, ''), (7, NULL, 1, 'z')";
  await conn.run(`CREATE TABLE t AS SELECT * FROM (VALUES ${rows}) v(id, grp, val, tag)`);
  await conn.run("CREATE TABLE u AS SELECT * FROM (VALUES (10, 'a', 3, 'x'), (11, 'c', 1, NULL)) v(id, grp, val, tag)");
});
afterAll(() => {
  conn?.closeSync();
  duck?.closeSync();
});

async function rows(sql: string): Promise<Canon[][]> {
  const reader = await conn.runAndReadAll(sql);
  const types = reader.columnTypes().map(String);
  return reader.getRowsJson().map((row) => row.map((v, i) => fromDuck(v, types[i] ?? '')));
}

describe('rewrites for targets without a construct, run on DuckDB', () => {
  it.each(CASES)('%s', async (_label, sql, from, reference) => {
    const expected = await rows(reference ?? sql);
    for (const to of ['duckdb', 'trino'] as const) {
      const translated = translate({ sql, from, to, resolveTable: resolver }).sql;
      expect(compareRows(expected, await rows(translated), { ordered: false, relTol: 1e-9 }), `${to}: ${translated}`).toBeUndefined();
    }
  });

  it('count(DISTINCT a, b) counts the distinct complete pairs', async () => {
    const sql = translate({ sql: 'SELECT count(DISTINCT tag, val) AS n FROM t', from: 'hive', to: 'duckdb', resolveTable: resolver }).sql;
    // (x,1) (yxz,3) (x,2) ('',5) (z,1); (NULL,3) and (x,NULL) are skipped.
    const [[n]] = (await rows(sql)) as Canon[][] as [[Canon]];
    expect(sameValue(n, { num: 5, int: 5n }, 0)).toBe(true);
  });
});
