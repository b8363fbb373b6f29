import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { Interrupter } from '../../engines/duckdb/interrupter.js';
import { abortError } from '../../errors.js';
import type { StatementWatch } from './duckdb-progress.js';

export interface StatementOptions {
  /** false: a small statement (a count of a temporary table, a DROP) that is not a step of the stage's progress. */
  step?: boolean;
}

/**
 * Runs statements on a DuckDB connection so that an AbortSignal interrupts the running query
 * (DuckDB's interrupt, repeated until the statement settles), and the caller sees the signal's reason
 * rather than DuckDB's INTERRUPT error. While `progress` is set (by a job session for the stage it
 * runs), every statement runs under its watch.
 */
export class AbortableDuckDB {
  progress: StatementWatch | undefined;

  constructor(readonly conn: DuckDBConnection) {}

  async run(sql: string, signal?: AbortSignal, params?: Record<string, DuckDBValue>, opts?: StatementOptions): Promise<void> {
    await this.guard(signal, () => this.conn.run(sql, params), opts);
  }

  async rows(sql: string, signal?: AbortSignal, params?: Record<string, DuckDBValue>, opts?: StatementOptions): Promise<Record<string, unknown>[]> {
    const reader = await this.guard(signal, () => this.conn.runAndReadAll(sql, params), opts);
    return reader.getRowObjectsJS() as Record<string, unknown>[];
  }

  async one(sql: string, signal?: AbortSignal, params?: Record<string, DuckDBValue>, opts?: StatementOptions): Promise<Record<string, unknown>> {
    return (await this.rows(sql, signal, params, opts))[0] ?? {};
  }

  private async guard<T>(signal: AbortSignal | undefined, work: () => Promise<T>, opts: StatementOptions = {}): Promise<T> {
    if (signal?.aborted) throw abortError(signal);
    const interrupter = new Interrupter(this.conn, signal);
    try {
      return await (this.progress && opts.step !== false ? this.progress.watch(work) : work());
    } catch (err) {
      if (signal?.aborted) throw abortError(signal);
      throw err;
    } finally {
      interrupter.stop();
    }
  }
}
