import { AppError } from '../errors.js';

/** The SQL dialects the gateway accepts as input and can produce as output. */
export const SQL_DIALECTS = ['hive', 'impala', 'spark', 'athena', 'trino', 'duckdb'] as const;

export type SqlDialectName = (typeof SQL_DIALECTS)[number];

/**
 * Families share lexical rules: `hive` (Hive, Impala, Spark: backtick identifiers, double quotes are
 * strings, backslash escapes in literals) and `ansi` (Trino/Athena, DuckDB: double-quoted identifiers,
 * standard literals where only `''` escapes a quote).
 */
export type DialectFamily = 'hive' | 'ansi';

export function dialectFamily(dialect: SqlDialectName): DialectFamily {
  return dialect === 'hive' || dialect === 'impala' || dialect === 'spark' ? 'hive' : 'ansi';
}

export function isSqlDialect(value: string): value is SqlDialectName {
  return (SQL_DIALECTS as readonly string[]).includes(value);
}

/** Validates a dialect name from a request; athena and trino are the same dialect. */
export function toSqlDialect(value: string): SqlDialectName {
  const lower = value.toLowerCase();
  if (isSqlDialect(lower)) return lower;
  throw new AppError('UNKNOWN_DIALECT', `unknown SQL dialect '${value}'; expected one of ${SQL_DIALECTS.join(', ')}`);
}
