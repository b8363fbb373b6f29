import path from 'node:path';
import { AppError } from './errors.js';

/** Everything the gateway reads from its environment, typed and validated. Read once, in server.ts. */
export interface Config {
  port: number;
  host: string;
  /** Root of all local state: runs, catalog, warehouse, sample data. */
  home: string;
  /** Default output of pipeline runs: `<home>/warehouse`. */
  warehouse: string;
  /** Generate a sample dataset and run the pipeline on first start. */
  sample: boolean;
  sampleRecords: number;
  logLevel: string;
  catalog: { kind: 'local' | 'glue'; glueDatabase: string };
  aws: { region: string; endpoint?: string };
  pipeline: {
    /** Retries of a stage that failed for a transient reason. */
    stageRetries: number;
    retryDelayMs: number;
    timeoutMs: number;
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
  };
  athena: { workgroup: string; outputLocation?: string };
  emr: { clusterId?: string; s3Staging?: string };
  /** Raw LAKEGATE_API_KEYS entries; parsed by the auth layer. */
  apiKeys: string;
  bodyLimitBytes: number;
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

function opt(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  return v === undefined || v === '' ? undefined : v;
}

/** Builds the typed configuration from an environment map (process.env in production, a literal in tests). */
export function loadConfig(env: Env, cwd: string = process.cwd()): Config {
  const home = path.resolve(cwd, opt(env, 'LAKEGATE_HOME') ?? '.lakegate');
  return {
    port: int(env, 'PORT', 8080),
    host: opt(env, 'HOST') ?? '127.0.0.1',
    home,
    warehouse: path.resolve(home, opt(env, 'LAKEGATE_WAREHOUSE') ?? 'warehouse'),
    sample: oneOf(env, 'LAKEGATE_SAMPLE', ['on', 'off'], 'on') === 'on',
    sampleRecords: int(env, 'LAKEGATE_SAMPLE_RECORDS', 100_000, 1),
    logLevel: opt(env, 'LOG_LEVEL') ?? 'info',
    catalog: {
      kind: oneOf(env, 'LAKEGATE_CATALOG', ['local', 'glue'] as const, 'local'),
      glueDatabase: opt(env, 'LAKEGATE_GLUE_DATABASE') ?? 'card_analytics',
    },
    aws: {
      region: opt(env, 'AWS_REGION') ?? opt(env, 'AWS_DEFAULT_REGION') ?? 'us-east-1',
      endpoint: opt(env, 'AWS_ENDPOINT_URL'),
    },
    pipeline: {
      stageRetries: int(env, 'LAKEGATE_STAGE_RETRIES', 2),
      retryDelayMs: int(env, 'LAKEGATE_STAGE_RETRY_DELAY_MS', 5 * 60_000),
      timeoutMs: int(env, 'LAKEGATE_RUN_TIMEOUT_MS', 60 * 60_000, 1),
    },
    query: {
      defaultMaxRows: int(env, 'LAKEGATE_QUERY_MAX_ROWS', 10_000, 1),
      maxRowsCap: int(env, 'LAKEGATE_QUERY_MAX_ROWS_CAP', 1_000_000, 1),
      defaultTimeoutMs: int(env, 'LAKEGATE_QUERY_TIMEOUT_MS', 30_000, 1),
      maxTimeoutMs: int(env, 'LAKEGATE_QUERY_TIMEOUT_CAP_MS', 300_000, 1),
      concurrency: int(env, 'LAKEGATE_QUERY_CONCURRENCY', 4, 1),
      queueSize: int(env, 'LAKEGATE_QUERY_QUEUE', 64, 0),
      memoryLimit: opt(env, 'LAKEGATE_QUERY_MEMORY_LIMIT') ?? '2GB',
      cacheEntries: int(env, 'LAKEGATE_QUERY_CACHE_ENTRIES', 500, 0),
    },
    athena: {
      workgroup: opt(env, 'LAKEGATE_ATHENA_WORKGROUP') ?? 'primary',
      outputLocation: opt(env, 'LAKEGATE_ATHENA_OUTPUT_LOCATION'),
    },
    emr: {
      clusterId: opt(env, 'LAKEGATE_EMR_CLUSTER_ID'),
      s3Staging: opt(env, 'LAKEGATE_S3_STAGING'),
    },
    apiKeys: opt(env, 'LAKEGATE_API_KEYS') ?? '',
    bodyLimitBytes: int(env, 'LAKEGATE_BODY_LIMIT_BYTES', 2 * 1024 * 1024, 1024),
  };
}
