import type { EMRClient, Step } from '@aws-sdk/client-emr';
import type { S3Client } from '@aws-sdk/client-s3';
import { AppError } from '../../errors.js';
import { STAGE_TABLES, type JobBackend, type JobSession, type QualityReport, type StageContext, type StageName, type StageOutcome } from '../../pipeline/pipeline-types.js';
import { VERSIONS_DIR } from '../../pipeline/publication/table-publisher.js';
import { verifyS3Input } from '../../pipeline/input-check.js';
import { jobInputArgs } from '../job-input-args.js';
import { ArtifactStaging, type StagedArtifacts } from './artifact-staging.js';
import { checkClusterSpec, runJobFlowInput, type ClusterSpec } from './cluster-spec.js';
import { CLUSTER_ENDED, EmrOperations, stepFailure, stepPhase } from './emr-operations.js';
import { isS3Url, parseS3Url, s3Join } from '../../storage/location.js';
import { sparkStep } from './spark-step.js';
import { readStageReport, stageReportUrl, type StageReport } from './stage-report.js';

export interface EmrJobOptions {
  emr: EMRClient;
  s3: S3Client;
  /** `s3://bucket/prefix` for the staged jobs and DDL and the logs of clusters a run starts (LAKEGATE_S3_STAGING). */
  staging: string;
  /** Cluster of runs that name none (LAKEGATE_EMR_CLUSTER_ID). Without either, a run starts a transient cluster. */
  clusterId?: string;
  /** The RunJobFlow request of a transient cluster: parsed `spark/emr-cluster.json`. */
  clusterSpec: object;
  /** Directory holding `jobs/<stage>.py` and the modules they import. */
  sparkDir: string;
  /** The `ddl/` directory (table DDL and transforms) the jobs read. */
  ddlDir: string;
  /** First pause between DescribeStep calls (default 5 s); doubles while the step's state stays the same. */
  pollIntervalMs?: number;
  /** Longest pause between DescribeStep calls (default 60 s). */
  maxPollIntervalMs?: number;
}

/** The run a session serves; `clusterId` is the request's cluster (RunRequest.clusterId), if any. */
export interface EmrRunContext {
  runId: string;
  input: string;
  output: string;
  year: number;
  clusterId?: string;
}

/**
 * Runs the pipeline's stages as EMR steps: one `spark-submit` step per stage on the run's cluster
 * (the request's, else LAKEGATE_EMR_CLUSTER_ID, else a transient cluster from the spec that is
 * terminated when the session closes). Input and output are S3 locations. The jobs write the stage's
 * tables at the locations the stage's target prepared (`<output>/.versions/<table>/<version>/`); after a
 * step succeeds the session reports them (publication is the caller's), and a quality report with
 * overall FAIL (`<output>/.runs/<runId>/quality.json`) halts the run instead. Cancelling the run
 * cancels the step.
 *
 * AWS throttling is retried by the clients' retry strategy (see createEmrClients); other AWS failures
 * surface as AppError('UPSTREAM_FAILED').
 */
export class EmrJobBackend implements JobBackend {
  readonly engine = 'emr' as const;
  readonly ops: EmrOperations;
  private readonly staging: ArtifactStaging;
  private readonly spec: ClusterSpec;

  /** Steps read and write S3 only. */
  readonly locations = { local: false, s3: true };

  constructor(readonly o: EmrJobOptions) {
    parseS3Url(o.staging, 'the S3 staging location (LAKEGATE_S3_STAGING)');
    this.spec = checkClusterSpec(o.clusterSpec);
    this.ops = new EmrOperations(o.emr);
    this.staging = new ArtifactStaging({ s3: o.s3, staging: o.staging });
  }

  async openSession(run: EmrRunContext): Promise<JobSession> {
    for (const [what, url] of [['input', run.input], ['output', run.output]] as const) {
      if (!isS3Url(url)) throw new AppError('ENGINE_UNSUPPORTED_LOCATION', `engine emr reads and writes S3: the ${what} must be an s3:// URL, got '${url}'`);
    }
    return new EmrJobSession(this, run);
  }

  /** Uploads the Spark jobs and the DDL to the staging prefix (content-addressed; present objects are skipped). */
  stageArtifacts(signal?: AbortSignal): Promise<StagedArtifacts> {
    return this.staging.stage(this.o.sparkDir, this.o.ddlDir, signal);
  }

