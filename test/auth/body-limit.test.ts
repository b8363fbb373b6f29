import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, removeDir, type TestGateway } from '../support/gateway.js';
import { apiKeysEnv, bearer, TOKENS } from './keys.js';

let gw: TestGateway;
let url: string;
beforeAll(async () => {
  gw = await startGateway({ LAKEGATE_API_KEYS: apiKeysEnv(), LAKEGATE_BODY_LIMIT_BYTES: '4096' });
  url = await gw.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await gw.close();
  await removeDir(gw.home);
});

const big = JSON.stringify({ sql: `SELECT '${'x'.repeat(5000)}' AS s` });

describe('the request body limit', () => {
  it('answers 413 problem+json when Content-Length is over the limit', async () => {
    const res = await gw.app.inject({ method: 'POST', url: '/query', headers: { ...bearer(TOKENS.query), 'content-type': 'application/json' }, payload: big });
    expect(res.statusCode).toBe(413);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
  });

  it('answers 413 for a chunked body that grows past the limit', async () => {
    const body = Readable.toWeb(Readable.from([big.slice(0, 3000), big.slice(3000)])) as ReadableStream<Uint8Array>;
    const res = await fetch(`${url}/query`, {
      method: 'POST',
      headers: { ...bearer(TOKENS.query), 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('checks the key before reading a large body', async () => {
    const res = await gw.app.inject({ method: 'POST', url: '/query', headers: { 'content-type': 'application/json' }, payload: big });
    expect(res.statusCode).toBe(401);
  });

  it('accepts a body under the limit', async () => {
    const res = await gw.app.inject({ method: 'POST', url: '/query', headers: bearer(TOKENS.query), payload: { sql: `SELECT '${'x'.repeat(3000)}' AS s` } });
    expect(res.statusCode).toBe(200);
  });
});
