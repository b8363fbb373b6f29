import type { components } from '../api/openapi-types.js';
import type { TableDef } from '../catalog/table-def.js';
import type { ViewDef } from '../catalog/ddl/view-loader.js';
import type { Config } from '../config.js';
import { AppError, abortError } from '../errors.js';
import type { QueryColumn, QueryEngine, QueryEngineName, SqlDialect } from '../engines/engine.js';
import { findCatalogTable, type CatalogTable, type TableScanFilter } from '../sql/index.js';
import { QueryExecutor } from './executor.js';
import { checkSqlLength, limitOf } from './limits-policy.js';
import { ResultCache, type MaterializedResult } from './result-cache.js';
import { checkScanBudget } from './scan/scan-budget.js';
import type { ScanEstimate, ScanEstimator } from './scan/scan-estimator.js';
import { TranslationMemo, type Translation } from './translation-memo.js';

export type { MaterializedResult } from './result-cache.js';

export type QueryRequest = components['schemas']['QueryRequest'];
export type QueryParams = NonNullable<QueryRequest['params']>;
export type EngineInfo = components['schemas']['EngineInfo'];
export type ExplainAnswer = components['schemas']['ExplainResult'];

export interface TableRefInput {
  database?: string;
  name: string;
}

/**
 * The SQL layer (src/sql) as the query service uses it: validate, resolve against the given catalog
 * tables, translate; asynchronous, so that a long text can be translated off the event loop.
 */
export interface SqlTranslator {
  translate(input: {
    sql: string;
    from: SqlDialect;
    to: SqlDialect;
    tables?: CatalogTable[];
    /** The database bare table names are looked up in. */
    database?: string;
    params?: QueryParams;
    /** Also answer the literal bounds on each table reference's columns (src/sql scanFilters). */
    scanFilters?: boolean;
  }, options?: { signal?: AbortSignal; timeoutMs?: number }): Promise<{ sql: string; warnings: string[]; tables: TableRefInput[]; scanFilters?: TableScanFilter[] }>;
}

/** The query limits of the configuration (the engine's memory limit is the engine's business). */
export type QueryLimits = Omit<Config['query'], 'memoryLimit'>;

/** What one execution did (cache hits included), for metrics and the audit line. */
export interface QueryEvent {
  prepared: PreparedQuery;
  rows: number;
  cacheHit: boolean;
  durationMs: number;
  /** Set when the execution failed (timeout, engine error, refused by the admission queue). */
  error?: unknown;
}

export interface QueryObserver {
  queryFinished(event: QueryEvent): void;
}

/** Caps of the caller (its API key) on top of the gateway's limits; each is also the caller's default. */
export interface QueryCaps {
  maxRows?: number;
  timeoutMs?: number;
  maxScanBytes?: number;
}

export interface QueryServiceOptions {
  engines: Partial<Record<QueryEngineName, QueryEngine>>;
  translator: SqlTranslator;
  /** The catalog's table definitions (database-qualified lookups use def.database). */
  tables: () => Promise<TableDef[]>;
  /**
   * A token that changes whenever what a query of the table reads changes: its catalog version (which
   * grows on every definition or partition change and never repeats across drop and re-create) and
   * the files' current place (the live version a publication points at). Results are cached under it.
   */
  tableState: (def: TableDef) => Promise<string>;
  limits: QueryLimits;
  observer?: QueryObserver;
  /** The caps of whoever is asking (read per call; the gateway's come from the request's API key). */
  caps?: () => QueryCaps | undefined;
  /** Estimates the bytes a query reads, for the scan budget of engines that bill by scan and for explain. */
  scan: ScanEstimator;
  /** Views queries may name besides the catalog's tables (LAKEGATE_COMPAT); each is expanded into the query. */
  views?: readonly ViewDef[];
}

