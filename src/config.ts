import { existsSync } from 'node:fs';
import path from 'node:path';
import { AppError } from './errors.js';
import { isS3Url, normalizeS3Url } from './storage/location.js';

/** Everything the gateway reads from its environment, typed and validated. Read once, in server.ts. */
export interface Config {
  port: number;
  host: string;
  /** Root of all local state: runs, catalog, warehouse, sample data. */
  home: string;
  /** The gateway's own folders under the home (the local catalog, the run store, run scratch): never a pipeline output. */
  /** `tmp`: DuckDB's spill space (LAKEGATE_HOME/tmp), one folder for the pipeline's engine and one for the query engine's. */
  homeDirs: { catalog: string; runs: string; scratch: string; tmp: string };
  /** Default output of pipeline runs and base of relative table locations: `<home>/warehouse`, or an s3:// prefix. */
  warehouse: string;
  /** Generate a sample dataset and run the pipeline on first start. */
  sample: boolean;
  sampleRecords: number;
  logLevel: string;
  catalog: { kind: 'local' | 'glue'; glueDatabase: string };
  /**
   * A set of views presenting another project's table and column names (LAKEGATE_COMPAT, off by
   * default): `original` loads ddl/compat/original/, the original PySpark batch's tables as the
   * views of database `original`, for its queries and dashboards to run through /query unchanged.
   */
  compat?: 'original';
  /**
   * Local directories that table locations (what queries may read) and pipeline outputs (what runs
   * write) must lie under. Pipeline inputs are only read as CSV and are not fenced. Default:
   * LAKEGATE_HOME and, for a local warehouse elsewhere, the warehouse's parent (where relative outputs go).
   */
  localRoots: string[];
  aws: { region: string; endpoint?: string };
  pipeline: {
    /** Retries of a stage that failed for a transient reason. */
    stageRetries: number;
    retryDelayMs: number;
    timeoutMs: number;
    /**
     * Runs active at once (LAKEGATE_MAX_ACTIVE_RUNS, default 4): each embedded run holds a DuckDB of
     * its own with all cores, so more at once only queue on the CPU and multiply memory.
     */
    maxActiveRuns: number;
    /** Concrete files one run's input may resolve to (LAKEGATE_MAX_INPUT_FILES, default 10,000); more is 422 INPUT_TOO_MANY_FILES. */
    maxInputFiles: number;
    /**
     * Local directories every input file must lie under once its symlinks are resolved
     * (LAKEGATE_INPUT_ROOTS, comma-separated); absent: inputs may be anywhere (they are only read).
     */
    inputRoots?: string[];
    /**
     * How often a running stage's progress is read from the engine and shown on the run
     * (LAKEGATE_PROGRESS_INTERVAL_MS, default 500); 0 turns the embedded engine's progress off (stages
     * then show only 0 and 100).
     */
    progressIntervalMs: number;
    /** Crash tests only (LAKEGATE_FAULT_KILL_AT): SIGKILL this process at `<stage>:<state>:<swapped>` of a publication. */
    faultKillAt?: string;
    /**
     * Memory of the embedded pipeline engine, shared by all its runs (LAKEGATE_PIPELINE_MEMORY_LIMIT,
     * DuckDB's syntax, default 1GB): past it DuckDB spills to LAKEGATE_HOME/tmp. It is apart from the
     * query engine's LAKEGATE_QUERY_MEMORY_LIMIT (2GB), so a large run never starves the queries: with
     * both engines busy the gateway stays near 3 GB plus its own few hundred MB.
     */
    memoryLimit: string;
    /** Rows the benchmark stage measures on (LAKEGATE_BENCHMARK_SAMPLE_ROWS, default 1,000,000): on a large input it never dominates the run. */
    benchmarkSampleRows: number;
  };
  query: {
    defaultMaxRows: number;
    maxRowsCap: number;
    defaultTimeoutMs: number;
    maxTimeoutMs: number;
    concurrency: number;
    queueSize: number;
    memoryLimit: string;
    cacheEntries: number;
    /** Memory the result cache may hold, estimated from its rows (bigger results are not cached). */
    cacheBytes: number;
    /** Columns a result may have (LAKEGATE_QUERY_MAX_COLUMNS, default 2,000); wider is RESULT_TOO_WIDE, refused before it runs. */
    maxColumns: number;
    /**
     * Size of a JSON answer, estimated while its rows arrive (LAKEGATE_QUERY_MAX_RESULT_MB, default 64);
     * past it the query is stopped and answered RESULT_TOO_LARGE. CSV and NDJSON stream and are not capped.
     */
    maxResultBytes: number;
    /**
     * Bytes one text or binary value may have (LAKEGATE_QUERY_MAX_VALUE_MB, default 16): the DuckDB
     * client converts a value in one piece on the event loop, so a bigger one is RESULT_TOO_LARGE
     * before it is read, in every format.
     */
    maxValueBytes: number;
    /** Characters of SQL text /query and /query/translate parse (LAKEGATE_QUERY_MAX_SQL_KB, default 64 K); longer is 400 SQL_NOT_ALLOWED before parsing. */
    maxSqlChars: number;
    /**
     * The scan budget of a query without its own maxScanBytes (LAKEGATE_MAX_SCAN_BYTES; unset: none),
     * on engines that bill by bytes scanned (Athena, Trino): past it 422 SCAN_BUDGET_EXCEEDED.
     */
    maxScanBytes?: number;
  };
  athena: { workgroup: string; outputLocation?: string };
  /** engine hive / impala: a HiveServer2 endpoint each (LAKEGATE_HIVE_*, LAKEGATE_IMPALA_*); absent when no host is set. */
  hive?: HiveServer2Config;
  impala?: HiveServer2Config;
  /** engine trino: Trino's client protocol (LAKEGATE_TRINO_*); absent when no URL is set. */
  trino?: TrinoConfig;
  /** engine spark: SPARK_HOME (else the pyspark in .venv) and the master (default local[2]). */
  spark: { home?: string; master: string };
  emr: { clusterId?: string; s3Staging?: string };
  /** Raw LAKEGATE_API_KEYS entries; parsed by the auth layer. */
  apiKeys: string;
  bodyLimitBytes: number;
  /** Protection of a shared gateway (src/api/plugins): per-key rate limit and overload shedding; 0 turns one off. */
  protection: {
    /**
     * Requests per minute per API key (per client IP without keys); a key's `rpm=` overrides it.
     * Unset: 3000 per key, and no limit on a gateway without keys (loopback only).
     */
    rateLimitPerMinute?: number;
    /**
     * Requests per minute per client address without a valid API key, on a gateway with keys
     * (LAKEGATE_RATE_LIMIT_ANONYMOUS_PER_MINUTE, default 60; 0 turns it off). Past it: 429 instead of 401.
     */
    anonymousPerMinute: number;
    /** Answer 503 while the event loop's mean delay over a sample interval exceeds this. */
    maxEventLoopDelayMs: number;
    /** How often load is sampled; a long window keeps one slow tick (startup) from tripping the delay check. */
    sampleIntervalMs: number;
    maxHeapBytes: number;
    maxRssBytes: number;
    /** Retry-After of those 503s, in seconds. */
    retryAfterSeconds: number;
  };
}

