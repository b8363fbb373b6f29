import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { ApiKeys } from '../../auth/api-keys.js';
import { allows, routeAccess, type RouteAccess } from '../../auth/route-scopes.js';
import { AppError } from '../../errors.js';
import type { AnonymousLimit } from './limits-plugin.js';
import { requestContext } from './request-context-plugin.js';

/** A registered route and the access rule the central table gives it (undefined: missing there). */
export interface RegisteredRoute {
  method: string;
  url: string;
  access: RouteAccess | undefined;
}

const registered = new WeakMap<FastifyInstance, RegisteredRoute[]>();

/** Every route registered on `app` after installAuth, with its access rule (test/auth checks none is missing). */
export function registeredRoutes(app: FastifyInstance): RegisteredRoute[] {
  return registered.get(app) ?? [];
}

/** The token of `Authorization: Bearer <token>`, if the header has that shape. */
function bearerToken(header: string | undefined): string | undefined {
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  return m?.[1];
}

const REALM = 'Bearer realm="lakegate"';

/**
 * API-key authentication and scope checks, before the body is read. Public routes pass, and optional
 * ones without an Authorization header (a header they do get is checked like anywhere else); with no keys
 * configured everything passes (server.ts keeps such a gateway on loopback). A missing or unknown
 * token is 401 with WWW-Authenticate (counted per client address by `limitAnonymous`, 429 past it); a known key without the route's scope is 403. Unknown paths
 * need a valid key before they answer 404, so they cannot be probed anonymously.
 */
export function installAuth(app: FastifyInstance, keys: ApiKeys, logger: Logger, limitAnonymous?: AnonymousLimit): void {
  const routes: RegisteredRoute[] = [];
  registered.set(app, routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url, access: routeAccess(method, route.url) });
  });
  app.addHook('onReady', async () => {
    const missing = routes.filter((r) => r.access === undefined).map((r) => `${r.method} ${r.url}`);
    if (missing.length > 0) logger.warn({ routes: missing }, 'routes without an entry in ROUTE_SCOPES are admin-only');
  });

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const url = request.routeOptions.url;
    const access: RouteAccess | undefined = url === undefined ? undefined : (routeAccess(request.method, url) ?? ['admin']);
    if (access === 'public' || keys.empty) return;
    const token = bearerToken(request.headers.authorization);
    if (access === 'optional' && request.headers.authorization === undefined) return;
    const principal = token === undefined ? undefined : keys.authenticate(token);
    if (!principal) {
      await limitAnonymous?.(request, reply);
      reply.header('www-authenticate', token === undefined ? REALM : `${REALM}, error="invalid_token"`);
      throw new AppError('UNAUTHORIZED', token === undefined ? 'send an API key as Authorization: Bearer <token>' : 'the API key is not valid');
    }
    requestContext(request).principal = principal;
    if (access !== undefined && access !== 'optional' && !allows(principal.scopes, access)) {
      reply.header('www-authenticate', `${REALM}, error="insufficient_scope", scope="${access.join(' ')}"`);
      throw new AppError('FORBIDDEN', `API key '${principal.name}' needs the scope ${access.join(' or ')}${access.includes('admin') ? '' : ' (or admin)'} for ${request.method} ${url}`);
    }
  });
}
