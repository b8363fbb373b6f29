import type { components } from '../api/openapi-types.js';

export type StageName = components['schemas']['StageName'];
export type RunStatus = components['schemas']['RunStatus'];
export type PipelineEngine = components['schemas']['PipelineEngine'];
export type QualityStatus = components['schemas']['QualityStatus'];
export type QualityCheck = components['schemas']['QualityCheck'];
export type BenchmarkResult = components['schemas']['BenchmarkResult'];
export type Stage = components['schemas']['Stage'];
export type Run = components['schemas']['Run'];
export type RunRequest = components['schemas']['RunRequest'];

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

export interface QualityReport {
  overall: QualityStatus;
  checks: QualityCheck[];
}

/** What one stage produced. */
export interface StageOutcome {
  rows: number;
  tables: string[];
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
}

/**
 * Where a pipeline's stages execute: `local/` (embedded DuckDB), `spark/` (spark-submit), `emr/` (EMR steps).
 * A session lives for one run, so a backend may keep state (a loaded input) between stages.
 */
export interface JobBackend {
  readonly engine: PipelineEngine;
  openSession(ctx: Omit<StageContext, 'attempt' | 'signal' | 'log'>): Promise<JobSession>;
}

export interface JobSession {
  runStage(stage: StageName, ctx: StageContext): Promise<StageOutcome>;
  close(): Promise<void>;
}
