import { AppError, firstLine } from '../errors.js';
import type { CatalogService } from '../catalog/catalog-service.js';
import type { JobBackend, JobSession, Run, RunRules, Stage, StageOutcome, StagePublication } from './pipeline-types.js';
import type { RowCountContext } from './quality-rules.js';
import { runPublishedStage, undoPublication } from './publication/publish-stage.js';
import type { TablePublisher } from './publication/table-publisher.js';
import { outputPublishers } from './publication/output-publishers.js';
import type { RunStore } from './run-store.js';
import { StageProgressTracker } from './stage-progress.js';
import type { TableRegistry } from './table-registry.js';
import { sleep } from '../storage/concurrency.js';
import type { S3Client } from '@aws-sdk/client-s3';
import { inputFilesOf } from './input-set.js';

/** Told when a stage attempt or a run ends (metrics and the audit line). */
export interface PipelineObserver {
  stageFinished(run: Run, stage: Stage, durationMs: number): void;
  runFinished(run: Run): void;
}

export interface RunnerOptions {
  store: RunStore;
  tables: TableRegistry;
  catalog?: CatalogService;
  stageRetries: number;
  retryDelayMs: number;
  /** Least time between two updates of a running stage's progress (default 500 ms). */
  progressIntervalMs?: number;
  log: (runId: string, line: string) => void;
  observer?: PipelineObserver;
  /** The publisher of an output (local links or S3 manifests): stages publish and roll back through it (default: outputPublishers(s3)). */
  publishers?: (output: string) => TablePublisher;
  /** For s3:// outputs when no publishers are given. */
  s3?: S3Client;
  /**
   * Fault injection for crash tests (LAKEGATE_FAULT_KILL_AT): the process kills itself with SIGKILL
   * when a stage's publication journal reaches `<stage>:<state>:<tables swapped>`.
   */
  killAt?: string;
}

/** Why a run's signal was aborted. */
export class RunAbort extends Error {
  constructor(readonly kind: 'cancelled' | 'timeout' | 'shutdown', message: string) {
    super(message);
  }
}

const now = (): string => new Date().toISOString();

/**
 * Whether retrying the stage may help, decided here once for every backend: our own errors say so;
 * an engine's or the filesystem's verdict on the data (no such file, a bad row, a missing column)
 * would only repeat; other unknown errors (an I/O hiccup) may pass.
 */
export function isTransient(err: unknown): boolean {
  if (err instanceof AppError) return err.retryable;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code !== undefined && PERMANENT_ERRNO.has(code)) return false;
  return !PERMANENT_ENGINE_ERROR.test(message(err));
}

const PERMANENT_ERRNO = new Set(['ENOENT', 'ENOTDIR', 'EISDIR', 'EACCES', 'EPERM', 'ELOOP', 'ENAMETOOLONG']);
/** DuckDB's classes of errors about the query or the data, not the moment. */
const PERMANENT_ENGINE_ERROR = /^(IO Error: No files found|Invalid Input Error|Binder Error|Conversion Error|Parser Error|Catalog Error|Constraint Error|Not implemented Error)/;

function message(err: unknown): string {
  return firstLine(err);
}

/** Rules of a run submitted before runs carried them. */
export const DEFAULT_RULES: RunRules = { minRows: 1, maxRowDropPct: null, onRowDrop: 'FAIL', allowEmpty: false };

/** Executes one run's stages in order on a job backend, recording every transition in the run store. */
export class PipelineRunner {
  readonly publishers: (output: string) => TablePublisher;

  constructor(private readonly o: RunnerOptions) {
    this.publishers = o.publishers ?? outputPublishers(o.s3);
  }

  async execute(run: Run, backend: JobBackend, signal: AbortSignal): Promise<void> {
    const save = (): Promise<void> => this.o.store.save(run);
    run.status = 'running';
    run.startedAt = now();
    await save();
    let session: JobSession | undefined;
    try {
      // One publisher for the run: an S3 publisher remembers what it published until it retires the rest.
      const publisher = this.publishers(run.output);
      session = await backend.openSession({
        // A local input is read where it resolved at submit, even if a link to it has moved since.
        runId: run.runId, input: inputFilesOf(run)[0]?.path ?? String(run.input), output: run.output, year: run.year ?? 2024, ...(run.clusterId ? { clusterId: run.clusterId } : {}),
      });
      for (const stage of run.stages) {
        if (stage.status !== 'pending') continue;
        if (run.status !== 'running') {
          stage.status = 'skipped';
          continue;
        }
        await this.runStage(run, stage, session, publisher, signal);
        await save();
      }
      if (run.status === 'running') run.status = 'succeeded';
    } catch (err) {
      this.fail(run, err, signal);
    } finally {
      for (const s of run.stages) if (s.status === 'pending' || s.status === 'running') s.status = 'skipped';
      await session?.close().catch(() => undefined);
      run.finishedAt = now();
      await save();
      this.o.log(run.runId, `run ${run.status}${run.error ? `: ${run.error}` : ''}`);
      this.o.observer?.runFinished(run);
    }
  }

