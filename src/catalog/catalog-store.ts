import type { PartitionDef, TableDef } from './table-def.js';

/** Partitions to register and to forget in one call. */
export interface PartitionChanges {
  add?: PartitionDef[];
  /** Values of the partitions to drop (all keys). */
  drop?: Record<string, string>[];
  /**
   * Registered partitions that now live at another location (a table republished under a new version
   * prefix): re-pointed in place, so that a reader never finds them missing.
   */
  move?: PartitionDef[];
}

/** Outcome of a partition change; failures are reported, never thrown for partial batches. */
export interface PartitionBatchResult {
  added: number;
  dropped: number;
  moved: number;
  failed: { op: 'add' | 'drop' | 'move'; values: Record<string, string>; reason: string }[];
}

/**
 * Where table and partition metadata lives. Implementations: `local/` (embedded DuckDB file under
 * LAKEGATE_HOME) and `glue/` (AWS Glue Data Catalog). Names are case-insensitive and stored lower-case.
 * Partition values are Hive text; `filter` matches them by typed equality per the key's type
 * (`txn_month=1` finds `txn_month=01`).
 */
export interface CatalogStore {
  readonly kind: 'local' | 'glue';
  readonly database: string;
  /**
   * Whether changePartitions is all-or-nothing. The local store applies a change in one transaction;
   * Glue applies batches (≤100 adds, ≤25 drops) and reports the entries that failed.
   */
  readonly atomicPartitionChanges: boolean;
  listTables(): Promise<TableDef[]>;
  getTable(name: string): Promise<TableDef | undefined>;
  /** Creates the table; returns false (and changes nothing) when it exists. */
  createTable(def: TableDef): Promise<boolean>;
  /** Creates or replaces the table definition, keeping its partitions when the keys are unchanged (dropping them otherwise). */
  upsertTable(def: TableDef): Promise<void>;
  /** Removes metadata only (the table and its partitions); returns false when there was no such table. */
  dropTable(name: string): Promise<boolean>;
  /** Throws TABLE_NOT_FOUND for an unknown table. */
  /** `listed`: the table's definition as the caller just listed it (Glue then needs no GetTable). */
  listPartitions(name: string, filter?: Record<string, string>, listed?: TableDef): Promise<PartitionDef[]>;
  countPartitions(name: string): Promise<number>;
  /** Adds (already registered ones count as added) and drops (missing ones count as dropped). Throws TABLE_NOT_FOUND. */
  changePartitions(name: string, changes: PartitionChanges, options?: { signal?: AbortSignal }): Promise<PartitionBatchResult>;
  /** A number that grows whenever the table's definition or partitions change (cache keys use it); TABLE_NOT_FOUND when missing. */
  tableVersion(name: string): Promise<number>;
  /**
   * The table's version in the latest listTables, for stores that list versions with the tables
   * (Glue's GetTables does: no GetTable per table is needed); undefined otherwise. A caller that has
   * just listed the tables gets the versions of what it listed.
   */
  listedVersion?(name: string): number | undefined;
  close(): Promise<void>;
}
