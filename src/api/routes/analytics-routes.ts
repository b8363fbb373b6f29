import type { FastifyInstance } from 'fastify';
import { bindParams } from '../../analytics/canned-queries.js';
import { AppError } from '../../errors.js';
import type { Services } from '../../services.js';
import type { components } from '../openapi-types.js';
import { routeSchema } from '../openapi-schema.js';
import { sendResult } from './query-routes.js';

type Engine = components['schemas']['QueryEngine'];

export default async function analyticsRoutes(app: FastifyInstance, { analytics, query }: Services): Promise<void> {
  app.get('/analytics', { schema: routeSchema('listAnalytics') }, async () => ({
    queries: [...analytics.values()].map(({ name, description, parameters }) => ({ name, description, parameters })),
  }));
  // Declared parameters are dynamic per query, so only `engine` is in the route schema; the rest is bound by bindParams.
  app.get<{ Params: { name: string }; Querystring: Record<string, string> }>('/analytics/:name', async (req, reply) => {
    const canned = analytics.get(req.params.name);
    if (!canned) throw new AppError('QUERY_NOT_FOUND', `no canned query '${req.params.name}'; GET /analytics lists them`);
    const { engine, ...raw } = req.query;
    if (engine !== undefined && !['duckdb', 'athena', 'impala'].includes(engine)) {
      throw new AppError('VALIDATION_FAILED', `engine must be one of duckdb, athena, impala`);
    }
    const params = bindParams(canned, raw);
    return sendResult(query, (signal) => query.prepare({ sql: canned.sql, dialect: 'hive', engine: engine as Engine | undefined, params }, signal), req, reply);
  });
}
