import { cp, mkdtemp, realpath } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardCsv } from '../../support/csv-fixtures.js';
import { removeDir, startGateway, waitForRun, type TestGateway } from '../../support/gateway.js';

/**
 * A gateway with an engine that keeps tables of its own (`managed`): after a pipeline run the engine
 * answers over the new tables exactly as the embedded engine does, GET /engines lists it, and a repair
 * that adds a partition is seen by the engine too. Returns the gateway for engine-specific tests.
 */
export function describeManagedEngineGateway(engine: 'trino' | 'hive', env: () => Promise<Record<string, string>>, expected: { version: RegExp }): { gateway: () => TestGateway } {
  let gw: TestGateway;
  let dir: string;
  const post = (url: string, body: unknown) => gw.app.inject({ method: 'POST', url, payload: body as object });
  const ask = async (on: string, sql: string) => {
    const res = await post('/query', { sql, engine: on });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().rows as unknown[][];
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), `lakegate-${engine}-gw-`));
    gw = await startGateway({ ...(await env()), LAKEGATE_QUERY_CACHE_ENTRIES: '0' });
    const input = await cardCsv(path.join(dir, 'cards.csv'), 3_000);
    const res = await post('/pipelines/run', { input });
    expect(res.statusCode, res.body).toBe(202);
    const run = await waitForRun(gw.app, res.json().runId, 300_000);
    expect(run.status, JSON.stringify(run)).toBe('succeeded');
    const etl = run.stages.find((s: { name: string }) => s.name === 'etl');
    expect(etl.engines, JSON.stringify(etl)).toEqual([expect.objectContaining({ engine, mode: 'managed', status: 'synced' })]);
  }, 600_000);
  afterAll(async () => {
    await gw?.close();
    if (dir) await removeDir(dir);
  });

  describe(`engine ${engine} through the gateway`, () => {
    it(`lists ${engine} in GET /engines with its version and managed tables`, async () => {
      const res = await gw.app.inject({ method: 'GET', url: '/engines' });
      expect(res.statusCode).toBe(200);
      const info = (res.json().engines as Array<{ name: string; version?: string }>).find((e) => e.name === engine);
      expect(info).toMatchObject({ name: engine, executes: true, reachable: true, tables: 'managed' });
      expect(info?.version).toMatch(expected.version);
    });

    it('answers over the tables the run published exactly as the embedded engine does', async () => {
      const sql =
        'SELECT region, count(*) AS n, sum(amount) AS total, max(transaction_id) AS last_id FROM card_analytics.partitioned_transactions GROUP BY region ORDER BY region';
      const duck = await ask('duckdb', sql);
      expect(duck.length).toBeGreaterThan(3);
      expect(await ask(engine, sql)).toEqual(duck);
      const daily = 'SELECT * FROM card_analytics.daily_category_summary ORDER BY 1, 2';
      expect(await ask(engine, daily)).toEqual(await ask('duckdb', daily));
    });

    it('sees a partition added by a repair', async () => {
      const table = await gw.app.inject({ method: 'GET', url: '/tables/partitioned_transactions' });
      const location = await realpath(table.json().location);
      const parts = (await gw.app.inject({ method: 'GET', url: '/tables/partitioned_transactions/partitions' })).json().partitions as Array<{ values: Record<string, string> }>;
      const first = parts[0]!.values;
      await cp(path.join(location, `txn_year=${first.txn_year}`, `txn_month=${first.txn_month}`), path.join(location, 'txn_year=2031', 'txn_month=1'), { recursive: true });
      const count = 'SELECT count(*) AS n FROM card_analytics.partitioned_transactions WHERE txn_year = 2031';
      const repair = await post('/tables/partitioned_transactions/repair', {});
      expect(repair.statusCode, repair.body).toBe(200);
      expect(repair.json().added).toEqual(['txn_year=2031/txn_month=1']);
      expect(repair.json().engines).toEqual([expect.objectContaining({ engine, status: 'synced' })]);
      const n = await ask('duckdb', count);
      expect(Number(n[0]![0])).toBeGreaterThan(0);
      expect(await ask(engine, count)).toEqual(n);
    });
  });
  return { gateway: () => gw };
}
