/**
 * The SQL layer of `POST /query`: pure functions, no I/O.
 *
 * - {@link parseSql}: one statement of a source dialect into the IR with the gateway's own parser
 *   (parser/), with the size, nesting and statement-shape guards (SQL_NOT_ALLOWED) and syntax errors
 *   with positions (SQL_SYNTAX). What each source dialect accepts is data in parser/source-dialects.ts.
 * - {@link validateSql}: exactly one SELECT over catalog tables, functions from the dialect's allow-list;
 *   returns the IR and the referenced tables.
 * - {@link translate}: validate, resolve tables (TABLE_NOT_FOUND), bind `:name` parameters as typed
 *   literals, and render for a target dialect (SQL_UNTRANSLATABLE when it cannot be done faithfully).
 *
 * Dialects: hive, impala, spark, athena, trino (athena = trino), duckdb.
 * Parameters: `:name` placeholders (letters, digits, underscore), bound from `params` as typed literals
 * in the IR and rendered by the target dialect; never pasted into the text.
 * Time: functions that depend on a time zone assume the session zone is UTC, as the gateway runs.
 * Functions: allow-listed per source dialect (lower/hive-functions.ts, lower/ansi-functions.ts); their
 * meanings are the canonical functions of functions.ts; each target renders them in dialects/.
 */
export { SQL_DIALECTS, toSqlDialect, type SqlDialectName } from './dialect.js';
export { parseSql, type ParsedSql } from './parse.js';
export { validateSql, type ValidatedQuery } from './validate.js';
export { translate, type TranslateRequest, type TranslateResult } from './translate.js';
export { scanFilters, type ColumnFilter, type FilterValue, type TableScanFilter } from './scan-filters.js';
export { findCatalogTable, type CatalogTable, type ResolvedTable, type TableResolver } from './resolve.js';
export { TranslatorPool, type PortableTranslateRequest } from './translator-pool.js';
export type { ParamValue, Params } from './params.js';
export type { TableRef } from './ir.js';
export { MAX_STATEMENT_BYTES, MAX_PAREN_DEPTH } from './guards.js';
