import type { components } from '../api/openapi-types.js';
import type { TableDef } from '../catalog/table-def.js';
import { AppError } from '../errors.js';

export type QueryEngineName = components['schemas']['QueryEngine'];
export type SqlDialect = components['schemas']['SqlDialect'];
export type QueryColumn = components['schemas']['QueryColumn'];

/** A streamed result: column metadata first, then rows in batches (JSON-ready values). */
export interface QueryStream {
  columns: QueryColumn[];
  /** Batches of rows in column order. Dates are YYYY-MM-DD, timestamps YYYY-MM-DD HH:MM:SS[.ffffff], 64-bit integers decimal strings. */
  batches: AsyncIterable<unknown[][]>;
  /** Bytes the engine scanned, once the stream is drained (Athena reports it; DuckDB does not). */
  dataScannedBytes?: () => number | undefined;
  /**
   * Releases what the stream holds (a connection, a listener). Draining does it too; a consumer that
   * stops early or never starts must call it. Idempotent.
   */
  close(): void;
}

export interface ExecuteOptions {
  signal: AbortSignal;
  /** The engine may stop producing after this many rows (the caller still truncates). */
  maxRows: number;
  /** Refuse (RESULT_TOO_WIDE) a result with more columns, before running the query where the engine can tell. */
  maxColumns?: number;
  /** Refuse (RESULT_TOO_LARGE) a result holding a text or binary value of more bytes, before reading it where the engine can tell. */
  maxValueBytes?: number;
  /** The catalog the SQL was translated against: engines that serve catalog tables themselves use it instead of reading the catalog again. */
  tables?: TableDef[];
}

/** Throws RESULT_TOO_WIDE (4xx) when a result has more than `max` columns. */
export function checkWidth(count: number, max: number): void {
  if (count > max) {
    throw new AppError('RESULT_TOO_WIDE', `the result has ${count} columns, more than the limit of ${max}; select fewer columns`, {
      details: { columns: count, maxColumns: max },
    });
  }
}

/** What changed in the catalog after a publication or a repair: the engines' tables follow it. */
export interface CatalogChange {
  /** Tables whose definition, partitions or files changed, with their current definitions. */
  changed: TableDef[];
  /** Tables no longer in the catalog. */
  dropped: Array<{ database: string; name: string }>;
  reason: 'publication' | 'repair' | 'startup' | 'retry';
}

/** What an engine did to follow a catalog change (shown on the run's stage and on the repair answer). */
export type EngineSyncOutcome = components['schemas']['EngineSyncOutcome'];

/** GET /engines: what one configured engine is and whether it answers. */
export interface EngineStatus {
  reachable: boolean;
  /** The server's own version string, when it tells. */
  version?: string;
  /** Why it is not reachable. */
  error?: string;
}

/** What differs between engines, asked instead of `if (engine === ...)`. */
export interface EngineCapabilities {
  /** false: the engine only translates (Impala until an executor exists). */
  executes: boolean;
  /** Reads tables whose location is on s3://. */
  readsS3: boolean;
  /**
   * Bills or slows down by the bytes a query scans (Athena's price, Trino's shared cluster): queries
   * are estimated from the catalog before they run and refused past the scan budget (maxScanBytes).
   */
  billsByScan: boolean;
}

/**
 * A SQL engine behind POST /query. Implementations: `duckdb/` (embedded), `athena/` (AWS), `trino/`
 * (Trino's client protocol) and `hiveserver2/` (Hive and Impala).
 * `execute` receives SQL already validated and translated to `dialect`; cancellation through the
 * signal reaches the engine's stop API (DuckDB interrupt, Athena StopQueryExecution).
 */
export interface QueryEngine {
  readonly name: QueryEngineName;
  readonly dialect: SqlDialect;
  readonly capabilities: EngineCapabilities;
  /** How the engine's tables follow the catalog, for engines with a metastore of their own. */
  readonly tables?: 'shared' | 'managed';
  /** How a catalog table is referenced in this engine's SQL. */
  tableRef(def: TableDef): string;
  execute(sql: string, options: ExecuteOptions): Promise<QueryStream>;
  /**
   * Throws a 4xx AppError naming the tables of `defs` this engine cannot read and why (s3:// without
   * DuckDB's httpfs, files DuckDB cannot read), before the query is queued.
   */
  checkReadable?(defs: TableDef[]): Promise<void>;
  /**
   * Makes the engine's tables follow the catalog (refresh in `shared` mode, create/replace external
   * tables and register partitions in `managed` mode). Engines that read the catalog directly omit it.
   */
  onCatalogChange?(change: CatalogChange, signal: AbortSignal): Promise<EngineSyncOutcome>;
  /** Reachability and server version (GET /engines); engines in this process omit it. */
  status?(signal: AbortSignal): Promise<EngineStatus>;
  /** Memory the engine holds in this process, by its own tags (GET /metrics); engines that run elsewhere omit it. */
  memoryUsage?(): Promise<{ tag: string; bytes: number }[]>;
  close(): Promise<void>;
}
