import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardCsv } from '../support/csv-fixtures.js';
import { startGateway, removeDir, type TestGateway } from '../support/gateway.js';
import { apiKeysEnv, bearer, TOKENS } from '../auth/keys.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startGateway({ LAKEGATE_API_KEYS: apiKeysEnv() });
});
afterAll(async () => {
  await gw.close();
  await removeDir(gw.home);
});

/** Samples of the Prometheus text: `name{a="b",...}` -> value. */
async function scrape(): Promise<Map<string, number>> {
  const res = await gw.app.inject({ method: 'GET', url: '/metrics', headers: bearer(TOKENS.admin) });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toContain('text/plain');
  const samples = new Map<string, number>();
  for (const line of res.body.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    samples.set(line.slice(0, cut), Number(line.slice(cut + 1)));
  }
  return samples;
}

describe('GET /metrics after traffic', () => {
  it('has request durations by route and status, query durations by engine, cache hits, queue depth and DuckDB memory', async () => {
    const sql = 'SELECT count(*) AS n FROM monthly_trend';
    for (let i = 0; i < 3; i++) await gw.app.inject({ method: 'POST', url: '/query', headers: bearer(TOKENS.query), payload: { sql } });
    await gw.app.inject({ method: 'GET', url: '/tables/nope_table', headers: bearer(TOKENS.query) });
    await gw.app.inject({ method: 'GET', url: '/tables', headers: bearer(TOKENS.pipelines) });
    const m = await scrape();
    expect(m.get('lakegate_http_request_duration_seconds_count{method="POST",route="/query",status="200"}')).toBe(3);
    expect(m.get('lakegate_http_request_duration_seconds_count{method="GET",route="/tables/:name",status="404"}')).toBe(1);
    expect(m.get('lakegate_http_request_duration_seconds_count{method="GET",route="/tables",status="403"}')).toBe(1);
    expect(m.get('lakegate_query_duration_seconds_count{engine="duckdb",outcome="ok"}')).toBe(3);
    expect(m.get('lakegate_query_cache_total{result="miss"}')).toBe(1);
    expect(m.get('lakegate_query_cache_total{result="hit"}')).toBe(2);
    expect(m.get('lakegate_query_queue_depth')).toBe(0);
    const duck = [...m.keys()].filter((k) => k.startsWith('lakegate_engine_memory_bytes{engine="duckdb"'));
    expect(duck.length).toBeGreaterThan(5);
    expect(m.get('process_resident_memory_bytes')).toBeGreaterThan(10_000_000);
  });

  it('counts failed queries by outcome', async () => {
    await gw.app.inject({ method: 'POST', url: '/query', headers: bearer(TOKENS.query), payload: { sql: 'SELECT no_such_column FROM monthly_trend' } });
    const m = await scrape();
    expect(m.get('lakegate_query_duration_seconds_count{engine="duckdb",outcome="error"}')).toBe(1);
  });

  it('has pipeline stage durations and outcomes once a run finished', async () => {
    const input = await cardCsv(path.join(gw.home, 'm.csv'), 300);
    const res = await gw.app.inject({ method: 'POST', url: '/pipelines/run', headers: bearer(TOKENS.pipelines), payload: { input, stages: ['quality', 'etl'] } });
    await gw.services.pipelines.waitFor(res.json().runId);
    const m = await scrape();
    expect(m.get('lakegate_pipeline_stage_duration_seconds_count{stage="quality",outcome="succeeded"}')).toBe(1);
    expect(m.get('lakegate_pipeline_stage_duration_seconds_count{stage="etl",outcome="succeeded"}')).toBe(1);
    expect(m.get('lakegate_pipeline_stage_duration_seconds_sum{stage="etl",outcome="succeeded"}')).toBeGreaterThan(0);
    expect(m.get('lakegate_pipeline_runs_total{engine="local",status="succeeded"}')).toBe(1);
  });
});
