import { AppError } from '../errors.js';
import type { TableRef } from './ir.js';
import { parseHiveType, type ColumnType } from './typing.js';

/** The engine-side reference of a catalog table, as the caller's catalog knows it. */
export interface ResolvedTable {
  /** Rendered target reference, inserted as is (e.g. `"card_analytics"."monthly_trend"`). */
  sql: string;
  /** Column names and Hive types (partition keys included); lets translation use the real types. */
  columns?: ReadonlyArray<{ name: string; type: string }>;
}

/** Looks up a table reference (names lower-case; `database` absent for a bare name). */
export type TableResolver = (ref: TableRef) => ResolvedTable | undefined;

export interface ResolvedTables {
  sqlOf(ref: TableRef): string;
  columnsOf(ref: TableRef): readonly ColumnType[] | undefined;
}

const key = (ref: TableRef): string => `${ref.database ?? ''}.${ref.name}`;

/** Resolves every referenced table up front; an unknown one is TABLE_NOT_FOUND. */
export function resolveTables(tables: readonly TableRef[], resolve: TableResolver): ResolvedTables {
  const found = new Map<string, { sql: string; columns?: ColumnType[] }>();
  for (const ref of tables) {
    const hit = resolve(ref);
    if (!hit) {
      const shown = ref.database ? `${ref.database}.${ref.name}` : ref.name;
      throw new AppError('TABLE_NOT_FOUND', `table ${shown} does not exist`, { details: { table: shown } });
    }
    const columns = hit.columns?.map((c) => ({ name: c.name, type: parseHiveType(c.type) }));
    found.set(key(ref), { sql: hit.sql, ...(columns ? { columns } : {}) });
  }
  return {
    sqlOf: (ref) => found.get(key(ref))?.sql ?? '',
    columnsOf: (ref) => found.get(key(ref))?.columns,
  };
}

/** A catalog table as translation needs it; plain data, so that it can cross to a worker thread. */
export interface CatalogTable {
  database: string;
  name: string;
  /** The engine's reference to it (see ResolvedTable.sql). */
  sql: string;
  columns: ReadonlyArray<{ name: string; type: string }>;
}

/**
 * Finds a reference among catalog tables: names compare lower-cased, and a bare name matches the
 * table of that name in any database (the first listed).
 */
export function findCatalogTable<T extends { database: string; name: string }>(tables: readonly T[], ref: { database?: string; name: string }): T | undefined {
  const name = ref.name.toLowerCase();
  const database = ref.database?.toLowerCase();
  return tables.find((d) => d.name === name && (database === undefined || d.database === database));
}

/** A TableResolver over catalog tables. */
export function catalogResolver(tables: readonly CatalogTable[]): TableResolver {
  return (ref) => {
    const t = findCatalogTable(tables, ref);
    return t ? { sql: t.sql, columns: t.columns } : undefined;
  };
}
