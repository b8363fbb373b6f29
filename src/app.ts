import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { installGatewayPlugins } from './api/plugins/gateway-plugins.js';
import { sendClientError, sendProblem } from './api/problem.js';
import { installConsole } from './api/plugins/console-plugin.js';
import healthRoutes from './api/routes/health-routes.js';
import sessionRoutes from './api/routes/session-routes.js';
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
    clientErrorHandler: sendClientError,
  });
  app.setErrorHandler((err, request, reply) => sendProblem(err, request, reply));
  // Every request body is JSON: without Fastify's text/plain parser any other type is 415 on every route.
  app.removeContentTypeParser('text/plain');
  const routes = routeTable(app);
  // A path served under other methods answers 405 before anything else looks at the request (its body included).
  app.addHook('onRequest', async (request, reply) => {
    if (!request.is404) return;
    const url = request.url.split('?')[0]!;
    const allowed = routes.methodsFor(url);
    if (allowed.length === 0 || allowed.includes(request.method)) return;
    reply.header('allow', allowed.join(', '));
    throw new AppError('METHOD_NOT_ALLOWED', `${url} does not take ${request.method}; it takes ${allowed.join(', ')}`);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(new AppError('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`), request, reply),
  );
  const keys = await installGatewayPlugins(app, services);
  await app.register(async (scope) => healthRoutes(scope, services));
  await app.register(async (scope) => sessionRoutes(scope, { keysRequired: !keys.empty }));
  await app.register(async (scope) => installConsole(scope, services.consoleAssets));
  await app.register(async (scope) => pipelinesRoutes(scope, services));
  await app.register(async (scope) => tablesRoutes(scope, services));
  await app.register(async (scope) => queryRoutes(scope, services));
  await app.register(async (scope) => analyticsRoutes(scope, services));
  return app;
}

/**
 * Every route's method and path pattern as they are registered, so that a path served under other
 * methods answers 405 with `Allow` instead of 404.
 */
function routeTable(app: FastifyInstance): { methodsFor(url: string): string[] } {
  const routes: { method: string; pattern: RegExp }[] = [];
  app.addHook('onRoute', (route) => {
    const source = route.url
      .split('/')
      .map((seg) => (seg.startsWith(':') ? '[^/]+' : seg === '*' ? '.*' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/');
    for (const method of [route.method].flat()) routes.push({ method, pattern: new RegExp(`^${source}$`) });
  });
  return {
    methodsFor: (url) => [...new Set(routes.filter((r) => r.pattern.test(url)).map((r) => r.method))].sort(),
  };
}
