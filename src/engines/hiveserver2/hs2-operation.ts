import { thrift } from 'hive-driver';
import type { OperationHandle } from 'hive-driver/dist/hive/Types/index.js';
import { AppError, abortError } from '../../errors.js';
import { sleep } from '../../storage/concurrency.js';
import type { QueryColumn } from '../engine.js';
import { checkStatus, serverMessage, type Hs2Session } from './hs2-session.js';
import { columnsOf, rowsOf, typeIdsOf, type WireColumnDesc, type WireRowSet } from './row-set.js';

const T = thrift.TCLIService_types as {
  TOperationState: Record<string, number>;
  TFetchOrientation: Record<string, number>;
};
const S = T.TOperationState;
const RUNNING = new Set([S.INITIALIZED_STATE, S.RUNNING_STATE, S.PENDING_STATE]);

/** What HiveServer2 (Hive, Spark) and Impala answer for a session they no longer hold (expired while idle, server restarted). */
const STALE_SESSION = /Invalid SessionHandle|Invalid session id|session (has )?(expired|timed out|closed)|Client session expired/i;

/** ExecuteStatement refused because the session is gone on the server: the statement never ran. */
class StaleSessionError extends AppError {}

/** Whether a statement was refused at its start because its session is gone on the server: it may start again on a fresh session. */
export function isStaleSession(err: unknown): boolean {
  return err instanceof StaleSessionError;
}

/** Rejects with the signal's error when it aborts; `p` keeps running (its outcome is ignored then). */
function orAbort<R>(p: Promise<R>, signal: AbortSignal): Promise<R> {
  // Handled first: a call whose answer nobody waits for any more must not become an unhandled rejection.
  p.catch(() => undefined);
  if (signal.aborted) return Promise.reject(abortError(signal));
  return new Promise<R>((resolve, reject) => {
    const onAbort = (): void => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * One statement run asynchronously (runAsync) on a session: started, waited for through
 * GetOperationStatus (HiveServer2 holds that call up to its long-polling timeout while the statement
 * runs, so the loop does not spin), read page by page, and closed. An abort sends CancelOperation and
 * closes the operation; the caller gets `abortError(signal)` at once.
 */
export class Hs2Operation {
  private finished = false;
  private cancelled = false;
  private cleanup: Promise<void> | undefined;

  private constructor(
    private readonly session: Hs2Session,
    private readonly name: string,
    private readonly handle: OperationHandle,
    private readonly signal: AbortSignal,
    private readonly done: () => void,
  ) {
    signal.addEventListener('abort', this.cancel, { once: true });
  }

  /**
   * Starts `sql` and waits for it to finish; an engine error is QUERY_FAILED with the server's message.
   * `done` is called once the session is free again (after `close`, or at once when nothing started).
   */
  static async run(session: Hs2Session, name: string, sql: string, signal: AbortSignal, done: () => void): Promise<Hs2Operation> {
    let op: Hs2Operation;
    // Aborted while the session was being opened: the statement is never sent.
    if (signal.aborted) {
      done();
      throw abortError(signal);
    }
    try {
      const started = await orAbort(session.call((d) => d.executeStatement({ sessionHandle: session.handle, statement: sql, runAsync: true })), signal);
      try {
        checkStatus(started.status, name);
      } catch (err) {
        // Only the answer to ExecuteStatement itself: a statement that ran and failed is never started again.
        if (err instanceof AppError && STALE_SESSION.test(err.message)) throw new StaleSessionError('QUERY_FAILED', err.message, { cause: err });
        throw err;
      }
      op = new Hs2Operation(session, name, started.operationHandle, signal, done);
    } catch (err) {
      // An abort while ExecuteStatement is in flight leaves an answer to come on this connection, and a
      // session the server forgot is of no use: either is dropped rather than reused.
      if (signal.aborted || isStaleSession(err)) session.discard();
      done();
      throw err;
    }
    try {
      await op.wait();
      return op;
    } catch (err) {
      // Cancelling waits for the server's answers: the caller does not.
      void op.close();
      throw err;
    }
  }

  private async wait(): Promise<void> {
    let delay = 25;
    for (;;) {
      const asked = Date.now();
      const st = await orAbort(this.session.call((d) => d.getOperationStatus({ operationHandle: this.handle })), this.signal);
      checkStatus(st.status, this.name);
      const state = st.operationState ?? S.UKNOWN_STATE!;
      if (state === S.FINISHED_STATE) return;
      if (!RUNNING.has(state)) {
        if (this.signal.aborted) throw abortError(this.signal);
        const what = state === S.ERROR_STATE ? serverMessage(st.errorMessage ?? 'the statement failed') : `the statement ended in state ${state}${st.errorMessage ? `: ${serverMessage(st.errorMessage)}` : ''}`;
        throw new AppError('QUERY_FAILED', `${this.name}: ${what}`, { details: { engine: this.name, ...(st.sqlState ? { sqlState: st.sqlState } : {}) } });
      }
      // A server without long polling (Impala) answers at once: back off instead of spinning.
      if (Date.now() - asked < 100) {
        await sleep(delay, this.signal).catch(() => {
          throw abortError(this.signal);
        });
        delay = Math.min(delay * 2, 500);
      }
    }
  }

  /** Result column names and types (GetResultSetMetadata). */
  async columns(): Promise<{ columns: QueryColumn[]; typeIds: number[] }> {
    const md = await orAbort(this.session.call((d) => d.getResultSetMetadata({ operationHandle: this.handle })), this.signal);
    checkStatus(md.status, this.name);
    const desc = (md.schema?.columns ?? []) as unknown as WireColumnDesc[];
    return { columns: columnsOf(desc), typeIds: typeIdsOf(desc) };
  }

  /** The next page of at most `size` rows; empty when there are no more. */
  async fetch(size: number, typeIds: readonly number[]): Promise<unknown[][]> {
    const page = await orAbort(
      this.session.call((d) => d.fetchResults({ operationHandle: this.handle, orientation: T.TFetchOrientation.FETCH_NEXT!, maxRows: size })),
      this.signal,
    );
    checkStatus(page.status, this.name);
    return rowsOf(page.results as unknown as WireRowSet, typeIds);
  }

  /** Every row of a small result (catalog statements: SHOW, DESCRIBE); none for a statement without a result set. */
  async all(pageSize = 1000): Promise<unknown[][]> {
    if (this.handle.hasResultSet === false) return [];
    const { typeIds } = await this.columns();
    const out: unknown[][] = [];
    for (let page = await this.fetch(pageSize, typeIds); page.length > 0; page = await this.fetch(pageSize, typeIds)) out.push(...page);
    return out;
  }

  private readonly cancel = (): void => {
    if (this.finished || this.cancelled) return;
    this.cancelled = true;
    void this.close();
  };

  /** Cancels the statement if the signal aborted, then closes it. Idempotent; never throws. */
  close(): Promise<void> {
    this.signal.removeEventListener('abort', this.cancel);
    this.cleanup ??= (async () => {
      const ignore = (): undefined => undefined;
      if (this.signal.aborted) await this.session.call((d) => d.cancelOperation({ operationHandle: this.handle })).catch(ignore);
      await this.session.call((d) => d.closeOperation({ operationHandle: this.handle })).catch(ignore);
      this.finished = true;
      this.done();
    })();
    return this.cleanup;
  }
}
