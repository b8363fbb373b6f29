import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, removeDir, type TestGateway } from '../support/gateway.js';
import { apiKeysEnv, bearer, TOKENS } from './keys.js';
import { slowDownDuckDB } from './slow-engine.js';

const CAPPED = 'tk_0123456789abcdef0123';
// Twelve rows, no table needed.
const TWELVE = `SELECT x FROM (${Array.from({ length: 12 }, (_, i) => `SELECT ${i + 1} AS x`).join(' UNION ALL ')}) t`;

let gw: TestGateway;
beforeAll(async () => {
  gw = await startGateway({ LAKEGATE_API_KEYS: apiKeysEnv(`capped:${CAPPED}:query:maxRows=5+timeoutMs=400`), LAKEGATE_QUERY_CACHE_ENTRIES: '0' });
});
afterAll(async () => {
  await gw.close();
  await removeDir(gw.home);
});

const query = (token: string, body: Record<string, unknown>) =>
  gw.app.inject({ method: 'POST', url: '/query', headers: bearer(token), payload: { sql: TWELVE, ...body } });

describe("a key's caps on maxRows and timeoutMs", () => {
  it("makes the key's maxRows cap its default", async () => {
    const capped = (await query(CAPPED, {})).json();
    expect(capped).toMatchObject({ rowCount: 5, truncated: true });
    expect((await query(TOKENS.query, {})).json()).toMatchObject({ rowCount: 12, truncated: false });
  });

  it('refuses a larger maxRows or timeoutMs with 400, and accepts smaller ones', async () => {
    const rows = await query(CAPPED, { maxRows: 6 });
    expect(rows.statusCode).toBe(400);
    expect(rows.json()).toMatchObject({ code: 'VALIDATION_FAILED', detail: "maxRows 6 exceeds this API key's cap of 5" });
    const time = await query(CAPPED, { timeoutMs: 401 });
    expect(time.statusCode).toBe(400);
    expect(time.json().detail).toBe("timeoutMs 401 exceeds this API key's cap of 400");
    expect((await query(CAPPED, { maxRows: 2, timeoutMs: 300 })).json()).toMatchObject({ rowCount: 2 });
    expect((await query(TOKENS.query, { maxRows: 50_000, timeoutMs: 60_000 })).statusCode).toBe(200);
  });

  it("applies the key's timeout when the request names none, canned analytics included", async () => {
    slowDownDuckDB(gw.services, 1_500);
    // The key's 400 ms cap, not the 30 s default, ends the 1.5 s query: a 504 is only possible that way.
    const res = await query(CAPPED, {});
    expect(res.statusCode).toBe(504);
    expect(res.json().code).toBe('QUERY_TIMEOUT');
    const canned = await gw.app.inject({ method: 'GET', url: '/analytics/monthly-trend?year=2024', headers: bearer(CAPPED) });
    expect(canned.statusCode).toBe(504);
    // Without a cap the same slow query finishes (the default timeout is 30 s).
    expect((await query(TOKENS.query, {})).statusCode).toBe(200);
  });
});
