import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../services.js';
import type { components } from '../openapi-types.js';
import { routeSchema } from '../openapi-schema.js';
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
  const gone = (): void => ac.abort(new Error('client disconnected'));
  if (reply.raw.destroyed || req.raw.socket?.destroyed) gone();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) gone();
  });
  return ac.signal;
}

/** The rows of a materialized result as JSON, kept per result so that cache hits serialize nothing. */
const rowsJson = new WeakMap<unknown[][], string>();
function rowsToJson(columns: Parameters<typeof jsonCellWriters>[0], rows: unknown[][]): string {
  let json = rowsJson.get(rows);
  if (json === undefined) {
    const writers = jsonCellWriters(columns);
    // Written by hand so that 64-bit integers keep every digit.
    json = `[${rows.map((r) => jsonRow(writers, r)).join(',')}]`;
    rowsJson.set(rows, json);
  }
  return json;
}

/**
 * Prepares and runs a query and sends its result in the requested representation; CSV and NDJSON
 * stream row by row. The client's disconnect is watched from the start, preparation included.
 */
export async function sendResult(query: QueryService, prepare: () => Promise<PreparedQuery>, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const signal = clientGone(req, reply);
  const p = await prepare();
  const format = wanted(req);
  if (format === 'json') {
    const a = await query.run(p, signal);
    const { rows, ...rest } = a;
    const body = `${JSON.stringify(rest).slice(0, -1)},"rows":${rowsToJson(a.columns, rows)}}`;
    return reply.type('application/json; charset=utf-8').send(body);
  }
  // A client that leaves aborts `signal`, and the query service then releases the stream even if
  // Fastify drops it unread.
  const s = await query.stream(p, signal);
  const writers = jsonCellWriters(s.columns);
  async function* lines(): AsyncGenerator<string> {
    if (format === 'csv') yield csvRow(s.columns.map((c) => c.name));
    for await (const row of s.rows) yield format === 'csv' ? csvRow(row) : ndjsonRow(s.columns, writers, row);
  }
  reply.header('x-lakegate-engine', p.engine.name);
  return reply.type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8').send(Readable.from(lines()));
}

export default async function queryRoutes(app: FastifyInstance, { query }: Services): Promise<void> {
  app.post<{ Body: QueryRequest }>('/query', { schema: routeSchema('runQuery') }, async (req, reply) =>
    sendResult(query, () => query.prepare(req.body), req, reply),
  );
  app.post<{ Body: TranslateRequest }>('/query/translate', { schema: routeSchema('translateQuery') }, async (req) =>
    query.translate(req.body.sql, req.body.from, req.body.to),
  );
}
