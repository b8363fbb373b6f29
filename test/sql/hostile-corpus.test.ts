import { describe, expect, it } from 'vitest';
import { isAppError, type ErrorCode } from '../../src/errors.js';
import { translate, validateSql, type SqlDialectName } from '../../src/sql/index.js';
import { catalogResolver } from './support/catalog-resolver.js';
import { loadCorpus } from './support/corpus.js';
import { expectError } from './support/golden.js';

type Case = [label: string, sql: string, code: ErrorCode, dialects?: SqlDialectName[]];

const ALL: SqlDialectName[] = ['hive', 'spark', 'impala', 'trino', 'athena', 'duckdb'];
const ANSI: SqlDialectName[] = ['trino', 'athena', 'duckdb'];

/** Statements a caller must never get past the gateway, with the error each one earns. */
const HOSTILE: Case[] = [
  ['read_parquet in FROM', "SELECT * FROM read_parquet('/etc/passwd')", 'SQL_NOT_ALLOWED'],
  ['read_csv_auto in FROM', "SELECT * FROM read_csv_auto('s3://bucket/x.csv')", 'SQL_NOT_ALLOWED'],
  ['read_json in a join', "SELECT * FROM card_analytics.monthly_trend m JOIN read_json('x.json') j ON 1 = 1", 'SQL_NOT_ALLOWED'],
  ['parquet_scan', "SELECT * FROM parquet_scan('x.parquet')", 'SQL_NOT_ALLOWED'],
  ['glob', "SELECT * FROM glob('/*')", 'SQL_NOT_ALLOWED'],
  ['read_text in the select list', "SELECT read_text('/etc/passwd')", 'SQL_NOT_ALLOWED'],
  ['read_blob in a subquery', "SELECT (SELECT content FROM read_blob('/etc/shadow'))", 'SQL_NOT_ALLOWED'],
  ['string literal as a table', "SELECT * FROM 'x.parquet'", 'SQL_NOT_ALLOWED'],
  ['string path as a table, joined', "SELECT * FROM card_analytics.monthly_trend, '/data/x.csv'", 'SQL_NOT_ALLOWED'],
  ['quoted file name as a table', 'SELECT * FROM "data.parquet"', 'SQL_NOT_ALLOWED', ANSI],
  ['backticked path as a table', 'SELECT * FROM `/tmp/x.parquet`', 'SQL_NOT_ALLOWED', ['hive', 'spark']],
  ['COPY TO', "COPY card_analytics.monthly_trend TO '/tmp/out.csv'", 'SQL_NOT_ALLOWED'],
  ['COPY FROM', "COPY t FROM '/etc/passwd'", 'SQL_NOT_ALLOWED'],
  ['ATTACH', "ATTACH '/tmp/other.duckdb' AS other", 'SQL_NOT_ALLOWED'],
  ['DETACH', 'DETACH other', 'SQL_NOT_ALLOWED'],
  ['INSTALL', 'INSTALL httpfs', 'SQL_NOT_ALLOWED'],
  ['LOAD', 'LOAD httpfs', 'SQL_NOT_ALLOWED'],
  ['SET', "SET s3_access_key_id = 'x'", 'SQL_NOT_ALLOWED'],
  ['RESET', 'RESET threads', 'SQL_NOT_ALLOWED'],
  ['PRAGMA', 'PRAGMA database_list', 'SQL_NOT_ALLOWED'],
  ['CALL', 'CALL pragma_version()', 'SQL_NOT_ALLOWED'],
  ['EXPORT', "EXPORT DATABASE '/tmp/dump'", 'SQL_NOT_ALLOWED'],
  ['CREATE TABLE AS', 'CREATE TABLE x AS SELECT 1', 'SQL_NOT_ALLOWED'],
  ['CREATE VIEW', 'CREATE VIEW v AS SELECT * FROM card_analytics.monthly_trend', 'SQL_NOT_ALLOWED'],
  ['DROP', 'DROP TABLE card_analytics.monthly_trend', 'SQL_NOT_ALLOWED'],
  ['ALTER', 'ALTER TABLE card_analytics.monthly_trend ADD COLUMNS (x INT)', 'SQL_NOT_ALLOWED'],
  ['TRUNCATE', 'TRUNCATE TABLE card_analytics.monthly_trend', 'SQL_NOT_ALLOWED'],
  ['MSCK', 'MSCK REPAIR TABLE card_analytics.partitioned_transactions', 'SQL_NOT_ALLOWED'],
  ['INSERT', 'INSERT INTO card_analytics.monthly_trend SELECT * FROM card_analytics.monthly_trend', 'SQL_NOT_ALLOWED'],
  ['INSERT OVERWRITE', "INSERT OVERWRITE DIRECTORY '/tmp/x' SELECT 1", 'SQL_NOT_ALLOWED'],
  ['UPDATE', 'UPDATE card_analytics.monthly_trend SET total_amount = 0', 'SQL_NOT_ALLOWED'],
  ['DELETE', 'DELETE FROM card_analytics.monthly_trend', 'SQL_NOT_ALLOWED'],
  ['LOAD DATA', "LOAD DATA INPATH '/tmp/x' INTO TABLE t", 'SQL_NOT_ALLOWED'],
  ['DESCRIBE', 'DESCRIBE card_analytics.monthly_trend', 'SQL_NOT_ALLOWED'],
  ['SHOW', 'SHOW TABLES', 'SQL_NOT_ALLOWED'],
  ['EXPLAIN', 'EXPLAIN SELECT 1', 'SQL_NOT_ALLOWED'],
  ['USE', 'USE other_db', 'SQL_NOT_ALLOWED'],
  ['stacked DROP', 'SELECT 1; DROP TABLE card_analytics.monthly_trend', 'SQL_NOT_ALLOWED'],
  ['two SELECTs', 'SELECT 1; SELECT 2', 'SQL_NOT_ALLOWED'],
  ['stacked after a comment', 'SELECT 1 /* ; */; COPY t TO \'x\'', 'SQL_NOT_ALLOWED'],
  ['getenv', "SELECT getenv('AWS_SECRET_ACCESS_KEY')", 'SQL_NOT_ALLOWED'],
  ['current_setting', "SELECT current_setting('s3_secret_access_key')", 'SQL_NOT_ALLOWED'],
  ['duckdb_settings()', 'SELECT * FROM duckdb_settings()', 'SQL_NOT_ALLOWED'],
  ['duckdb_secrets()', 'SELECT name FROM duckdb_secrets()', 'SQL_NOT_ALLOWED'],
  ['query()', "SELECT * FROM query('SELECT 1')", 'SQL_NOT_ALLOWED'],
  ['query_table()', "SELECT * FROM query_table('t')", 'SQL_NOT_ALLOWED'],
  ['pragma function', 'SELECT * FROM pragma_table_info(\'t\')', 'SQL_NOT_ALLOWED'],
  ['information_schema', 'SELECT * FROM information_schema.tables', 'SQL_NOT_ALLOWED'],
  ['pg_catalog', 'SELECT * FROM pg_catalog.pg_tables', 'SQL_NOT_ALLOWED'],
  ['sqlite_master', 'SELECT * FROM sqlite_master', 'SQL_NOT_ALLOWED'],
  ['system schema', 'SELECT * FROM system.runtime.nodes', 'SQL_NOT_ALLOWED'],
  ['Hive reflect()', "SELECT reflect('java.lang.Runtime', 'getRuntime')", 'SQL_NOT_ALLOWED'],
  ['Hive java_method()', "SELECT java_method('java.lang.System', 'getenv', 'HOME')", 'SQL_NOT_ALLOWED'],
  ['Spark input_file_name()', 'SELECT input_file_name() FROM card_analytics.monthly_trend', 'SQL_NOT_ALLOWED'],
  ['an unknown function (allow-list)', 'SELECT some_new_function(1)', 'SQL_NOT_ALLOWED'],
  ['version()', 'SELECT version()', 'SQL_NOT_ALLOWED'],
  ['the rewrite marker', 'SELECT __lakegate_div(1)', 'SQL_NOT_ALLOWED'],
  ['unknown table', 'SELECT * FROM card_analytics.no_such_table', 'TABLE_NOT_FOUND'],
  ['unknown bare table', 'SELECT * FROM transactions', 'TABLE_NOT_FOUND'],
  ['table in another database', 'SELECT * FROM other_db.monthly_trend', 'TABLE_NOT_FOUND'],
  ['unknown table in a subquery', 'SELECT (SELECT count(*) FROM secrets) FROM card_analytics.monthly_trend', 'TABLE_NOT_FOUND'],
  ['empty statement', '', 'SQL_SYNTAX'],
  ['only a comment', '-- nothing', 'SQL_SYNTAX'],
  ['hash comment hiding SQL', 'SELECT 1 # ; DROP TABLE t', 'SQL_SYNTAX'],
  ['unterminated string', "SELECT 'abc", 'SQL_SYNTAX'],
  ['unterminated comment', 'SELECT 1 /* x', 'SQL_SYNTAX'],
  ['dollar quoting', 'SELECT $$x$$', 'SQL_SYNTAX'],
  ['garbage', 'SELECT FROM WHERE', 'SQL_SYNTAX'],
];

