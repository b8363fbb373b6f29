import { createHash } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCardCsv } from '../support/card-csv.js';
import { cardCsv } from '../support/csv-fixtures.js';
import { apiKeysEnv, bearer, TOKENS } from '../auth/keys.js';
import { startLoggedGateway, type LoggedGateway } from './support/logged-gateway.js';

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
const SECRET = 'SECRET_LITERAL_XYZ';
const NUMBER = '987654321';

let gw: LoggedGateway;
beforeAll(async () => {
  gw = await startLoggedGateway({ LAKEGATE_API_KEYS: apiKeysEnv() });
});
afterAll(() => gw.close());

const last = (audit: string): Record<string, any> => gw.records(audit).at(-1)!;

describe('audit lines', () => {
  it('one per query: key, tables, fingerprint, rows, duration, outcome', async () => {
    const sql = `SELECT count(*) AS n FROM partitioned_transactions WHERE merchant = '${SECRET}' AND amount > ${NUMBER}`;
    const res = await gw.app.inject({ method: 'POST', url: '/query', headers: bearer(TOKENS.query), payload: { sql } });
    expect(res.statusCode).toBe(200);
    const line = last('query');
    expect(line).toMatchObject({
      key: 'query-key',
      route: 'POST /query',
      engine: 'duckdb',
      tables: ['card_analytics.partitioned_transactions'],
      rows: 1,
      cacheHit: false,
      outcome: 'ok',
      status: 200,
      requestId: res.headers['request-id'] ?? expect.any(String),
    });
    // The fingerprint is the hash of the shape, worked out by hand here.
    expect(line.sqlFingerprint).toBe(sha256('select count(*) as n from partitioned_transactions where merchant = ? and amount > ?'));
    expect(line.durationMs).toBeGreaterThan(0);
    // Same shape, other literals: same fingerprint, and the repeat is a cache hit for the admin key.
    await gw.app.inject({ method: 'POST', url: '/query', headers: bearer(TOKENS.admin), payload: { sql: sql.replace(SECRET, 'other').replace(NUMBER, '5') } });
    expect(last('query')).toMatchObject({ key: 'admin-key', sqlFingerprint: line.sqlFingerprint });
    await gw.app.inject({ method: 'POST', url: '/query', headers: bearer(TOKENS.admin), payload: { sql } });
    expect(last('query')).toMatchObject({ cacheHit: true, rows: 1 });
  });

  it('counts the rows of a streamed (CSV) result', async () => {
    const sql = 'SELECT x FROM (SELECT 1 AS x UNION ALL SELECT 2 UNION ALL SELECT 3) t';
    const res = await gw.app.inject({ method: 'POST', url: '/query', headers: { ...bearer(TOKENS.query), accept: 'text/csv' }, payload: { sql } });
    expect(res.body.trim().split('\n')).toHaveLength(4);
    expect(last('query')).toMatchObject({ key: 'query-key', rows: 3, outcome: 'ok', sqlFingerprint: sha256('select x from (select ? as x union all select ? union all select ?) t') });
  });

  it('records refused queries with their problem code, and canned analytics by name', async () => {
    await gw.app.inject({ method: 'POST', url: '/query', headers: bearer(TOKENS.query), payload: { sql: `DELETE FROM partitioned_transactions WHERE merchant = '${SECRET}'` } });
    expect(last('query')).toMatchObject({ key: 'query-key', status: 400, tables: [], sqlFingerprint: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(last('query').outcome).toMatch(/^SQL_/);
    await gw.app.inject({ method: 'POST', url: '/query', payload: { sql: 'SELECT 1' } });
    expect(last('query')).toMatchObject({ key: 'anonymous', status: 401, outcome: 'UNAUTHORIZED' });
    const res = await gw.app.inject({ method: 'GET', url: '/analytics/monthly-trend?year=2987', headers: bearer(TOKENS.query) });
    expect(res.statusCode).toBe(200);
    const canned = last('query');
    expect(canned).toMatchObject({ key: 'query-key', route: 'GET /analytics/:name', name: 'monthly-trend', outcome: 'ok', tables: ['card_analytics.monthly_trend'] });
    expect(canned.sqlFingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it('one when a pipeline run is submitted and one when it finishes, both with the submitting key', async () => {
    const input = await cardCsv(path.join(gw.home, 'audit.csv'), 400);
    const res = await gw.app.inject({ method: 'POST', url: '/pipelines/run', headers: bearer(TOKENS.pipelines), payload: { input, stages: ['quality'] } });
    expect(res.statusCode).toBe(202);
    const { runId } = res.json();
    expect(last('pipeline')).toMatchObject({ event: 'submit', key: 'pipelines-key', runId, status: 202, outcome: 'ok' });
    for (let i = 0; i < 1200 && !gw.records('pipeline').some((r) => r.event === 'finish'); i++) await new Promise((r) => setTimeout(r, 50));
    const run = (await gw.app.inject({ method: 'GET', url: `/pipelines/runs/${runId}`, headers: bearer(TOKENS.pipelines) })).json();
    expect(run.status).toBe('succeeded');
    const finish = gw.records('pipeline').find((r) => r.event === 'finish')!;
    expect(finish).toMatchObject({ key: 'pipelines-key', runId, outcome: 'succeeded', stages: ['quality'], tables: ['quality_report'] });
    // The quality stage counts the input's data rows: the 400 written, as read back from the file.
    expect(readCardCsv(input)).toHaveLength(400);
    expect(finish.rows).toBe(400);
    expect(finish.durationMs).toBeGreaterThan(0);
  });

  it('one per catalog change: create, repair, delete', async () => {
    const location = path.join(gw.home, 'audit_table');
    const created = await gw.app.inject({
      method: 'POST', url: '/tables', headers: bearer(TOKENS.catalog),
      payload: { name: 'audit_t', location, columns: [{ name: 'a', type: 'int' }], partitionKeys: [{ name: 'p', type: 'string' }] },
    });
    expect(created.statusCode).toBe(201);
    expect(last('catalog')).toMatchObject({ action: 'create', key: 'catalog-key', table: 'audit_t', status: 201, outcome: 'ok' });
    await gw.app.inject({ method: 'POST', url: '/tables/audit_t/repair', headers: bearer(TOKENS.catalog), payload: { dryRun: true } });
    expect(last('catalog')).toMatchObject({ action: 'repair', table: 'audit_t', added: 0, removed: 0, dryRun: true, outcome: 'ok' });
    await gw.app.inject({ method: 'DELETE', url: '/tables/audit_t', headers: bearer(TOKENS.admin) });
    expect(last('catalog')).toMatchObject({ action: 'delete', key: 'admin-key', table: 'audit_t', status: 204 });
    await gw.app.inject({ method: 'DELETE', url: '/tables/audit_t', headers: bearer(TOKENS.query) });
    expect(last('catalog')).toMatchObject({ action: 'delete', key: 'query-key', status: 403, outcome: 'FORBIDDEN' });
  });

  it('never logs a token, a literal value or a query string, anywhere in the log', async () => {
    await gw.app.inject({ method: 'GET', url: '/tables?probe=1', headers: bearer(TOKENS.admin) });
    const all = gw.lines.join('');
    for (const token of Object.values(TOKENS)) expect(all).not.toContain(token);
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain(NUMBER);
    expect(all).not.toContain('year=2987');
    // The request log is there, without headers or the query string.
    const incoming = gw.records().filter((r) => r.msg === 'incoming request');
    expect(incoming.length).toBeGreaterThan(5);
    expect(incoming.at(-1)!.req).toEqual({ method: 'GET', url: '/tables', route: '/tables', remoteAddress: '127.0.0.1' });
  });

  it('redacts an Authorization header should anything log one', () => {
    const before = gw.lines.length;
    gw.services.logger.info({ req: { headers: { authorization: `Bearer ${TOKENS.admin}` } }, headers: { authorization: 'x' } }, 'probe');
    gw.services.logger.info({ token: TOKENS.admin, authorization: TOKENS.admin }, 'probe');
    const written = gw.lines.slice(before).join('');
    expect(written).not.toContain(TOKENS.admin);
    expect(written).toContain('[redacted]');
  });
});