/**
 * How an engine's tables follow the gateway's catalog: `shared`, the engine reads the same metastore (or
 * Glue) and only needs its refresh after a change; `managed`, the engine has a metastore of its own in
 * which the gateway creates its external tables and registers their partitions.
 */
export type EngineTablesMode = 'shared' | 'managed';

export interface EngineTls {
  /** CA bundle (PEM) to trust besides the system's. */
  caFile?: string;
  /** false only for test servers with self-signed certificates. */
  rejectUnauthorized: boolean;
}

export interface HiveServer2Config {
  host: string;
  port: number;
  /** Authentication on the wire: `none` (SASL PLAIN with any user), `nosasl`, `plain` (also LDAP). */
  auth: 'none' | 'nosasl' | 'plain';
  user: string;
  password?: string;
  transport: 'binary' | 'http';
  /** HTTP transport's path (default `cliservice`). */
  httpPath: string;
  tls?: EngineTls;
  /** The database the engine's tables are in (default: the catalog's, `card_analytics`). */
  database: string;
  tables: EngineTablesMode;
  /** Bound on opening a session: a mismatched auth mode otherwise never answers. */
  connectTimeoutMs: number;
  /** Rows a fetch asks for. */
  fetchSize: number;
  /** Sessions kept open. */
  poolSize: number;
}

