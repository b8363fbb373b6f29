import { mkdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCardCsv } from '../../src/generator/card-generator.js';
import { readCardCsv } from '../support/card-csv.js';
import { removeDir, startGateway, waitForRun, type TestGateway } from '../support/gateway.js';

// The quarterly tables hold one partition per year: a run replaces its own year and keeps the others,
// so that runs for 2023 and then 2024 leave both years queryable (the original wrote a folder per year).
describe('quarterly tables across years', () => {
  let gw: TestGateway;
  const input: Record<number, string> = {};

  /** Approved transactions per quarter of a CSV, counted here from its rows. */
  const perQuarter = (file: string): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const r of readCardCsv(file)) if (r.approval_status === 'approved') out[r.quarter] = (out[r.quarter] ?? 0) + 1;
    return out;
  };
  const perQuarterTotal = (file: string): number => Object.values(perQuarter(file)).reduce((a, b) => a + b, 0);
  const query = async (sql: string): Promise<unknown[][]> => {
    const res = await gw.app.inject({ method: 'POST', url: '/query', payload: { sql } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().rows;
  };
  const run = async (year: number, file: string): Promise<Record<string, any>> => {
    const res = await gw.app.inject({ method: 'POST', url: '/pipelines/run', payload: { input: file, year, stages: ['quality', 'etl', 'quarterly'] } });
    expect(res.statusCode, res.body).toBe(202);
    return waitForRun(gw.app, res.json().runId);
  };
  const counts = (rows: unknown[][]): Record<string, Record<string, number>> => {
    const out: Record<string, Record<string, number>> = {};
    for (const [y, q, n] of rows) (out[String(y)] ??= {})[String(q)] = Number(n);
    return out;
  };

  beforeAll(async () => {
    gw = await startGateway();
    for (const year of [2023, 2024]) {
      input[year] = path.join(gw.home, `card-${year}.csv`);
      await generateCardCsv({ records: 3_000, output: input[year]!, seed: year, year, customers: 300 });
    }
  });
  afterAll(async () => {
    await gw?.close();
    if (gw) await removeDir(gw.home);
  });

  it('keeps 2023 when 2024 runs, both queryable', async () => {
    for (const year of [2023, 2024]) {
      const done = await run(year, input[year]!);
      expect(done.status, done.error).toBe('succeeded');
    }
    const rows = await query('SELECT txn_year, quarter, transaction_count FROM quarterly_summary ORDER BY txn_year, quarter');
    expect(counts(rows)).toEqual({ 2023: perQuarter(input[2023]!), 2024: perQuarter(input[2024]!) });
    // Every quarterly table holds both years.
    for (const t of ['quarterly_category_summary', 'quarterly_merchant_ranking', 'quarterly_card_type', 'quarterly_region', 'quarterly_installment']) {
      expect(await query(`SELECT DISTINCT txn_year FROM ${t} ORDER BY 1`), t).toEqual([[2023], [2024]]);
    }
    const parts = (await gw.app.inject({ method: 'GET', url: '/tables/quarterly_summary/partitions' })).json().partitions;
    expect(parts.map((p: { values: Record<string, string> }) => p.values.txn_year)).toEqual(['2023', '2024']);
  });

  it('replaces only its own year when a year runs again', async () => {
    const before = await query('SELECT quarter, transaction_count, total_amount FROM quarterly_summary WHERE txn_year = 2023 ORDER BY quarter');
    const smaller = path.join(gw.home, 'card-2024-small.csv');
    await generateCardCsv({ records: 1_000, output: smaller, seed: 7, year: 2024, customers: 100 });
    const done = await run(2024, smaller);
    expect(done.status, done.error).toBe('succeeded');
    const logs = (await gw.app.inject({ method: 'GET', url: `/pipelines/runs/${done.runId}/logs` })).body;
    expect(logs).toMatch(/\[quarterly\] quarterly_summary: kept txn_year=2023 from run_/);
    expect(await query('SELECT quarter, transaction_count, total_amount FROM quarterly_summary WHERE txn_year = 2023 ORDER BY quarter')).toEqual(before);
    const rows = await query('SELECT txn_year, quarter, transaction_count FROM quarterly_summary WHERE txn_year = 2024 ORDER BY quarter');
    expect(counts(rows)).toEqual({ 2024: perQuarter(smaller) });
  });

  it('keeps a year written before the table gained a column, which reads NULL there, every query of the table still reading', async () => {
    // A 2022 partition as a version published before quarterly_merchant_ranking had unique_customers.
    const live = await realpath(path.join(gw.home, 'warehouse', 'quarterly_merchant_ranking'));
    await mkdir(path.join(live, 'txn_year=2022'));
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    await conn.run(`COPY (SELECT 'Q1' AS quarter, 'GS25' AS merchant, '식비' AS category, 7::BIGINT AS transaction_count, 100::BIGINT AS total_revenue, 1 AS revenue_rank)
                    TO '${path.join(live, 'txn_year=2022', 'old.parquet')}' (FORMAT parquet)`);
    conn.closeSync();
    db.closeSync();
    const done = await run(2024, input[2024]!);
    expect(done.status, done.error).toBe('succeeded');
    const logs = (await gw.app.inject({ method: 'GET', url: `/pipelines/runs/${done.runId}/logs` })).body;
    expect(logs).toMatch(/quarterly_merchant_ranking: kept txn_year=2022, txn_year=2023 from run_/);
    expect(await query('SELECT txn_year, sum(transaction_count), count(unique_customers) > 0 FROM quarterly_merchant_ranking GROUP BY txn_year ORDER BY 1')).toEqual([
      [2022, 7, false],
      [2023, perQuarterTotal(input[2023]!), true],
      [2024, perQuarterTotal(input[2024]!), true],
    ]);
    expect(await query("SELECT merchant, unique_customers FROM quarterly_merchant_ranking WHERE txn_year = 2022")).toEqual([['GS25', null]]);
  });

  it('replaces its year even with no rows for it (allowEmpty): the old year is not carried over', async () => {
    const res = await gw.app.inject({ method: 'POST', url: '/pipelines/run', payload: { input: input[2024], year: 2023, stages: ['quality', 'etl', 'quarterly'], allowEmpty: true } });
    const done = await waitForRun(gw.app, res.json().runId);
    expect(done.status, done.error).toBe('succeeded');
    expect(await query('SELECT DISTINCT txn_year FROM quarterly_summary ORDER BY 1')).toEqual([[2024]]);
  });
});
