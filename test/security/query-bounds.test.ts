import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsToJson } from '../../src/api/routes/query-routes.js';
import { AppError } from '../../src/errors.js';
import { normalizeSql } from '../../src/observability/sql-fingerprint.js';
import { startLoggedGateway, type LoggedGateway } from '../observability/support/logged-gateway.js';
import { until } from '../support/until.js';

// Issue 10, items 4, 5 and 6 and the abort finding of item 7: the work one request may cause is bounded,
// and a client that leaves is recorded as such.

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
/** `SELECT 0 AS c0, 1 AS c1, ...`: one row of `n` integer columns. */
const wide = (n: number): string => 'SELECT ' + Array.from({ length: n }, (_, i) => `${i} AS c${i}`).join(', ');
/** A derived table of `n` rows (i = 0 .. n-1), without table functions (the validator refuses those). */
const rows = (n: number): string => '(' + Array.from({ length: n }, (_, i) => `SELECT ${i} AS i`).join(' UNION ALL ') + ')';
/** 10,000 rows of 200 'x': about 2.1 MB as JSON. */
const BIG = `SELECT repeat('x', 200) AS s FROM ${rows(100)} a CROSS JOIN ${rows(100)} b`;
/** 8.1 billion combinations: runs for minutes unless interrupted. */
const ENDLESS = `SELECT count(*) AS n FROM ${rows(300)} a CROSS JOIN ${rows(300)} b CROSS JOIN ${rows(300)} c CROSS JOIN ${rows(300)} d`;

let gw: LoggedGateway;
let capped: LoggedGateway;
beforeAll(async () => {
  gw = await startLoggedGateway({ LAKEGATE_MAX_EVENT_LOOP_DELAY_MS: '0' });
  capped = await startLoggedGateway({ LAKEGATE_MAX_EVENT_LOOP_DELAY_MS: '0', LAKEGATE_QUERY_MAX_COLUMNS: '50', LAKEGATE_QUERY_MAX_RESULT_MB: '1' });
});
afterAll(async () => {
  await gw?.close();
  await capped?.close();
});

const query = (g: LoggedGateway, payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
  g.app.inject({ method: 'POST', url: '/query', payload, headers });

describe('wide results and long SQL (items 4 and 5)', () => {
  it('refuses the 20,000-column SELECT of the report (300 KB of SQL) before parsing it: 400 SQL_NOT_ALLOWED', async () => {
    const sql = wide(20_000);
    const res = await query(gw, { sql });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 400, code: 'SQL_NOT_ALLOWED', sqlChars: sql.length, maxSqlChars: 64 * 1024 });
  });

  it('refuses 2,001 columns with 422 RESULT_TOO_WIDE under the default cap of 2,000', async () => {
    const res = await query(gw, { sql: wide(2_001) });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 422, code: 'RESULT_TOO_WIDE', columns: 2_001, maxColumns: 2_000 });
  });

  it('answers a result exactly at LAKEGATE_QUERY_MAX_COLUMNS and refuses one column more', async () => {
    const ok = await query(capped, { sql: wide(50) });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().columns.map((c: { name: string }) => c.name)).toEqual(Array.from({ length: 50 }, (_, i) => `c${i}`));
    expect(ok.json().rows).toEqual([Array.from({ length: 50 }, (_, i) => i)]);
    const refused = await query(capped, { sql: wide(51) });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'RESULT_TOO_WIDE', columns: 51, maxColumns: 50 });
  });

  it('applies the cap to the streamed formats too', async () => {
    const res = await query(capped, { sql: wide(51) }, { accept: 'text/csv' });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'RESULT_TOO_WIDE', columns: 51 });
  });
});

describe('long expressions (item 5)', () => {
  it('refuses a body that cannot hold SQL within the limit as it arrives: 413, never parsed', async () => {
    // 300,000 terms: 600 KB, past the /query body limit of 6 bytes a character of LAKEGATE_QUERY_MAX_SQL_KB plus 64 KB.
    const res = await query(gw, { sql: 'SELECT ' + Array(300_000).fill('1').join('+') });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('refuses SELECT 1+1+... with 40,000 terms unparsed and still fingerprints it for the audit line', async () => {
    const terms = 40_000;
    const res = await query(gw, { sql: 'SELECT ' + Array(terms).fill('1').join('+') });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'SQL_NOT_ALLOWED', sqlChars: 7 + 2 * terms - 1 });
    const line = gw.records('query').at(-1)!;
    expect(line).toMatchObject({ status: 400, outcome: 'SQL_NOT_ALLOWED' });
    expect(line.sqlFingerprint).toBe(sha256('select ' + Array(terms).fill('?').join('+')));
  });
});

