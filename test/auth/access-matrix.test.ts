import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scope } from '../../src/auth/route-scopes.js';
import { startGateway, removeDir, type TestGateway } from '../support/gateway.js';
import { apiKeysEnv, bearer, TOKENS, type KeyName } from './keys.js';

interface Case {
  method: 'GET' | 'HEAD' | 'POST' | 'DELETE';
  url: string;
  payload?: Record<string, unknown>;
  /** Scopes that pass, written out here (not read from ROUTE_SCOPES); 'public' needs no key. */
  scopes: readonly Scope[] | 'public';
  /** What the route itself answers once let through (chosen so that nothing changes state). */
  answers: number;
}

const READ: Scope[] = ['query', 'catalog', 'admin'];
const CASES: Case[] = [
  { method: 'GET', url: '/healthz', scopes: 'public', answers: 200 },
  { method: 'GET', url: '/readyz', scopes: 'public', answers: 200 },
  { method: 'GET', url: '/docs', scopes: 'public', answers: 200 },
  { method: 'GET', url: '/docs/json', scopes: 'public', answers: 200 },
  { method: 'GET', url: '/', scopes: 'public', answers: 302 },
  { method: 'GET', url: '/console', scopes: 'public', answers: 302 },
  { method: 'GET', url: '/console/', scopes: 'public', answers: 200 },
  { method: 'GET', url: '/console/app.js', scopes: 'public', answers: 200 },
  { method: 'GET', url: '/console/nothing.js', scopes: 'public', answers: 404 },
  { method: 'GET', url: '/metrics', scopes: ['admin'], answers: 200 },
  { method: 'POST', url: '/query', payload: { sql: 'SELECT count(*) AS n FROM monthly_trend' }, scopes: ['query', 'admin'], answers: 200 },
  { method: 'POST', url: '/query/translate', payload: { sql: 'SELECT 1', from: 'hive', to: 'duckdb' }, scopes: ['query', 'admin'], answers: 200 },
  { method: 'GET', url: '/analytics', scopes: ['query', 'admin'], answers: 200 },
  { method: 'GET', url: '/analytics/monthly-trend?year=2024', scopes: ['query', 'admin'], answers: 200 },
  { method: 'GET', url: '/tables', scopes: READ, answers: 200 },
  { method: 'HEAD', url: '/tables', scopes: READ, answers: 200 },
  { method: 'GET', url: '/tables/monthly_trend', scopes: READ, answers: 200 },
  { method: 'GET', url: '/tables/partitioned_transactions/partitions', scopes: READ, answers: 200 },
  { method: 'GET', url: '/tables/monthly_trend/ddl?dialect=athena', scopes: READ, answers: 200 },
  { method: 'GET', url: '/tables/monthly_trend/validate', scopes: READ, answers: 200 },
  { method: 'POST', url: '/tables', payload: {}, scopes: ['catalog', 'admin'], answers: 400 },
  { method: 'DELETE', url: '/tables/no_such_table', scopes: ['catalog', 'admin'], answers: 404 },
  { method: 'POST', url: '/tables/no_such_table/repair', payload: {}, scopes: ['catalog', 'admin'], answers: 404 },
  { method: 'POST', url: '/pipelines/run', payload: { input: '/nonexistent/card.csv' }, scopes: ['pipelines', 'admin'], answers: 422 },
  { method: 'GET', url: '/pipelines/runs', scopes: ['pipelines', 'admin'], answers: 200 },
  { method: 'GET', url: '/pipelines/runs/run_none', scopes: ['pipelines', 'admin'], answers: 404 },
  { method: 'POST', url: '/pipelines/runs/run_none/cancel', scopes: ['pipelines', 'admin'], answers: 404 },
  { method: 'GET', url: '/pipelines/runs/run_none/logs', scopes: ['pipelines', 'admin'], answers: 404 },
];

const KEYS = Object.keys(TOKENS) as KeyName[];

let gw: TestGateway;
let open: TestGateway;
beforeAll(async () => {
  gw = await startGateway({ LAKEGATE_API_KEYS: apiKeysEnv() });
  open = await startGateway({});
});
afterAll(async () => {
  for (const g of [gw, open]) {
    await g.close();
    await removeDir(g.home);
  }
});

const send = (g: TestGateway, c: Case, headers: Record<string, string> = {}) =>
  g.app.inject({ method: c.method, url: c.url, headers, ...(c.payload ? { payload: c.payload } : {}) });

describe('401 / 403 / allowed, for every route and every scope', () => {
  it.each(CASES.map((c) => [`${c.method} ${c.url}`, c] as const))('%s', async (_name, c) => {
    const anonymous = await send(gw, c);
    if (c.scopes === 'public') {
      expect(anonymous.statusCode).toBe(c.answers);
    } else {
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.headers['www-authenticate']).toBe('Bearer realm="lakegate"');
      if (c.method !== 'HEAD') expect(anonymous.json()).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
      const wrong = await send(gw, c, bearer('not_a_key_0123456789abcdef'));
      expect(wrong.statusCode).toBe(401);
      expect(wrong.headers['www-authenticate']).toContain('error="invalid_token"');
    }
    for (const key of KEYS) {
      const res = await send(gw, c, bearer(TOKENS[key]));
      const allowed = c.scopes === 'public' || c.scopes.includes(key);
      expect(res.statusCode, `${key} key`).toBe(allowed ? c.answers : 403);
      if (!allowed) {
        expect(res.headers['content-type']).toContain('application/problem+json');
        if (c.method !== 'HEAD') expect(res.json()).toMatchObject({ status: 403, code: 'FORBIDDEN' });
        expect(res.headers['www-authenticate']).toContain('error="insufficient_scope"');
      }
    }
  });

  it('checks the scope before reading the body', async () => {
    const res = await gw.app.inject({ method: 'POST', url: '/tables', headers: { ...bearer(TOKENS.query), 'content-type': 'application/json' }, payload: '{not json' });
    expect(res.statusCode).toBe(403);
  });

  it('needs a valid key even to learn that a path does not exist', async () => {
    expect((await gw.app.inject({ method: 'GET', url: '/no/such/path' })).statusCode).toBe(401);
    expect((await gw.app.inject({ method: 'GET', url: '/no/such/path', headers: bearer(TOKENS.query) })).statusCode).toBe(404);
  });

  it('accepts the scheme name in any case and rejects other schemes', async () => {
    expect((await gw.app.inject({ method: 'GET', url: '/tables', headers: { authorization: `bearer ${TOKENS.query}` } })).statusCode).toBe(200);
    expect((await gw.app.inject({ method: 'GET', url: '/tables', headers: { authorization: `Basic ${TOKENS.query}` } })).statusCode).toBe(401);
  });
});

describe('a gateway without keys', () => {
  it.each(CASES.map((c) => [`${c.method} ${c.url}`, c] as const))('serves %s without auth', async (_name, c) => {
    expect((await send(open, c)).statusCode).toBe(c.answers);
  });
});
