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

/** Aborts when the client goes away, so the engine stops working for nobody. */
function clientGone(req: FastifyRequest): AbortSignal {
  const ac = new AbortController();
  req.raw.socket?.once('close', () => ac.abort(new Error('client disconnected')));
  return ac.signal;
}

/** Sends a query result in the requested representation; CSV and NDJSON stream row by row. */
export async function sendResult(query: QueryService, p: PreparedQuery, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const format = wanted(req);
  if (format === 'json') {
    const a = await query.run(p, clientGone(req));
    const writers = jsonCellWriters(a.columns);
    const { rows, ...rest } = a;
    // Rows are written by hand so that 64-bit integers keep every digit.
    const head = JSON.stringify(rest).slice(0, -1);
    const body = `${head},"rows":[${rows.map((r) => jsonRow(writers, r)).join(',')}]}`;
    return reply.type('application/json; charset=utf-8').send(body);
  }
  const s = await query.stream(p, clientGone(req));
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
    sendResult(query, await query.prepare(req.body), req, reply),
  );
  app.post<{ Body: TranslateRequest }>('/query/translate', { schema: routeSchema('translateQuery') }, async (req) =>
    query.translate(req.body.sql, req.body.from, req.body.to),
  );
}
