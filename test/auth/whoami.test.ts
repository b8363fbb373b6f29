import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, removeDir, type TestGateway } from '../support/gateway.js';
import { apiKeysEnv, bearer, TOKENS } from './keys.js';

describe('GET /whoami', () => {
  let keyed: TestGateway;
  let open: TestGateway;
  beforeAll(async () => {
    keyed = await startGateway({ LAKEGATE_API_KEYS: apiKeysEnv() });
    open = await startGateway();
  });
  afterAll(async () => {
    for (const g of [keyed, open]) {
      await g.close();
      await removeDir(g.home);
    }
  });

  const whoami = (g: TestGateway, headers: Record<string, string> = {}) => g.app.inject({ method: 'GET', url: '/whoami', headers });

  it('answers a valid key with its name and scopes', async () => {
    const res = await whoami(keyed, bearer(TOKENS.query));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ name: 'query-key', scopes: ['query'], keysRequired: true, authenticated: true });
    expect((await whoami(keyed, bearer(TOKENS.admin))).json()).toMatchObject({ name: 'admin-key', scopes: ['admin'] });
  });

  it('answers without a key that one is needed, and grants nothing', async () => {
    const res = await whoami(keyed);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ name: null, scopes: [], keysRequired: true, authenticated: false });
  });

  it('refuses a key that is sent and not valid, as any route does', async () => {
    const res = await whoami(keyed, bearer('not-a-valid-token-0123'));
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(res.headers['www-authenticate']).toContain('invalid_token');
    expect((await whoami(keyed, { authorization: 'Basic abc' })).statusCode).toBe(401);
  });

  it('counts a wrong key against the client address, as a guess at any route is', async () => {
    const limited = await startGateway({ LAKEGATE_API_KEYS: apiKeysEnv(), LAKEGATE_RATE_LIMIT_ANONYMOUS_PER_MINUTE: '2' });
    try {
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await whoami(limited, bearer(`guess-${i}-0123456789abcdef`))).statusCode);
      expect(statuses).toEqual([401, 401, 429]);
      // Asking without a key is not a guess.
      expect((await whoami(limited)).statusCode).toBe(200);
    } finally {
      await limited.close();
      await removeDir(limited.home);
    }
  });

  it('on a gateway without keys, everyone may do everything', async () => {
    expect((await whoami(open)).json()).toEqual({ name: null, scopes: ['query', 'pipelines', 'catalog', 'admin'], keysRequired: false, authenticated: false });
  });
});