export interface PreparedQuery {
  engine: QueryEngine;
  input: string;
  executed: string;
  warnings: string[];
  tables: TableDef[];
  maxRows: number;
  timeoutMs: number;
  /** What the query reads, estimated before it ran (engines that bill by scan only). */
  scan?: ScanEstimate;
  /** The catalog it was translated against: the engine gets this snapshot rather than reading the catalog again. */
  catalog: TableDef[];
}

/** The engine, the translation and the limits of a request: what prepare and explain share. */
interface Plan {
  engine: QueryEngine;
  translation: Translation;
  catalog: TableDef[];
  maxRows: number;
  timeoutMs: number;
  maxScanBytes: number | undefined;
}

export interface QueryAnswer extends MaterializedResult {
  rowCount: number;
  engine: string;
  sql: { input: string; executed: string };
  elapsedMs: number;
  warnings: string[];
  cache: { hit: boolean };
  /** Bytes read: estimated before running (engines that bill by scan), and as the engine reports them (0 for a cached answer). */
  scan: { estimatedBytes: number | null; actualBytes: number | null };
}

export interface RowStream {
  prepared: PreparedQuery;
  columns: QueryColumn[];
  rows: AsyncIterable<unknown[]>;
  /** Ends the stream early (or before it was read at all): frees the engine and the admission slot. Idempotent. */
  close(): void;
}

/**
 * The query layer for POST /query and the canned analytics: the limits policy, translation (memoized
 * per catalog version), the scan budget, the result cache and the executor, put together.
 */
export class QueryService {
  private readonly executor: QueryExecutor;
  private readonly cache: ResultCache;
  private readonly translations = new TranslationMemo();

  constructor(private readonly o: QueryServiceOptions) {
    this.executor = new QueryExecutor(o.limits);
    this.cache = new ResultCache({ entries: o.limits.cacheEntries, bytes: o.limits.cacheBytes, tableState: o.tableState });
  }

  get queueDepth(): number {
    return this.executor.queueDepth;
  }

  /** Queries running on an engine now. */
  get activeQueries(): number {
    return this.executor.active;
  }

  /** GET /engines: every configured engine, asked in parallel whether it answers (bounded to 5 s). */
  async engineList(signal: AbortSignal): Promise<EngineInfo[]> {
    const bounded = AbortSignal.any([signal, AbortSignal.timeout(5_000)]);
    return Promise.all(
      Object.values(this.o.engines).map(async (e): Promise<EngineInfo> => {
        const status = e.status ? await e.status(bounded).catch((err: unknown) => ({ reachable: false, error: String(err) })) : { reachable: true };
        return { name: e.name, dialect: e.dialect, executes: e.capabilities.executes, ...(e.tables ? { tables: e.tables } : {}), ...status };
      }),
    );
  }

  async translate(sql: string, from: SqlDialect, to: SqlDialect): Promise<{ sql: string; warnings: string[] }> {
    checkSqlLength(sql, this.o.limits.maxSqlChars);
    const out = await this.o.translator.translate({ sql, from, to });
    return { sql: out.sql, warnings: out.warnings };
  }

  /**
   * Validation, limits, table resolution, translation and the scan budget: everything before the engine
   * runs. `signal` is the caller's (a client that leaves); the request's timeoutMs bounds translation too.
   */
  async prepare(req: QueryRequest, signal?: AbortSignal): Promise<PreparedQuery> {
    const plan = await this.plan(req, signal);
    const { engine, translation: t, catalog } = plan;
    if (!engine.capabilities.executes) {
      throw new AppError('NOT_IMPLEMENTED', `engine '${engine.name}' only translates here (set LAKEGATE_${engine.name.toUpperCase()}_HOST to run on it); the translated SQL is in 'sql'`, { details: { sql: t.executed, warnings: t.warnings } });
    }
    await engine.checkReadable?.(t.tables);
    const scan = await this.guardScan(plan, signal);
    return {
      engine, input: req.sql, executed: t.executed, warnings: t.warnings, tables: t.tables, maxRows: plan.maxRows, timeoutMs: plan.timeoutMs, catalog,
      ...(scan ? { scan } : {}),
    };
  }

