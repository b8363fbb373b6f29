import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, startGateway, type TestGateway } from '../support/gateway.js';

let gw: TestGateway;
let port: number;
beforeAll(async () => {
  gw = await startGateway();
  port = Number(new URL(await gw.app.listen({ port: 0, host: '127.0.0.1' })).port);
});

/** Sends raw bytes (requests no HTTP client would write) and returns status, headers and body. */
function raw(request: string): Promise<{ status: number; headers: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let out = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (out += d));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', body = ''] = out.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), headers: head.toLowerCase(), body });
    });
    socket.end(request);
  });
}
afterAll(async () => {
  await gw.close();
  await removeDir(gw.home);
});

describe('routing', () => {
  it.each([
    ['DELETE', '/query', 'POST'],
    ['GET', '/query/translate', 'POST'],
    ['PUT', '/tables/some_table', 'DELETE, GET, HEAD'],
    ['GET', '/tables/some_table/repair', 'POST'],
    ['PATCH', '/pipelines/run', 'POST'],
    ['POST', '/pipelines/runs/run_1/logs', 'GET, HEAD'],
    ['DELETE', '/analytics/daily-top5', 'GET, HEAD'],
  ])('answers %s %s with 405 and Allow: %s', async (method, url, allow) => {
    const res = await gw.app.inject({ method: method as 'GET', url, ...(method === 'GET' || method === 'DELETE' ? {} : { payload: {} }) });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe(allow);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 405, code: 'METHOD_NOT_ALLOWED' });
  });

  it('answers 404 for a path no method serves', async () => {
    for (const url of ['/nope', '/tables/a/b/c', '/query/translate/x', '/query/']) {
      const res = await gw.app.inject({ method: url === '/query/' ? 'POST' : 'GET', url, ...(url === '/query/' ? { payload: {} } : {}) });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().code).toBe('NOT_FOUND');
      expect(res.headers.allow).toBeUndefined();
    }
  });
});

describe('requests refused before routing', () => {
  it('answers a known method with a body but no content type (QUERY) with 405, not a parsing error', async () => {
    const res = await raw('QUERY /query HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(res.status).toBe(405);
    expect(res.headers).toContain('allow: post');
  });

  it('answers what Node cannot parse with problem+json too', async () => {
    const unknown = await raw('FROB /query HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(unknown.status).toBe(400);
    expect(unknown.headers).toContain('content-type: application/problem+json');
    expect(JSON.parse(unknown.body)).toMatchObject({ status: 400, code: 'BAD_REQUEST', detail: 'unknown HTTP method' });
    const huge = await raw(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(huge.status).toBe(431);
    expect(JSON.parse(huge.body)).toMatchObject({ status: 431, code: 'HEADERS_TOO_LARGE' });
  });
});
