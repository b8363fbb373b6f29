import { AppError, abortError } from '../errors.js';
import { checkWidth, type QueryColumn, type QueryEngine, type QueryStream } from '../engines/engine.js';
import type { TableDef } from '../catalog/table-def.js';
import { Admission } from './admission.js';
import { cachedSize, measure, resultTooLarge, type MaterializedResult, type Size } from './result-cache.js';

/** What the executor needs of a prepared query. */
export interface Executable {
  engine: QueryEngine;
  executed: string;
  maxRows: number;
  timeoutMs: number;
  /** The catalog the query was translated against, handed to the engine. */
  catalog: TableDef[];
}

export interface ExecutorLimits {
  concurrency: number;
  queueSize: number;
  maxColumns: number;
  maxValueBytes: number;
  maxResultBytes: number;
}

/** A typed row stream of a running query; the engine slot is held until it ends or is closed. */
export interface OpenRows {
  columns: QueryColumn[];
  rows: AsyncIterable<unknown[]>;
  /** Ends the stream early (or before it was read at all): frees the engine and the admission slot. Idempotent. */
  close(): void;
}

/**
 * Runs prepared queries on their engine: admission (concurrency and queue), the timeout and the
 * caller's abort, the column cap, and either materialization under the JSON size cap or a row stream.
 * Transport-neutral: the HTTP route serializes what it gets.
 */
export class QueryExecutor {
  private readonly admission: Admission;

  constructor(private readonly limits: ExecutorLimits) {
    this.admission = new Admission(limits.concurrency, limits.queueSize);
  }

  get queueDepth(): number {
    return this.admission.queued;
  }

  /** Queries running on an engine now. */
  get active(): number {
    return this.admission.active;
  }

  /** At most maxRows rows, counted against the JSON size cap as they arrive. */
  materialize(p: Executable, signal?: AbortSignal): Promise<MaterializedResult> {
    return this.admission.run(() =>
      this.withTimeout(p, signal, async (s) => {
        const stream = await this.open(p, s);
        const rows: unknown[][] = [];
        const cap = this.limits.maxResultBytes;
        const size: Size = { json: 0, memory: 256 };
        let truncated = false;
        try {
          for await (const batch of stream.batches) {
            for (const row of batch) {
              if (rows.length >= p.maxRows) {
                truncated = true;
                break;
              }
              // Counted as the rows arrive: past the cap the engine is stopped (close() in finally), not drained.
              measure(row, size);
              if (size.json > cap) throw resultTooLarge(cap);
              rows.push(row);
            }
            if (truncated) break;
          }
        } finally {
          stream.close();
        }
        const materialized = { columns: stream.columns, rows, truncated, dataScannedBytes: stream.dataScannedBytes?.() ?? null };
        // The cache's size of it: the values, and as much again for the JSON text the route keeps of it.
        cachedSize.set(materialized, 2 * size.memory);
        return materialized;
      }),
    );
  }

  /**
   * Streams rows without materializing them. `finished` is called once, when the stream ends, fails,
   * is closed or its caller gives up, with the rows produced.
   */
  stream(p: Executable, signal: AbortSignal | undefined, finished: (rows: number, error?: unknown) => void): Promise<OpenRows> {
    let releaseSlot!: () => void;
    let ready!: (v: OpenRows) => void;
    let failed!: (e: unknown) => void;
    const opened = new Promise<OpenRows>((res, rej) => ((ready = res), (failed = rej)));
    const held = new Promise<void>((res) => (releaseSlot = res));
    this.admission
      .run(() =>
        this.withTimeout(p, signal, async (s) => {
          const stream = await this.open(p, s);
          const max = p.maxRows;
          let n = 0;
          let done = false;
          const finish = (error?: unknown): void => {
            if (done) return;
            done = true;
            stream.close();
            finished(n, error);
            releaseSlot();
          };
          async function* rows(): AsyncGenerator<unknown[]> {
            let error: unknown;
            try {
              for await (const batch of stream.batches) {
                for (const row of batch) {
                  if (n >= max) return;
                  n++;
                  yield row;
                }
              }
            } catch (err) {
              error = err;
              throw err;
            } finally {
              finish(error);
            }
          }
          // A caller that gives up (the client left, the timeout) may never read the rows: the slot
          // and the engine are released then, whether or not they were read.
          s.addEventListener('abort', () => finish(abortError(s)), { once: true });
          if (s.aborted) finish(abortError(s));
          ready({ columns: stream.columns, rows: rows(), close: () => finish() });
          await held;
        }),
      )
      .catch((err: unknown) => {
        releaseSlot();
        finished(0, err);
        failed(err);
      });
    return opened;
  }

  /** The engine's stream of a prepared query, refused (RESULT_TOO_WIDE) past the column cap whichever engine runs it. */
  private async open(p: Executable, signal: AbortSignal): Promise<QueryStream> {
    const { maxColumns, maxValueBytes } = this.limits;
    const stream = await p.engine.execute(p.executed, { signal, maxRows: p.maxRows, maxColumns, maxValueBytes, tables: p.catalog });
    try {
      checkWidth(stream.columns.length, maxColumns);
    } catch (err) {
      stream.close();
      throw err;
    }
    return stream;
  }

  private async withTimeout<T>(p: Executable, outer: AbortSignal | undefined, work: (s: AbortSignal) => Promise<T>): Promise<T> {
    const timeout = AbortSignal.timeout(p.timeoutMs);
    const signal = outer ? AbortSignal.any([outer, timeout]) : timeout;
    try {
      return await work(signal);
    } catch (err) {
      // The first reason wins: a client that left before the timer fired cancelled the query.
      if (signal.aborted && signal.reason === timeout.reason) throw new AppError('QUERY_TIMEOUT', `the query did not finish within ${p.timeoutMs} ms`, { cause: err });
      if (signal.aborted) throw abortError(signal);
      throw err;
    }
  }
}
