import type { DuckDBConnection } from '@duckdb/node-api';

/**
 * Interrupts a DuckDB connection when a signal aborts (or when `fire()` is called), and keeps
 * interrupting every 25 ms until `stop()`: DuckDB forgets an interrupt that arrives before its query
 * has started executing (while it is still being prepared or planned), so one call is not enough.
 */
export class Interrupter {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly conn: Pick<DuckDBConnection, 'interrupt'>,
    private readonly signal?: AbortSignal,
  ) {
    signal?.addEventListener('abort', this.fire, { once: true });
    if (signal?.aborted) this.fire();
  }

  readonly fire = (): void => {
    if (this.stopped) return;
    this.conn.interrupt();
    this.timer ??= setInterval(() => this.conn.interrupt(), 25);
  };

  /** Call before the connection is closed or reused. Idempotent. */
  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    this.signal?.removeEventListener('abort', this.fire);
  }
}