export interface TrinoConfig {
  url: string;
  catalog: string;
  schema: string;
  user: string;
  password?: string;
  tls?: EngineTls;
  tables: EngineTablesMode;
  /** Precision of TIMESTAMP columns in managed tables: the catalog's `hive.timestamp-precision` (3, 6 or 9). */
  timestampPrecision: number;
}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) {
    throw new AppError('VALIDATION_FAILED', `${name} must be an integer >= ${min}, got '${raw}'`);
  }
  return n;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (raw === '') return fallback;
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  throw new AppError('VALIDATION_FAILED', `${name} must be one of ${allowed.join(', ')}, got '${raw}'`);
}

function compatOf(env: Env): Pick<Config, 'compat'> {
  const compat = oneOf(env, 'LAKEGATE_COMPAT', ['off', 'original'], 'off');
  return compat === 'off' ? {} : { compat };
}

function opt(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  return v === undefined || v === '' ? undefined : v;
}

/** A local warehouse resolves against the home; an s3:// (or s3a://) one is kept as an s3:// prefix. */
function warehouseOf(raw: string | undefined, home: string): string {
  if (raw && isS3Url(raw)) return normalizeS3Url(raw);
  return path.resolve(home, raw ?? 'warehouse');
}

/** LAKEGATE_LOCAL_ROOTS: comma-separated directories (relative ones resolve against cwd). */
function localRoots(raw: string | undefined, home: string, warehouse: string, cwd: string): string[] {
  // Relative pipeline outputs resolve against the warehouse's parent, so that is the second default root.
  if (raw === undefined) return warehouse.startsWith('s3://') || warehouse.startsWith(home + path.sep) ? [home] : [home, path.dirname(warehouse)];
  const roots = raw.split(',').map((r) => r.trim()).filter(Boolean).map((r) => path.resolve(cwd, r));
  if (roots.length === 0) throw new AppError('VALIDATION_FAILED', 'LAKEGATE_LOCAL_ROOTS names no directory');
  return roots;
}

/** A DuckDB memory size (`512MB`, `4G`, `1.5GiB`; `80%` is not accepted: the limit must not follow the machine). */
const MEMORY_SIZE = /^(\d+(?:\.\d+)?)\s*(?:([KMGT])(?:(i)B|B)?|B|bytes)$/i;

function memoryLimit(env: Env, name: string, fallback: string): string {
  const raw = opt(env, name) ?? fallback;
  if (!MEMORY_SIZE.test(raw)) {
    throw new AppError('VALIDATION_FAILED', `${name}: '${raw}' is not a memory size such as 512MB or 2GB`);
  }
  return raw;
}

/** A memory size as DuckDB reads it (KB, MB, GB, TB and K, M, G, T in powers of 1000; KiB, MiB, GiB, TiB in powers of 1024), in bytes. */
export function memorySizeBytes(size: string): number {
  const m = MEMORY_SIZE.exec(size.trim());
  if (!m) throw new AppError('VALIDATION_FAILED', `'${size}' is not a memory size such as 512MB or 2GB`);
  const power = m[2] ? 'KMGT'.indexOf(m[2].toUpperCase()) + 1 : 0;
  return Number(m[1]) * (m[3] ? 1024 : 1000) ** power;
}

