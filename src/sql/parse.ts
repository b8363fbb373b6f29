import { AppError } from '../errors.js';
import { dialectFamily, type SqlDialectName } from './dialect.js';
import { assertQueryShape, assertStatementSize } from './guards.js';
import type { Query, TableRef } from './ir.js';
import { tokenize, type Token } from './lexer.js';
import { LowerContext } from './lower/context.js';
import { assertIrDepth, Parser } from './parser/parser.js';

export interface ParsedSql {
  dialect: SqlDialectName;
  /** The single SELECT statement, in the IR. */
  query: Query;
  /** Catalog tables referenced (CTE names excluded), names lower-cased, in order of appearance. */
  tables: TableRef[];
  warnings: string[];
  tokens: Token[];
}

/**
 * Parses one query in a source dialect into the IR, with the gateway's own recursive-descent parser
 * (parser/parser.ts) and the dialect's settings (parser/source-dialects.ts). Refuses (SQL_NOT_ALLOWED)
 * statements over 1 MB, nested more than 100 parentheses deep, several statements, anything but
 * SELECT/WITH, table functions and string paths in FROM. Syntax errors are SQL_SYNTAX with
 * `details.position` ({ line, column }, 1-based).
 *
 * @example parseSql('SELECT 1', 'hive').query.body.kind === 'select'
 */
export function parseSql(sql: string, dialect: SqlDialectName): ParsedSql {
  assertStatementSize(sql);
  const family = dialectFamily(dialect);
  const tokens = tokenize(sql, family);
  assertQueryShape(tokens, family === 'hive');
  const ctx = new LowerContext(dialect);
  let query: Query;
  try {
    query = new Parser(tokens, sql, ctx).statement();
  } catch (err) {
    if (err instanceof RangeError) throw new AppError('SQL_NOT_ALLOWED', 'statement is nested too deeply', { cause: err });
    throw err;
  }
  assertIrDepth(query);
  return { dialect, query, tables: ctx.tables, warnings: [...ctx.warnings], tokens };
}
