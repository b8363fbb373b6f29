import { Worker } from 'node:worker_threads';
import { AppError, abortError, type ErrorCode } from '../errors.js';
import type { Params } from './params.js';
import { catalogResolver, type CatalogTable } from './resolve.js';
import { translate, type TranslateResult } from './translate.js';

/** A translation request as plain data: the catalog tables instead of a resolver callback. */
export interface PortableTranslateRequest {
  sql: string;
  from: string;
  to: string;
  params?: Params;
  /** Catalog tables (and views) to resolve references against; without them tables are rendered as written. */
  tables?: CatalogTable[];
  /** The database bare table names are looked up in (default: any database, the first listed). */
  database?: string;
  /** Also answer the scan filters (see TranslateRequest.scanFilters). */
  scanFilters?: boolean;
}

/** What the worker answers to request `id`. */
export type WorkerAnswer =
  | { id: number; result: TranslateResult }
  | { id: number; error: { code?: ErrorCode; message: string; details?: Record<string, unknown> } };

export interface TranslatorPoolOptions {
  /** Texts shorter than this are translated on the calling thread (default 2,048 characters): a worker round trip costs more than they do. */
  inlineBelowChars?: number;
  /** Long texts waiting for the worker beyond which a request is refused with 503 OVERLOADED (default 32). */
  maxQueue?: number;
}

/** What a caller bounds a translation with: its request's signal and deadline. */
export interface TranslateOptions {
  signal?: AbortSignal;
  /** Milliseconds the translation may take, waiting included; past it: QUERY_TIMEOUT, and a worker stuck on it is replaced. */
  timeoutMs?: number;
}

interface Job {
  request: PortableTranslateRequest;
  resolve: (r: TranslateResult) => void;
  reject: (e: unknown) => void;
  done: boolean;
  cleanup: () => void;
}

/**
 * Translates SQL without holding the event loop: parsing costs microseconds a character, so a long
 * text (a BI tool's 2,000-column SELECT takes 100 ms and more) goes to a worker thread, while short
 * ones, the common case, stay on the calling thread. One worker, started on first use, given one
 * text at a time from a bounded queue kept here: a caller that gives up (its client left, its
 * deadline passed) leaves the queue, and a worker still busy with it past the deadline is replaced.
 * Errors come back as the AppError the translation threw.
 */
export class TranslatorPool {
  private worker: Worker | undefined;
  private running: Job | undefined;
  private readonly queue: Job[] = [];
  private closed = false;
  private readonly inlineBelow: number;
  private readonly maxQueue: number;

  constructor(options: TranslatorPoolOptions = {}) {
    this.inlineBelow = options.inlineBelowChars ?? 2048;
    this.maxQueue = options.maxQueue ?? 32;
  }

  /** Long texts waiting or being translated. */
  get depth(): number {
    return this.queue.length + (this.running ? 1 : 0);
  }

  async translate(request: PortableTranslateRequest, options: TranslateOptions = {}): Promise<TranslateResult> {
    if (request.sql.length < this.inlineBelow) return translatePortable(request);
    if (this.closed) throw new AppError('OVERLOADED', 'the gateway is shutting down');
    if (this.queue.length >= this.maxQueue) throw new AppError('OVERLOADED', `${this.queue.length} long SQL texts are waiting for translation; retry shortly`);
    const { signal, timeoutMs } = options;
    if (signal?.aborted) throw abortError(signal);
    return new Promise<TranslateResult>((resolve, reject) => {
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => this.giveUp(job, new AppError('QUERY_TIMEOUT', `the SQL was not translated within ${timeoutMs} ms`)), timeoutMs);
      timer?.unref();
      const onAbort = (): void => this.giveUp(job, abortError(signal!));
      signal?.addEventListener('abort', onAbort, { once: true });
      const job: Job = {
        request, resolve, reject, done: false,
        cleanup: () => {
          if (timer) clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
        },
      };
      this.queue.push(job);
      this.next();
    });
  }

  /** Stops the worker (shutdown); waiting and running translations fail with 503. */
  async close(): Promise<void> {
    this.closed = true;
    const stopping = new AppError('OVERLOADED', 'the gateway is shutting down');
    for (const job of [...this.queue, ...(this.running ? [this.running] : [])]) this.settle(job, stopping);
    this.queue.length = 0;
    this.running = undefined;
    const w = this.worker;
    this.worker = undefined;
    await w?.terminate();
  }

  private next(): void {
    if (this.running || this.closed) return;
    const job = this.queue.shift();
    if (!job) return;
    this.running = job;
    (this.worker ?? this.start()).postMessage({ id: 0, request: job.request });
  }

  /** A job whose caller gave up: dropped from the queue, or, while the worker has it, the worker is replaced. */
  private giveUp(job: Job, err: AppError): void {
    if (job.done) return;
    this.settle(job, err);
    const at = this.queue.indexOf(job);
    if (at >= 0) this.queue.splice(at, 1);
    else if (this.running === job && err.code === 'QUERY_TIMEOUT') this.replaceWorker();
    // A running job whose client left is let finish: its answer is dropped, the worker stays.
  }

  private replaceWorker(): void {
    const w = this.worker;
    this.worker = undefined;
    this.running = undefined;
    void w?.terminate();
    this.next();
  }

  /** Ends a job once: with its translation, or with why it has none. */
  private settle(job: Job, error: unknown, result?: TranslateResult): void {
    if (job.done) return;
    job.done = true;
    job.cleanup();
    if (result) job.resolve(result);
    else job.reject(error);
  }

  private start(): Worker {
    // Under tsx (npm start, the tests) the worker is TypeScript too: it registers tsx's loader in
    // itself first (a worker does not inherit the loader of a process started by tsx or vitest).
    const ts = import.meta.url.endsWith('.ts');
    const entry = new URL(`./translate-worker.${ts ? 'ts' : 'js'}`, import.meta.url).href;
    const worker = ts
      ? new Worker(`import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`, { eval: true })
      : new Worker(new URL(entry));
    worker.unref();
    // Events of a worker that was replaced meanwhile are ignored: its job was already settled.
    const current = (): boolean => this.worker === worker;
    worker.on('message', (answer: WorkerAnswer) => {
      if (!current()) return;
      const job = this.running;
      this.running = undefined;
      if (job) {
        if ('result' in answer) this.settle(job, undefined, answer.result);
        else this.settle(job, answer.error.code ? new AppError(answer.error.code, answer.error.message, { details: answer.error.details ?? {} }) : new Error(answer.error.message));
      }
      this.next();
    });
    const died = (err: unknown): void => {
      if (!current()) return;
      this.worker = undefined;
      const job = this.running;
      this.running = undefined;
      if (job) this.settle(job, err instanceof Error ? err : new Error(`the translation worker stopped (${String(err)})`));
      this.next();
    };
    worker.on('error', died);
    worker.on('exit', (code) => died(new Error(`the translation worker exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }
}

/** Translates a portable request where it is called (the worker does the same on its thread). */
export function translatePortable(request: PortableTranslateRequest): TranslateResult {
  const { tables, database, ...rest } = request;
  return translate({ ...rest, ...(tables ? { resolveTable: catalogResolver(tables, database) } : {}) });
}