describe('big JSON answers (item 6)', () => {
  it('refuses a single text value past LAKEGATE_QUERY_MAX_VALUE_MB before reading it, in every format, and keeps NULLs and small values', async () => {
    // 20 MB in one value; the default cap is 16 MB a value.
    for (const accept of ['application/json', 'text/csv']) {
      const res = await query(gw, { sql: "SELECT 1 AS i, repeat('x', 20000000) AS big" }, { accept });
      expect(res.statusCode, accept).toBe(422);
      expect(res.json()).toMatchObject({ code: 'RESULT_TOO_LARGE', column: 'big', valueBytes: 20_000_000, maxValueBytes: 16 * 1024 * 1024 });
    }
    const ok = await query(gw, { sql: "SELECT CAST(NULL AS STRING) AS n, repeat('y', 1000000) AS s" });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().rows[0][0]).toBeNull();
    expect(ok.json().rows[0][1]).toHaveLength(1_000_000);
  });

  it('counts the bytes sent, not the characters: multi-byte text and escapes reach the cap too', async () => {
    // 400,000 characters each, under the 1 MB cap as characters, over it as JSON bytes (3 a character; 6 an escaped control character).
    for (const ch of ['日', '\u0001']) {
      const res = await query(capped, { sql: `SELECT repeat('${ch}', 400000) AS s` });
      expect(res.statusCode, ch).toBe(422);
      expect(res.json()).toMatchObject({ code: 'RESULT_TOO_LARGE' });
    }
    const ascii = await query(capped, { sql: "SELECT repeat('x', 400000) AS s" });
    expect(ascii.statusCode).toBe(200);
    expect(ascii.json().rows[0][0]).toHaveLength(400_000);
  });

  it('refuses a JSON answer past LAKEGATE_QUERY_MAX_RESULT_MB with 422 RESULT_TOO_LARGE pointing to CSV and NDJSON', async () => {
    const res = await query(capped, { sql: BIG, maxRows: 100_000 });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const body = res.json();
    expect(body).toMatchObject({ status: 422, code: 'RESULT_TOO_LARGE', maxResultBytes: 1024 * 1024, streamingFormats: ['text/csv', 'application/x-ndjson'] });
    expect(body.detail).toContain('text/csv');
    expect(body.detail).toContain('application/x-ndjson');
  });

  it('streams the same result in full as CSV and NDJSON', async () => {
    const csv = await query(capped, { sql: BIG, maxRows: 100_000 }, { accept: 'text/csv' });
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toBe('s\r\n' + `${'x'.repeat(200)}\r\n`.repeat(10_000));
    const ndjson = await query(capped, { sql: BIG, maxRows: 100_000 }, { accept: 'application/x-ndjson' });
    expect(ndjson.statusCode).toBe(200);
    expect(ndjson.body).toBe(`{"s":"${'x'.repeat(200)}"}\n`.repeat(10_000));
  });

  it('answers a JSON result under the cap, written in several chunks, as one exact document', async () => {
    // 3,000 rows of 205 characters: about 600 KB, more than two of the route's 256 KB chunks.
    const res = await query(capped, { sql: `SELECT repeat('x', 200) AS s FROM ${rows(100)} a CROSS JOIN ${rows(30)} b`, maxRows: 100_000 });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ rowCount: 3_000, truncated: false });
    expect(body.rows).toEqual(Array.from({ length: 3_000 }, () => ['x'.repeat(200)]));
  });
});

describe('aborted queries (item 7)', () => {
  it('records a client that leaves as QUERY_CANCELLED (metrics: cancelled), not as a timeout', async () => {
    const address = await gw.app.listen({ port: 0, host: '127.0.0.1' });
    const ac = new AbortController();
    const sent = fetch(`${address}/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sql: ENDLESS, timeoutMs: 120_000 }),
      signal: ac.signal,
    }).catch((err: unknown) => err);
    // Leave once the engine is at work (the query is admitted and running).
    await until('the query to run', () => (gw.services.query.activeQueries === 1 ? true : undefined), 30_000);
    ac.abort();
    expect(await sent).toMatchObject({ name: 'AbortError' });
    const line = await until('the audit line of the abandoned query', () => gw.records('query').find((r) => r.sqlFingerprint === sha256(normalizeSql(ENDLESS))), 30_000);
    expect(line).toMatchObject({ outcome: 'QUERY_CANCELLED', status: 409 });
    const metrics = await gw.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toContain('lakegate_query_duration_seconds_count{engine="duckdb",outcome="cancelled"} 1');
    expect(metrics.body).not.toContain('outcome="timeout"');
  });

  it('still answers a query past its timeoutMs with 504 QUERY_TIMEOUT', async () => {
    const res = await query(gw, { sql: ENDLESS, timeoutMs: 500 });
    expect(res.statusCode).toBe(504);
    expect(res.json()).toMatchObject({ status: 504, code: 'QUERY_TIMEOUT' });
  });
});

describe('the deadline covers writing the answer (item 6)', () => {
  const columns = [{ name: 's', type: 'VARCHAR' }];
  const rowsOf = (n: number) => Array.from({ length: n }, (_, i) => [`${i}`.padEnd(100, 'x')]);

  it('stops writing a JSON answer whose deadline passes while it is written: 504 QUERY_TIMEOUT', async () => {
    const err = await rowsToJson(columns, rowsOf(10_000), performance.now() - 1, new AbortController().signal, 1234).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'QUERY_TIMEOUT', status: 504 });
    expect((err as Error).message).toContain('1234 ms');
  });

  it('stops writing for a client that left, and writes the whole answer otherwise', async () => {
    const left = new AbortController();
    left.abort(new AppError('QUERY_CANCELLED', 'the client left'));
    expect(await rowsToJson(columns, rowsOf(10_000), performance.now() + 60_000, left.signal, 60_000).catch((e: unknown) => e)).toMatchObject({ code: 'QUERY_CANCELLED' });
    const rows = rowsOf(10_000);
    const chunks = await rowsToJson(columns, rows, performance.now() + 60_000, new AbortController().signal, 60_000);
    expect(chunks.length).toBeGreaterThan(10);
    expect(JSON.parse(Buffer.concat(chunks).toString('utf8'))).toEqual(rows);
  });
});
