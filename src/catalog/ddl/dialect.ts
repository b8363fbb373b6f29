import type { TableDef } from '../table-def.js';

/** Engines whose DDL the catalog renders. */
export const DDL_DIALECTS = ['hive', 'impala', 'athena', 'spark', 'duckdb', 'trino'] as const;
export type DdlDialect = (typeof DDL_DIALECTS)[number];

export function isDdlDialect(name: string): name is DdlDialect {
  return (DDL_DIALECTS as readonly string[]).includes(name);
}

export interface RefreshOptions {
  /** The table is new to the engine (Impala then needs INVALIDATE METADATA rather than REFRESH). */
  newTable?: boolean;
  /** Values of partitions removed from the catalog, which engines that cannot sync must drop explicitly. */
  removed?: Record<string, string>[];
}

/**
 * One engine's DDL. Pure: a definition in, SQL text out. Each statement ends without a semicolon;
 * renderTableDdl joins them into a script.
 */
export interface DialectRenderer {
  readonly dialect: DdlDialect;
  /** The CREATE statement(s) registering the table in the engine. */
  create(def: TableDef): string[];
  /** What makes the engine see the current partitions and files after a load or a repair. */
  refresh(def: TableDef, options?: RefreshOptions): string[];
}
