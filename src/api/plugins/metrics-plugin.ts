import type { FastifyInstance } from 'fastify';
import type { Telemetry } from '../../observability/telemetry.js';

/**
 * Request durations by route pattern and status (unknown paths share the `unmatched` label, so
 * probing cannot blow up the series count) and GET /metrics in Prometheus text format.
 */
export function installMetrics(app: FastifyInstance, telemetry: Telemetry): void {
  app.addHook('onResponse', async (request, reply) => {
    telemetry.observeRequest(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
  });
  app.get('/metrics', async (_request, reply) => {
    const { contentType, body } = await telemetry.metrics();
    return reply.type(contentType).send(body);
  });
}
