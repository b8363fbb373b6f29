import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distinct, groupBy, readCardCsv, sum, type CsvRow } from '../support/card-csv.js';
import { cardCsv } from '../support/csv-fixtures.js';
import { removeDir, startGateway, waitForRun, type TestGateway } from '../support/gateway.js';

let gw: TestGateway;
let rows: CsvRow[];
let approved: CsvRow[];
let input: string;

const query = (payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
  gw.app.inject({ method: 'POST', url: '/query', payload, headers });
const get = (url: string) => gw.app.inject({ method: 'GET', url });

async function runPipeline(file: string): Promise<void> {
  const res = await gw.app.inject({ method: 'POST', url: '/pipelines/run', payload: { input: file } });
  expect((await waitForRun(gw.app, res.json().runId)).status).toBe('succeeded');
}

beforeAll(async () => {
  gw = await startGateway({ LAKEGATE_QUERY_MAX_ROWS_CAP: '50000' });
  input = await cardCsv(path.join(gw.home, 'in.csv'), 20_000, undefined, 21);
  rows = readCardCsv(input);
  approved = rows.filter((r) => r.approval_status === 'approved');
  await runPipeline(input);
});
afterAll(async () => {
  await gw.close();
  await removeDir(gw.home);
});

describe('POST /query', () => {
  it('answers the JSON shape with exact integers, dates and translated SQL', async () => {
    const res = await query({ sql: "SELECT category, count(*) AS n, sum(amount) AS s, min(txn_date) AS d FROM card_analytics.partitioned_transactions WHERE approval_status = 'approved' GROUP BY category ORDER BY category" });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.columns.map((c: any) => c.name)).toEqual(['category', 'n', 's', 'd']);
    const expected = [...groupBy(approved, (r) => r.category)].sort(([a], [b]) => (a < b ? -1 : 1)).map(([c, g]) => [c, g.length, sum(g.map((r) => r.amount)), g.map((r) => r.day).sort()[0]]);
    expect(body.rows).toEqual(expected);
    expect(body).toMatchObject({ rowCount: expected.length, truncated: false, engine: 'duckdb', warnings: [], cache: { hit: false } });
    expect(body.sql.executed).toContain('"card_analytics"."partitioned_transactions"');
  });

  it('keeps every digit of 64-bit integers in the JSON text', async () => {
    const res = await query({ sql: 'SELECT CAST(9007199254740993 AS BIGINT) AS big FROM card_analytics.monthly_trend LIMIT 1' });
    expect(res.body).toContain('[[9007199254740993]]');
  });

  it('formats timestamps as YYYY-MM-DD HH:MM:SS', async () => {
    const res = await query({ sql: "SELECT transaction_ts FROM partitioned_transactions WHERE transaction_id = 'TXN0000000001'" });
    expect(res.json().rows).toEqual([[rows[0]!.transaction_date]]);
  });

  it('streams CSV and NDJSON', async () => {
    const sql = 'SELECT txn_hour, transaction_count FROM card_analytics.hourly_pattern ORDER BY txn_hour';
    const csv = await query({ sql }, { accept: 'text/csv' });
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe('txn_hour,transaction_count');
    expect(lines).toHaveLength(25);
    expect(sum(lines.slice(1).map((l) => Number(l.split(',')[1])))).toBe(approved.length);
    const nd = await query({ sql }, { accept: 'application/x-ndjson' });
    const objs = nd.body.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(objs[12]).toEqual({ txn_hour: 12, transaction_count: approved.filter((r) => r.hour === 12).length });
  });

  it('truncates at maxRows and refuses maxRows above the cap', async () => {
    const res = await query({ sql: 'SELECT transaction_id FROM partitioned_transactions', maxRows: 7 });
    expect(res.json()).toMatchObject({ rowCount: 7, truncated: true });
    const over = await query({ sql: 'SELECT 1 AS x FROM monthly_trend', maxRows: 50_001 });
    expect(over.statusCode).toBe(400);
    expect(over.json().code).toBe('VALIDATION_FAILED');
  });

  it('times out a slow query with 504', async () => {
    const res = await query({ sql: 'SELECT count(*) AS n FROM partitioned_transactions a CROSS JOIN partitioned_transactions b CROSS JOIN monthly_trend c', timeoutMs: 100 });
    expect(res.statusCode).toBe(504);
    expect(res.json().code).toBe('QUERY_TIMEOUT');
  });

  it('caches repeated queries and invalidates them when a pipeline republishes the table', async () => {
    const sql = 'SELECT sum(transaction_count) AS n FROM card_analytics.daily_category_summary';
    const first = (await query({ sql })).json();
    const second = (await query({ sql })).json();
    expect(first.cache.hit).toBe(false);
    expect(second.cache.hit).toBe(true);
    expect(second.rows).toEqual(first.rows);
    const smaller = await cardCsv(path.join(gw.home, 'smaller.csv'), 3_000, undefined, 8);
    await runPipeline(smaller);
    const third = (await query({ sql })).json();
    expect(third.cache.hit).toBe(false);
    expect(third.rows[0][0]).toBe(readCardCsv(smaller).filter((r) => r.approval_status === 'approved').length);
    await runPipeline(input);
  });

  it('answers 501 with the translated SQL for engine impala', async () => {
    const res = await query({ sql: 'SELECT nvl(category, "none") AS c FROM merchant_ranking LIMIT 2', engine: 'impala' });
    expect(res.statusCode).toBe(501);
    expect(res.json()).toMatchObject({ code: 'NOT_IMPLEMENTED' });
    expect(res.json().sql).toMatch(/merchant_ranking/);
  });

  const refused: [string, Record<string, unknown>, number, string][] = [
    ['an unknown table', { sql: 'SELECT * FROM nope' }, 404, 'TABLE_NOT_FOUND'],
    ['a DML statement', { sql: 'DELETE FROM monthly_trend' }, 400, 'SQL_NOT_ALLOWED'],
    ['a file read', { sql: "SELECT * FROM read_csv('/etc/passwd')", dialect: 'duckdb' }, 400, 'SQL_NOT_ALLOWED'],
    ['a syntax error', { sql: 'SELECT category FROM monthly_trend WHERE' }, 400, 'SQL_SYNTAX'],
    ['a statement that is not a SELECT', { sql: 'SELEC 1' }, 400, 'SQL_NOT_ALLOWED'],
    ['an unknown dialect', { sql: 'SELECT 1', dialect: 'oracle' }, 400, 'VALIDATION_FAILED'],
  ];
  for (const [what, body, status, code] of refused) {
    it(`refuses ${what} with ${status} ${code}`, async () => {
      const res = await query(body);
      expect(res.statusCode).toBe(status);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().code).toBe(code);
      if (code === 'SQL_SYNTAX') expect(res.json().position).toEqual({ line: 1, column: expect.any(Number) });
    });
  }

  it('translates without running', async () => {
    const res = await gw.app.inject({ method: 'POST', url: '/query/translate', payload: { sql: 'SELECT pmod(-7, 3) AS m', from: 'hive', to: 'duckdb' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ sql: 'SELECT (((-7 % 3) + 3) % 3) AS "m"', warnings: [] });
    const run = await query({ sql: 'SELECT pmod(-7, 3) AS m FROM monthly_trend LIMIT 1' });
    expect(run.json().rows).toEqual([[2]]);
  });
});

