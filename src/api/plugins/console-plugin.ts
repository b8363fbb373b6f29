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

/** Whether Accept-Encoding accepts gzip (gzip, x-gzip or *, with a q above 0). */
function acceptsGzip(header: string | undefined): boolean {
  for (const part of (header ?? '').split(',')) {
    const [coding = '', ...params] = part.trim().toLowerCase().split(';').map((p) => p.trim());
    if (!['gzip', 'x-gzip', '*'].includes(coding)) continue;
    const q = params.find((p) => p.startsWith('q='));
    if (q === undefined || Number(q.slice(2)) > 0) return true;
  }
  return false;
}

/** If-None-Match against an ETag: `*`, or a list of tags compared weakly (W/ ignored). */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

/** GET / and /console redirect to /console/, which serves the web console's bundle (console/). */
export async function installConsole(app: FastifyInstance, assets: ConsoleAssets): Promise<void> {
  const toConsole = async (_request: FastifyRequest, reply: FastifyReply) => reply.redirect('/console/', 302);
  app.get('/', toConsole);
  app.get('/console', toConsole);
  app.get('/console/*', async (request: FastifyRequest<{ Params: { '*': string } }>, reply) => {
    const asset = await assets.get(request.params['*']);
    if (!asset) throw new AppError('NOT_FOUND', `no console file ${request.url.split('?')[0]}`);
    // Each representation has its own ETag (RFC 9110 8.8.3): a cache never gets gzip for identity.
    const chosen = asset.gzipped && acceptsGzip(request.headers['accept-encoding']) ? asset.gzipped : undefined;
    const etag = chosen?.etag ?? asset.etag;
    reply
      .header('content-type', asset.contentType)
      .header('etag', etag)
      .header('cache-control', asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', CSP);
    if (asset.gzipped) reply.header('vary', 'accept-encoding');
    if (matches(request.headers['if-none-match'], etag)) return reply.code(304).send();
    if (chosen) reply.header('content-encoding', 'gzip');
    return reply.send(chosen?.body ?? asset.body);
  });
}
