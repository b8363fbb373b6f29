import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { Interrupter } from '../../engines/duckdb/interrupter.js';
import { abortError } from '../../errors.js';

/**
 * Runs statements on a DuckDB connection so that an AbortSignal interrupts the running query
 * (DuckDB's interrupt, repeated until the statement settles), and the caller sees the signal's reason
 * rather than DuckDB's INTERRUPT error.
 */
export class AbortableDuckDB {
  constructor(readonly conn: DuckDBConnection) {}

  async run(sql: string, signal?: AbortSignal, params?: Record<string, DuckDBValue>): Promise<void> {
    await this.guard(signal, () => this.conn.run(sql, params));
  }

  async rows(sql: string, signal?: AbortSignal, params?: Record<string, DuckDBValue>): Promise<Record<string, unknown>[]> {
    const reader = await this.guard(signal, () => this.conn.runAndReadAll(sql, params));
    return reader.getRowObjectsJS() as Record<string, unknown>[];
  }

  async one(sql: string, signal?: AbortSignal, params?: Record<string, DuckDBValue>): Promise<Record<string, unknown>> {
    return (await this.rows(sql, signal, params))[0] ?? {};
  }

  private async guard<T>(signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
    if (signal?.aborted) throw abortError(signal);
    const interrupter = new Interrupter(this.conn, signal);
    try {
      return await work();
    } catch (err) {
      if (signal?.aborted) throw abortError(signal);
      throw err;
    } finally {
      interrupter.stop();
    }
  }
}