  /** Uploads a job's input list to `<staging>/inputs/` (content-addressed). */
  stageText(text: string, signal?: AbortSignal): Promise<string> {
    return this.staging.stageText(text, signal);
  }

  /** Uploads an input file to `<staging>/data/<name>` (operator CLI). */
  uploadData(file: string, signal?: AbortSignal): Promise<string> {
    return this.staging.uploadData(file, signal);
  }

  /** Starts a cluster from the spec, logging under `<staging>/logs/`; answers its id at once (it starts in the background). */
  startCluster(name: string, tags: Record<string, string> = {}): Promise<string> {
    return this.ops.createCluster(runJobFlowInput(this.spec, { name, logUri: `${this.logRoot()}/`, tags: { lakegate: 'pipeline', ...tags } }));
  }

  get releaseLabel(): string {
    return this.spec.ReleaseLabel ?? '';
  }

  /**
   * Stops what a stage left running on EMR when its run was interrupted by a gateway restart, from the
   * handles recorded on the stage (`stage.external`): terminates the run's transient cluster, or
   * cancels its step on a shared cluster.
   */
  async release(external: Record<string, string>): Promise<void> {
    const { clusterId, stepId } = external;
    if (!clusterId) return;
    if (external.transientCluster === 'true') return this.ops.terminate(clusterId);
    if (!stepId) return;
    const step = await this.ops.describeStep(clusterId, stepId);
    if (stepPhase(step.Status?.State) === 'running') await this.ops.cancelStep(clusterId, stepId);
  }

  /** Where clusters this backend starts write their logs: the spec's LogUri, else `<staging>/logs`. */
  logRoot(): string {
    return normalizeLogUri(this.spec.LogUri ?? s3Join(this.o.staging, 'logs'));
  }
}

/** EMR reports log URIs as `s3n://...`; step logs live under `<log uri>/<cluster id>/steps/<step id>/`. */
function normalizeLogUri(uri: string): string {
  return uri.replace(/^s3n:/, 's3:').replace(/\/+$/, '');
}

/** One run on EMR: its cluster, its staged artifacts, one step per stage attempt. */
class EmrJobSession implements JobSession {
  private clusterId: string | undefined;
  private transient = false;
  private readonly started: string[] = [];
  private logRoot: string | undefined;
  private artifacts: StagedArtifacts | undefined;
  private inputArgList: string[] | undefined;

  constructor(
    private readonly backend: EmrJobBackend,
    private readonly run: EmrRunContext,
  ) {
    this.clusterId = run.clusterId ?? backend.o.clusterId;
  }

  /** The job's input arguments, the list (for several files) staged once per session. */
  private async inputArgs(ctx: StageContext): Promise<string[]> {
    this.inputArgList ??= await jobInputArgs(ctx.inputFiles.map((f) => f.path), (text) => this.backend.stageText(text, ctx.signal));
    return this.inputArgList;
  }

  /**
   * No finer progress than the runner's 0 → 100: an EMR step reports a state (PENDING, RUNNING, ...),
   * never how far it is, so `ctx.progress` is never called.
   */
  async runStage(stage: StageName, ctx: StageContext): Promise<StageOutcome> {
    this.artifacts ??= await this.backend.stageArtifacts(ctx.signal);
    // The step's job reads the input itself: it must still be the object the submit checked.
    for (const f of ctx.inputFiles) await verifyS3Input(this.backend.o.s3, f);
    const clusterId = await this.cluster(ctx);
    const version = ctx.target.version;
    const tables = STAGE_TABLES[stage];
    for (const table of tables) await this.prepare(ctx, table);

    const { ops, o } = this.backend;
    const stepId = await ops.addStep(clusterId, sparkStep(stage, { ...this.run, inputArgs: await this.inputArgs(ctx), version }, this.artifacts));
    const logUri = this.logRoot ? `${this.logRoot}/${clusterId}/steps/${stepId}/` : undefined;
    ctx.record?.({ clusterId, stepId, ...(logUri ? { logUri } : {}), ...(this.transient ? { transientCluster: 'true' } : {}) });
    ctx.log(`step ${stepId} submitted to cluster ${clusterId}${logUri ? `; logs at ${logUri}` : ''}`);
    const step = await ops.waitForStep(clusterId, stepId, {
      signal: ctx.signal,
      intervalMs: o.pollIntervalMs ?? 5_000,
      maxIntervalMs: o.maxPollIntervalMs ?? 60_000,
      onState: (state) => ctx.log(`step ${stepId} ${state}`),
      onCancel: (outcome) => ctx.log(`run stopped; ${outcome} for step ${stepId}`),
    });

    if (stepPhase(step.Status?.State) === 'failed') {
      // The quality job exits non-zero on FAIL: its report tells a halt from a failure.
      const report = await this.report(stage, ctx).catch(() => undefined);
      if (report?.quality?.overall === 'FAIL') return this.halted(report.quality, report.rows);
      throw await this.failure(step, clusterId, ctx.signal);
    }
    const report = await this.report(stage, ctx);
    if (report?.quality?.overall === 'FAIL') return this.halted(report.quality, report.rows);
    return {
      rows: report?.rows ?? 0,
      tables: [...tables],
      ...(report?.quality ? { quality: report.quality } : {}),
      ...(report?.benchmark ? { benchmark: report.benchmark } : {}),
    };
  }

