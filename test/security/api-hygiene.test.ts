import Fastify from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendProblem } from '../../src/api/problem.js';
import { AppError } from '../../src/errors.js';
import { apiKeysEnv, bearer, TOKENS } from '../auth/keys.js';
import { removeDir, startGateway, type TestGateway } from '../support/gateway.js';

// Issue 10, item 13 (NUL, content types, anonymous rate limit) and item 7 (problem bodies).

let open: TestGateway;
let keyed: TestGateway;
beforeAll(async () => {
  open = await startGateway({});
  keyed = await startGateway({ LAKEGATE_API_KEYS: apiKeysEnv(), LAKEGATE_RATE_LIMIT_ANONYMOUS_PER_MINUTE: '3' });
});
afterAll(async () => {
  for (const g of [open, keyed]) {
    await g?.close();
    if (g) await removeDir(g.home);
  }
});

describe('a NUL inside a SQL literal', () => {
  it.each([
    ["SELECT 'a\u0000b' AS a", 'hive'],
    ["SELECT 'a\u0000b' AS a", 'duckdb'],
    ['SELECT "a\u0000b" AS a', 'hive'],
  ])('%j (%s) is 400 SQL_SYNTAX at the NUL', async (sql, dialect) => {
    const res = await open.app.inject({ method: 'POST', url: '/query', payload: { sql, dialect } });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 400, code: 'SQL_SYNTAX', position: { line: 1, column: 10 } });
  });
});

describe('a body that is not JSON', () => {
  const routes: [string, string][] = [
    ['POST', '/pipelines/run'],
    ['POST', '/query'],
    ['POST', '/query/translate'],
    ['POST', '/tables'],
    ['POST', '/tables/some_table/repair'],
  ];
  it.each(routes)('%s %s answers text/plain with 415 UNSUPPORTED_MEDIA_TYPE', async (method, url) => {
    const res = await open.app.inject({ method: method as 'POST', url, payload: '{"input": "x.csv"}', headers: { 'content-type': 'text/plain' } });
    expect(res.statusCode).toBe(415);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('is still accepted as application/json', async () => {
    const res = await open.app.inject({ method: 'POST', url: '/query/translate', payload: '{"sql": "SELECT 1", "from": "hive", "to": "duckdb"}', headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(200);
  });
});

describe('requests without a valid API key', () => {
  it('are limited per client address: 401 up to the limit, then 429 RATE_LIMITED', async () => {
    const send = (remoteAddress: string, headers: Record<string, string> = {}) =>
      keyed.app.inject({ method: 'GET', url: '/tables', headers, remoteAddress });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await send('127.0.0.21')).statusCode);
    statuses.push((await send('127.0.0.21', bearer('not_a_key_0123456789abcdef'))).statusCode);
    expect(statuses).toEqual([401, 401, 401, 429]);
    const limited = await send('127.0.0.21');
    expect(limited.headers['content-type']).toContain('application/problem+json');
    expect(limited.json()).toMatchObject({ status: 429, code: 'RATE_LIMITED', limit: 3 });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // Another address is counted on its own, and a valid key from the limited address still passes.
    expect((await send('127.0.0.22')).statusCode).toBe(401);
    expect((await send('127.0.0.21', bearer(TOKENS.query))).statusCode).toBe(200);
  });

  it('are limited even when the per-key limit is off (LAKEGATE_RATE_LIMIT_PER_MINUTE=0)', async () => {
    const unlimitedKeys = await startGateway({ LAKEGATE_API_KEYS: apiKeysEnv(), LAKEGATE_RATE_LIMIT_PER_MINUTE: '0', LAKEGATE_RATE_LIMIT_ANONYMOUS_PER_MINUTE: '3' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await unlimitedKeys.app.inject({ method: 'GET', url: '/tables', remoteAddress: '127.0.0.24', headers: bearer('not_a_key_0123456789abcdef') })).statusCode);
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await unlimitedKeys.close();
      await removeDir(unlimitedKeys.home);
    }
  });

  it('do not count against the limit on public routes', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await keyed.app.inject({ method: 'GET', url: '/healthz', remoteAddress: '127.0.0.23' })).statusCode).toBe(200);
    }
    expect((await keyed.app.inject({ method: 'GET', url: '/tables', remoteAddress: '127.0.0.23' })).statusCode).toBe(401);
  });
});

describe('problem bodies (item 7)', () => {
  const lines: string[] = [];
  const app = Fastify({ loggerInstance: pino({ level: 'error' }, { write: (s: string) => void lines.push(s) }) });
  app.setErrorHandler((err, request, reply) => sendProblem(err, request, reply));
  app.get('/overwrite', async () => {
    throw new AppError('TABLE_NOT_FOUND', 'no table t', { details: { status: 200, code: 'OK', title: 'fine', table: 't' } });
  });
  app.get('/upstream', async () => {
    throw new AppError('UPSTREAM_FAILED', 'reading /srv/lake/secret/part-0.parquet: ECONNREFUSED 10.1.2.3:9000');
  });
  app.get('/crash', async () => {
    throw new Error("ENOENT: no such file or directory, open '/home/gateway/.lakegate/catalog/x.json'");
  });
  afterAll(() => app.close());

  it('keep status, code and title whatever the details say', async () => {
    const res = await app.inject({ method: 'GET', url: '/overwrite' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ type: 'about:blank', title: 'Not Found', status: 404, code: 'TABLE_NOT_FOUND', detail: 'no table t', instance: '/overwrite', table: 't' });
  });

  it.each([
    ['/upstream', 502, 'UPSTREAM_FAILED', 'a backend service (AWS, Spark, EMR) failed or could not be reached; retry later', '/srv/lake/secret'],
    ['/crash', 500, 'INTERNAL', 'internal error', '/home/gateway'],
  ])('%s: a %i body says only a generic detail and the request id; the log has the real message', async (url, status, code, generic, secret) => {
    const res = await app.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(status);
    const body = res.json();
    expect(body).toMatchObject({ status, code });
    const logged = JSON.parse(lines.at(-1)!) as { reqId: string; err: { message: string } };
    expect(logged.err.message).toContain(secret);
    expect(body.detail).toBe(`${generic}; see the gateway log for request ${logged.reqId}`);
    expect(res.body).not.toContain(secret);
  });
});
