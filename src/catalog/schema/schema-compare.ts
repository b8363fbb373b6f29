import { parseHiveType } from '../ddl/hive-ddl-parser.js';
import { comparableType } from '../ddl/hive-type.js';
import type { TableDef } from '../table-def.js';

export interface SchemaDifference {
  column: string;
  declared: string | null;
  actual: string | null;
  file?: string;
}

const comparable = (type: string): string => {
  try {
    return comparableType(parseHiveType(type));
  } catch {
    return type.toUpperCase();
  }
};

/**
 * Differences between a table's declared columns and one file's columns (lower-cased names, Hive
 * types): missing, undeclared, and of another type. VARCHAR/CHAR match STRING (Parquet stores text);
 * partition keys found in a file are not compared (writers usually leave them to the path).
 */
export function compareColumns(def: TableDef, actual: { name: string; type: string }[], file: string): SchemaDifference[] {
  const keys = new Set(def.partitionKeys.map((k) => k.name));
  const declared = new Map(def.columns.map((c) => [c.name.toLowerCase(), c.type]));
  const found = new Map(actual.filter((c) => !keys.has(c.name)).map((c) => [c.name, c.type]));
  const out: SchemaDifference[] = [];
  for (const [column, type] of declared) {
    const a = found.get(column);
    if (a === undefined) out.push({ column, declared: type, actual: null, file });
    else if (comparable(a) !== comparable(type)) out.push({ column, declared: type, actual: a, file });
  }
  for (const [column, type] of found) if (!declared.has(column)) out.push({ column, declared: null, actual: type, file });
  return out;
}

/** Keeps the first occurrence of each (column, declared, actual): the same drift in 50 files is one finding. */
export function dedupeDifferences(diffs: SchemaDifference[]): SchemaDifference[] {
  const seen = new Set<string>();
  return diffs.filter((d) => {
    const key = `${d.column}\u0000${d.declared}\u0000${d.actual}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Up to `max` items spread evenly over the list (first and last included). */
export function spread<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  if (max <= 1) return items.slice(0, max);
  return Array.from({ length: max }, (_, i) => items[Math.round((i * (items.length - 1)) / (max - 1))]!);
}
