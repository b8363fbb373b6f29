import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeysEnv, bearer, TOKENS } from '../auth/keys.js';
import { removeDir, startGateway, type TestGateway } from '../support/gateway.js';
import { bytesOf, DATES, REGIONS, writeScanLake, type ScanLake } from './support/scan-lake.js';

const CAPPED = 'tk_scan0123456789abcdef';
const KEY_CAP = 1000;
const TABLE = 'card_analytics.scan_events';

let gw: TestGateway;
let lake: ScanLake;
/** LAKEGATE_MAX_SCAN_BYTES: exactly the two partitions of 2024-01-02. */
let budget: number;

const all = DATES.flatMap((dt) => REGIONS.map((r) => `dt=${dt}/region=${r}`));
const post = (url: string, payload: Record<string, unknown>, token: string = TOKENS.query) =>
  gw.app.inject({ method: 'POST', url, payload, headers: bearer(token) });
const explain = (sql: string, extra: Record<string, unknown> = {}, token?: string) => post('/query/explain', { sql, engine: 'duckdb', ...extra }, token);

beforeAll(async () => {
  const home = await mkdtemp(path.join(os.tmpdir(), 'lakegate-scan-'));
  lake = await writeScanLake(path.join(home, 'warehouse', 'scan_events'));
  budget = bytesOf(lake, ['dt=2024-01-02/region=eu', 'dt=2024-01-02/region=us']);
  gw = await startGateway({ LAKEGATE_MAX_SCAN_BYTES: String(budget), LAKEGATE_API_KEYS: apiKeysEnv(`capped:${CAPPED}:query:maxScanBytes=${KEY_CAP}`), LAKEGATE_QUERY_CACHE_ENTRIES: '0' }, home);
  const created = await post('/tables', {
    name: 'scan_events', location: lake.location,
    columns: [{ name: 'id', type: 'bigint' }, { name: 'amount', type: 'bigint' }],
    partitionKeys: [{ name: 'dt', type: 'date' }, { name: 'region', type: 'string' }],
  }, TOKENS.catalog);
  expect(created.statusCode, created.body).toBe(201);
  const repaired = await post('/tables/scan_events/repair', {}, TOKENS.catalog);
  expect(repaired.statusCode, repaired.body).toBe(200);
  expect((await gw.app.inject({ method: 'GET', url: '/tables/scan_events', headers: bearer(TOKENS.catalog) })).json().partitionCount).toBe(8);
});
afterAll(async () => {
  await gw?.close();
  if (gw) await removeDir(gw.home);
});

