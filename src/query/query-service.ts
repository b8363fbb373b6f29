import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { components } from '../api/openapi-types.js';
import type { TableDef } from '../catalog/table-def.js';
import type { Config } from '../config.js';
import { AppError, abortError } from '../errors.js';
import { checkWidth, type QueryColumn, type QueryEngine, type QueryEngineName, type QueryStream, type SqlDialect } from '../engines/engine.js';
import { Admission } from './admission.js';
import { findCatalogTable, type CatalogTable, type TableScanFilter } from '../sql/index.js';
import { checkScanBudget } from './scan/scan-budget.js';
import type { ScanEstimate, ScanEstimator } from './scan/scan-estimator.js';

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
}

/** The engine, the translation and the limits of a request: what prepare and explain share. */
interface Plan {
  engine: QueryEngine;
  translation: Translation;
  maxRows: number;
  timeoutMs: number;
  maxScanBytes: number | undefined;
}

export interface MaterializedResult {
  columns: QueryColumn[];
  rows: unknown[][];
  truncated: boolean;
  dataScannedBytes: number | null;
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

/** What translation produced for one request against one version of the table list. */
interface Translation {
  executed: string;
  warnings: string[];
  tables: TableDef[];
  filters: TableScanFilter[];
}

export interface RowStream {
  prepared: PreparedQuery;
  columns: QueryColumn[];
  rows: AsyncIterable<unknown[]>;
  /** Ends the stream early (or before it was read at all): frees the engine and the admission slot. Idempotent. */
  close(): void;
}

/** Validates, translates, runs and caches queries for POST /query and the canned analytics. */
export class QueryService {
  private readonly admission: Admission;
  private readonly cache: LRUCache<string, MaterializedResult> | undefined;
  /**
   * Translations made against one table list: the catalog store hands out the same list until a table
   * changes, so a different list drops them all.
   */
  private readonly translations = new LRUCache<string, Translation>({
    max: 1000,
    maxSize: 32 * 1024 * 1024,
    sizeCalculation: (t, key) => 2 * (key.length + t.executed.length) + 256,
  });
  private translatedFor: TableDef[] | undefined;

  constructor(private readonly o: QueryServiceOptions) {
    this.admission = new Admission(o.limits.concurrency, o.limits.queueSize);
    this.cache =
      o.limits.cacheEntries > 0 ? new LRUCache({ max: o.limits.cacheEntries, maxSize: o.limits.cacheBytes, sizeCalculation: (r) => cachedSize.get(r) ?? o.limits.cacheBytes + 1 }) : undefined;
  }

  get queueDepth(): number {
    return this.admission.queued;
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
    this.checkLength(sql);
    const out = await this.o.translator.translate({ sql, from, to });
    return { sql: out.sql, warnings: out.warnings };
  }

