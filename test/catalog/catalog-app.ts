import Fastify, { type FastifyInstance } from 'fastify';
import { sendProblem } from '../../src/api/problem.js';
import tablesRoutes from '../../src/api/routes/tables-routes.js';
import type { CatalogService } from '../../src/catalog/catalog-service.js';

/** A minimal app for route tests: Fastify, the tables routes, and the gateway's one error handler. */
export async function buildCatalogApp(catalog: CatalogService): Promise<FastifyInstance> {
  // Table names may be 128 characters; Fastify's default maxParamLength (100) would answer 414 first.
  const app = Fastify({
    logger: false,
    maxParamLength: 256,
    // As src/app.ts configures the validator: unknown properties are refused, not silently dropped.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false } },
  });
  app.setErrorHandler(sendProblem);
  await app.register(tablesRoutes, { catalog });
  await app.ready();
  return app;
}
