import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, removeDir, type TestGateway } from '../support/gateway.js';
import { apiKeysEnv, bearer, TOKENS } from './keys.js';

const LIMITED = 'tl_0123456789abcdef0123';
const UNLIMITED = 'tu_0123456789abcdef0123';

let gw: TestGateway;
let open: TestGateway;
beforeAll(async () => {
  gw = await startGateway({
    LAKEGATE_API_KEYS: apiKeysEnv(`limited:${LIMITED}:query:rpm=3`, `batch:${UNLIMITED}:query:rpm=0`),
    LAKEGATE_RATE_LIMIT_PER_MINUTE: '5',
  });
  open = await startGateway({ LAKEGATE_RATE_LIMIT_PER_MINUTE: '3' });
});
afterAll(async () => {
  for (const g of [gw, open]) {
    await g.close();
    await removeDir(g.home);
  }
});

async function statuses(g: TestGateway, n: number, headers: Record<string, string>, remoteAddress?: string): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await g.app.inject({ method: 'GET', url: '/analytics', headers, remoteAddress })).statusCode);
  return out;
}

describe('per-key rate limits', () => {
  it("answers 429 problem+json with Retry-After once a key's own limit is used up", async () => {
    expect(await statuses(gw, 3, bearer(LIMITED))).toEqual([200, 200, 200]);
    const res = await gw.app.inject({ method: 'GET', url: '/analytics', headers: bearer(LIMITED) });
    expect(res.statusCode).toBe(429);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 429, code: 'RATE_LIMITED', limit: 3 });
    expect(res.json().detail).toContain("API key 'limited'");
    const retryAfter = Number(res.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
  });

  it('counts each key separately, with the gateway-wide limit for keys without their own', async () => {
    expect(await statuses(gw, 6, bearer(TOKENS.query))).toEqual([200, 200, 200, 200, 200, 429]);
    expect(await statuses(gw, 2, bearer(TOKENS.admin))).toEqual([200, 200]);
  });

  it('does not limit a key with rpm=0, nor health probes and docs', async () => {
    expect(new Set(await statuses(gw, 12, bearer(UNLIMITED)))).toEqual(new Set([200]));
    for (let i = 0; i < 12; i++) {
      expect((await gw.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
      expect((await gw.app.inject({ method: 'GET', url: '/docs/json' })).statusCode).toBe(200);
    }
  });

  it('defaults to 3000 per minute per key, and to no limit on a gateway without keys', async () => {
    const keyed = await startGateway({ LAKEGATE_API_KEYS: apiKeysEnv() });
    const bare = await startGateway({});
    try {
      const limited = await keyed.app.inject({ method: 'GET', url: '/analytics', headers: bearer(TOKENS.query) });
      expect(limited.headers['x-ratelimit-limit']).toBe('3000');
      const free = await bare.app.inject({ method: 'GET', url: '/analytics' });
      expect(free.statusCode).toBe(200);
      expect(free.headers['x-ratelimit-limit']).toBeUndefined();
    } finally {
      for (const g of [keyed, bare]) {
        await g.close();
        await removeDir(g.home);
      }
    }
  });

  it('limits by client address when the gateway has no keys and a limit is set', async () => {
    expect(await statuses(open, 4, {}, '127.0.0.7')).toEqual([200, 200, 200, 429]);
    expect(await statuses(open, 1, {}, '127.0.0.8')).toEqual([200]);
  });
});
