/** The API's types, generated from openapi.yaml (the same file the gateway's routes use). */
import type { components } from '../../src/api/openapi-types.js';

type S = components['schemas'];
export type WhoAmI = S['WhoAmI'];
export type Scope = WhoAmI['scopes'][number];
export type TableSummary = S['TableSummary'];
export type Table = S['Table'];
export type PartitionList = S['PartitionList'];
export type RepairResult = S['RepairResult'];
export type ValidateResult = S['ValidateResult'];
export type EngineInfo = S['EngineInfo'];
export type SqlDialect = S['SqlDialect'];
export type QueryResult = S['QueryResult'];
export type TranslateResult = S['TranslateResult'];
export type Run = S['Run'];
export type RunList = S['RunList'];
export type RunAccepted = S['RunAccepted'];
export type Stage = S['Stage'];
export type AnalyticsList = S['AnalyticsList'];
export type AnalyticsParam = S['AnalyticsParam'];
export type PipelineEngine = S['PipelineEngine'];
export type StageName = S['StageName'];

export const DIALECTS: readonly SqlDialect[] = ['hive', 'impala', 'spark', 'athena', 'trino', 'duckdb'];
export const STAGES: readonly StageName[] = ['quality', 'etl', 'quarterly', 'benchmark'];
export const PIPELINE_ENGINES: readonly PipelineEngine[] = ['local', 'spark', 'emr'];
