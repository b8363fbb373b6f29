import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EMRClient, RunJobFlowCommand } from '@aws-sdk/client-emr';
import { CreateBucketCommand, PutBucketVersioningCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll } from 'vitest';
import { EmrJobBackend, type EmrJobOptions } from '../../../src/jobs/emr/emr-job-backend.js';
import type { JobSession, StageContext, StageName, StageOutcome } from '../../../src/pipeline/pipeline-types.js';
import { runPublishedStage } from '../../../src/pipeline/publication/publish-stage.js';
import type { TablePublisher } from '../../../src/pipeline/publication/table-publisher.js';
import { startMotoServer, type MotoServer } from '../../support/moto-server.js';
import { DEFAULT_RULES } from '../../../src/pipeline/pipeline-runner.js';

export const ROOT = path.resolve(import.meta.dirname, '../../..');
export const SPEC_FILE = path.join(ROOT, 'spark', 'emr-cluster.json');

let moto: MotoServer | undefined;

/**
 * Gives the calling test file its own moto harness (test/support/moto-harness.py). The suite's shared
 * server is reset by other test files between their tests, which would wipe clusters and buckets of
 * a test running in parallel; within a file, every test uses its own bucket and clusters instead.
 */
export function useOwnMoto(): void {
  beforeAll(async () => {
    moto = await startMotoServer();
  }, 120_000);
  afterAll(async () => {
    await moto?.stop();
  });
}

export function motoEndpoint(): string {
  if (!moto) throw new Error('call useOwnMoto() at the top of the test file');
  return moto.endpoint;
}

