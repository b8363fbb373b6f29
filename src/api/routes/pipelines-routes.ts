import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.js';
import type { components, operations } from '../openapi-types.js';
import { routeSchema } from '../openapi-schema.js';

type RunRequest = components['schemas']['RunRequest'];
type ListQuery = NonNullable<operations['listRuns']['parameters']['query']>;
type RunParams = operations['getRun']['parameters']['path'];

export default async function pipelinesRoutes(app: FastifyInstance, { pipelines }: Services): Promise<void> {
  app.post<{ Body: RunRequest }>('/pipelines/run', { schema: routeSchema('runPipeline') }, async (req, reply) => {
    const { run, created } = await pipelines.submit(req.body);
    return reply.code(created ? 202 : 200).send({ runId: run.runId, status: run.status });
  });
  app.get<{ Querystring: ListQuery }>('/pipelines/runs', { schema: routeSchema('listRuns') }, async (req) =>
    pipelines.list(req.query.limit ?? 20, req.query.cursor),
  );
  app.get<{ Params: RunParams }>('/pipelines/runs/:runId', { schema: routeSchema('getRun') }, async (req) => pipelines.get(req.params.runId));
  app.post<{ Params: RunParams }>('/pipelines/runs/:runId/cancel', { schema: routeSchema('cancelRun') }, async (req) =>
    pipelines.cancel(req.params.runId),
  );
  app.get<{ Params: RunParams }>('/pipelines/runs/:runId/logs', { schema: routeSchema('getRunLogs') }, async (req, reply) =>
    reply.type('text/plain; charset=utf-8').send(await pipelines.logs(req.params.runId)),
  );
}
