import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ConsoleAssets } from '../../console/console-assets.js';
import { AppError } from '../../errors.js';

/**
 * The page may load and call only the gateway itself: a bundled console needs nothing from another
 * host, and the browser enforces that. Styles may be inline (CodeMirror and the charts set them).
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

/** GET / and /console redirect to /console/, which serves the web console's bundle (console/). */
export async function installConsole(app: FastifyInstance, assets: ConsoleAssets): Promise<void> {
  const toConsole = async (_request: FastifyRequest, reply: FastifyReply) => reply.redirect('/console/', 302);
  app.get('/', toConsole);
  app.get('/console', toConsole);
  app.get('/console/*', async (request: FastifyRequest<{ Params: { '*': string } }>, reply) => {
    const asset = await assets.get(request.params['*']);
    if (!asset) throw new AppError('NOT_FOUND', `no console file ${request.url.split('?')[0]}`);
    reply
      .header('content-type', asset.contentType)
      .header('etag', asset.etag)
      .header('cache-control', 'no-cache')
      .header('vary', 'accept-encoding')
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', CSP);
    if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
    if (asset.gzipped && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) return reply.header('content-encoding', 'gzip').send(asset.gzipped);
    return reply.send(asset.body);
  });
}