export function clients(): { emr: EMRClient; s3: S3Client } {
  const cfg = { endpoint: motoEndpoint(), region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
  return { emr: new EMRClient(cfg), s3: new S3Client(cfg) };
}

export async function newBucket(s3: S3Client, versioned = false): Promise<string> {
  const bucket = `lakegate-emr-${randomBytes(6).toString('hex')}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  if (versioned) await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  return bucket;
}

/** A `spark/` with the four stage scripts, a helper module and a package, and a `ddl/` with a nested transform. */
export async function sourceTrees(): Promise<{ sparkDir: string; ddlDir: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lakegate-emr-src-'));
  const sparkDir = path.join(dir, 'spark');
  const ddlDir = path.join(dir, 'ddl');
  await mkdir(path.join(sparkDir, 'jobs'), { recursive: true });
  await mkdir(path.join(ddlDir, 'transforms'), { recursive: true });
  for (const stage of ['quality', 'etl', 'quarterly', 'benchmark']) {
    await writeFile(path.join(sparkDir, 'jobs', `${stage}.py`), `import common\ncommon.run(${JSON.stringify(stage)})\n`);
  }
  await writeFile(path.join(sparkDir, 'jobs', 'common.py'), 'def run(stage):\n    print(stage)\n');
  // A package beside jobs/ (as spark/lakegate_spark), with a subpackage and bytecode that must not ship.
  await mkdir(path.join(sparkDir, 'lakegate_fixture', 'sub'), { recursive: true });
  await mkdir(path.join(sparkDir, 'lakegate_fixture', '__pycache__'), { recursive: true });
  await mkdir(path.join(sparkDir, 'conf'), { recursive: true });
  await writeFile(path.join(sparkDir, 'lakegate_fixture', '__init__.py'), '');
  await writeFile(path.join(sparkDir, 'lakegate_fixture', 'sub', '__init__.py'), '');
  await writeFile(path.join(sparkDir, 'lakegate_fixture', 'sub', 'answer.py'), 'VALUE = 42\n');
  await writeFile(path.join(sparkDir, 'lakegate_fixture', '__pycache__', 'junk.pyc'), 'x');
  await writeFile(path.join(sparkDir, 'conf', 'log4j2.properties'), 'rootLogger.level = warn\n');
  await writeFile(path.join(ddlDir, 'quality_report.sql'), 'CREATE EXTERNAL TABLE quality_report (run_id STRING) STORED AS PARQUET;\n');
  await writeFile(path.join(ddlDir, 'transforms', 'monthly_trend.sql'), 'SELECT 1 AS x FROM txn\n');
  return { sparkDir, ddlDir };
}

/** A TablePublisher that remembers what it was asked: the jobs' writes are simulated, so is publication. */
export class RecordingPublisher implements TablePublisher {
  readonly prepared: string[] = [];
  readonly published: string[] = [];
  readonly discarded: string[] = [];
  constructor(private readonly output: string) {}
  async discard(table: string, version: string): Promise<void> {
    this.discarded.push(`${table}@${version}`);
  }
  async prepare(table: string, version: string): Promise<string> {
    this.prepared.push(`${table}@${version}`);
    return `${this.output}/.versions/${table}/${version}`;
  }
  async publish(table: string, version: string): Promise<void> {
    this.published.push(`${table}@${version}`);
  }
}

export interface Lake {
  emr: EMRClient;
  s3: S3Client;
  bucket: string;
  staging: string;
  input: string;
  output: string;
  publisher: RecordingPublisher;
  backend(extra?: Partial<EmrJobOptions>): Promise<EmrJobBackend>;
  /** Runs a stage on a session and publishes what it wrote through `publisher` (default: the recording one), as the gateway's runner does. */
  stage(session: JobSession, stage: StageName, ctx: Omit<StageContext, 'target'>, publisher?: TablePublisher): Promise<StageOutcome>;
}

/** A bucket with staging, input and output prefixes, and a backend factory polling every 20-100 ms. */
export async function lake(opts: { versioned?: boolean } = {}): Promise<Lake> {
  const { emr, s3 } = clients();
  const bucket = await newBucket(s3, opts.versioned);
  const output = `s3://${bucket}/warehouse`;
  const publisher = new RecordingPublisher(output);
  const trees = await sourceTrees();
  const spec = JSON.parse(await readFile(SPEC_FILE, 'utf8')) as object;
  return {
    emr, s3, bucket, output, publisher,
    staging: `s3://${bucket}/staging`,
    input: `s3://${bucket}/input/card.csv`,
    backend: async (extra = {}) =>
      new EmrJobBackend({
        emr, s3, staging: `s3://${bucket}/staging`, clusterSpec: spec, ...trees,
        pollIntervalMs: 20, maxPollIntervalMs: 100, ...extra,
      }),
    stage: (session, stage, ctx, other) => runPublishedStage(session, stage, ctx, { publisher: other ?? publisher, journal: async () => undefined }),
  };
}

/** A long-lived cluster such as an operator keeps (LAKEGATE_EMR_CLUSTER_ID). */
export async function persistentCluster(emr: EMRClient, logUri?: string): Promise<string> {
  const out = await emr.send(new RunJobFlowCommand({
    Name: 'shared', ReleaseLabel: 'emr-7.12.0', Applications: [{ Name: 'Spark' }], ...(logUri ? { LogUri: logUri } : {}),
    Instances: { KeepJobFlowAliveWhenNoSteps: true, InstanceGroups: [{ InstanceRole: 'MASTER', InstanceType: 'm5.xlarge', InstanceCount: 1 }] },
    JobFlowRole: 'EMR_EC2_DefaultRole', ServiceRole: 'EMR_DefaultRole',
  }));
  return out.JobFlowId!;
}

/** Sets a step's state in moto through the harness (test/support/moto-harness.py), as EMR would. */
export async function setStepState(clusterId: string, stepId: string, state: string, failure: { reason?: string; message?: string; logFile?: string } = {}): Promise<void> {
  const res = await fetch(`${motoEndpoint()}/_harness/emr/step-state`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ clusterId, stepId, state, ...failure }),
  });
  if (!res.ok) throw new Error(`harness: ${res.status} ${await res.text()}`);
}

export async function putJson(s3: S3Client, url: string, value: unknown): Promise<void> {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(url)!;
  await s3.send(new PutObjectCommand({ Bucket: m[1], Key: m[2], Body: JSON.stringify(value) }));
}

export async function until<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A stage context that records its log lines and the handles the backend records. */
export function stageContext(lake: Pick<Lake, 'input' | 'output'>, runId: string, opts: { attempt?: number; signal?: AbortSignal } = {}) {
  const lines: string[] = [];
  const external: Record<string, string> = {};
  const ctx: Omit<StageContext, 'target'> = {
    runId, input: lake.input, output: lake.output, year: 2024, attempt: opts.attempt ?? 1,
    signal: opts.signal ?? new AbortController().signal,
    log: (line) => lines.push(line),
    record: (ext) => Object.assign(external, ext),
    rows: { rules: DEFAULT_RULES },
    // Without an ETag: the object is not compared (verifyS3Input), only given to the step.
    inputFiles: [{ path: lake.input, size: 0, mtimeMs: 0 }],
  };
  return { ctx, lines, external, stepId: () => until('the step id', () => external.stepId) };
}

export const run = (lake: Pick<Lake, 'input' | 'output'>, runId: string, clusterId?: string) => ({
  runId, input: lake.input, output: lake.output, year: 2024, ...(clusterId ? { clusterId } : {}),
});

export const reportUrl = (output: string, runId: string, stage: StageName): string => `${output}/.runs/${runId}/${stage}.json`;
