import type { FastifyInstance } from 'fastify';
import { SCOPES } from '../../auth/route-scopes.js';
import type { components } from '../openapi-types.js';
import { requestContext } from '../plugins/request-context-plugin.js';

type WhoAmI = components['schemas']['WhoAmI'];

/** GET /whoami: the caller's key and scopes, so a client offers only what the key may do. */
export default async function sessionRoutes(app: FastifyInstance, options: { keysRequired: boolean }): Promise<void> {
  app.get('/whoami', async (request): Promise<WhoAmI> => {
    const principal = requestContext(request).principal;
    if (principal) return { name: principal.name, scopes: SCOPES.filter((s) => principal.scopes.has(s)), keysRequired: true, authenticated: true };
    // A gateway without keys lets everyone do everything; one with keys, nothing until a key is sent.
    return { name: null, scopes: options.keysRequired ? [] : [...SCOPES], keysRequired: options.keysRequired, authenticated: false };
  });
}
