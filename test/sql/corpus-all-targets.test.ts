import { describe, expect, it } from 'vitest';
import { isAppError } from '../../src/errors.js';
import { translate, validateSql, type SqlDialectName } from '../../src/sql/index.js';
import { catalogResolver } from './support/catalog-resolver.js';
import { loadCorpus } from './support/corpus.js';

const TARGETS: SqlDialectName[] = ['duckdb', 'trino', 'athena', 'hive', 'spark', 'impala'];

describe('the Hive corpus, rendered for every target', () => {
  const corpus = loadCorpus();

  it.each(corpus)('$id: translates, or names what it cannot translate', (q) => {
    for (const to of TARGETS) {
      try {
        const out = translate({ sql: q.sql, from: 'hive', to, resolveTable: catalogResolver(to) });
        expect(out.sql.length).toBeGreaterThan(0);
      } catch (err) {
        expect(isAppError(err) && err.code, `${to}: ${String(err)}`).toBe('SQL_UNTRANSLATABLE');
      }
    }
  });

  it('renders Athena exactly like Trino', () => {
    for (const q of corpus) {
      const render = (to: SqlDialectName) => {
        try {
          return translate({ sql: q.sql, from: 'hive', to, resolveTable: catalogResolver('trino') }).sql;
        } catch (err) {
          return isAppError(err) ? err.code : String(err);
        }
      };
      expect(render('athena'), q.id).toBe(render('trino'));
    }
  });

  it('translates every corpus query to DuckDB, Trino, Hive and Spark', () => {
    for (const q of corpus) {
      for (const to of ['duckdb', 'trino', 'hive', 'spark'] as const) {
        expect(() => translate({ sql: q.sql, from: 'hive', to, resolveTable: catalogResolver(to) }), `${q.id} -> ${to}`).not.toThrow();
      }
    }
  });

  it('produces Hive SQL that is valid Hive input again', () => {
    for (const q of corpus) {
      const once = translate({ sql: q.sql, from: 'hive', to: 'hive' }).sql;
      expect(() => validateSql(once, 'hive'), `${q.id}: ${once}`).not.toThrow();
    }
  });
});
