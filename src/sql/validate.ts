import { toSqlDialect, type SqlDialectName } from './dialect.js';
import type { Query, TableRef } from './ir.js';
import { parseSql } from './parse.js';

/** A query that passed every check, in the IR, with the catalog tables it reads. */
export interface ValidatedQuery {
  dialect: SqlDialectName;
  query: Query;
  /** Catalog tables referenced (CTE names excluded), names lower-cased, in order of appearance. */
  tables: TableRef[];
  warnings: string[];
}

/**
 * Parses and checks one query: exactly one SELECT (WITH and UNION allowed) over catalog tables.
 * Refused with SQL_NOT_ALLOWED: every other statement (COPY, ATTACH, INSTALL, LOAD, SET, PRAGMA, CALL,
 * EXPORT, DDL, DML), several statements, table functions and file paths or strings in FROM, system
 * catalogs, and any function outside the source dialect's allow-list (lower/*-functions.ts).
 * Constructs that cannot be carried over faithfully are SQL_UNTRANSLATABLE; syntax errors SQL_SYNTAX.
 *
 * @example validateSql('SELECT count(*) FROM card_analytics.monthly_trend', 'hive').tables
 *   // [{ database: 'card_analytics', name: 'monthly_trend' }]
 */
export function validateSql(sql: string, dialect: SqlDialectName | string): ValidatedQuery {
  const name = toSqlDialect(dialect);
  const parsed = parseSql(sql, name);
  return { dialect: name, query: parsed.query, tables: parsed.tables, warnings: parsed.warnings };
}