/** LAKEGATE_INPUT_ROOTS: comma-separated directories (relative ones resolve against cwd); unset leaves inputs unfenced. */
function inputRoots(raw: string | undefined, cwd: string): { inputRoots?: string[] } {
  if (raw === undefined) return {};
  const roots = raw.split(',').map((r) => r.trim()).filter(Boolean).map((r) => path.resolve(cwd, r));
  if (roots.length === 0) throw new AppError('VALIDATION_FAILED', 'LAKEGATE_INPUT_ROOTS names no directory');
  return { inputRoots: roots };
}

function tlsOf(env: Env, prefix: string): EngineTls | undefined {
  if (oneOf(env, `${prefix}_TLS`, ['on', 'off'], 'off') === 'off') return undefined;
  const caFile = opt(env, `${prefix}_TLS_CA_FILE`);
  if (caFile && !existsSync(caFile)) throw new AppError('VALIDATION_FAILED', `${prefix}_TLS_CA_FILE: no file at ${caFile}`);
  return { ...(caFile ? { caFile } : {}), rejectUnauthorized: oneOf(env, `${prefix}_TLS_VERIFY`, ['on', 'off'], 'on') === 'on' };
}

/** Default: the engine cannot see a local catalog, so it gets tables of its own; with Glue it shares it. */
const tablesMode = (env: Env, prefix: string, catalog: 'local' | 'glue'): EngineTablesMode =>
  oneOf(env, `${prefix}_TABLES`, ['shared', 'managed'] as const, catalog === 'glue' ? 'shared' : 'managed');

/** LAKEGATE_HIVE_* or LAKEGATE_IMPALA_*: a HiveServer2 endpoint, when its host is set. */
function hiveServer2(env: Env, prefix: 'LAKEGATE_HIVE' | 'LAKEGATE_IMPALA', defaultPort: number, catalog: 'local' | 'glue', database: string): HiveServer2Config | undefined {
  const host = opt(env, `${prefix}_HOST`);
  if (!host) return undefined;
  const rawAuth = (env[`${prefix}_AUTH`] ?? '').trim().toLowerCase();
  if (rawAuth === 'kerberos' || rawAuth === 'gssapi') {
    throw new AppError('VALIDATION_FAILED', `${prefix}_AUTH=${rawAuth}: Kerberos is not supported by this gateway; use none, nosasl or plain (LDAP)`);
  }
  const password = opt(env, `${prefix}_PASSWORD`);
  const tls = tlsOf(env, prefix);
  return {
    host,
    port: int(env, `${prefix}_PORT`, defaultPort, 1),
    auth: oneOf(env, `${prefix}_AUTH`, ['none', 'nosasl', 'plain'] as const, 'none'),
    user: opt(env, `${prefix}_USER`) ?? 'lakegate',
    ...(password ? { password } : {}),
    transport: oneOf(env, `${prefix}_TRANSPORT`, ['binary', 'http'] as const, 'binary'),
    httpPath: (opt(env, `${prefix}_HTTP_PATH`) ?? 'cliservice').replace(/^\/+/, ''),
    ...(tls ? { tls } : {}),
    database: opt(env, `${prefix}_DATABASE`) ?? database,
    tables: tablesMode(env, prefix, catalog),
    connectTimeoutMs: int(env, `${prefix}_CONNECT_TIMEOUT_MS`, 10_000, 1),
    fetchSize: int(env, `${prefix}_FETCH_SIZE`, 10_000, 1),
    poolSize: int(env, `${prefix}_POOL_SIZE`, 4, 1),
  };
}

