import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registeredRoutes } from '../../src/api/plugins/auth-plugin.js';
import { openapiSpec } from '../../src/api/openapi-schema.js';
import { ROUTE_SCOPES, routeAccess } from '../../src/auth/route-scopes.js';
import { startGateway, removeDir, type TestGateway } from '../support/gateway.js';
import { apiKeysEnv } from './keys.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startGateway({ LAKEGATE_API_KEYS: apiKeysEnv() });
  await gw.app.ready();
});
afterAll(async () => {
  await gw.close();
  await removeDir(gw.home);
});

describe('the central scope table', () => {
  it('has an entry for every registered route', () => {
    const routes = registeredRoutes(gw.app);
    expect(routes.length).toBeGreaterThan(30);
    const missing = routes.filter((r) => r.access === undefined).map((r) => `${r.method} ${r.url}`);
    expect(missing).toEqual([]);
  });

  it('has no entry for a route that does not exist', () => {
    const registered = new Set(registeredRoutes(gw.app).map((r) => `${r.method} ${r.url}`));
    const stale = Object.keys(ROUTE_SCOPES).filter((k) => !k.endsWith('/*') && !registered.has(k));
    expect(stale).toEqual([]);
  });

  it('covers every operation of openapi.yaml, public exactly where the spec says `security: []`', () => {
    const paths = openapiSpec().paths as Record<string, Record<string, { security?: unknown[] }>>;
    for (const [p, item] of Object.entries(paths)) {
      for (const [method, op] of Object.entries(item)) {
        const url = p.replace(/\{(\w+)\}/g, ':$1');
        const access = routeAccess(method, url);
        expect(access, `${method} ${p}`).toBeDefined();
        expect(access === 'public', `${method} ${p}`).toBe(Array.isArray(op.security) && op.security.length === 0);
      }
    }
  });

  it('lets HEAD follow GET and prefixes cover the docs assets', () => {
    expect(routeAccess('HEAD', '/tables')).toEqual(routeAccess('GET', '/tables'));
    expect(routeAccess('GET', '/docs/static/swagger-ui.css')).toBe('public');
    expect(routeAccess('POST', '/docs/json')).toBeUndefined();
    expect(routeAccess('GET', '/docsx')).toBeUndefined();
  });
});
