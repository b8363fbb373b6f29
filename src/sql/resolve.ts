import { AppError } from '../errors.js';
import type { SqlDialectName } from './dialect.js';
import type { TableRef } from './ir.js';
import { parseHiveType, type ColumnType } from './typing.js';

/** The engine-side reference of a catalog table, as the caller's catalog knows it. */
export interface ResolvedTable {
  /** Rendered target reference, inserted as is (e.g. `"card_analytics"."monthly_trend"`). */
  sql: string;
  /** Column names and Hive types (partition keys included); lets translation use the real types. */
  columns?: ReadonlyArray<{ name: string; type: string }>;
}

/**
 * A view: one SELECT over catalog tables, in the dialect it is written in. A reference to it is
 * replaced by its query (as a derived table under the reference's name), which is then translated
 * with the rest, so a view reads the same on every engine and needs nothing created in any of them.
 */
export interface ViewBody {
  sql: string;
  dialect: SqlDialectName;
}

/** What a reference names: a table of the engine, or a view expanded in place. */
export type Resolved = ResolvedTable | { view: ViewBody };

/** Looks up a table reference (names lower-case; `database` absent for a bare name). */
export type TableResolver = (ref: TableRef) => Resolved | undefined;

export interface ResolvedTables {
  sqlOf(ref: TableRef): string;
  columnsOf(ref: TableRef): readonly ColumnType[] | undefined;
}

export function tableNotFound(ref: TableRef): AppError {
  const shown = ref.database ? `${ref.database}.${ref.name}` : ref.name;
  return new AppError('TABLE_NOT_FOUND', `table ${shown} does not exist`, { details: { table: shown } });
}

const key = (ref: TableRef): string => `${ref.database ?? ''}.${ref.name}`;

/** Resolves every referenced table up front; an unknown one is TABLE_NOT_FOUND. */
export function resolveTables(tables: readonly TableRef[], resolve: TableResolver): ResolvedTables {
  const found = new Map<string, { sql: string; columns?: ColumnType[] }>();
  for (const ref of tables) {
    const hit = resolve(ref);
    if (!hit) throw tableNotFound(ref);
    // Views are expanded before tables are resolved (views.ts): one left here is a view's own name.
    if ('view' in hit) throw tableNotFound(ref);
    const columns = hit.columns?.map((c) => ({ name: c.name, type: parseHiveType(c.type) }));
    found.set(key(ref), { sql: hit.sql, ...(columns ? { columns } : {}) });
  }
  return {
    sqlOf: (ref) => found.get(key(ref))?.sql ?? '',
    columnsOf: (ref) => found.get(key(ref))?.columns,
  };
}

/**
 * A catalog table (the engine's reference and its columns) or a view, as translation needs it; plain
 * data, so that it can cross to a worker thread.
 */
export type CatalogTable =
  | { database: string; name: string; sql: string; columns: ReadonlyArray<{ name: string; type: string }> }
  | { database: string; name: string; view: ViewBody };

/**
 * Finds a reference among catalog tables: names compare lower-cased, and a bare name matches the
 * table of that name in `database` when one is given (the request's default database), else in any
 * database (the first listed).
 */
export function findCatalogTable<T extends { database: string; name: string }>(tables: readonly T[], ref: { database?: string; name: string }, database?: string): T | undefined {
  const name = ref.name.toLowerCase();
  const db = (ref.database ?? database)?.toLowerCase();
  return tables.find((d) => d.name === name && (db === undefined || d.database === db));
}

/** A TableResolver over catalog tables; bare names are looked up in `database` when it is given. */
export function catalogResolver(tables: readonly CatalogTable[], database?: string): TableResolver {
  return (ref) => {
    const t = findCatalogTable(tables, ref, database);
    if (!t) return undefined;
    return 'view' in t ? { view: t.view } : { sql: t.sql, columns: t.columns };
  };
}
