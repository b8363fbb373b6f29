import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { startGateway, removeDir, type TestGateway } from '../support/gateway.js';
import { apiKeysEnv } from '../auth/keys.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startGateway({ LAKEGATE_API_KEYS: apiKeysEnv() });
});
afterAll(async () => {
  await gw.close();
  await removeDir(gw.home);
});

const get = (url: string) => gw.app.inject({ method: 'GET', url });

describe('GET /docs', () => {
  it('serves the API reference page without a key, with nothing loaded from elsewhere', async () => {
    const res = await get('/docs');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    const assets = [...res.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThan(2);
    for (const a of assets) expect(a, a).not.toMatch(/^(https?:)?\/\//);
    for (const a of assets) {
      const asset = await get(new URL(a, 'http://x/docs/').pathname);
      expect(asset.statusCode, a).toBe(200);
    }
    const init = await get('/docs/static/swagger-initializer.js');
    expect(init.body).toContain('validatorUrl: null');
  });

  it('serves openapi.yaml itself as /docs/json', async () => {
    const res = await get('/docs/json');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(JSON.parse(JSON.stringify(parse(readFileSync('openapi.yaml', 'utf8')))));
    expect(Object.keys(res.json().paths)).toEqual(expect.arrayContaining(['/metrics', '/docs', '/query']));
  });
});
