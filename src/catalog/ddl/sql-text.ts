import { parseHiveType } from './hive-ddl-parser.js';
import { HIVE_DEFAULT_PARTITION, isNumericType, mapHiveType, type HiveType } from './hive-type.js';
import type { ColumnDef, TableDef } from '../table-def.js';
import { duckdbDialect } from '../../sql/dialects/duckdb-dialect.js';
import { hiveDialect } from '../../sql/dialects/hive-dialect.js';

/**
 * Quoting belongs to the SQL dialects (one identifier and one string quoting per dialect); DDL uses
 * theirs so a name or comment reads back the same in a query.
 */
/** Back-quoted identifier (Hive, Impala, Spark, Athena DDL). */
export const backtick = hiveDialect.quote;
/** Double-quoted identifier (DuckDB, Trino). */
export const dquote = duckdbDialect.quote;
/** A string literal for Hive-family parsers, which read backslash escapes. */
export const hiveString = hiveDialect.stringLiteral;
/** A standard SQL string literal (DuckDB, Trino): quotes doubled, backslashes literal. */
export const sqlString = duckdbDialect.stringLiteral;

/** The type tree of a column (validated when the definition was made). */
export const typeOf = (c: ColumnDef): HiveType => parseHiveType(c.type);

/** Renders a type with Hive's shapes (`ARRAY<T>`, `MAP<K,V>`, `STRUCT<a:T>`) and a per-primitive spelling. */
export function hiveFamilyType(c: ColumnDef, lower = false): string {
  const shape = lower
    ? { array: (e: string) => `array<${e}>`, map: (k: string, v: string) => `map<${k},${v}>`, struct: (f: [string, string][]) => `struct<${f.map(([n, t]) => `${n}:${t}`).join(',')}>` }
    : { array: (e: string) => `ARRAY<${e}>`, map: (k: string, v: string) => `MAP<${k},${v}>`, struct: (f: [string, string][]) => `STRUCT<${f.map(([n, t]) => `${backtick(n)}:${t}`).join(',')}>` };
  return mapHiveType(typeOf(c), (p) => {
    const text = p.params.length ? `${p.name}(${p.params.join(',')})` : p.name;
    return lower ? text.toLowerCase() : text;
  }, shape);
}

/** `  \`name\` TYPE COMMENT '...'` lines of a column list. */
export function columnLines(cols: readonly ColumnDef[], type: (c: ColumnDef) => string, quote: (s: string) => string = hiveString): string {
  return cols.map((c) => `  ${backtick(c.name)} ${type(c)}${c.comment ? ` COMMENT ${quote(c.comment)}` : ''}`).join(',\n');
}

export function qualifiedName(def: TableDef, q: (s: string) => string = backtick): string {
  return `${q(def.database)}.${q(def.name)}`;
}

export function tblProperties(props: Record<string, string>): string | undefined {
  const entries = Object.entries(props);
  if (entries.length === 0) return undefined;
  return `TBLPROPERTIES (${entries.map(([k, v]) => `${hiveString(k)}=${hiveString(v)}`).join(', ')})`;
}

/** `PARTITION (txn_year=2024, txn_month=1)` with numbers bare and everything else quoted. */
export function partitionClause(def: TableDef, values: Record<string, string>): string {
  const parts = def.partitionKeys.map((k) => {
    const v = values[k.name] ?? '';
    const bare = isNumericType(typeOf(k)) && v !== HIVE_DEFAULT_PARTITION && /^[+-]?\d+(\.\d+)?$/.test(v);
    return `${backtick(k.name)}=${bare ? v : hiveString(v)}`;
  });
  return `PARTITION (${parts.join(', ')})`;
}
