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