describe('canned analytics', () => {
  it('lists the queries with their typed parameters', async () => {
    const list = (await get('/analytics')).json().queries;
    expect(list.map((q: any) => q.name)).toEqual(expect.arrayContaining(['daily-top5', 'hourly-share', 'regional-trends', 'monthly-trend', 'merchant-top', 'quarterly-growth']));
    expect(list.find((q: any) => q.name === 'daily-top5').parameters).toEqual([
      expect.objectContaining({ name: 'from', type: 'date', required: true }),
      expect.objectContaining({ name: 'to', type: 'date', required: true }),
    ]);
  });

  it('daily-top5 ranks the 5 largest approved categories of each day', async () => {
    const body = (await get('/analytics/daily-top5?from=2024-03-01&to=2024-03-03')).json();
    expect(body.columns.map((c: any) => c.name)).toEqual(['txn_date', 'rank', 'category', 'total_amount', 'transaction_count']);
    const expected: unknown[][] = [];
    for (const day of ['2024-03-01', '2024-03-02', '2024-03-03']) {
      const cats = [...groupBy(approved.filter((r) => r.day === day), (r) => r.category)]
        .map(([c, g]) => ({ c, s: sum(g.map((r) => r.amount)), n: g.length }))
        .sort((a, b) => b.s - a.s || (a.c < b.c ? -1 : 1))
        .slice(0, 5);
      cats.forEach((x, i) => expected.push([day, i + 1, x.c, x.s, x.n]));
    }
    expect(body.rows).toEqual(expected);
  });

  it('hourly-share has 24 hours whose shares sum to 100', async () => {
    const body = (await get('/analytics/hourly-share?year=2024')).json();
    expect(body.rows).toHaveLength(24);
    expect(Math.abs(sum(body.rows.map((r: any[]) => r[4])) - 100)).toBeLessThan(1e-9);
    expect(body.rows[19][2]).toBe(approved.filter((r) => r.hour === 19).length);
    expect(body.rows[19][1]).toBe('evening');
  });

  it('regional-trends computes month totals per region from the transactions', async () => {
    const body = (await get(`/analytics/regional-trends?year=2024&region=${encodeURIComponent('부산')}`)).json();
    const busan = approved.filter((r) => r.region === '부산');
    const months = [...groupBy(busan, (r) => r.day.slice(0, 7))].sort(([a], [b]) => (a < b ? -1 : 1)).map(([m, g]) => [m, sum(g.map((r) => r.amount))]);
    expect(body.rows.map((r: any[]) => [r[1], r[2]])).toEqual(months);
    expect(body.rows[0][4]).toBeNull();
    const m1 = months[0]![1] as number;
    const m2 = months[1]![1] as number;
    expect(body.rows[1][4]).toBeCloseTo((100 * (m2 - m1)) / m1, 9);
    const all = (await get('/analytics/regional-trends?year=2024')).json();
    expect(distinct(all.rows.map((r: any[]) => r[0]))).toBe(distinct(approved.map((r) => r.region)));
  });

  it('merchant-top, monthly-trend and quarterly-growth answer from the summary tables', async () => {
    expect((await get('/analytics/merchant-top?n=3')).json().rows.map((r: any[]) => r[0])).toEqual([1, 2, 3]);
    expect((await get('/analytics/monthly-trend?year=2024')).json().rowCount).toBe(12);
    const q = (await get('/analytics/quarterly-growth?year=2024')).json();
    expect(q.rows.map((r: any[]) => r[1])).toEqual(['Q1', 'Q2', 'Q3', 'Q4']);
    expect(sum(q.rows.map((r: any[]) => r[3]))).toBe(sum(approved.filter((r) => r.year === 2024).map((r) => r.amount)));
  });

  const bad: [string, number, string][] = [
    ['/analytics/daily-top5?from=2024-02-30&to=2024-03-01', 400, 'VALIDATION_FAILED'],
    ['/analytics/daily-top5?from=2024-03-01', 400, 'VALIDATION_FAILED'],
    ['/analytics/hourly-share?year=abc', 400, 'VALIDATION_FAILED'],
    ['/analytics/hourly-share?year=1200', 400, 'VALIDATION_FAILED'],
    ['/analytics/merchant-top?n=3&x=1', 400, 'VALIDATION_FAILED'],
    ["/analytics/regional-trends?year=2024&region=x'%20OR%20'1'='1", 200, ''],
    ['/analytics/nope', 404, 'QUERY_NOT_FOUND'],
    ['/analytics/hourly-share?year=2024&engine=oracle', 400, 'VALIDATION_FAILED'],
  ];
  for (const [url, status, code] of bad) {
    it(`answers ${status} for ${url}`, async () => {
      const res = await get(url);
      expect(res.statusCode).toBe(status);
      if (code) expect(res.json().code).toBe(code);
      else expect(res.json().rowCount).toBe(0);
    });
  }
});