  private fail(run: Run, err: unknown, signal: AbortSignal): void {
    const reason: unknown = signal.aborted ? signal.reason : err;
    run.status = reason instanceof RunAbort && reason.kind === 'cancelled' ? 'cancelled' : 'failed';
    run.error = message(reason);
  }

  /** One stage with its retries; leaves run.status running, or sets halted/failed/cancelled. */
  private async runStage(run: Run, stage: Stage, session: JobSession, publisher: TablePublisher, signal: AbortSignal): Promise<void> {
    const log = (line: string): void => this.o.log(run.runId, `[${stage.name}] ${line}`);
    for (;;) {
      stage.status = 'running';
      stage.attempts += 1;
      stage.startedAt = now();
      stage.error = null;
      // Progress lives in the in-memory run (what GET answers); it is persisted with the stage's end.
      const progress = new StageProgressTracker(stage, { intervalMs: this.o.progressIntervalMs ?? 500 });
      await this.o.store.save(run);
      const started = performance.now();
      try {
        const ctx = {
          runId: run.runId, input: inputFilesOf(run)[0]?.path ?? String(run.input), output: run.output, year: run.year ?? 2024, attempt: stage.attempts, signal, log,
          rows: this.rowCountContext(run), inputFiles: inputFilesOf(run), progress: progress.report,
          record: (external: Record<string, string>) => {
            stage.external = { ...stage.external, ...external };
            // Best effort now; the stage's end saves the run again.
            this.o.store.save(run).catch((err: unknown) => log(`could not save the run: ${(err as Error).message}`));
          },
        };
        // The session writes and reports; publication (and its journal in the run) is decided here.
        const outcome = await runPublishedStage(session, stage.name, ctx, { publisher, journal: (publication) => this.journal(run, stage, publication) });
        await this.afterStage(run, stage, outcome, signal, publisher, log, progress);
        this.o.observer?.stageFinished(run, stage, performance.now() - started);
        return;
      } catch (err) {
        // What the attempt published is undone before the failure is recorded: the stage is live
        // exactly when it is recorded as succeeded, whether registration failed, the run was
        // cancelled, or it timed out.
        progress.end();
        await this.rollBack(run, stage, log, publisher);
        stage.finishedAt = now();
        stage.status = 'failed';
        stage.error = message(signal.aborted ? signal.reason : err);
        this.o.observer?.stageFinished(run, stage, performance.now() - started);
        if (signal.aborted || !isTransient(err) || stage.attempts > this.o.stageRetries) {
          log(`failed: ${stage.error}`);
          throw signal.aborted ? signal.reason : err;
        }
        log(`attempt ${stage.attempts} failed (${stage.error}); retrying in ${this.o.retryDelayMs} ms`);
        await this.o.store.save(run);
        await sleep(this.o.retryDelayMs, signal);
      }
    }
  }

  /**
   * The run's rules, and the baseline of row_drop: the rows of the latest earlier run of the same
   * output whose etl stage published partitioned_transactions (what is live), not a quality-only run.
   */
  private rowCountContext(run: Run): RowCountContext {
    const rules = run.rules ?? DEFAULT_RULES;
    let previousRows: number | undefined;
    let latest = '';
    for (const r of this.o.store.all()) {
      if (r.output !== run.output || r.runId >= run.runId || r.runId < latest) continue;
      const rows = r.stages.find((s) => s.name === 'etl' && s.status === 'succeeded')?.rows;
      if (typeof rows !== 'number') continue;
      latest = r.runId;
      previousRows = rows;
    }
    return previousRows === undefined ? { rules } : { rules, previousRows };
  }

