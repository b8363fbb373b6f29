import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { installGatewayPlugins } from './api/plugins/gateway-plugins.js';
import { sendProblem } from './api/problem.js';
import healthRoutes from './api/routes/health-routes.js';
import analyticsRoutes from './api/routes/analytics-routes.js';
import pipelinesRoutes from './api/routes/pipelines-routes.js';
import queryRoutes from './api/routes/query-routes.js';
import tablesRoutes from './api/routes/tables-routes.js';
import { AppError } from './errors.js';
import type { Services } from './services.js';

/** Router and validator options of every Fastify instance serving the gateway's routes. */
export const FASTIFY_OPTIONS = {
  // Table names may be 128 characters; Fastify's default of 100 would answer 414 first.
  routerOptions: { maxParamLength: 256 },
  // Unknown properties are refused, not silently dropped; query parameters may be strings or numbers.
  ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false, allowUnionTypes: true } },
} as const;

/** The HTTP shell: plugins, routes and one error handler. */
export async function buildApp(services: Services): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: services.logger as FastifyBaseLogger,
    bodyLimit: services.config.bodyLimitBytes,
    ...FASTIFY_OPTIONS,
  });
  app.setErrorHandler((err, request, reply) => sendProblem(err, request, reply));
  app.setNotFoundHandler((request, reply) =>
    sendProblem(new AppError('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`), request, reply),
  );
  await installGatewayPlugins(app, services);
  await app.register(async (scope) => healthRoutes(scope, services));
  await app.register(async (scope) => pipelinesRoutes(scope, services));
  await app.register(async (scope) => tablesRoutes(scope, services));
  await app.register(async (scope) => queryRoutes(scope, services));
  await app.register(async (scope) => analyticsRoutes(scope, services));
  return app;
}
