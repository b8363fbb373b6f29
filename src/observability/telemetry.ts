import type { Logger } from 'pino';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { QueryEngine } from '../engines/engine.js';
import { isAppError } from '../errors.js';
import type { PipelineObserver } from '../pipeline/pipeline-runner.js';
import type { Run, Stage } from '../pipeline/pipeline-types.js';
import type { QueryEvent, QueryObserver } from '../query/query-service.js';
import { AuditLog } from './audit-log.js';
import { actorName, currentContext } from './request-context.js';

/** What the gauges read at scrape time. */
export interface TelemetrySources {
  queueDepth: () => number;
  engines: QueryEngine[];
}

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const STAGE_BUCKETS = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

/** How a failed query ended, as a low-cardinality label. */
function queryOutcome(error: unknown): string {
  if (error === undefined) return 'ok';
  if (isAppError(error) && error.code === 'QUERY_TIMEOUT') return 'timeout';
  if (isAppError(error) && error.code === 'QUERY_CANCELLED') return 'cancelled';
  if (isAppError(error) && error.code === 'OVERLOADED') return 'rejected';
  return 'error';
}

/**
 * Prometheus metrics (one registry per gateway, so tests can run several) and the audit log. It is
 * the observer of the query service and the pipeline runner; routes never call it.
 */
export class Telemetry implements QueryObserver, PipelineObserver {
  readonly registry = new Registry();
  readonly audit: AuditLog;
  private readonly http: Histogram<'method' | 'route' | 'status'>;
  private readonly queries: Histogram<'engine' | 'outcome'>;
  private readonly cache: Counter<'result'>;
  private readonly stages: Histogram<'stage' | 'outcome'>;
  private readonly runs: Counter<'engine' | 'status'>;
  private sources: TelemetrySources = { queueDepth: () => 0, engines: [] };

  constructor(private readonly logger: Logger) {
    this.audit = new AuditLog(logger);
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.http = new Histogram({
      name: 'lakegate_http_request_duration_seconds', help: 'HTTP requests by route pattern and status',
      labelNames: ['method', 'route', 'status'], buckets: DURATION_BUCKETS, registers,
    });
    this.queries = new Histogram({
      name: 'lakegate_query_duration_seconds', help: 'Query executions (cache hits included) by engine and outcome',
      labelNames: ['engine', 'outcome'], buckets: DURATION_BUCKETS, registers,
    });
    this.cache = new Counter({ name: 'lakegate_query_cache_total', help: 'Query result cache lookups by result (hit, miss)', labelNames: ['result'], registers });
    this.stages = new Histogram({
      name: 'lakegate_pipeline_stage_duration_seconds', help: 'Pipeline stage attempts by stage and outcome',
      labelNames: ['stage', 'outcome'], buckets: STAGE_BUCKETS, registers,
    });
    this.runs = new Counter({ name: 'lakegate_pipeline_runs_total', help: 'Finished pipeline runs by engine and final status', labelNames: ['engine', 'status'], registers });
    const self = this;
    new Gauge({
      name: 'lakegate_query_queue_depth', help: 'Queries waiting for an engine slot', registers,
      collect() {
        this.set(self.sources.queueDepth());
      },
    });
    new Gauge({
      name: 'lakegate_engine_memory_bytes', help: 'Memory held by in-process query engines (DuckDB: duckdb_memory()) by tag',
      labelNames: ['engine', 'tag'], registers,
      async collect() {
        this.reset();
        for (const engine of self.sources.engines) {
          const usage = await engine.memoryUsage?.().catch((err: unknown) => {
            self.logger.warn({ err, engine: engine.name }, 'could not read engine memory');
            return [];
          });
          for (const m of usage ?? []) this.set({ engine: engine.name, tag: m.tag }, m.bytes);
        }
      },
    });
  }

  /** Tells the gauges where to read (called once the query service exists). */
  watch(sources: TelemetrySources): void {
    this.sources = sources;
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.http.observe({ method, route, status: String(status) }, seconds);
  }

  queryFinished(e: QueryEvent): void {
    const engine = e.prepared.engine.name;
    this.queries.observe({ engine, outcome: queryOutcome(e.error) }, e.durationMs / 1000);
    if (e.error === undefined) this.cache.inc({ result: e.cacheHit ? 'hit' : 'miss' });
    const ctx = currentContext();
    if (ctx) {
      ctx.query = {
        engine,
        tables: e.prepared.tables.map((t) => `${t.database}.${t.name}`),
        input: e.prepared.input,
        rows: e.rows,
        cacheHit: e.cacheHit,
        durationMs: e.durationMs,
        outcome: e.error === undefined ? 'ok' : 'error',
      };
    }
  }

  stageFinished(_run: Run, stage: Stage, durationMs: number): void {
    this.stages.observe({ stage: stage.name, outcome: stage.status }, durationMs / 1000);
  }

  /** The run's finish line; the key is the submitter's (the run started inside its request's context). */
  runFinished(run: Run): void {
    this.runs.inc({ engine: run.engine, status: run.status });
    const started = Date.parse(run.startedAt ?? run.createdAt);
    const finished = Date.parse(run.finishedAt ?? new Date().toISOString());
    this.audit.pipeline({
      event: 'finish',
      key: actorName(),
      runId: run.runId,
      engine: run.engine,
      stages: run.stages.filter((s) => s.status !== 'skipped').map((s) => s.name),
      tables: run.stages.flatMap((s) => s.tables ?? []),
      rows: run.stages.reduce((n, s) => n + (s.rows ?? 0), 0),
      durationMs: Number.isFinite(finished - started) ? finished - started : 0,
      outcome: run.status,
    });
  }

  async metrics(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
