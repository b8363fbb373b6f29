import Fastify, { type FastifyInstance } from 'fastify';
import { FASTIFY_OPTIONS } from '../../src/app.js';
import { sendProblem } from '../../src/api/problem.js';
import tablesRoutes from '../../src/api/routes/tables-routes.js';
import type { CatalogService } from '../../src/catalog/catalog-service.js';

/** A minimal app for route tests: Fastify, the tables routes, and the gateway's one error handler. */
export async function buildCatalogApp(catalog: CatalogService): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, ...FASTIFY_OPTIONS });
  app.setErrorHandler(sendProblem);
  await app.register(tablesRoutes, { catalog });
  await app.ready();
  return app;
}