  /**
   * Validation, limits, table resolution, translation and the scan budget: everything before the engine
   * runs. `signal` is the caller's (a client that leaves); the request's timeoutMs bounds translation too.
   */
  async prepare(req: QueryRequest, signal?: AbortSignal): Promise<PreparedQuery> {
    const plan = await this.plan(req, signal);
    const { engine, translation: t } = plan;
    if (!engine.capabilities.executes) {
      throw new AppError('NOT_IMPLEMENTED', `engine '${engine.name}' only translates here (set LAKEGATE_${engine.name.toUpperCase()}_HOST to run on it); the translated SQL is in 'sql'`, { details: { sql: t.executed, warnings: t.warnings } });
    }
    await engine.checkReadable?.(t.tables);
    const scan = await this.guardScan(plan, signal);
    return {
      engine, input: req.sql, executed: t.executed, warnings: t.warnings, tables: t.tables, maxRows: plan.maxRows, timeoutMs: plan.timeoutMs,
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
    this.checkLength(req.sql);
    const caps = this.o.caps?.() ?? {};
    const maxRows = limitOf('maxRows', req.maxRows, limits.defaultMaxRows, caps.maxRows, limits.maxRowsCap);
    const timeoutMs = limitOf('timeoutMs', req.timeoutMs, limits.defaultTimeoutMs, caps.timeoutMs, limits.maxTimeoutMs);
    const name = req.engine ?? 'duckdb';
    const engine = this.o.engines[name];
    if (!engine) throw new AppError('NOT_IMPLEMENTED', `engine '${name}' is not configured in this gateway`);
    // The scan budget binds only engines that bill by scan; a request's own budget is still checked against its key's cap.
    const budget = limitOf('maxScanBytes', req.maxScanBytes, limits.maxScanBytes, caps.maxScanBytes);
    const maxScanBytes = engine.capabilities.billsByScan ? budget : undefined;
    const translation = await this.translation(req, engine, await this.o.tables(), { ...(signal ? { signal } : {}), timeoutMs });
    return { engine, translation, maxRows, timeoutMs, maxScanBytes };
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

  /**
   * Parsing runs on the event loop and costs microseconds a character: a text past the cap is refused
   * before it is parsed, so one request cannot hold every other (/healthz included) for seconds.
   */
  private checkLength(sql: string): void {
    const max = this.o.limits.maxSqlChars;
    if (sql.length > max) {
      throw new AppError('SQL_NOT_ALLOWED', `the SQL text has ${sql.length} characters, more than the limit of ${max} (LAKEGATE_QUERY_MAX_SQL_KB)`, {
        details: { sqlChars: sql.length, maxSqlChars: max },
      });
    }
  }

  /** Parses, validates, resolves and translates, or reuses what an identical request produced. */
  private async translation(req: QueryRequest, engine: QueryEngine, defs: TableDef[], bounds: { signal?: AbortSignal; timeoutMs: number }): Promise<Translation> {
    if (this.translatedFor !== defs) {
      this.translations.clear();
      this.translatedFor = defs;
    }
    const memo = this.translations;
    const dialect = req.dialect ?? 'hive';
    const key = JSON.stringify([engine.name, dialect, req.sql, req.params ?? null]);
    const hit = memo.get(key);
    if (hit) return hit;
    const out = await this.o.translator.translate({
      sql: req.sql,
      from: dialect,
      to: engine.dialect,
      params: req.params,
      scanFilters: true,
      tables: defs.map((d) => ({ database: d.database, name: d.name, sql: engine.tableRef(d), columns: [...d.columns, ...d.partitionKeys] })),
    }, bounds);
    const t = {
      executed: out.sql,
      warnings: out.warnings,
      tables: out.tables.map((r) => findCatalogTable(defs, r)).filter((d): d is TableDef => d !== undefined),
      filters: out.scanFilters ?? [],
    };
    // The catalog may have changed while a worker translated: only a translation for the current tables is kept.
    if (this.translatedFor === defs) memo.set(key, t);
    return t;
  }

  /** Runs a prepared query and materializes at most maxRows rows (from the cache when it can). */
  async run(p: PreparedQuery, signal?: AbortSignal): Promise<QueryAnswer> {
    const started = performance.now();
    const key = await this.cacheKey(p);
    const cached = this.cache?.get(key);
    if (cached) {
      this.report(p, started, cached.rows.length, true);
      return this.answer(p, cached, started, true);
    }
    const result = await this.admission.run(() =>
      this.withTimeout(p, signal, async (s) => {
        const stream = await this.open(p, s);
        const rows: unknown[][] = [];
        const cap = this.o.limits.maxResultBytes;
        const size: Size = { json: 0, memory: 256 };
        let truncated = false;
        try {
          for await (const batch of stream.batches) {
            for (const row of batch) {
              if (rows.length >= p.maxRows) {
                truncated = true;
                break;
              }
              // Counted as the rows arrive: past the cap the engine is stopped (close() in finally), not drained.
              measure(row, size);
              if (size.json > cap) throw resultTooLarge(cap);
              rows.push(row);
            }
            if (truncated) break;
          }
        } finally {
          stream.close();
        }
        const materialized = { columns: stream.columns, rows, truncated, dataScannedBytes: stream.dataScannedBytes?.() ?? null };
        // The cache's size of it: the values, and as much again for the JSON text the route keeps of it.
        cachedSize.set(materialized, 2 * size.memory);
        return materialized;
      }),
    ).catch((err: unknown) => {
      this.report(p, started, 0, false, err);
      throw err;
    });
    this.report(p, started, result.rows.length, false);
    // A table republished or changed while the query ran may have given it new rows: they are not
    // cached under the state read before it started.
    if (this.cache && (await this.cacheKey(p)) === key) this.cache.set(key, result);
    return this.answer(p, result, started, false);
  }

  /** Streams rows (CSV, NDJSON) without materializing them; the engine slot is held until the stream ends or is closed. */
  async stream(p: PreparedQuery, signal?: AbortSignal): Promise<RowStream> {
    const started = performance.now();
    const report = this.report.bind(this);
    let releaseSlot!: () => void;
    let ready!: (v: RowStream) => void;
    let failed!: (e: unknown) => void;
    const opened = new Promise<RowStream>((res, rej) => ((ready = res), (failed = rej)));
    const held = new Promise<void>((res) => (releaseSlot = res));
    this.admission
      .run(() =>
        this.withTimeout(p, signal, async (s) => {
          const stream = await this.open(p, s);
          const max = p.maxRows;
          let n = 0;
          let finished = false;
          const finish = (error?: unknown): void => {
            if (finished) return;
            finished = true;
            stream.close();
            report(p, started, n, false, error);
            releaseSlot();
          };
          async function* rows(): AsyncGenerator<unknown[]> {
            let error: unknown;
            try {
              for await (const batch of stream.batches) {
                for (const row of batch) {
                  if (n >= max) return;
                  n++;
                  yield row;
                }
              }
            } catch (err) {
              error = err;
              throw err;
            } finally {
              finish(error);
            }
          }
          // A caller that gives up (the client left, the timeout) may never read the rows: the slot
          // and the engine are released then, whether or not they were read.
          s.addEventListener('abort', () => finish(abortError(s)), { once: true });
          if (s.aborted) finish(abortError(s));
          ready({ prepared: p, columns: stream.columns, rows: rows(), close: () => finish() });
          await held;
        }),
      )
      .catch((err: unknown) => {
        releaseSlot();
        this.report(p, started, 0, false, err);
        failed(err);
      });
    return opened;
  }

  /** The engine's stream of a prepared query, refused (RESULT_TOO_WIDE) past the column cap whichever engine runs it. */
  private async open(p: PreparedQuery, signal: AbortSignal): Promise<QueryStream> {
    const maxColumns = this.o.limits.maxColumns;
    const stream = await p.engine.execute(p.executed, { signal, maxRows: p.maxRows, maxColumns, maxValueBytes: this.o.limits.maxValueBytes });
    try {
      checkWidth(stream.columns.length, maxColumns);
    } catch (err) {
      stream.close();
      throw err;
    }
    return stream;
  }

  private async withTimeout<T>(p: PreparedQuery, outer: AbortSignal | undefined, work: (s: AbortSignal) => Promise<T>): Promise<T> {
    const timeout = AbortSignal.timeout(p.timeoutMs);
    const signal = outer ? AbortSignal.any([outer, timeout]) : timeout;
    try {
      return await work(signal);
    } catch (err) {
      // The first reason wins: a client that left before the timer fired cancelled the query.
      if (signal.aborted && signal.reason === timeout.reason) throw new AppError('QUERY_TIMEOUT', `the query did not finish within ${p.timeoutMs} ms`, { cause: err });
      if (signal.aborted) throw abortError(signal);
      throw err;
    }
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

  /** Normalized executed SQL + row limit + the state of each table read (see `tableState`). */
  private async cacheKey(p: PreparedQuery): Promise<string> {
    // The executed text as it is: squashing whitespace would merge 'a  b' and 'a b' inside literals.
    const parts = [p.engine.name, String(p.maxRows), p.executed];
    for (const t of [...p.tables].sort((a, b) => a.name.localeCompare(b.name))) {
      parts.push(`${t.database}.${t.name}@${await this.o.tableState(t)}`);
    }
    return createHash('sha256').update(parts.join('\n')).digest('hex');
  }
}

/**
 * A limit of a request: its own value, else the smaller of the gateway's default and its key's cap
 * (undefined when neither is set); 400 VALIDATION_FAILED above the gateway's hard cap or the key's cap.
 */
function limitOf(name: string, requested: number | undefined, fallback: number, keyCap: number | undefined, hardCap?: number): number;
function limitOf(name: string, requested: number | undefined, fallback: number | undefined, keyCap: number | undefined): number | undefined;
function limitOf(name: string, requested: number | undefined, fallback: number | undefined, keyCap: number | undefined, hardCap?: number): number | undefined {
  const defaults = [fallback, keyCap].filter((n): n is number => n !== undefined);
  const value = requested ?? (defaults.length ? Math.min(...defaults) : undefined);
  if (value === undefined) return undefined;
  if (hardCap !== undefined && value > hardCap) throw new AppError('VALIDATION_FAILED', `${name} ${value} exceeds the cap of ${hardCap}`);
  if (keyCap !== undefined && value > keyCap) throw new AppError('VALIDATION_FAILED', `${name} ${value} exceeds this API key's cap of ${keyCap}`);
  return value;
}

/** Sizes measured while a result was materialized (what the result cache charges it). */
const cachedSize = new WeakMap<MaterializedResult, number>();

/** Running sizes of a result: about its JSON text (escapes not counted), and about its memory. */
interface Size {
  json: number;
  memory: number;
}

/**
 * Adds a value to `size`: 16 bytes of memory a value (lists and structs element by element) and two a
 * character of text; in JSON, its text. One pass that allocates nothing, as rows arrive (a 2,000-column
 * result has millions of values, and this runs on the event loop).
 */
function measure(v: unknown, size: Size): void {
  size.memory += 16;
  if (v === null || v === undefined) size.json += 5;
  else if (typeof v === 'string') {
    // UTF-8 bytes, and what escaping adds (up to 6 bytes for a control character): the cap is on bytes sent.
    size.json += Buffer.byteLength(v, 'utf8') + 3 + (NEEDS_ESCAPE.test(v) ? escapeBytes(v) : 0);
    size.memory += 2 * v.length;
  } else if (typeof v === 'number') size.json += digits(v) + 1;
  else if (typeof v === 'boolean') size.json += 6;
  else if (typeof v === 'bigint') size.json += 21;
  else if (Array.isArray(v)) {
    size.json += 2;
    for (const x of v) measure(x, size);
  } else if (typeof v === 'object') {
    size.json += 2;
    for (const k in v) {
      size.json += k.length + 3;
      size.memory += 2 * k.length;
      measure((v as Record<string, unknown>)[k], size);
    }
  } else size.json += 5;
}

const NEEDS_ESCAPE = /[\u0000-\u001f"\\]/;

/** Bytes JSON escaping adds to a string: 5 for a control character (\u00XX), 1 for `"` and `\`. */
function escapeBytes(v: string): number {
  let n = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 0x20) n += 5;
    else if (c === 0x22 || c === 0x5c) n += 1;
  }
  return n;
}

/** Characters of a number's JSON text, without building it. */
function digits(n: number): number {
  if (!Number.isFinite(n)) return 4;
  if (!Number.isInteger(n)) return 24;
  const a = Math.abs(n);
  return (a < 10 ? 1 : Math.floor(Math.log10(a)) + 1) + (n < 0 ? 1 : 0);
}

/** RESULT_TOO_LARGE: a JSON answer past LAKEGATE_QUERY_MAX_RESULT_MB; the streamed formats have no such cap. */
function resultTooLarge(cap: number): AppError {
  const mb = Math.round((cap / 1024 / 1024) * 100) / 100;
  return new AppError('RESULT_TOO_LARGE', `the JSON result exceeds ${mb} MB (LAKEGATE_QUERY_MAX_RESULT_MB); ask for CSV or NDJSON (Accept: text/csv or application/x-ndjson), which stream without this limit, or lower maxRows`, {
    details: { maxResultBytes: cap, streamingFormats: ['text/csv', 'application/x-ndjson'] },
  });
}

