import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { isUnderRoots } from '../storage/location.js';
import { AppError } from '../errors.js';
import { LocalTablePublisher } from './table-publisher.js';
import type { S3Client } from '@aws-sdk/client-s3';
import { checkLocalInput, checkS3Input } from './input-check.js';
import { PipelineRunner, RunAbort, type RunnerOptions } from './pipeline-runner.js';
import { STAGE_ORDER, STAGE_TABLES, type JobBackend, type PipelineEngine, type Run, type RunRequest } from './pipeline-types.js';
import type { RunStore } from './run-store.js';

export interface PipelineServiceOptions extends Omit<RunnerOptions, 'log'> {
  /** For s3:// inputs (checked at submit). */
  s3?: S3Client;
  backends: Partial<Record<PipelineEngine, JobBackend>>;
  /** Default output of runs; relative outputs resolve against its parent (LAKEGATE_HOME). */
  warehouse: string;
  /** Local directories an output must lie under (default: anywhere). Inputs are only read, and may be anywhere. */
  localRoots?: string[];
  timeoutMs: number;
  defaultYear?: number;
  log: (runId: string, line: string) => void;
}

const TERMINAL: ReadonlySet<string> = new Set(['succeeded', 'failed', 'halted', 'cancelled']);

/** Time-ordered, unique run ids: `run_<base36 ms>_<random>`; sorting them sorts by creation. */
const isS3Location = (p: string): boolean => p.startsWith('s3://');

function newRunId(): string {
  return `run_${Date.now().toString(36).padStart(9, '0')}_${randomBytes(5).toString('hex')}`;
}

interface Active {
  controller: AbortController;
  done: Promise<void>;
}

/** Submits, tracks, cancels and recovers pipeline runs. At most one active run per output (409 otherwise). */
export class PipelineService {
  private readonly active = new Map<string, Active>();
  private readonly activeByOutput = new Map<string, string>();
  /** Submissions being checked, by idempotency key. */
  private readonly submitting = new Map<string, Promise<Run>>();
  private readonly runner: PipelineRunner;
  private closing = false;

  constructor(private readonly o: PipelineServiceOptions) {
    this.runner = new PipelineRunner(o);
  }

  get store(): RunStore {
    return this.o.store;
  }

  /** Marks runs that were in flight when the process died as failed and removes their unpublished files. */
  async recover(): Promise<number> {
    let n = 0;
    for (const run of this.o.store.all()) {
      if (run.status !== 'queued' && run.status !== 'running') continue;
      run.status = 'failed';
      run.error = 'the gateway stopped while this run was in flight (process restart); nothing it had not published was kept';
      run.finishedAt = new Date().toISOString();
      for (const s of run.stages) {
        if (s.status === 'running') {
          s.status = 'failed';
          s.error = 'interrupted by a gateway restart';
          s.finishedAt = run.finishedAt;
        } else if (s.status === 'pending') s.status = 'skipped';
      }
      await this.o.store.save(run);
      // Stop what is still running for it first, so that nothing writes after the clean-up.
      await this.releaseRemote(run);
      if (!isS3Location(run.output)) await this.removeUnpublished(run);
      n++;
    }
    return n;
  }

  /** Work of an interrupted run (an EMR step, a transient cluster, a spark-submit) is cancelled, not left running. */
  private async releaseRemote(run: Run): Promise<void> {
    const backend = this.o.backends[run.engine];
    if (!backend?.release) return;
    for (const s of run.stages) {
      if (s.external) await backend.release(s.external).catch((err: unknown) => this.o.log(run.runId, `could not release ${JSON.stringify(s.external)}: ${(err as Error).message}`));
    }
  }

  private async removeUnpublished(run: Run): Promise<void> {
    const publisher = new LocalTablePublisher(run.output);
    for (const table of Object.values(STAGE_TABLES).flat()) {
      await publisher.removeUnpublished(table, (v) => v.startsWith(`${run.runId}-`)).catch(() => undefined);
    }
  }

  async submit(req: RunRequest): Promise<{ run: Run; created: boolean }> {
    if (this.closing) throw new AppError('OVERLOADED', 'the gateway is shutting down');
    const key = req.idempotencyKey;
    if (key === undefined) return { run: await this.create(req), created: true };
    const existing = this.o.store.all().find((r) => r.idempotencyKey === key);
    if (existing) return { run: existing, created: false };
    // A retry that arrives while the first submission is still being checked gets the same run.
    const pending = this.submitting.get(key);
    if (pending) return { run: await pending, created: false };
    const creating = this.create(req);
    this.submitting.set(key, creating);
    try {
      return { run: await creating, created: true };
    } finally {
      this.submitting.delete(key);
    }
  }

