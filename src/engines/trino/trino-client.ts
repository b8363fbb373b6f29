import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { rootCertificates as tlsRoots } from 'node:tls';
import type { TrinoConfig } from '../../config.js';
import { AppError, abortError, engineUnavailable, firstLine } from '../../errors.js';
import { sleep } from '../../storage/concurrency.js';
import { parseExactJson } from '../exact-json.js';
import { tlsFailure } from '../tls-failure.js';
import type { TypeSignature } from './trino-values.js';

/** One column as Trino's client protocol describes it (`bigint`, `decimal(38,2)`, `timestamp(3)`). */
export interface TrinoColumn {
  name: string;
  type: string;
  /** The type's structured form (row field names, array and map element types). */
  typeSignature?: TypeSignature;
}

/** One response of the statement protocol. */
export interface StatementResponse {
  id?: string;
  nextUri?: string;
  infoUri?: string;
  columns?: TrinoColumn[];
  data?: unknown[][];
  stats?: { state?: string; processedBytes?: number; physicalInputBytes?: number; progressPercentage?: number };
  error?: { message: string; errorName: string; errorType?: string; errorLocation?: { lineNumber: number; columnNumber: number } };
}

/** Server-side states of a query that has not failed and may still produce rows. */
const RETRYABLE_STATUS = new Set([502, 503, 504]);
/** Errors of a server that has just started: the statement never ran, so it is sent again. */
const NOT_YET = new Set(['NO_NODES_AVAILABLE', 'SERVER_STARTING_UP']);
const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EPIPE']);

/**
 * Trino's client protocol over HTTP(S): POST /v1/statement, then GET each `nextUri` until there is
 * none; DELETE on the current `nextUri` cancels. Numbers are parsed exactly (BIGINT beyond 2^53 stays
 * a decimal string). Transport failures are ENGINE_UNAVAILABLE naming the engine; query errors are
 * QUERY_FAILED with Trino's message.
 */
export class TrinoClient {
  private readonly agent: http.Agent;
  private readonly base: URL;
  private readonly headers: Record<string, string>;

  constructor(
    private readonly config: TrinoConfig,
    private readonly requestTimeoutMs = 30_000,
  ) {
    this.base = new URL(config.url);
    const tls = config.tls;
    this.agent =
      this.base.protocol === 'https:'
        ? new https.Agent({ keepAlive: true, maxSockets: 16, rejectUnauthorized: tls?.rejectUnauthorized ?? true, ...(tls?.caFile ? { ca: [...tlsRoots, readFileSync(tls.caFile, 'utf8')] } : {}) })
        : new http.Agent({ keepAlive: true, maxSockets: 16 });
    this.headers = {
      'X-Trino-User': config.user,
      'X-Trino-Catalog': config.catalog,
      'X-Trino-Schema': config.schema,
      'X-Trino-Time-Zone': 'UTC',
      'X-Trino-Source': 'lakegate',
      // Timestamps keep their precision instead of being cut to milliseconds.
      'X-Trino-Client-Capabilities': 'PARAMETRIC_DATETIME',
      ...(config.password ? { Authorization: `Basic ${Buffer.from(`${config.user}:${config.password}`).toString('base64')}` } : {}),
    };
  }

  /**
   * Submits a statement. A server that has just started answers "no nodes available" for a few seconds
   * (the statement never ran): it is sent again for up to `startupGraceMs`, then the engine is unavailable.
   */
  async submit(sql: string, signal: AbortSignal, startupGraceMs = 15_000): Promise<StatementResponse> {
    const deadline = Date.now() + startupGraceMs;
    for (let attempt = 0; ; attempt++) {
      let res: StatementResponse;
      try {
        res = this.checked(await this.send('POST', this.url('/v1/statement'), signal, sql));
        // Queued or planning: the first answer with columns, rows or an error says how it started.
        while (!res.columns && !res.data && !res.error && res.nextUri) res = await this.follow(res.nextUri, signal);
      } catch (err) {
        if (!(err instanceof RetryableStatus)) throw err;
        if (Date.now() > deadline) throw unavailable(err.message);
        await sleep(Math.min(2_000, 100 * 2 ** attempt), signal);
        continue;
      }
      if (!res.error || !NOT_YET.has(res.error.errorName)) return res;
      if (Date.now() > deadline) throw unavailable(`${res.error.errorName}: ${res.error.message}`);
      await sleep(500, signal);
    }
  }

  /** A path of the coordinator's API, kept under the URL's own path (a coordinator behind a path-prefix proxy). */
  private url(api: string): URL {
    return new URL(`${this.base.pathname.replace(/\/+$/, '')}${api}`, this.base);
  }

  /** The next response of a running statement; transient gateway errors (502-504) are retried briefly. */
  async next(uri: string, signal: AbortSignal): Promise<StatementResponse> {
    for (let attempt = 0; ; attempt++) {
      try {
        return this.checked(await this.send('GET', new URL(uri), signal));
      } catch (err) {
        if (!(err instanceof RetryableStatus) || attempt >= 5) throw err instanceof RetryableStatus ? unavailable(err.message) : err;
        await sleep(100 * 2 ** attempt, signal);
      }
    }
  }