function trino(env: Env, catalog: 'local' | 'glue'): TrinoConfig | undefined {
  const url = opt(env, 'LAKEGATE_TRINO_URL');
  if (!url) return undefined;
  if (!/^https?:\/\/[^/]+/.test(url)) throw new AppError('VALIDATION_FAILED', `LAKEGATE_TRINO_URL must be an http:// or https:// URL, got '${url}'`);
  const password = opt(env, 'LAKEGATE_TRINO_PASSWORD');
  // Trino refuses passwords over plain HTTP, and a Basic header there is readable by anyone on the way.
  if (password && !url.startsWith('https://')) throw new AppError('VALIDATION_FAILED', 'LAKEGATE_TRINO_PASSWORD needs an https:// LAKEGATE_TRINO_URL');
  const tls = url.startsWith('https://') ? (tlsOf({ ...env, LAKEGATE_TRINO_TLS: 'on' }, 'LAKEGATE_TRINO') as EngineTls) : undefined;
  return {
    url: url.replace(/\/+$/, ''),
    catalog: opt(env, 'LAKEGATE_TRINO_CATALOG') ?? 'hive',
    schema: opt(env, 'LAKEGATE_TRINO_SCHEMA') ?? 'card_analytics',
    user: opt(env, 'LAKEGATE_TRINO_USER') ?? 'lakegate',
    ...(password ? { password } : {}),
    ...(tls ? { tls } : {}),
    tables: tablesMode(env, 'LAKEGATE_TRINO', catalog),
    timestampPrecision: Number(oneOf(env, 'LAKEGATE_TRINO_TIMESTAMP_PRECISION', ['3', '6', '9'] as const, '3')),
  };
}

