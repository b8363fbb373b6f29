import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { AppError } from '../../errors.js';
import type { BenchmarkResult, QualityCheck, QualityReport, QualityStatus, StageName } from '../../pipeline/pipeline-types.js';
import { awsErrorName, awsStatus, fromAwsError } from '../../storage/aws-error.js';
import { parseS3Url, s3Join } from '../../storage/location.js';

/**
 * What a Spark job tells the gateway about its stage, as JSON at `<output>/.runs/<runId>/<stage>.json`
 * (all fields optional):
 *
 * ```json
 * {"rows": 100000, "overall": "FAIL", "checks": [{"name": "duplicate_id", "status": "FAIL", "issueCount": 3, "detail": "..."}]}
 * {"rows": 98000, "benchmark": [{"benchmark": "csv_vs_parquet", "variant": "parquet", "elapsedMs": 812}]}
 * ```
 * `overall` + `checks` (the quality stage) are the quality report; it is read whether the step
 * succeeded or failed, because the quality job exits 3 on FAIL.
 */
export interface StageReport {
  rows?: number;
  quality?: QualityReport;
  benchmark?: BenchmarkResult[];
}

export function stageReportUrl(output: string, runId: string, stage: StageName): string {
  return s3Join(output, '.runs', runId, `${stage}.json`);
}

/** The report a job left at `url`, or undefined when there is none. */
export async function readStageReport(s3: S3Client, url: string, signal?: AbortSignal): Promise<StageReport | undefined> {
  const { bucket, key } = parseS3Url(url);
  let text: string;
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
    text = (await out.Body?.transformToString('utf8')) ?? '';
  } catch (err) {
    if (awsErrorName(err) === 'NoSuchKey' || awsStatus(err) === 404) return undefined;
    throw fromAwsError(err, `reading the stage report ${url}`);
  }
  try {
    return parseStageReport(JSON.parse(text) as unknown);
  } catch (err) {
    throw new AppError('UPSTREAM_FAILED', `the stage report ${url} is malformed: ${(err as Error).message}`, { cause: err });
  }
}

const STATUSES: readonly QualityStatus[] = ['PASS', 'WARN', 'FAIL'];
type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function status(v: unknown, where: string): QualityStatus {
  if (!STATUSES.includes(v as QualityStatus)) throw new Error(`${where} must be one of ${STATUSES.join(', ')}`);
  return v as QualityStatus;
}

function check(v: unknown, i: number): QualityCheck {
  if (!isObject(v) || typeof v.name !== 'string') throw new Error(`checks[${i}] needs a name`);
  return { name: v.name, status: status(v.status, `checks[${i}].status`), issueCount: Number(v.issueCount ?? 0), detail: String(v.detail ?? '') };
}

function benchmark(v: unknown, i: number): BenchmarkResult {
  if (!isObject(v) || typeof v.benchmark !== 'string' || typeof v.variant !== 'string' || typeof v.elapsedMs !== 'number') {
    throw new Error(`benchmark[${i}] needs benchmark, variant and elapsedMs`);
  }
  return v as unknown as BenchmarkResult;
}

export function parseStageReport(v: unknown): StageReport {
  if (!isObject(v)) throw new Error('the report must be a JSON object');
  const report: StageReport = {};
  if (v.rows !== undefined) {
    if (!Number.isInteger(v.rows)) throw new Error('rows must be an integer');
    report.rows = v.rows as number;
  }
  if (v.overall !== undefined) {
    if (!Array.isArray(v.checks)) throw new Error('a report with overall needs checks');
    report.quality = { overall: status(v.overall, 'overall'), checks: v.checks.map(check) };
  }
  if (v.benchmark !== undefined) {
    if (!Array.isArray(v.benchmark)) throw new Error('benchmark must be an array');
    report.benchmark = v.benchmark.map(benchmark);
  }
  return report;
}
