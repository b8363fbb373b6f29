import { toSqlDialect, type SqlDialectName } from './dialect.js';
import { dialectFor } from './dialects/registry.js';
import type { TableRef } from './ir.js';
import { bindParams, type Params } from './params.js';
import { Renderer } from './render/renderer.js';
import { scanFilters, type TableScanFilter } from './scan-filters.js';
import { resolveTables, type TableResolver } from './resolve.js';
import { Types } from './typing.js';
import { expandViews } from './views.js';
import { validateSql } from './validate.js';

export interface TranslateRequest {
  sql: string;
  from: SqlDialectName | string;
  to: SqlDialectName | string;
  /** Maps catalog tables to target references (and views to their queries); without it tables are rendered as written. */
  resolveTable?: TableResolver;
  /** Values for `:name` placeholders. */
  params?: Params;
  /** Also answer `scanFilters`: the literal bounds on each table reference's columns (for partition pruning). */
  scanFilters?: boolean;
}

export interface TranslateResult {
  sql: string;
  /** Faithful translations that still deserve a note (approximate aggregates, assumptions). */
  warnings: string[];
  tables: TableRef[];
  /** Present when the request asked for it: see {@link scanFilters}. Parameters are bound in it. */
  scanFilters?: TableScanFilter[];
}

/** The caller's resolver, asked once per reference. */
function memoized(resolve: TableResolver): TableResolver {
  const seen = new Map<string, ReturnType<TableResolver>>();
  return (ref) => {
    const key = `${ref.database ?? ''}.${ref.name}`;
    if (!seen.has(key)) seen.set(key, resolve(ref));
    return seen.get(key);
  };
}

/**
 * Translates one query between dialects, validating it on the way (see validateSql). The result means
 * what the source meant, or the call fails: SQL_UNTRANSLATABLE names the construct that has no faithful
 * rendering in the target. Time functions assume the session time zone is UTC (as the gateway runs).
 *
 * @example translate({ sql: 'SELECT substr(card_no, -4) FROM t', from: 'hive', to: 'duckdb' })
 */
export function translate(request: TranslateRequest): TranslateResult {
  const from = toSqlDialect(request.from);
  const dialect = dialectFor(toSqlDialect(request.to));
  const validated = validateSql(request.sql, from);
  // Views are replaced by their queries first: what is resolved, estimated and read is their tables.
  const resolve = request.resolveTable && memoized(request.resolveTable);
  const expanded = resolve ? expandViews(validated.query, validated.tables, resolve) : { ...validated, warnings: [] };
  const resolved = resolve ? resolveTables(expanded.tables, resolve) : undefined;
  const query = bindParams(expanded.query, request.params ?? {});
  const types = new Types((ref) => resolved?.columnsOf(ref));
  types.inferQuery(query);
  const warnings = new Set([...validated.warnings, ...expanded.warnings]);
  const asWritten = (ref: TableRef): string => (ref.database ? `${dialect.quote(ref.database)}.${dialect.quote(ref.name)}` : dialect.quote(ref.name));
  const renderer = new Renderer({
    dialect,
    source: from,
    types,
    tableSql: (ref) => (resolved ? resolved.sqlOf(ref) : asWritten(ref)),
    warnings,
  });
  const sql = renderer.query(query);
  return { sql, warnings: [...warnings], tables: expanded.tables, ...(request.scanFilters ? { scanFilters: scanFilters(query) } : {}) };
}
