import { describe, expect, it } from 'vitest';
import { ApiKeys } from '../../src/auth/api-keys.js';

const T1 = 'tok_query_0123456789abcdef';
const T2 = 'tok_admin_0123456789abcdef';

describe('LAKEGATE_API_KEYS parsing', () => {
  it('reads name:token:scopes[:limits] entries', () => {
    const keys = ApiKeys.parse(` bi:${T1}:query+catalog:maxRows=500+timeoutMs=2000+rpm=30+maxScanBytes=10000000000 , ops:${T2}:admin,`);
    expect(keys.size).toBe(2);
    const bi = keys.authenticate(T1)!;
    expect(bi.name).toBe('bi');
    expect([...bi.scopes].sort()).toEqual(['catalog', 'query']);
    expect(bi.limits).toEqual({ maxRows: 500, timeoutMs: 2000, rpm: 30, maxScanBytes: 10_000_000_000 });
    expect(keys.authenticate(T2)).toMatchObject({ name: 'ops', limits: {} });
    expect(keys.authenticate(`${T1}x`)).toBeUndefined();
    expect(keys.authenticate('')).toBeUndefined();
    // The principal never carries the token.
    expect(JSON.stringify({ ...bi, scopes: [...bi.scopes] })).not.toContain(T1);
  });

  it('treats an empty variable as no keys', () => {
    expect(ApiKeys.parse('').empty).toBe(true);
    expect(ApiKeys.parse(' , ').empty).toBe(true);
  });

  it.each([
    ['bi:short:query', /entry 1: the token of 'bi' must be 16/],
    [`bi:${T1}`, /entry 1: has 2 ':'-separated fields/],
    [`bi:${T1}:query:rpm=1:extra`, /has 5 ':'-separated fields/],
    [`bi:${T1}:read`, /unknown scope 'read'/],
    [`bi:${T1}:`, /unknown scope ''/],
    [`ops:${T2}:admin,bi:${T1}:query:maxRows=0`, /entry 2: limit maxRows must be a positive integer/],
    [`bi:${T1}:query:maxScanBytes=1e9`, /entry 1: limit maxScanBytes must be a positive integer/],
    [`bi:${T1}:query:rows=5`, /unknown limit 'rows=5'/],
    [`bi:${T1}:query,bi:${T2}:admin`, /key name 'bi' is used twice/],
    [`bi:${T1}:query,ops:${T1}:admin`, /the token of 'ops' is also another key's token/],
    [`b i:${T1}:query`, /key name 'b i' must match/],
  ])('refuses %s with a clear message', (raw, message) => {
    let caught: unknown;
    try {
      ApiKeys.parse(raw);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(Error);
    const text = (caught as Error).message;
    expect(text).toMatch(message);
    expect(text).toContain('LAKEGATE_API_KEYS');
    // Startup errors are printed: they never echo a token.
    expect(text).not.toContain(T1);
    expect(text).not.toContain(T2);
  });
});