  /** The translated SQL, the partitions a query would read and their bytes, against the budget /query would apply; nothing runs. */
  async explain(req: QueryRequest, signal?: AbortSignal): Promise<ExplainAnswer> {
    const plan = await this.plan(req, signal);
    const { engine, translation: t } = plan;
    const estimate = await this.estimate(plan, signal);
    const max = plan.maxScanBytes ?? null;
    return {
      engine: engine.name,
      sql: { input: req.sql, executed: t.executed },
      warnings: t.warnings,
      tables: estimate.tables,
      estimatedBytes: estimate.estimatedBytes,
      maxScanBytes: max,
      withinBudget: max === null || estimate.estimatedBytes <= max,
    };
  }

  private async plan(req: QueryRequest, signal?: AbortSignal): Promise<Plan> {
    const { limits } = this.o;
    checkSqlLength(req.sql, limits.maxSqlChars);
    const caps = this.o.caps?.() ?? {};
    const maxRows = limitOf('maxRows', req.maxRows, limits.defaultMaxRows, caps.maxRows, limits.maxRowsCap);
    const timeoutMs = limitOf('timeoutMs', req.timeoutMs, limits.defaultTimeoutMs, caps.timeoutMs, limits.maxTimeoutMs);
    const name = req.engine ?? 'duckdb';
    const engine = this.o.engines[name];
    if (!engine) throw new AppError('NOT_IMPLEMENTED', `engine '${name}' is not configured in this gateway`);
    // The scan budget binds only engines that bill by scan; a request's own budget is still checked against its key's cap.
    const budget = limitOf('maxScanBytes', req.maxScanBytes, limits.maxScanBytes, caps.maxScanBytes);
    const maxScanBytes = engine.capabilities.billsByScan ? budget : undefined;
    const catalog = await this.o.tables();
    const translation = await this.translation(req, engine, catalog, { ...(signal ? { signal } : {}), timeoutMs });
    return { engine, translation, catalog, maxRows, timeoutMs, maxScanBytes };
  }

  /**
   * The estimate of a query on an engine that bills by scan, refused past its budget. Without a
   * budget an estimate that fails (storage the gateway cannot list) only goes unreported.
   */
  private async guardScan(plan: Plan, signal?: AbortSignal): Promise<ScanEstimate | undefined> {
    if (!plan.engine.capabilities.billsByScan) return undefined;
    if (plan.maxScanBytes === undefined) return this.estimate(plan, signal).catch(() => undefined);
    const estimate = await this.estimate(plan, signal);
    checkScanBudget(estimate, plan.maxScanBytes);
    return estimate;
  }

  /** Lists what the plan's tables hold, bounded by the request's timeout and its client. */
  private async estimate(plan: Plan, signal?: AbortSignal): Promise<ScanEstimate> {
    const timeout = AbortSignal.timeout(plan.timeoutMs);
    const bounded = signal ? AbortSignal.any([signal, timeout]) : timeout;
    try {
      return await this.o.scan.estimate(plan.translation.tables, plan.translation.filters, bounded);
    } catch (err) {
      if (bounded.aborted) throw abortError(bounded);
      throw err;
    }
  }

