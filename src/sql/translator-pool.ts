import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode } from '../errors.js';
import type { Params } from './params.js';
import { catalogResolver, type CatalogTable } from './resolve.js';
import { translate, type TranslateResult } from './translate.js';

/** A translation request as plain data: the catalog tables instead of a resolver callback. */
export interface PortableTranslateRequest {
  sql: string;
  from: string;
  to: string;
  params?: Params;
  /** Catalog tables to resolve references against; without them tables are rendered as written. */
  tables?: CatalogTable[];
}

/** What the worker answers to request `id`. */
export type WorkerAnswer =
  | { id: number; result: TranslateResult }
  | { id: number; error: { code?: ErrorCode; message: string; details?: Record<string, unknown> } };

export interface TranslatorPoolOptions {
  /** Texts shorter than this are translated on the calling thread (default 2,048 characters): a worker round trip costs more than they do. */
  inlineBelowChars?: number;
}

/**
 * Translates SQL without holding the event loop: parsing costs microseconds a character, so a long
 * text (a BI tool's 2,000-column SELECT takes 100 ms and more) goes to a worker thread, while short
 * ones, the common case, stay on the calling thread. One worker, started on first use; requests
 * queue in it. Errors come back as the AppError the translation threw.
 */
export class TranslatorPool {
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (r: TranslateResult) => void; reject: (e: unknown) => void }>();
  private readonly inlineBelow: number;

  constructor(options: TranslatorPoolOptions = {}) {
    this.inlineBelow = options.inlineBelowChars ?? 2048;
  }

  async translate(request: PortableTranslateRequest): Promise<TranslateResult> {
    if (request.sql.length < this.inlineBelow) return translateHere(request);
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise<TranslateResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, request });
    });
  }

  /** Stops the worker (shutdown); translations in flight fail. */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    await w?.terminate();
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
    worker.on('message', (answer: WorkerAnswer) => {
      const p = this.pending.get(answer.id);
      if (!p) return;
      this.pending.delete(answer.id);
      if ('result' in answer) p.resolve(answer.result);
      else p.reject(answer.error.code ? new AppError(answer.error.code, answer.error.message, { details: answer.error.details ?? {} }) : new Error(answer.error.message));
    });
    const fail = (err: unknown): void => {
      if (this.worker === worker) this.worker = undefined;
      for (const p of this.pending.values()) p.reject(err instanceof Error ? err : new Error(`the translation worker stopped (${String(err)})`));
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the translation worker exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }
}

function translateHere(request: PortableTranslateRequest): TranslateResult {
  const { tables, ...rest } = request;
  return translate({ ...rest, ...(tables ? { resolveTable: catalogResolver(tables) } : {}) });
}
