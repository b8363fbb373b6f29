import type { ColumnDef, TableDef } from '../../catalog/table-def.js';

/** DuckDB's name for a Hive column type (the subset ddl/ uses, plus DECIMAL and the common aliases). */
export function duckdbType(hiveType: string): string {
  const t = hiveType.toUpperCase();
  const simple: Record<string, string> = {
    STRING: 'VARCHAR', VARCHAR: 'VARCHAR', CHAR: 'VARCHAR', TINYINT: 'TINYINT', SMALLINT: 'SMALLINT',
    INT: 'INTEGER', INTEGER: 'INTEGER', BIGINT: 'BIGINT', FLOAT: 'FLOAT', DOUBLE: 'DOUBLE',
    BOOLEAN: 'BOOLEAN', DATE: 'DATE', TIMESTAMP: 'TIMESTAMP', BINARY: 'BLOB',
  };
  if (simple[t]) return simple[t];
  if (/^DECIMAL\(\d+,\d+\)$/.test(t) || /^VARCHAR\(\d+\)$/.test(t)) return t;
  throw new Error(`no DuckDB type for Hive type ${hiveType}`);
}

export const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;
export const literal = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/**
 * Wraps a SELECT so that its output has exactly the table's declared columns (then partition keys),
 * in declared order, cast to the declared types: the writer cannot drift from ddl/.
 */
export function conformingSelect(def: TableDef, select: string): string {
  const cols: ColumnDef[] = [...def.columns, ...def.partitionKeys];
  const list = cols.map((c) => `CAST(${ident(c.name)} AS ${duckdbType(c.type)}) AS ${ident(c.name)}`).join(',\n  ');
  return `SELECT\n  ${list}\nFROM (\n${select}\n) AS src`;
}

/** COPY of a conforming SELECT to Snappy Parquet under `dir` (Hive-style key directories when partitioned). */
export function copyToParquet(def: TableDef, select: string, dir: string): string {
  const partition = def.partitionKeys.length ? `, PARTITION_BY (${def.partitionKeys.map((k) => ident(k.name)).join(', ')})` : '';
  const target = def.partitionKeys.length ? dir : `${dir}/part-0.parquet`;
  return `COPY (${conformingSelect(def, select)}) TO ${literal(target)} (FORMAT parquet, COMPRESSION snappy${partition})`;
}
