import type { DuckDBConnection } from '@duckdb/node-api';
import { WeightedSteps, type ProgressSink } from '../../pipeline/stage-progress.js';
import type { StageName } from '../../pipeline/pipeline-types.js';

/**
 * The expected statements of each stage on the embedded engine, in order, weighted by their share of
 * the stage's time (measured on a 1M-row input: bench/pipeline-bench.ts). DuckDB reports progress per
 * statement only, so a stage's figure is these steps combined (WeightedSteps). They follow the stage
 * bodies in local-job-backend.ts: when those change, change these; a stage that runs another number
 * of statements is logged, and still only moves forward and ends at 100.
 */
export const LOCAL_STAGE_STEPS: Record<StageName, readonly number[]> = {
  // the input CSV read into its Parquet copy; the `raw` view of it; the check counts; for repeated ids
  // and then double charges, the hashes seen twice and the exact count (in parts: see expand);
  // quality_report written (the check statements' shares from the 100M-row bench's statement times)
  quality: [70, 0, 6, 6, 2, 9, 3, 1],
  // the `txn` view of raw; partitioned_transactions; `txn` moved to what it wrote; five summaries
  etl: [0, 60, 0, 10, 8, 9, 6, 7],
  // six quarterly summaries; the row count
  quarterly: [31, 16, 13, 9, 24, 6, 1],
  // the benchmark suite's 21 statements (in tenths of a second), then benchmark_report written
  benchmark: [9, 0, 9, 0, 37, 5, 14, 0, 0, 0, 3, 1, 1, 1, 1, 10, 0, 5, 0, 11, 0, 0],
};

/** Runs statements under a watch; what AbortableDuckDB asks of a progress source. */
export interface StatementWatch {
  watch<T>(work: () => Promise<T>): Promise<T>;
  /** The next step of the plan runs as `n` statements (0: it is skipped). */
  expand(n: number): void;
}

/**
 * One stage's progress from DuckDB's own query progress (`enable_progress_bar`, read through
 * `connection.progress`): while a statement runs, its percentage is read every `intervalMs` and
 * reported as the stage's fraction through `steps`, with DuckDB's rows processed and its estimate of
 * rows to process for that statement. The poll is a synchronous read of a counter: it does not wait
 * on the query. Each poll timer lives exactly as long as its statement.
 */
export class DuckDBStageProgress implements StatementWatch {
  private readonly steps: WeightedSteps;

  constructor(
    private readonly conn: Pick<DuckDBConnection, 'progress'>,
    private readonly sink: ProgressSink,
    private readonly plan: readonly number[],
    private readonly intervalMs: number,
  ) {
    this.steps = new WeightedSteps(plan);
  }

  async watch<T>(work: () => Promise<T>): Promise<T> {
    this.sink({ fraction: this.steps.next() });
    const timer = setInterval(() => this.poll(), this.intervalMs);
    try {
      const result = await work();
      this.sink({ fraction: this.steps.at(1) });
      return result;
    } finally {
      clearInterval(timer);
    }
  }

  expand(n: number): void {
    this.steps.expand(n);
    if (n > 0) return;
    this.sink({ fraction: this.steps.next() });
    this.sink({ fraction: this.steps.at(1) });
  }

  /** Statements run against the plan, for the stage's log when they differ. */
  mismatch(): string | undefined {
    const ran = this.steps.started;
    return ran === this.plan.length ? undefined : `progress: ran ${ran} statements where ${this.plan.length} were weighted (LOCAL_STAGE_STEPS)`;
  }

  private poll(): void {
    let p: DuckDBConnection['progress'];
    try {
      p = this.conn.progress;
    } catch {
      return;
    }
    // -1 until the query is executing (and after it ended).
    if (!(p.percentage >= 0)) return;
    const total = Number(p.total_rows_to_process);
    this.sink({
      fraction: this.steps.at(p.percentage / 100),
      ...(total > 0 ? { done: Math.min(Number(p.rows_processed), total), total, unit: 'rows' as const } : {}),
    });
  }
}
