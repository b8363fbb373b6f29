import { AppError } from '../errors.js';
import type { CatalogService } from '../catalog/catalog-service.js';
import type { JobBackend, JobSession, Run, Stage, StageOutcome } from './pipeline-types.js';
import type { RunStore } from './run-store.js';
import type { TableRegistry } from './table-registry.js';
import { sleep } from '../storage/concurrency.js';

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
  log: (runId: string, line: string) => void;
  observer?: PipelineObserver;
}

/** Why a run's signal was aborted. */
export class RunAbort extends Error {
  constructor(readonly kind: 'cancelled' | 'timeout' | 'shutdown', message: string) {
    super(message);
  }
}

const now = (): string => new Date().toISOString();

/** Whether retrying the stage may help: our own errors say so; unknown errors (I/O, engine) may pass. */
function isTransient(err: unknown): boolean {
  return err instanceof AppError ? err.retryable : true;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Executes one run's stages in order on a job backend, recording every transition in the run store. */
export class PipelineRunner {
  constructor(private readonly o: RunnerOptions) {}

  async execute(run: Run, backend: JobBackend, signal: AbortSignal): Promise<void> {
    const save = (): Promise<void> => this.o.store.save(run);
    run.status = 'running';
    run.startedAt = now();
    await save();
    let session: JobSession | undefined;
    try {
      session = await backend.openSession({
        runId: run.runId, input: run.input, output: run.output, year: run.year ?? 2024, ...(run.clusterId ? { clusterId: run.clusterId } : {}),
      });
      for (const stage of run.stages) {
        if (stage.status !== 'pending') continue;
        if (run.status !== 'running') {
          stage.status = 'skipped';
          continue;
        }
        await this.runStage(run, stage, session, signal);
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
  private async runStage(run: Run, stage: Stage, session: JobSession, signal: AbortSignal): Promise<void> {
    const log = (line: string): void => this.o.log(run.runId, `[${stage.name}] ${line}`);
    for (;;) {
      stage.status = 'running';
      stage.attempts += 1;
      stage.startedAt = now();
      stage.error = null;
      await this.o.store.save(run);
      const started = performance.now();
      try {
        const outcome = await session.runStage(stage.name, {
          runId: run.runId, input: run.input, output: run.output, year: run.year ?? 2024, attempt: stage.attempts, signal, log,
          record: (external) => {
            stage.external = { ...stage.external, ...external };
            // Best effort now; the stage's end saves the run again.
            this.o.store.save(run).catch((err: unknown) => log(`could not save the run: ${(err as Error).message}`));
          },
        });
        await this.afterStage(run, stage, outcome, signal, session, log);
        this.o.observer?.stageFinished(run, stage, performance.now() - started);
        return;
      } catch (err) {
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

  private async afterStage(run: Run, stage: Stage, outcome: StageOutcome, signal: AbortSignal, session: JobSession, log: (line: string) => void): Promise<void> {
    stage.rows = outcome.rows;
    stage.tables = outcome.tables;
    if (outcome.quality) run.quality = outcome.quality;
    if (outcome.benchmark) run.benchmark = outcome.benchmark;
    if (outcome.quality?.overall === 'FAIL') {
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
    // benchmark_report are catalog tables too).
    if (this.o.catalog && outcome.tables.length > 0) {
      const defs = outcome.tables.map((t) => {
        const def = this.o.tables.table(t, run.output);
        const location = outcome.locations?.[t];
        return location ? { ...def, location } : def;
      });
      await this.o.catalog.registerAndRepair(defs, { signal });
      this.o.log(run.runId, `[${stage.name}] registered ${outcome.tables.length} tables in the catalog`);
    }
    // Nothing points at the versions these tables replaced any more: old ones may go. The tables are
    // published either way, so a failed clean-up is only logged.
    if (outcome.tables.length > 0) await session.tablesRegistered?.(outcome.tables).catch((err: unknown) => log(`could not remove old versions: ${(err as Error).message}`));
    stage.status = 'succeeded';
    stage.finishedAt = now();
  }
}
