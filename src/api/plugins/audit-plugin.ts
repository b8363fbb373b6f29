import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CannedQuery } from '../../analytics/canned-queries.js';
import { actorName } from '../../observability/request-context.js';
import { sqlFingerprint } from '../../observability/sql-fingerprint.js';
import type { AuditLog } from '../../observability/audit-log.js';
import { requestContext } from './request-context-plugin.js';

type Kind = 'query' | 'pipeline' | 'create' | 'delete' | 'repair';

/** The routes that write an audit line, and what kind of line. */
const AUDITED: Readonly<Record<string, Kind>> = {
  'POST /query': 'query',
  'GET /analytics/:name': 'query',
  'POST /pipelines/run': 'pipeline',
  'POST /tables': 'create',
  'DELETE /tables/:name': 'delete',
  'POST /tables/:name/repair': 'repair',
};

type Json = Record<string, unknown>;

const payloads = new WeakMap<FastifyRequest, Json>();
const written = new WeakSet<FastifyRequest>();

function kindOf(request: FastifyRequest): Kind | undefined {
  const url = request.routeOptions.url;
  return url === undefined ? undefined : AUDITED[`${request.method} ${url}`];
}

function parse(payload: unknown): Json | undefined {
  if (typeof payload !== 'string' || payload.length > 4_000_000) return undefined;
  try {
    const v: unknown = JSON.parse(payload);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
  } catch {
    return undefined;
  }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const len = (v: unknown): number | undefined => (Array.isArray(v) ? v.length : undefined);

/**
 * One audit line per query, pipeline submission and catalog change, written when the response is
 * done (streamed results included), whether it succeeded or not. Pipeline finish lines come from
 * the runner (Telemetry.runFinished).
 */
export function installAudit(app: FastifyInstance, audit: AuditLog, analytics: Map<string, CannedQuery>): void {
  // Answers are read back only where they are small (not query results) or problems (for their code).
  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const kind = kindOf(request);
    if (kind !== undefined && (kind !== 'query' || reply.statusCode >= 400)) {
      const json = parse(payload);
      if (json) payloads.set(request, json);
    }
    // A client that left gets no 'finish', so no onResponse: its line (QUERY_CANCELLED, say) is written now.
    if (kind !== undefined && reply.raw.destroyed) write(request, reply);
    return payload;
  });

  app.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => write(request, reply));

  function write(request: FastifyRequest, reply: FastifyReply): void {
    const kind = kindOf(request);
    if (kind === undefined || written.has(request)) return;
    written.add(request);
    const ctx = requestContext(request);
    const answer = payloads.get(request) ?? {};
    const status = reply.statusCode;
    const base = {
      key: actorName(ctx),
      requestId: request.id,
      status,
      durationMs: Math.round(reply.elapsedTime * 1000) / 1000,
      outcome: status < 400 ? 'ok' : (str(answer.code) ?? `HTTP_${status}`),
    };
    const params = (request.params ?? {}) as Json;
    const body = (request.body ?? {}) as Json;
    if (kind === 'query') {
      const name = str(params.name);
      const facts = ctx.query;
      const sql = facts?.input ?? str(body.sql) ?? (name ? analytics.get(name)?.sql : undefined);
      audit.query({
        ...base,
        route: `${request.method} ${request.routeOptions.url}`,
        ...(name ? { name } : {}),
        engine: facts?.engine ?? str(body.engine),
        tables: facts?.tables ?? [],
        sqlFingerprint: sql === undefined ? undefined : sqlFingerprint(sql),
        rows: facts?.rows,
        cacheHit: facts?.cacheHit,
      });
    } else if (kind === 'pipeline') {
      audit.pipeline({ ...base, event: 'submit', runId: str(answer.runId), engine: str(body.engine) ?? 'local' });
    } else {
      audit.catalog({
        ...base,
        action: kind,
        table: str(params.name) ?? str(answer.name) ?? str(body.name),
        ...(kind === 'repair' ? { added: len(answer.added), removed: len(answer.removed), dryRun: body.dryRun === true } : {}),
      });
    }
  }
}
