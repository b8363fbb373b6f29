import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../src/errors.js';
import { translate, validateSql, type SqlDialectName } from '../../src/sql/index.js';
import { catalogResolver } from './support/catalog-resolver.js';
import { expectError } from './support/golden.js';
import { loadCorpus } from './support/corpus.js';
import { ddlColumns } from './support/ddl-columns.js';

const TARGETS: SqlDialectName[] = ['duckdb', 'trino', 'athena', 'hive', 'spark', 'impala'];

/** An in-memory DuckDB with every ddl/ table, empty: the DuckDB rendering is bound (names, functions, types) against it. */
let duck: DuckDBInstance;
let conn: DuckDBConnection;
beforeAll(async () => {
  duck = await DuckDBInstance.create(':memory:');
  conn = await duck.connect();
  for (const [table, cols] of ddlColumns()) {
    const defs = cols.map((c) => `"${c.name}" ${c.type === 'STRING' ? 'VARCHAR' : c.type}`).join(', ');
    await conn.run(`CREATE TABLE "${table}" (${defs})`);
  }
});
afterAll(() => {
  conn?.closeSync();
  duck?.closeSync();
});

describe('the Hive corpus, rendered for every target', () => {
  const corpus = loadCorpus();

  it.each(corpus)('$id: renders SQL in the target\'s quoting that DuckDB binds, or names what it cannot translate', async (q) => {
    for (const to of TARGETS) {
      let sql: string;
      try {
        sql = translate({ sql: q.sql, from: q.from, to, resolveTable: catalogResolver(to) }).sql;
      } catch (err) {
        expect(isAppError(err) && err.code, `${to}: ${String(err)}`).toBe('SQL_UNTRANSLATABLE');
        continue;
      }
      // Identifiers in the target's own quoting only (double quotes for DuckDB/Trino/Athena, backquotes for the Hive family).
      const foreign = to === 'duckdb' || to === 'trino' || to === 'athena' ? /`/ : /"[a-z_]+"/;
      const outsideStrings = sql.replace(/'(?:[^'\\]|\\.|'')*'/g, "''");
      expect(outsideStrings, `${q.id} -> ${to}`).not.toMatch(foreign);
      // DuckDB, the engine that runs here, binds it: an unknown function, column or type fails here.
      if (to === 'duckdb') await expect(conn.prepare(sql).then(() => 'bound'), `${q.id}: ${sql}`).resolves.toBe('bound');
    }
  });

  it('renders Athena exactly like Trino', () => {
    for (const q of corpus) {
      const render = (to: SqlDialectName) => {
        try {
          return translate({ sql: q.sql, from: q.from, to, resolveTable: catalogResolver('trino') }).sql;
        } catch (err) {
          return isAppError(err) ? err.code : String(err);
        }
      };
      expect(render('athena'), q.id).toBe(render('trino'));
    }
  });

  it('translates every corpus query to DuckDB, Trino, Hive and Spark (or refuses where the query says it must)', () => {
    for (const q of corpus) {
      for (const to of ['duckdb', 'trino', 'hive', 'spark'] as const) {
        const run = () => translate({ sql: q.sql, from: q.from, to, resolveTable: catalogResolver(to) });
        if (q.refused[to] !== undefined) expectError(run, 'SQL_UNTRANSLATABLE', `${q.id} -> ${to}`);
        else expect(run, `${q.id} -> ${to}`).not.toThrow();
      }
    }
  });

  it('produces Hive SQL that is valid Hive input again', () => {
    for (const q of corpus.filter((c) => c.refused.hive === undefined)) {
      const once = translate({ sql: q.sql, from: q.from, to: 'hive' }).sql;
      expect(() => validateSql(once, 'hive'), `${q.id}: ${once}`).not.toThrow();
    }
  });
});