  private async create(req: RunRequest): Promise<Run> {
    const engine = req.engine ?? 'local';
    const backend = this.o.backends[engine];
    if (!backend) throw new AppError('NOT_IMPLEMENTED', `engine '${engine}' is not configured in this gateway`);
    if (req.clusterId !== undefined && engine !== 'emr') throw new AppError('VALIDATION_FAILED', 'clusterId applies to engine emr only');
    const can = backend.locations ?? { local: true, s3: false };
    const input = this.resolveLocation('input', req.input, engine, can);
    const output = this.resolveLocation('output', req.output ?? this.o.warehouse, engine, can);
    if (isS3Location(input)) {
      if (!this.o.s3) throw new AppError('NOT_IMPLEMENTED', 'this gateway has no S3 client');
      await checkS3Input(this.o.s3, input);
    } else {
      await checkLocalInput(input);
    }
    const holder = this.activeByOutput.get(output);
    // A holder that already shows a final status is only closing its session: its tables are
    // published or discarded, and a scheduler that saw it finish may start the next run at once.
    if (holder && !TERMINAL.has(this.o.store.get(holder)?.status ?? 'running')) throw new AppError('RUN_CONFLICT', `run ${holder} is still active for output ${output}; at most one active run per output`, { details: { activeRunId: holder } });
    const stages = new Set(req.stages ?? STAGE_ORDER);
    const run: Run = {
      runId: newRunId(),
      status: 'queued',
      input,
      output,
      engine,
      year: req.year ?? this.o.defaultYear ?? 2024,
      idempotencyKey: req.idempotencyKey ?? null,
      clusterId: req.clusterId ?? null,
      createdAt: new Date().toISOString(),
      startedAt: null,
      finishedAt: null,
      error: null,
      stages: STAGE_ORDER.map((name) => ({
        name, status: stages.has(name) ? 'pending' : 'skipped', attempts: 0, startedAt: null, finishedAt: null, rows: null, error: null,
      })),
      quality: null,
      benchmark: null,
    };
    // The output is taken before the first await, so that a concurrent submission sees it.
    this.activeByOutput.set(output, run.runId);
    try {
      await this.o.store.save(run);
    } catch (err) {
      this.activeByOutput.delete(output);
      throw err;
    }
    this.start(run, backend);
    return run;
  }

  /**
   * An s3:// (or s3a://) location stays a URL, normalised to s3://; a local one resolves against
   * LAKEGATE_HOME. Each must be of a kind the engine can use.
   */
  private resolveLocation(what: 'input' | 'output', raw: string, engine: string, can: { local: boolean; s3: boolean }): string {
    if (/^s3a?:\/\//i.test(raw)) {
      if (!can.s3) throw new AppError('VALIDATION_FAILED', `engine '${engine}' cannot use an s3:// ${what}`);
      const url = raw.replace(/^s3a?:\/\//i, 's3://').replace(/\/+$/, '');
      if (!/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/|$)/.test(url)) throw new AppError('VALIDATION_FAILED', `${what} ${raw} is not a valid s3:// location`);
      return url;
    }
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) throw new AppError('VALIDATION_FAILED', `${what} must be a local path or an s3:// location, got ${raw}`);
    if (!can.local) throw new AppError('VALIDATION_FAILED', `engine '${engine}' needs an s3:// ${what}`);
    const local = path.resolve(path.dirname(this.o.warehouse), raw);
    const roots = this.o.localRoots;
    if (what === 'output' && roots && !isUnderRoots(local, roots)) {
      throw new AppError('LOCATION_UNREACHABLE', `output ${local} is outside the local directories the gateway may write (${roots.join(', ')}; LAKEGATE_LOCAL_ROOTS)`);
    }
    return local;
  }

  private start(run: Run, backend: JobBackend): void {
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new RunAbort('timeout', `the run exceeded its timeout of ${this.o.timeoutMs} ms`)),
      this.o.timeoutMs,
    );
    timer.unref();
    this.activeByOutput.set(run.output, run.runId);
    const done = this.runner
      .execute(run, backend, controller.signal)
      .catch((err: unknown) => this.o.log(run.runId, `runner error: ${(err as Error).message}`))
      .finally(() => {
        clearTimeout(timer);
        this.active.delete(run.runId);
        if (this.activeByOutput.get(run.output) === run.runId) this.activeByOutput.delete(run.output);
      });
    this.active.set(run.runId, { controller, done });
  }

  get(runId: string): Run {
    const run = this.o.store.get(runId);
    if (!run) throw new AppError('RUN_NOT_FOUND', `no run ${runId}`);
    return run;
  }

  list(limit: number, cursor?: string): { runs: Run[]; nextCursor: string | null } {
    return this.o.store.page(limit, cursor);
  }

  async logs(runId: string): Promise<string> {
    this.get(runId);
    return this.o.store.readLog(runId);
  }

  /** Requests cancellation; answers once the run has stopped (its stages interrupted, nothing half-published). */
  async cancel(runId: string): Promise<Run> {
    const run = this.get(runId);
    const active = this.active.get(runId);
    if (!active) throw new AppError('RUN_NOT_CANCELLABLE', `run ${runId} is ${run.status}; only queued or running runs can be cancelled`);
    active.controller.abort(new RunAbort('cancelled', 'cancelled by request'));
    await active.done;
    return this.get(runId);
  }

  /** Resolves when the run is no longer active (tests, the sample run, shutdown). */
  async waitFor(runId: string): Promise<Run> {
    await this.active.get(runId)?.done;
    return this.get(runId);
  }

  activeRunIds(): string[] {
    return [...this.active.keys()];
  }

  /** Stops accepting runs and stops active ones; they are recorded as failed with the reason. */
  async close(): Promise<void> {
    this.closing = true;
    for (const a of this.active.values()) a.controller.abort(new RunAbort('shutdown', 'the gateway was shut down while this run was in flight'));
    await Promise.all([...this.active.values()].map((a) => a.done));
  }
}