  /** Cancels a running statement (best effort, bounded: the caller is already giving up). */
  async cancel(uri: string): Promise<void> {
    await this.send('DELETE', new URL(uri), AbortSignal.timeout(5_000)).catch(() => undefined);
  }

  /** Runs a statement to its end and returns its rows (DDL, CALL, small metadata queries). */
  async run(sql: string, signal: AbortSignal): Promise<{ columns: TrinoColumn[]; rows: unknown[][] }> {
    let res = await this.submit(sql, signal);
    const rows: unknown[][] = [];
    let columns: TrinoColumn[] = [];
    for (;;) {
      throwQueryError(res);
      if (res.columns) columns = res.columns;
      if (res.data) rows.push(...res.data);
      if (!res.nextUri) return { columns, rows };
      res = await this.follow(res.nextUri, signal);
    }
  }

  /** The next response; on abort the statement is cancelled on the server before the error is thrown. */
  async follow(uri: string, signal: AbortSignal): Promise<StatementResponse> {
    try {
      return await this.next(uri, signal);
    } catch (err) {
      if (signal.aborted) {
        await this.cancel(uri);
        throw abortError(signal);
      }
      throw err;
    }
  }

  /** GET /v1/info: the server's version and whether it is still starting. */
  async info(signal: AbortSignal): Promise<{ version?: string; starting?: boolean }> {
    const res = await this.send('GET', this.url('/v1/info'), signal);
    if (res.status !== 200) throw unavailable(`Trino answered ${res.status} to /v1/info`);
    const body = JSON.parse(res.text) as { nodeVersion?: { version?: string }; starting?: boolean };
    return { ...(body.nodeVersion?.version ? { version: body.nodeVersion.version } : {}), ...(body.starting !== undefined ? { starting: body.starting } : {}) };
  }

  close(): void {
    this.agent.destroy();
  }

  private checked(res: { status: number; text: string }): StatementResponse {
    if (res.status === 200) {
      try {
        return parseExactJson(res.text) as StatementResponse;
      } catch {
        // Something in front of Trino (a proxy's login page) answered instead of it.
        throw new AppError('UPSTREAM_FAILED', `Trino's address answered 200 with something that is not the statement protocol: ${res.text.slice(0, 120)}`, { details: { engine: 'trino' } });
      }
    }
    if (RETRYABLE_STATUS.has(res.status)) throw new RetryableStatus(`Trino answered ${res.status}`);
    if (res.status === 401 || res.status === 403) {
      const what = res.status === 401 ? 'authentication failed' : 'the user was refused';
      const why = firstLine(res.text).slice(0, 200);
      throw new AppError('UPSTREAM_FAILED', `engine 'trino': ${what} (${res.status}${why ? `: ${why}` : ''}); check LAKEGATE_TRINO_USER and LAKEGATE_TRINO_PASSWORD`, { details: { engine: 'trino' } });
    }
    throw new AppError('UPSTREAM_FAILED', `Trino answered ${res.status}: ${res.text.slice(0, 300)}`, { details: { engine: 'trino' } });
  }

  private send(method: string, url: URL, signal: AbortSignal, body?: string): Promise<{ status: number; text: string }> {
    if (signal.aborted) return Promise.reject(abortError(signal));
    const lib = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = lib.request(url, { method, agent: this.agent, headers: { ...this.headers, ...(body === undefined ? {} : { 'Content-Type': 'text/plain; charset=utf-8' }) }, signal });
      req.setTimeout(this.requestTimeoutMs, () => req.destroy(Object.assign(new Error(`no answer within ${this.requestTimeoutMs} ms`), { code: 'ETIMEDOUT' })));
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (err) => reject(transportError(err, url, signal)));
      });
      req.on('error', (err) => reject(transportError(err, url, signal)));
      req.end(body);
    });
  }
}

class RetryableStatus extends Error {}

function unavailable(why: string, cause?: unknown): AppError {
  return engineUnavailable('trino', why, cause);
}

function transportError(err: Error & { code?: string }, url: URL, signal: AbortSignal): AppError {
  if (signal.aborted) return abortError(signal);
  const tls = tlsFailure('trino', url.host, err, 'LAKEGATE_TRINO_TLS_CA_FILE');
  if (tls) return tls;
  if (err.code && CONNECT_ERRORS.has(err.code)) return unavailable(`${err.code} (${err.message})`, err);
  return unavailable(err.message, err);
}

/** A failed statement: QUERY_FAILED with Trino's message (and where in the SQL, when it says). */
export function throwQueryError(res: StatementResponse): void {
  const e = res.error;
  if (!e) return;
  if (e.errorName === 'USER_CANCELED') throw new AppError('QUERY_CANCELLED', 'the query was cancelled on the Trino server');
  if (e.errorType === 'INSUFFICIENT_RESOURCES' && /memory/i.test(e.message)) {
    throw new AppError('QUERY_FAILED', `Trino: the query exceeded the engine memory limit (${e.errorName}: ${e.message})`, { details: { engine: 'trino', errorName: e.errorName } });
  }
  const where = e.errorLocation ? { line: e.errorLocation.lineNumber, column: e.errorLocation.columnNumber } : undefined;
  throw new AppError('QUERY_FAILED', `Trino: ${e.errorName}: ${e.message}`, { details: { engine: 'trino', errorName: e.errorName, ...(where ? { position: where } : {}) } });
}
