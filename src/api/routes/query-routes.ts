import { Readable } from 'node:stream';
import { setImmediate } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../services.js';
import type { components } from '../openapi-types.js';
import { routeSchema } from '../openapi-schema.js';
import type { QueryColumn } from '../../engines/engine.js';
import { AppError, abortError } from '../../errors.js';
import type { PreparedQuery, QueryService } from '../../query/query-service.js';
import { csvRow, jsonCellWriters, jsonRow, ndjsonRow } from '../../query/result-format.js';

type QueryRequest = components['schemas']['QueryRequest'];
type TranslateRequest = components['schemas']['TranslateRequest'];

/** Which representation the client asked for (JSON unless Accept names CSV or NDJSON first). */
function wanted(req: FastifyRequest): 'json' | 'csv' | 'ndjson' {
  const accept = (req.headers.accept ?? '').toLowerCase();
  if (accept.includes('text/csv')) return 'csv';
  if (accept.includes('application/x-ndjson')) return 'ndjson';
  return 'json';
}

/**
 * Aborts when the client goes away before its answer is written, so the engine stops working for
 * nobody. The response's own 'close' is used, not the socket's: a keep-alive socket outlives the request.
 */
function clientGone(req: FastifyRequest, reply: FastifyReply): AbortSignal {
  const ac = new AbortController();
  const gone = (): void => ac.abort(new AppError('QUERY_CANCELLED', 'the client disconnected before its answer was sent'));
  if (reply.raw.destroyed || req.raw.socket?.destroyed) gone();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) gone();
  });
  return ac.signal;
}

/** The rows of a materialized result as JSON chunks, kept per result so that cache hits serialize nothing. */
const rowsJson = new WeakMap<unknown[][], Buffer[]>();

/** Characters of JSON written before the event loop gets a turn (a chunk of the answer). */
const CHUNK_CHARS = 64 * 1024;

/**
 * The rows as JSON text in chunks, written by hand so that 64-bit integers keep every digit. The event
 * loop gets a turn after each chunk (a big answer must not stall /healthz), and the request's deadline
 * and the client's disconnect are checked there: the timeout covers serialization too.
 */
export async function rowsToJson(columns: QueryColumn[], rows: unknown[][], deadline: number, signal: AbortSignal, timeoutMs: number): Promise<Buffer[]> {
  const kept = rowsJson.get(rows);
  if (kept) return kept;
  const writers = jsonCellWriters(columns);
  // Encoded here, a chunk at a time between turns of the event loop: left as strings, the response
  // stream would flatten and encode them back to back in one turn (100 ms and more for 8 MB).
  const chunks: Buffer[] = [];
  let chunk = '[';
  for (let i = 0; i < rows.length; i++) {
    chunk += (i ? ',' : '') + jsonRow(writers, rows[i]!);
    if (chunk.length < CHUNK_CHARS) continue;
    chunks.push(Buffer.from(chunk));
    chunk = '';
    await setImmediate();
    if (signal.aborted) throw abortError(signal);
    if (performance.now() > deadline) throw new AppError('QUERY_TIMEOUT', `the query and its answer did not finish within ${timeoutMs} ms`);
  }
  chunks.push(Buffer.from(chunk + ']'));
  rowsJson.set(rows, chunks);
  return chunks;
}

/**
 * Prepares and runs a query and sends its result in the requested representation; CSV and NDJSON
 * stream row by row. The client's disconnect is watched from the start, preparation included.
 */
export async function sendResult(query: QueryService, prepare: (signal: AbortSignal) => Promise<PreparedQuery>, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const signal = clientGone(req, reply);
  const p = await prepare(signal);
  const format = wanted(req);
  if (format === 'json') {
    // One deadline for running and writing the answer (the engine's own timer starts when it gets a slot).
    const deadline = performance.now() + p.timeoutMs;
    const a = await query.run(p, signal);
    const { rows, ...rest } = a;
    const chunks = await rowsToJson(a.columns, rows, deadline, signal, p.timeoutMs);
    const body = [Buffer.from(`${JSON.stringify(rest).slice(0, -1)},"rows":`), ...chunks, Buffer.from('}')];
    return reply.type('application/json; charset=utf-8').send(body.length === 3 ? Buffer.concat(body) : Readable.from(body, { objectMode: false }));
  }
  // A client that leaves aborts `signal`, and the query service then releases the stream even if
  // Fastify drops it unread.
  const s = await query.stream(p, signal);
  const writers = jsonCellWriters(s.columns);
  // The first row is read before the status is sent: what fails at once (a value too large, an
  // engine error on the first batch) is still a problem answer, not a response cut off.
  const rows = s.rows[Symbol.asyncIterator]();
  const first = await rows.next();
  async function* lines(): AsyncGenerator<string> {
    if (format === 'csv') yield csvRow(s.columns.map((c) => c.name));
    for (let r = first; !r.done; r = await rows.next()) yield format === 'csv' ? csvRow(r.value) : ndjsonRow(s.columns, writers, r.value);
  }
  reply.header('x-lakegate-engine', p.engine.name);
  return reply.type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8').send(Readable.from(lines()));
}

/**
 * The validator reads JSON scalars into the declared type (query strings need it), which would take
 * `"database": false` as the database named `false`: a name must be sent as a string.
 */
async function databaseIsText(req: FastifyRequest): Promise<void> {
  const body = req.body as { database?: unknown } | undefined;
  if (body && typeof body === 'object' && body.database !== undefined && typeof body.database !== 'string') {
    throw new AppError('VALIDATION_FAILED', 'body/database must be a string');
  }
}

export default async function queryRoutes(app: FastifyInstance, { query, config }: Services): Promise<void> {
  // A body that cannot hold SQL within LAKEGATE_QUERY_MAX_SQL_KB (6 bytes a character at most: a
  // `\uXXXX` escape, as Python's json.dumps writes non-ASCII text; and room for the other fields) is
  // refused as it arrives (413), before it is parsed or fingerprinted.
  const bodyLimit = Math.min(config.bodyLimitBytes, config.query.maxSqlChars * 6 + 64 * 1024);
  app.post<{ Body: QueryRequest }>('/query', { schema: routeSchema('runQuery'), bodyLimit, preValidation: databaseIsText }, async (req, reply) =>
    sendResult(query, (signal) => query.prepare(req.body, signal), req, reply),
  );
  app.post<{ Body: QueryRequest }>('/query/explain', { schema: routeSchema('explainQuery'), bodyLimit, preValidation: databaseIsText }, async (req, reply) =>
    query.explain(req.body, clientGone(req, reply)),
  );
  app.post<{ Body: TranslateRequest }>('/query/translate', { schema: routeSchema('translateQuery'), bodyLimit }, async (req) =>
    query.translate(req.body.sql, req.body.from, req.body.to),
  );
  app.get('/engines', { schema: routeSchema('listEngines') }, async (req, reply) => ({ engines: await query.engineList(clientGone(req, reply)) }));
}