  /**
   * Undoes a stage publication that began but was not recorded as succeeded, and lets the catalog
   * follow the tables back. Used after a failed attempt and, after a crash, by recovery.
   */
  async rollBack(run: Run, stage: Stage, log: (line: string) => void, publisher = this.publishers(run.output)): Promise<void> {
    const p = stage.publication;
    if (!p || p.state === 'rolledBack' || stage.status === 'succeeded') return;
    const undone = await undoPublication(publisher, p, { journal: (pub) => this.journal(run, stage, pub), log });
    // Nothing of the version stays behind (discard never removes a version that is still live).
    for (const t of p.tables) await publisher.discard?.(t, p.version).catch(() => undefined);
    // A run that does not register its tables never moved the catalog: nothing to follow back.
    if (undone.length === 0 || !this.o.catalog || run.registerTables === false) return;
    const defs = undone.map((t) => {
      const def = this.o.tables.table(t, run.output);
      const previous = p.previous[t];
      const at = previous ? publisher.publishedLocation?.(t, previous) : undefined;
      return at ? { ...def, location: at } : def;
    });
    await this.o.catalog.registerAndRepair(defs).catch((err: unknown) => log(`could not repair ${undone.join(', ')} after the roll-back: ${(err as Error).message}`));
    for (const e of await this.o.catalog.syncEngines(undone, 'publication').catch(() => [])) {
      if (e.status === 'failed') log(`engine ${e.engine} did not follow the roll-back: ${e.error}`);
    }
  }

  /** Records a stage's publication state durably before the publication goes on. */
  private async journal(run: Run, stage: Stage, publication: StagePublication): Promise<void> {
    stage.publication = publication;
    await this.o.store.save(run);
    if (this.o.killAt === `${stage.name}:${publication.state}:${publication.published?.length ?? 0}`) process.kill(process.pid, 'SIGKILL');
  }

  private async afterStage(
    run: Run, stage: Stage, outcome: StageOutcome, signal: AbortSignal, publisher: TablePublisher, log: (line: string) => void, progress: StageProgressTracker,
  ): Promise<void> {
    // No report of the attempt lands after this point (a backend's poller may still be winding down).
    progress.end();
    stage.rows = outcome.rows;
    stage.tables = outcome.tables;
    if (outcome.quality) run.quality = outcome.quality;
    if (outcome.benchmark) run.benchmark = outcome.benchmark;
    if (outcome.tables.length > 0) log(`published ${outcome.tables.join(', ')}`);
    if (outcome.quality?.overall === 'FAIL') {
      await this.rollBack(run, stage, log, publisher);
      const failed = outcome.quality.checks.filter((c) => c.status === 'FAIL').map((c) => `${c.name} (${c.issueCount})`);
      stage.status = 'failed';
      stage.error = `quality FAIL: ${failed.join(', ')}`;
      stage.finishedAt = now();
      run.status = 'halted';
      run.error = `halted at quality: ${failed.join(', ')}`;
      // In the same tick as the status, so that no reader sees a halted run with stages still pending.
      for (const s of run.stages) if (s.status === 'pending') s.status = 'skipped';
      return;
    }
    // Every published table is registered (the issue asks for etl and quarterly; quality_report and
    // benchmark_report are catalog tables too), when the run registers its tables (the warehouse run,
    // or one that asked to): a run into another output leaves the catalog where it was.
    if (this.o.catalog && outcome.tables.length > 0 && run.registerTables === false) {
      this.o.log(run.runId, `[${stage.name}] not registered in the catalog (registerTables is false for output ${run.output})`);
    } else if (this.o.catalog && outcome.tables.length > 0) {
      const defs = outcome.tables.map((t) => {
        const def = this.o.tables.table(t, run.output);
        const location = outcome.locations?.[t];
        return location ? { ...def, location } : def;
      });
      await this.o.catalog.registerAndRepair(defs, { signal });
      this.o.log(run.runId, `[${stage.name}] registered ${outcome.tables.length} tables in the catalog`);
      run.registeredTables = [...(run.registeredTables ?? []), ...outcome.tables.filter((t) => !run.registeredTables?.includes(t))];
      const engines = await this.o.catalog.syncEngines(outcome.tables, 'publication', signal);
      if (engines.length > 0) stage.engines = engines;
      for (const e of engines) {
        this.o.log(run.runId, `[${stage.name}] engine ${e.engine} (${e.mode}): ${e.status}${e.error ? `: ${e.error}` : ''}`);
      }
    }
    // Nothing points at the versions these tables replaced any more: old ones may go. The tables are
    // published either way, so a failed clean-up is only logged.
    try {
      // Only when the catalog follows this run: otherwise it may still point at a version retire would remove (S3).
      if (run.registerTables !== false) for (const t of outcome.tables) await publisher.retire?.(t);
    } catch (err) {
      log(`could not remove old versions: ${(err as Error).message}`);
    }
    progress.succeed();
    stage.status = 'succeeded';
    stage.finishedAt = now();
  }
}
