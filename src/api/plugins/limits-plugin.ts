import rateLimit from '@fastify/rate-limit';
import underPressure from '@fastify/under-pressure';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiKeys } from '../../auth/api-keys.js';
import type { Config } from '../../config.js';
import { routeAccess } from '../../auth/route-scopes.js';
import { AppError } from '../../errors.js';
import { requestContext } from './request-context-plugin.js';

/** Routes that must answer while the gateway sheds load: liveness and the metrics that show why. */
const NEVER_SHED = new Set(['/healthz', '/metrics']);

const isPublic = (request: FastifyRequest): boolean => {
  const url = request.routeOptions.url;
  return url !== undefined && routeAccess(request.method, url) === 'public';
};

/** Requests per minute per key when LAKEGATE_RATE_LIMIT_PER_MINUTE is unset (a gateway without keys has none). */
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 3000;

/**
 * Overload shedding (@fastify/under-pressure: 503 OVERLOADED with Retry-After while the event loop
 * lags or memory is past its limit) and per-key rate limits (@fastify/rate-limit: 429 RATE_LIMITED
 * with Retry-After; by key name, or by client IP on a gateway without keys). Must be installed before the
 * routes (the rate limiter attaches itself to routes as they are registered).
 */
export async function installLimits(app: FastifyInstance, protection: Config['protection'], keys: ApiKeys): Promise<AnonymousLimit | undefined> {
  const retryAfter = protection.retryAfterSeconds;
  await app.register(underPressure, {
    maxEventLoopDelay: protection.maxEventLoopDelayMs,
    sampleInterval: protection.sampleIntervalMs,
    maxHeapUsedBytes: protection.maxHeapBytes,
    maxRssBytes: protection.maxRssBytes,
    retryAfter,
    pressureHandler: (request: FastifyRequest, reply: FastifyReply, type: string) => {
      if (request.routeOptions.url !== undefined && NEVER_SHED.has(request.routeOptions.url)) return undefined;
      reply.header('retry-after', String(retryAfter));
      return Promise.reject(new AppError('OVERLOADED', `the gateway is overloaded (${type}); retry in ${retryAfter} s`));
    },
  });

  // Every 503 (shedding, a full query queue, not ready yet) tells the client when to come back.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (reply.statusCode === 503 && !reply.hasHeader('retry-after')) reply.header('retry-after', String(retryAfter));
    return payload;
  });

  const fallback = protection.rateLimitPerMinute ?? (keys.empty ? 0 : DEFAULT_RATE_LIMIT_PER_MINUTE);
  const perMinute = (request: FastifyRequest): number => requestContext(request).principal?.limits.rpm ?? fallback;
  await app.register(rateLimit, {
    global: true,
    timeWindow: 60_000,
    max: (request) => perMinute(request),
    // Health probes and docs are never limited; a limit of 0 means none.
    allowList: (request) => isPublic(request) || perMinute(request) === 0,
    keyGenerator: (request) => {
      const principal = requestContext(request).principal;
      return principal ? `key:${principal.name}` : `ip:${request.ip}`;
    },
    errorResponseBuilder: (request, ctx) => {
      const who = requestContext(request).principal?.name;
      return new AppError('RATE_LIMITED', `more than ${ctx.max} requests per minute ${who ? `with API key '${who}'` : 'from this address'}; retry in ${ctx.after}`, {
        details: { limit: ctx.max },
      });
    },
  });

  // Requests refused by authentication never reach the per-route limiter (auth runs first): they are
  // counted per client address here, so guessing keys or probing paths is limited too.
  const anonymous = protection.anonymousPerMinute;
  if (keys.empty || anonymous === 0) return undefined;
  return app.rateLimit({
    max: anonymous,
    timeWindow: 60_000,
    keyGenerator: (request) => `anonymous:${request.ip}`,
    // Its own list: the global one also lets through everything when the per-key limit is 0.
    allowList: (request) => isPublic(request),
    errorResponseBuilder: (_request, ctx) =>
      new AppError('RATE_LIMITED', `more than ${ctx.max} requests per minute without a valid API key from this address; retry in ${ctx.after}`, {
        details: { limit: ctx.max },
      }),
  });
}

/** Counts a request without a valid API key against its client address; throws RATE_LIMITED past the limit. */
export type AnonymousLimit = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