describe('POST /query/explain: partitions left after pruning and the bytes of their files', () => {
  const cases: Array<[string, string, string[]]> = [
    ['no WHERE reads everything', '', all],
    ['=', "WHERE dt = '2024-01-02'", ['dt=2024-01-02/region=eu', 'dt=2024-01-02/region=us']],
    ['IN', "WHERE region IN ('us') AND dt IN (DATE '2024-01-01', DATE '2024-01-04')", ['dt=2024-01-01/region=us', 'dt=2024-01-04/region=us']],
    ['a range', "WHERE dt >= '2024-01-03' AND region = 'eu'", ['dt=2024-01-03/region=eu', 'dt=2024-01-04/region=eu']],
    ['BETWEEN', "WHERE dt BETWEEN '2024-01-02' AND '2024-01-03' AND id > 5", ['dt=2024-01-02/region=eu', 'dt=2024-01-02/region=us', 'dt=2024-01-03/region=eu', 'dt=2024-01-03/region=us']],
    ['< on one key with an alias', "x WHERE x.dt < '2024-01-02' AND x.region <> 'eu'", ['dt=2024-01-01/region=eu', 'dt=2024-01-01/region=us']],
    ['OR keeps everything', "WHERE dt = '2024-01-02' OR region = 'eu'", all],
    ['a function of the column keeps everything', "WHERE upper(region) = 'EU'", all],
    ['nothing matches', "WHERE dt = '2025-01-01'", []],
  ];
  it.each(cases)('%s', async (_name, where, expected) => {
    const res = await explain(`SELECT count(*) FROM ${TABLE} ${where}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    const bytes = bytesOf(lake, expected);
    expect(body.tables).toEqual([{ name: TABLE, partitions: { total: 8, read: expected.length, list: expected }, estimatedBytes: bytes }]);
    expect(body).toMatchObject({ engine: 'duckdb', estimatedBytes: bytes, maxScanBytes: null, withinBudget: true, warnings: [] });
    expect(body.sql.executed).toContain('count(*)');
  });

  it('counts a table read twice once, with the partitions either reference reads', async () => {
    const res = await explain(`SELECT count(*) FROM ${TABLE} a WHERE a.dt = '2024-01-01' AND a.id IN (SELECT id FROM ${TABLE} WHERE dt = '2024-01-04' AND region = 'us')`);
    const expected = ['dt=2024-01-01/region=eu', 'dt=2024-01-01/region=us', 'dt=2024-01-04/region=us'];
    expect(res.json()).toMatchObject({ estimatedBytes: bytesOf(lake, expected), tables: [{ partitions: { total: 8, read: 3, list: expected } }] });
  });

  it('reads every data file of an unpartitioned table', async () => {
    const flat = 'dt=2024-01-01/region=eu';
    const created = await post('/tables', { name: 'scan_flat', location: path.join(lake.location, flat), columns: [{ name: 'id', type: 'bigint' }] }, TOKENS.catalog);
    expect(created.statusCode, created.body).toBe(201);
    const body = (await explain("SELECT * FROM scan_flat WHERE id = 1")).json();
    expect(body.tables).toEqual([{ name: 'card_analytics.scan_flat', partitions: { total: 0, read: 0, list: [] }, estimatedBytes: lake.bytes.get(flat) }]);
  });

  it('on an engine that bills by scan, answers the budget that would apply and whether the query fits', async () => {
    const within = (await explain(`SELECT * FROM ${TABLE} WHERE dt = '2024-01-02'`, { engine: 'athena' })).json();
    expect(within).toMatchObject({ engine: 'athena', estimatedBytes: budget, maxScanBytes: budget, withinBudget: true });
    expect(within.sql.executed).toContain('"card_analytics"."scan_events"');
    const whole = (await explain(`SELECT * FROM ${TABLE}`, { engine: 'athena', maxScanBytes: 10 ** 12 })).json();
    expect(whole).toMatchObject({ estimatedBytes: bytesOf(lake, all), maxScanBytes: 10 ** 12, withinBudget: true });
  });
});

describe('the scan guard', () => {
  it('refuses a query past the budget with 422 SCAN_BUDGET_EXCEEDED, its estimate and the partitions it would read', async () => {
    const res = await post('/query', { sql: `SELECT count(*) FROM ${TABLE} WHERE dt >= '2024-01-02'`, engine: 'athena' });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const read = all.slice(2);
    expect(res.json()).toMatchObject({
      code: 'SCAN_BUDGET_EXCEEDED',
      estimatedBytes: bytesOf(lake, read),
      maxScanBytes: budget,
      partitions: read.map((p) => `${TABLE}/${p}`),
      partitionCount: 6,
      tables: [{ name: TABLE, partitions: { total: 8, read: 6 } }],
    });
    expect(res.json().detail).toContain('6 of 8 partitions');
    const own = await post('/query', { sql: `SELECT count(*) FROM ${TABLE} WHERE dt = '2024-01-02'`, engine: 'athena', maxScanBytes: budget - 1 });
    expect(own.json()).toMatchObject({ code: 'SCAN_BUDGET_EXCEEDED', estimatedBytes: budget, maxScanBytes: budget - 1, partitionCount: 2 });
  });

  it('does not guard duckdb, which does not bill by scan', async () => {
    const res = await post('/query', { sql: `SELECT count(*) AS n FROM ${TABLE}`, engine: 'duckdb', maxScanBytes: 1 });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ rows: [[lake.rows]], scan: { estimatedBytes: null, actualBytes: null } });
  });

  it("caps a key's maxScanBytes: above the cap is 400, and the cap is its budget", async () => {
    const above = await post('/query', { sql: `SELECT count(*) FROM ${TABLE}`, engine: 'athena', maxScanBytes: KEY_CAP + 1 }, CAPPED);
    expect(above.statusCode).toBe(400);
    expect(above.json()).toMatchObject({ code: 'VALIDATION_FAILED', detail: `maxScanBytes ${KEY_CAP + 1} exceeds this API key's cap of ${KEY_CAP}` });
    const explained = (await explain(`SELECT count(*) FROM ${TABLE} WHERE dt = '2025-01-01'`, { engine: 'athena' }, CAPPED)).json();
    expect(explained).toMatchObject({ maxScanBytes: KEY_CAP, estimatedBytes: 0, withinBudget: true });
    const refused = await post('/query', { sql: `SELECT count(*) FROM ${TABLE} WHERE dt = '2024-01-01' AND region = 'eu'`, engine: 'athena' }, CAPPED);
    expect(refused.json()).toMatchObject({ code: 'SCAN_BUDGET_EXCEEDED', maxScanBytes: KEY_CAP, estimatedBytes: bytesOf(lake, ['dt=2024-01-01/region=eu']) });
  });

  it('needs the query scope for /query/explain', async () => {
    expect((await explain(`SELECT 1`, {}, TOKENS.pipelines)).statusCode).toBe(403);
  });
});
