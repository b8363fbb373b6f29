import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startGateway, removeDir, type TestGateway } from '../support/gateway.js';
import { apiKeysEnv, bearer, TOKENS } from './keys.js';
import { slowDownDuckDB } from './slow-engine.js';

const gateways: TestGateway[] = [];
async function gateway(env: Record<string, string>): Promise<TestGateway> {
  const gw = await startGateway({ LAKEGATE_API_KEYS: apiKeysEnv(), ...env });
  gateways.push(gw);
  return gw;
}
afterEach(async () => {
  for (const gw of gateways.splice(0)) {
    await gw.close();
    await removeDir(gw.home);
  }
});
afterAll(() => undefined);

describe('overload protection', () => {
  it('sheds requests with 503 problem+json and Retry-After while memory is over its limit, but keeps liveness and metrics', async () => {
    // A heap limit of 1 byte: the first memory sample puts the gateway under pressure.
    const gw = await gateway({ LAKEGATE_MAX_HEAP_BYTES: '1', LAKEGATE_PRESSURE_SAMPLE_MS: '50', LAKEGATE_RETRY_AFTER_SECONDS: '7' });
    let res = await gw.app.inject({ method: 'GET', url: '/tables', headers: bearer(TOKENS.query) });
    for (let i = 0; i < 40 && res.statusCode !== 503; i++) {
      await new Promise((r) => setTimeout(r, 100));
      res = await gw.app.inject({ method: 'GET', url: '/tables', headers: bearer(TOKENS.query) });
    }
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.headers['retry-after']).toBe('7');
    expect(res.json()).toMatchObject({ status: 503, code: 'OVERLOADED' });
    expect((await gw.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect((await gw.app.inject({ method: 'GET', url: '/metrics', headers: bearer(TOKENS.admin) })).statusCode).toBe(200);
  });

  it('refuses queries beyond the admission queue with 503 OVERLOADED and Retry-After', async () => {
    const gw = await gateway({ LAKEGATE_QUERY_CONCURRENCY: '1', LAKEGATE_QUERY_QUEUE: '1', LAKEGATE_QUERY_CACHE_ENTRIES: '0' });
    slowDownDuckDB(gw.services, 800);
    const send = (i: number) => gw.app.inject({ method: 'POST', url: '/query', headers: bearer(TOKENS.query), payload: { sql: `SELECT ${i} AS x` } });
    const results = await Promise.all([0, 1, 2, 3].map(send));
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([200, 200, 503, 503]);
    const refused = results.find((r) => r.statusCode === 503)!;
    expect(refused.json().code).toBe('OVERLOADED');
    expect(refused.headers['retry-after']).toBe('5');
  });
});