function run(sql: string, dialect: SqlDialectName) {
  return translate({ sql, from: dialect, to: 'duckdb', resolveTable: catalogResolver('duckdb') });
}

describe('hostile statements', () => {
  for (const [label, sql, code, dialects] of HOSTILE) {
    it(`${label} -> ${code}`, () => {
      for (const dialect of dialects ?? ALL) expectError(() => run(sql, dialect), code, `${dialect}: ${sql}`);
    });
  }

  it('refuses statements over 1 MB before parsing them', () => {
    const big = `SELECT '${'x'.repeat(1024 * 1024)}'`;
    expectError(() => validateSql(big, 'hive'), 'SQL_NOT_ALLOWED');
    const multibyte = `SELECT '${'한'.repeat(400_000)}'`;
    expect(multibyte.length).toBeLessThan(1024 * 1024);
    expectError(() => validateSql(multibyte, 'duckdb'), 'SQL_NOT_ALLOWED');
  });

  it('refuses deep nesting instead of overflowing the stack', () => {
    const parens = `SELECT ${'('.repeat(150)}1${')'.repeat(150)}`;
    const subqueries = `SELECT * FROM ${'(SELECT * FROM '.repeat(120)}card_analytics.monthly_trend${') t'.repeat(120)}`;
    const chain = `SELECT ${Array.from({ length: 5000 }, () => 'txn_month').join(' + ')} FROM card_analytics.monthly_trend`;
    const cases = `SELECT ${'CASE WHEN txn_month > 1 THEN '.repeat(600)}1${' END'.repeat(600)} FROM card_analytics.monthly_trend`;
    const nots = `SELECT ${'NOT '.repeat(3000)}TRUE`;
    for (const sql of [parens, subqueries, chain, cases, nots]) {
      for (const dialect of ['hive', 'duckdb'] as const) expectError(() => run(sql, dialect), 'SQL_NOT_ALLOWED', sql.slice(0, 40));
    }
  });

  it('accepts nesting within the limits', () => {
    const sql = `SELECT ${'('.repeat(50)}txn_month${')'.repeat(50)} FROM card_analytics.monthly_trend`;
    expect(run(sql, 'hive').sql).toContain('"txn_month"');
  });

  it('never fails with anything but an AppError on truncated or spliced corpus queries', () => {
    const queries = loadCorpus()
      .map((q) => q.sql)
      .filter((_, i) => i % 2 === 0);
    let checked = 0;
    for (const [i, sql] of queries.entries()) {
      for (let cut = 3; cut < sql.length; cut += 29 + (i % 7)) {
        for (const variant of [sql.slice(0, cut), `${sql.slice(0, cut)}'${sql.slice(cut)}`, `${sql.slice(0, cut)})${sql.slice(cut)}`]) {
          for (const dialect of ['hive', 'duckdb'] as const) {
            try {
              run(variant, dialect);
            } catch (err) {
              if (!isAppError(err)) throw new Error(`${dialect}: non-AppError ${String(err)} for: ${variant}`);
            }
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(1000);
  }, 180_000);
});
