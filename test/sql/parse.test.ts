import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { parseSql, toSqlDialect, validateSql } from '../../src/sql/index.js';
import { expectError } from './support/golden.js';

function syntaxPosition(sql: string, dialect: 'hive' | 'duckdb' = 'hive'): unknown {
  try {
    parseSql(sql, dialect);
  } catch (err) {
    if (err instanceof AppError && err.code === 'SQL_SYNTAX') return err.details.position;
    throw err;
  }
  throw new Error('expected a syntax error');
}

describe('parseSql', () => {
  it('returns the single SELECT statement', () => {
    expect(parseSql('SELECT 1', 'hive').query.body.kind).toBe('select');
    expect(parseSql('WITH x AS (SELECT 1 AS a) SELECT a FROM x;', 'duckdb').query.body.kind).toBe('select');
  });

  it('reports syntax errors with a 1-based line and column', () => {
    expect(syntaxPosition('SELECT a\nFROM t\nWHERE x = = 1')).toEqual({ line: 3, column: 11 });
    expect(syntaxPosition('SELECT a FROM t WHERE', 'duckdb')).toEqual({ line: 1, column: 22 });
  });

  it('reports positions in the original text after DIV', () => {
    const withDiv = syntaxPosition('SELECT a DIV 2 FROM t WHERE x = = 1');
    expect(withDiv).toEqual(syntaxPosition('SELECT a /   2 FROM t WHERE x = = 1'));
    expect(withDiv).toEqual({ line: 1, column: 33 });
  });

  it('rejects lexical traps where the grammar and the engines disagree', () => {
    expectError(() => parseSql('SELECT 10L', 'duckdb'), 'SQL_UNTRANSLATABLE');
    expectError(() => parseSql('SELECT 10X', 'hive'), 'SQL_UNTRANSLATABLE');
    expectError(() => parseSql("SELECT 'a' 'b'", 'hive'), 'SQL_UNTRANSLATABLE');
    expectError(() => parseSql('SELECT 1 # 2', 'duckdb'), 'SQL_SYNTAX');
  });

  it('validates dialect names', () => {
    expect(toSqlDialect('Athena')).toBe('athena');
    expectError(() => toSqlDialect('oracle'), 'UNKNOWN_DIALECT');
    expectError(() => validateSql('SELECT 1', 'mysql'), 'UNKNOWN_DIALECT');
  });
});

describe('literals and identifiers by dialect', () => {
  const firstItem = (sql: string, dialect: 'hive' | 'spark' | 'duckdb' | 'trino') => {
    const body = validateSql(sql, dialect).query.body;
    if (body.kind !== 'select') throw new Error('not a select');
    return body.columns[0]?.expr;
  };

  it('reads double quotes as strings in the Hive family and as identifiers in ANSI dialects', () => {
    expect(firstItem('SELECT "x"', 'hive')).toEqual({ kind: 'literal', type: 'string', value: 'x' });
    expect(firstItem('SELECT "x" FROM t', 'duckdb')).toEqual({ kind: 'column', name: 'x' });
    expect(firstItem('SELECT `x` FROM t', 'spark')).toEqual({ kind: 'column', name: 'x' });
  });

  it('decodes Hive backslash escapes; a doubled quote is an escape only in Spark', () => {
    expect(firstItem("SELECT 'a\\'b\\\\c\\n'", 'hive')).toEqual({ kind: 'literal', type: 'string', value: "a'b\\c\n" });
    expect(firstItem("SELECT 'it''s'", 'spark')).toEqual({ kind: 'literal', type: 'string', value: "it's" });
    expectError(() => validateSql("SELECT 'it''s'", 'hive'), 'SQL_UNTRANSLATABLE');
    expect(firstItem("SELECT 'a\\_b'", 'hive')).toEqual({ kind: 'literal', type: 'string', value: 'a\\_b' });
  });

  it('keeps backslashes and reads doubled quotes in ANSI literals', () => {
    expect(firstItem("SELECT 'it''s \\d'", 'trino')).toEqual({ kind: 'literal', type: 'string', value: "it's \\d" });
    expect(firstItem("SELECT 'C:\\' AS p", 'trino')).toEqual({ kind: 'literal', type: 'string', value: 'C:\\' });
  });

  it('types numeric literals the way each dialect does', () => {
    expect(firstItem('SELECT 1.5', 'hive')).toMatchObject({ numeric: 'double' });
    expect(firstItem('SELECT 1.5', 'spark')).toMatchObject({ numeric: 'decimal' });
    expect(firstItem('SELECT 1.5', 'duckdb')).toMatchObject({ numeric: 'decimal' });
    expect(firstItem('SELECT 1e3', 'duckdb')).toMatchObject({ numeric: 'double' });
    expect(firstItem('SELECT 99999999999', 'hive')).toMatchObject({ numeric: 'integer', value: '99999999999' });
    expect(firstItem('SELECT 10L', 'hive')).toMatchObject({ kind: 'cast', to: { kind: 'int', bits: 64 } });
    expect(firstItem('SELECT 1.50BD', 'spark')).toMatchObject({ kind: 'cast', to: { kind: 'decimal', precision: 3, scale: 2 } });
    expect(firstItem('SELECT 2.5D', 'spark')).toMatchObject({ kind: 'cast', arg: { value: '2.5' }, to: { kind: 'double' } });
  });
});
