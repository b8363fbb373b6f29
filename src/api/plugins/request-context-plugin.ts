import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { runInContext, type RequestContext } from '../../observability/request-context.js';

const contexts = new WeakMap<FastifyRequest, RequestContext>();

/** The context of a request (created on its first hook). */
export function requestContext(request: FastifyRequest): RequestContext {
  let ctx = contexts.get(request);
  if (!ctx) {
    ctx = { requestId: request.id };
    contexts.set(request, ctx);
  }
  return ctx;
}

/**
 * Makes the request's context current (AsyncLocalStorage) for its hooks, its handler and whatever
 * they start, so services reached from a route can tell whose request they serve (the API key's
 * caps, the audit facts). It is entered again after body parsing, which runs in the socket's context.
 */
export function installRequestContext(app: FastifyInstance): void {
  const enter = (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    runInContext(requestContext(request), done);
  };
  app.addHook('onRequest', enter);
  app.addHook('preValidation', enter);
  app.addHook('preHandler', enter);
}
