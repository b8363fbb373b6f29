import type { components } from '../api/openapi-types.js';
import type { RowCountContext } from './quality-rules.js';
import type { ProgressSink } from './stage-progress.js';

export type StageName = components['schemas']['StageName'];
export type RunStatus = components['schemas']['RunStatus'];
export type PipelineEngine = components['schemas']['PipelineEngine'];
export type QualityStatus = components['schemas']['QualityStatus'];
export type QualityCheck = components['schemas']['QualityCheck'];
export type BenchmarkResult = components['schemas']['BenchmarkResult'];
export type Stage = components['schemas']['Stage'];
export type Run = components['schemas']['Run'];
export type RunRequest = components['schemas']['RunRequest'];
export type RunRules = components['schemas']['RunRules'];
export type InputFingerprint = components['schemas']['InputFingerprint'];
export type StagePublication = components['schemas']['StagePublication'];
export type StageProgress = components['schemas']['StageProgress'];

/** Stages in the only order they run. */
export const STAGE_ORDER: readonly StageName[] = ['quality', 'etl', 'quarterly', 'benchmark'];

/** The tables each stage publishes (names of ddl/ definitions). */
export const STAGE_TABLES: Record<StageName, readonly string[]> = {
  quality: ['quality_report'],
  etl: ['partitioned_transactions', 'daily_category_summary', 'merchant_ranking', 'hourly_pattern', 'regional_analysis', 'monthly_trend'],
  quarterly: [
    'quarterly_category_summary',
    'quarterly_summary',
    'quarterly_merchant_ranking',
    'quarterly_card_type',
    'quarterly_region',
    'quarterly_installment',
  ],
  benchmark: ['benchmark_report'],
};

/**
 * Tables that hold one partition per run year (`txn_year`): a run replaces only the partitions it
 * wrote and keeps the others, so a history of years accumulates (the original wrote one folder per year).
 */
export const YEAR_PARTITIONED_TABLES: ReadonlySet<string> = new Set(STAGE_TABLES.quarterly);

export interface QualityReport {
  overall: QualityStatus;
  checks: QualityCheck[];
}

/** What one stage produced. */
export interface StageOutcome {
  rows: number;
  /** The tables the stage wrote (a session reports them; once published, the tables that are live). */
  tables: string[];
  /** Rows written to each table, when the writer knows them (else publication counts them from the footers). */
  tableRows?: Record<string, number>;
  /** Where each published table now lives, when that is not `<output>/<table>` (S3 version prefixes); set by publication. */
  locations?: Record<string, string>;
  quality?: QualityReport;
  benchmark?: BenchmarkResult[];
}

/** Everything a job backend needs to run the stages of one run. */
export interface StageContext {
  runId: string;
  input: string;
  output: string;
  year: number;
  attempt: number;
  signal: AbortSignal;
  log: (line: string) => void;
  /** Records backend handles on the stage (EMR step id, log URI, spark-submit process group); shown as stage.external. */
  record?: (external: Record<string, string>) => void;
  /** The run's rules on empty and shrinking inputs, and the previous run's row count. */
  rows: RowCountContext;
  /** The input files as recorded at submit, in reading order: a stage that reads one checks it still matches. */
  inputFiles: InputFingerprint[];
  /** Where the stage writes its tables; nothing written there is visible until the stage is published. */
  target: StageTarget;
  /**
   * Where the backend reports how far the stage is, from its engine's own progress (see
   * ProgressReport); as often as it likes, the runner throttles. A backend that cannot tell (Spark,
   * EMR) never calls it: the stage then shows 0 while running and 100 once it succeeded.
   */
  progress?: ProgressSink;
}

/**
 * The locations one stage attempt writes its tables to, given by the publication layer: a session
 * writes there and reports what it wrote; publishing (or discarding) is not the session's.
 */
export interface StageTarget {
  /** The version this attempt writes (`<runId>-a<attempt>`). */
  readonly version: string;
  /** A fresh location (local path or s3:// prefix) for `table`'s files. */
  location(table: string): Promise<string>;
}

/** Durably records a stage's publication state in its run; resolves once the record is written. */
export type PublicationJournal = (publication: StagePublication) => Promise<void>;

/** What a job backend is given for one run. */
export interface SessionContext {
  runId: string;
  /** The input's one file (local: its real path at submit), or for several files the first of them; see StageContext.inputFiles for all. */
  input: string;
  output: string;
  year: number;
  /** EMR: the cluster to add steps to (else the backend's default, else a transient cluster). */
  clusterId?: string;
}

/**
 * Where a pipeline's stages execute: `local/` (embedded DuckDB), `spark/` (spark-submit), `emr/` (EMR steps).
 * A session lives for one run, so a backend may keep state (a loaded input) between stages.
 */
export interface JobBackend {
  readonly engine: PipelineEngine;
  /** Which kinds of input and output locations it can use (default: local paths only). */
  readonly locations?: { local: boolean; s3: boolean };
  openSession(ctx: SessionContext): Promise<JobSession>;
  /** Releases work a killed gateway left behind (an EMR step, a transient cluster, a spark-submit), from stage.external. */
  release?(external: Record<string, string>): Promise<void>;
  /** Frees what the backend holds across runs (the embedded engine's database), after its runs ended. */
  close?(): Promise<void>;
  /** Removes what a run interrupted by a restart left in local scratch (the input's Parquet copy, downloads). */
  discardScratch?(runId: string): Promise<void>;
}

export interface JobSession {
  /** Runs a stage, writing its tables to `ctx.target`, and reports what it wrote; never publishes. */
  runStage(stage: StageName, ctx: StageContext): Promise<StageOutcome>;
  close(): Promise<void>;
}
