import type { CatalogChange, EngineSyncOutcome } from '../engines/engine.js';
import type { components } from '../api/openapi-types.js';
import type { Storage } from '../storage/storage.js';
import type { CatalogStore } from './catalog-store.js';
import type { TableDef } from './table-def.js';

type Schemas = components['schemas'];
export type TableSummary = Schemas['TableSummary'];
export type TableView = Schemas['Table'];
export type CreateTableRequest = Schemas['CreateTableRequest'];
export type PartitionView = Schemas['Partition'];
export type RepairResult = Schemas['RepairResult'];
export type ValidateResult = Schemas['ValidateResult'];

export interface RepairOptions {
  /** Report what would change without changing the catalog. */
  dryRun?: boolean;
  /** Also drop registered partitions whose directory is gone (otherwise only adds). */
  dropMissing?: boolean;
  signal?: AbortSignal;
}

/** What registerAndRepair did for one definition. */
export interface RegisterReport {
  table: string;
  action: 'created' | 'updated' | 'unchanged' | 'failed';
  repair?: RepairResult;
  error?: { code: string; message: string };
}

/**
 * What the rest of the gateway (pipeline runner, query engines, routes) asks of the catalog.
 * Implemented by DefaultCatalogService over a CatalogStore and the lake's Storage. Table names are
 * case-insensitive; a name outside `[A-Za-z_][A-Za-z0-9_]*` fails with INVALID_NAME, an unknown one
 * with TABLE_NOT_FOUND.
 */
export interface CatalogService {
  readonly store: CatalogStore;
  /**
   * Creates or updates each definition (its database becomes the catalog's), then discovers and
   * registers its partitions (adds and drops). A table that fails does not stop the others; when any
   * failed, the call throws (after all were tried) an AppError with the first failure's code and every
   * table's report in `details.reports`. A location that does not exist yet is an empty table, not a failure.
   */
  registerAndRepair(defs: TableDef[], options?: { signal?: AbortSignal }): Promise<RegisterReport[]>;
  listTables(): Promise<TableSummary[]>;
  /** With `stats`, files/bytes under the location and (for up to a few hundred files) rows from footers. */
  getTable(name: string, options?: { stats?: boolean; signal?: AbortSignal }): Promise<TableView>;
  /** The definition as stored (what engines register). */
  getDefinition(name: string): Promise<TableDef>;
  /** From Hive DDL or from a location; `created` is false when it existed and IF NOT EXISTS was given (else TABLE_EXISTS). */
  createTable(request: CreateTableRequest, options?: { signal?: AbortSignal }): Promise<{ table: TableView; created: boolean }>;
  /** Metadata only; the data stays. */
  dropTable(name: string): Promise<void>;
  /** Registered partitions, in key order; `filter` keys must be partition keys (else VALIDATION_FAILED). */
  listPartitions(name: string, filter?: Record<string, string>): Promise<PartitionView[]>;
  repair(name: string, options?: RepairOptions): Promise<RepairResult>;
  /** CREATE and refresh statements for `dialect` (hive, impala, athena, spark, duckdb; else UNKNOWN_DIALECT). */
  ddl(name: string, dialect: string): Promise<string>;
  /** Declared schema against the Parquet footers of a sample of the table's files. */
  validate(name: string, options?: { signal?: AbortSignal }): Promise<ValidateResult>;
  /** Grows whenever the table's definition or partitions change. */
  tableVersion(name: string): Promise<number>;
  /**
   * Makes the query engines with tables of their own follow the named tables as the catalog now has
   * them (a name no longer in the catalog is dropped there). Never throws for an engine's failure: the
   * outcomes say it. Repair and drop call it themselves; the pipeline calls it after registration.
   */
  syncEngines(names: string[], reason: CatalogChange['reason'], signal?: AbortSignal): Promise<EngineSyncOutcome[]>;
  /**
   * The storage that reads a table or partition location: S3 (LOCATION_UNREACHABLE without AWS access)
   * or a local path (LOCATION_UNREACHABLE outside LAKEGATE_LOCAL_ROOTS, symlinks resolved).
   */
  storageFor(location: string): Promise<Storage>;
}

/** What the catalog calls after a change so that the engines follow it (src/engines/engine-sync.ts). */
export type EngineSyncHook = (change: CatalogChange, signal?: AbortSignal) => Promise<EngineSyncOutcome[]>;