  /** Terminates the clusters this session started; a given cluster is left running. */
  async close(): Promise<void> {
    const errors: unknown[] = [];
    for (const id of this.started.splice(0)) await this.backend.ops.terminate(id).catch((err: unknown) => errors.push(err));
    if (errors.length > 0) throw errors[0];
  }

  /** The cluster for the next step: the given one (which must be alive), else a transient one (restarted if it died). */
  private async cluster(ctx: StageContext): Promise<string> {
    const id = this.clusterId;
    if (id) {
      const c = await this.backend.ops.describeCluster(id, ctx.signal);
      const state = c.Status?.State ?? '';
      if (!CLUSTER_ENDED.has(state)) {
        this.logRoot ??= c.LogUri ? normalizeLogUri(c.LogUri) : undefined;
        return id;
      }
      const why = `cluster ${id} is ${state}${c.Status?.StateChangeReason?.Message ? ` (${c.Status.StateChangeReason.Message})` : ''}`;
      if (!this.transient) throw new AppError('UPSTREAM_FAILED', `${why}; no step can run on it`);
      ctx.log(`${why}; starting another`);
    }
    const started = await this.backend.startCluster(`lakegate ${this.run.runId}`, { 'lakegate:run-id': this.run.runId });
    this.started.push(started);
    this.clusterId = started;
    this.transient = true;
    this.logRoot = this.backend.logRoot();
    ctx.log(`started transient cluster ${started} (${this.backend.releaseLabel})`);
    ctx.record?.({ clusterId: started, transientCluster: 'true' });
    return started;
  }

  /** Lets publication prepare the version; it must be where the jobs write it. */
  private async prepare(ctx: StageContext, table: string): Promise<void> {
    const where = parseS3Url(await ctx.target.location(table), `the prepared location of ${table}`);
    const expected = parseS3Url(s3Join(this.run.output, VERSIONS_DIR, table, ctx.target.version));
    if (where.bucket !== expected.bucket || where.key !== expected.key) {
      throw new AppError('INTERNAL', `the publisher prepared ${table} at s3://${where.bucket}/${where.key}, but the Spark jobs write s3://${expected.bucket}/${expected.key}`);
    }
  }

  private report(stage: StageName, ctx: StageContext): Promise<StageReport | undefined> {
    return readStageReport(this.backend.o.s3, stageReportUrl(this.run.output, this.run.runId, stage), ctx.signal);
  }

  private halted(quality: QualityReport, rows: number | undefined): StageOutcome {
    return { rows: rows ?? 0, tables: [], quality };
  }

  /** The step's failure; a dead given cluster makes it final, a transient one is replaced on retry. */
  private async failure(step: Step, clusterId: string, signal: AbortSignal): Promise<AppError> {
    const cluster = await this.backend.ops.describeCluster(clusterId, signal).catch(() => undefined);
    const state = cluster?.Status?.State ?? '';
    const ended = CLUSTER_ENDED.has(state);
    const reason = ended ? `; cluster ${clusterId} is ${state}${cluster?.Status?.StateChangeReason?.Message ? ` (${cluster.Status.StateChangeReason.Message})` : ''}` : '';
    return new AppError('UPSTREAM_FAILED', `${stepFailure(step)}${reason}`, { retryable: !ended || this.transient });
  }
}