/** Builds the typed configuration from an environment map (process.env in production, a literal in tests). */
export function loadConfig(env: Env, cwd: string = process.cwd()): Config {
  const home = path.resolve(cwd, opt(env, 'LAKEGATE_HOME') ?? '.lakegate');
  const warehouse = warehouseOf(opt(env, 'LAKEGATE_WAREHOUSE'), home);
  const catalogKind = oneOf(env, 'LAKEGATE_CATALOG', ['local', 'glue'] as const, 'local');
  const glueDatabase = opt(env, 'LAKEGATE_GLUE_DATABASE') ?? 'card_analytics';
  const hive = hiveServer2(env, 'LAKEGATE_HIVE', 10000, catalogKind, glueDatabase);
  const impala = hiveServer2(env, 'LAKEGATE_IMPALA', 21050, catalogKind, glueDatabase);
  const trinoConfig = trino(env, catalogKind);
  return {
    port: int(env, 'PORT', 8080),
    host: opt(env, 'HOST') ?? '127.0.0.1',
    home,
    homeDirs: { catalog: path.join(home, 'catalog'), runs: path.join(home, 'runs'), scratch: path.join(home, 'scratch'), tmp: path.join(home, 'tmp') },
    warehouse,
    sample: oneOf(env, 'LAKEGATE_SAMPLE', ['on', 'off'], 'on') === 'on',
    ...compatOf(env),
    sampleRecords: int(env, 'LAKEGATE_SAMPLE_RECORDS', 100_000, 1),
    logLevel: opt(env, 'LOG_LEVEL') ?? 'info',
    catalog: { kind: catalogKind, glueDatabase },
    localRoots: localRoots(opt(env, 'LAKEGATE_LOCAL_ROOTS'), home, warehouse, cwd),
    aws: {
      region: opt(env, 'AWS_REGION') ?? opt(env, 'AWS_DEFAULT_REGION') ?? 'us-east-1',
      endpoint: opt(env, 'AWS_ENDPOINT_URL'),
    },
    pipeline: {
      stageRetries: int(env, 'LAKEGATE_STAGE_RETRIES', 2),
      retryDelayMs: int(env, 'LAKEGATE_STAGE_RETRY_DELAY_MS', 5 * 60_000),
      timeoutMs: int(env, 'LAKEGATE_RUN_TIMEOUT_MS', 60 * 60_000, 1),
      maxActiveRuns: int(env, 'LAKEGATE_MAX_ACTIVE_RUNS', 4, 1),
      maxInputFiles: int(env, 'LAKEGATE_MAX_INPUT_FILES', 10_000, 1),
      ...inputRoots(opt(env, 'LAKEGATE_INPUT_ROOTS'), cwd),
      progressIntervalMs: int(env, 'LAKEGATE_PROGRESS_INTERVAL_MS', 500),
      ...(opt(env, 'LAKEGATE_FAULT_KILL_AT') ? { faultKillAt: opt(env, 'LAKEGATE_FAULT_KILL_AT') } : {}),
      memoryLimit: memoryLimit(env, 'LAKEGATE_PIPELINE_MEMORY_LIMIT', '1GB'),
      benchmarkSampleRows: int(env, 'LAKEGATE_BENCHMARK_SAMPLE_ROWS', 1_000_000, 1),
    },
    query: {
      defaultMaxRows: int(env, 'LAKEGATE_QUERY_MAX_ROWS', 10_000, 1),
      maxRowsCap: int(env, 'LAKEGATE_QUERY_MAX_ROWS_CAP', 1_000_000, 1),
      defaultTimeoutMs: int(env, 'LAKEGATE_QUERY_TIMEOUT_MS', 30_000, 1),
      maxTimeoutMs: int(env, 'LAKEGATE_QUERY_TIMEOUT_CAP_MS', 300_000, 1),
      concurrency: int(env, 'LAKEGATE_QUERY_CONCURRENCY', 4, 1),
      queueSize: int(env, 'LAKEGATE_QUERY_QUEUE', 64, 0),
      memoryLimit: memoryLimit(env, 'LAKEGATE_QUERY_MEMORY_LIMIT', '2GB'),
      cacheEntries: int(env, 'LAKEGATE_QUERY_CACHE_ENTRIES', 500, 0),
      cacheBytes: int(env, 'LAKEGATE_QUERY_CACHE_MB', 256, 1) * 1024 * 1024,
      maxColumns: int(env, 'LAKEGATE_QUERY_MAX_COLUMNS', 2_000, 1),
      maxResultBytes: int(env, 'LAKEGATE_QUERY_MAX_RESULT_MB', 64, 1) * 1024 * 1024,
      maxSqlChars: int(env, 'LAKEGATE_QUERY_MAX_SQL_KB', 64, 1) * 1024,
      maxValueBytes: int(env, 'LAKEGATE_QUERY_MAX_VALUE_MB', 16, 1) * 1024 * 1024,
      ...(opt(env, 'LAKEGATE_MAX_SCAN_BYTES') ? { maxScanBytes: int(env, 'LAKEGATE_MAX_SCAN_BYTES', 0, 1) } : {}),
    },
    athena: {
      workgroup: opt(env, 'LAKEGATE_ATHENA_WORKGROUP') ?? 'primary',
      outputLocation: opt(env, 'LAKEGATE_ATHENA_OUTPUT_LOCATION'),
    },
    ...(hive ? { hive } : {}),
    ...(impala ? { impala } : {}),
    ...(trinoConfig ? { trino: trinoConfig } : {}),
    spark: { home: opt(env, 'SPARK_HOME'), master: opt(env, 'LAKEGATE_SPARK_MASTER') ?? 'local[2]' },
    emr: {
      clusterId: opt(env, 'LAKEGATE_EMR_CLUSTER_ID'),
      s3Staging: opt(env, 'LAKEGATE_S3_STAGING'),
    },
    apiKeys: opt(env, 'LAKEGATE_API_KEYS') ?? '',
    bodyLimitBytes: int(env, 'LAKEGATE_BODY_LIMIT_BYTES', 2 * 1024 * 1024, 1024),
    protection: {
      rateLimitPerMinute: opt(env, 'LAKEGATE_RATE_LIMIT_PER_MINUTE') === undefined ? undefined : int(env, 'LAKEGATE_RATE_LIMIT_PER_MINUTE', 0),
      anonymousPerMinute: int(env, 'LAKEGATE_RATE_LIMIT_ANONYMOUS_PER_MINUTE', 60),
      maxEventLoopDelayMs: int(env, 'LAKEGATE_MAX_EVENT_LOOP_DELAY_MS', 1000),
      sampleIntervalMs: int(env, 'LAKEGATE_PRESSURE_SAMPLE_MS', 5000, 10),
      maxHeapBytes: int(env, 'LAKEGATE_MAX_HEAP_BYTES', 0),
      maxRssBytes: int(env, 'LAKEGATE_MAX_RSS_BYTES', 0),
      retryAfterSeconds: int(env, 'LAKEGATE_RETRY_AFTER_SECONDS', 5, 1),
    },
  };
}