  /** Parses, validates, resolves and translates, or reuses what an identical request produced. */
  private async translation(req: QueryRequest, engine: QueryEngine, defs: TableDef[], bounds: { signal?: AbortSignal; timeoutMs: number }): Promise<Translation> {
    const version = this.translations.versionOf(defs);
    const dialect = req.dialect ?? 'hive';
    const database = req.database?.toLowerCase();
    const key = [engine.name, dialect, req.sql, req.params ?? null, database ?? null];
    const hit = this.translations.get(version, key);
    if (hit) return hit;
    const out = await this.o.translator.translate({
      sql: req.sql,
      from: dialect,
      to: engine.dialect,
      params: req.params,
      scanFilters: true,
      ...(database === undefined ? {} : { database }),
      tables: [
        ...defs.map((d): CatalogTable => ({ database: d.database, name: d.name, sql: engine.tableRef(d), columns: [...d.columns, ...d.partitionKeys] })),
        ...(this.o.views ?? []).map((v): CatalogTable => ({ database: v.database, name: v.name, view: { sql: v.sql, dialect: v.dialect } })),
      ],
    }, bounds);
    const t = {
      executed: out.sql,
      warnings: out.warnings,
      // A table named bare and through a view's qualified name is one table: listed (and estimated) once.
      tables: [...new Set(out.tables.map((r) => findCatalogTable(defs, r, database)).filter((d): d is TableDef => d !== undefined))],
      filters: out.scanFilters ?? [],
    };
    // The catalog may have changed while a worker translated: only a translation for the current tables is kept.
    this.translations.set(version, key, t);
    return t;
  }

  /** Runs a prepared query and materializes at most maxRows rows (from the cache when it can). */
  async run(p: PreparedQuery, signal?: AbortSignal): Promise<QueryAnswer> {
    const started = performance.now();
    const key = await this.cacheKey(p);
    const cached = this.cache.get(key);
    if (cached) {
      this.report(p, started, cached.rows.length, true);
      return this.answer(p, cached, started, true);
    }
    const result = await this.executor.materialize(p, signal).catch((err: unknown) => {
      this.report(p, started, 0, false, err);
      throw err;
    });
    this.report(p, started, result.rows.length, false);
    // A table republished or changed while the query ran may have given it new rows: they are not
    // cached under the state read before it started (the tables are read again for this).
    if (this.cache.enabled && (await this.unchanged(p, key))) this.cache.set(key, result);
    return this.answer(p, result, started, false);
  }

  /** Streams rows (CSV, NDJSON) without materializing them; the engine slot is held until the stream ends or is closed. */
  async stream(p: PreparedQuery, signal?: AbortSignal): Promise<RowStream> {
    const started = performance.now();
    const open = await this.executor.stream(p, signal, (rows, error) => this.report(p, started, rows, false, error));
    return { prepared: p, ...open };
  }

  /** The result cache key of `p` with its tables in the state `tables` have (default: as it was prepared). */
  private cacheKey(p: PreparedQuery, tables: TableDef[] = p.tables): Promise<string> {
    return this.cache.keyFor({ engine: p.engine.name, maxRows: p.maxRows, executed: p.executed, tables });
  }

  /** Whether `p`'s tables are still as they were when `key` was made, read from the catalog again (not known: no). */
  private async unchanged(p: PreparedQuery, key: string): Promise<boolean> {
    // The answer is the caller's already: a catalog that cannot be read now only keeps it out of the cache.
    const catalog = await this.o.tables().catch(() => undefined);
    if (!catalog) return false;
    const now = p.tables.map((t) => findCatalogTable(catalog, t));
    return now.every((t) => t !== undefined) && (await this.cacheKey(p, now as TableDef[])) === key;
  }

  private report(prepared: PreparedQuery, started: number, rows: number, cacheHit: boolean, error?: unknown): void {
    this.o.observer?.queryFinished({ prepared, rows, cacheHit, durationMs: performance.now() - started, ...(error === undefined ? {} : { error }) });
  }

  private answer(p: PreparedQuery, r: MaterializedResult, started: number, hit: boolean): QueryAnswer {
    return {
      ...r,
      rowCount: r.rows.length,
      engine: p.engine.name,
      sql: { input: p.input, executed: p.executed },
      elapsedMs: Math.round((performance.now() - started) * 1000) / 1000,
      warnings: p.warnings,
      cache: { hit },
      // A cached answer scanned nothing this time.
      scan: { estimatedBytes: p.scan?.estimatedBytes ?? null, actualBytes: hit ? 0 : r.dataScannedBytes },
    };
  }
}
