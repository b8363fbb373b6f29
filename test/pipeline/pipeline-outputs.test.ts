import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCardCsv } from '../../src/generator/card-generator.js';
import { distinct, groupBy, readCardCsv, sum, type CsvRow } from '../support/card-csv.js';
import { removeDir, startGateway, waitForRun, type TestGateway } from '../support/gateway.js';
import { queryParquet, tableGlob } from '../support/parquet.js';

// Every output table against an independent computation on the CSV in plain TypeScript.
let gw: TestGateway;
let rows: CsvRow[];
let approved: CsvRow[];
let run: Record<string, any>;
let wh: string;

/** `SELECT <cols> [WHERE|GROUP BY|ORDER BY ...]` over a published table. */
const q = (table: string, select: string): Promise<Record<string, any>[]> => {
  const m = /\s(WHERE|GROUP BY|ORDER BY)\s/.exec(select);
  const [cols, tail] = m ? [select.slice(0, m.index), select.slice(m.index)] : [select, ''];
  return queryParquet(`SELECT ${cols} FROM ${tableGlob(wh, table)}${tail}`);
};
const near = (a: number, b: number): void => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(b)));

beforeAll(async () => {
  gw = await startGateway();
  wh = path.join(gw.home, 'warehouse');
  const input = path.join(gw.home, 'in.csv');
  await generateCardCsv({ records: 30_000, output: input, seed: 7, customers: 2_000 });
  rows = readCardCsv(input);
  approved = rows.filter((r) => r.approval_status === 'approved');
  const res = await gw.app.inject({ method: 'POST', url: '/pipelines/run', payload: { input, year: 2024 } });
  expect(res.statusCode).toBe(202);
  run = await waitForRun(gw.app, res.json().runId);
});
afterAll(async () => {
  await gw.close();
  await removeDir(gw.home);
});

describe('embedded pipeline outputs', () => {
  it('runs all four stages and passes quality', () => {
    expect(run.status).toBe('succeeded');
    expect(run.stages.map((s: any) => [s.name, s.status, s.attempts])).toEqual([
      ['quality', 'succeeded', 1], ['etl', 'succeeded', 1], ['quarterly', 'succeeded', 1], ['benchmark', 'succeeded', 1],
    ]);
    expect(run.quality.overall).toBe('PASS');
    expect(run.stages[1].rows).toBe(rows.length);
  });

  it('partitioned_transactions holds every row under txn_year=/txn_month= directories', async () => {
    const [t] = await q('partitioned_transactions', 'count(*) n, sum(amount) s, count(DISTINCT txn_year::VARCHAR || txn_month::VARCHAR) parts');
    expect(t).toEqual({ n: rows.length, s: sum(rows.map((r) => r.amount)), parts: distinct(rows.map((r) => `${r.year}-${r.month}`)) });
    const perStatus = await q('partitioned_transactions', "approval_status, count(*) n GROUP BY 1 ORDER BY 1");
    const expected = [...groupBy(rows, (r) => r.approval_status)].map(([k, g]) => ({ approval_status: k, n: g.length })).sort((a, b) => a.approval_status.localeCompare(b.approval_status));
    expect(perStatus).toEqual(expected);
    const [march] = await queryParquet(`SELECT count(*) n FROM read_parquet('${wh}/partitioned_transactions/txn_year=2024/txn_month=3/*.parquet')`);
    expect(march!.n).toBe(rows.filter((r) => r.month === 3).length);
  });

  it('daily_category_summary counts approved rows per day and category', async () => {
    const groups = groupBy(approved, (r) => `${r.day}|${r.category}`);
    const [t] = await q('daily_category_summary', 'count(*) n, sum(transaction_count) c, sum(total_amount) s, sum(unique_cards) u, max(max_amount) mx');
    expect(t).toEqual({
      n: groups.size, c: approved.length, s: sum(approved.map((r) => r.amount)),
      u: sum([...groups.values()].map((g) => distinct(g.map((r) => r.card_no)))), mx: Math.max(...approved.map((r) => r.amount)),
    });
  });

  it('merchant_ranking ranks merchants by approved revenue', async () => {
    const groups = [...groupBy(approved, (r) => r.merchant)].map(([m, g]) => ({ m, rev: sum(g.map((r) => r.amount)) })).sort((a, b) => b.rev - a.rev);
    const top = await q('merchant_ranking', 'merchant, total_revenue, revenue_rank ORDER BY revenue_rank, merchant LIMIT 3');
    expect(top.map((r) => [r.merchant, r.total_revenue, r.revenue_rank])).toEqual(groups.slice(0, 3).map((g, i) => [g.m, g.rev, i + 1]));
    const [t] = await q('merchant_ranking', 'count(*) n, sum(transaction_count) c');
    expect(t).toEqual({ n: groups.length, c: approved.length });
  });

  it('hourly_pattern has 24 hours with credit share and cancel rate', async () => {
    const h = await q('hourly_pattern', '* ORDER BY txn_hour');
    expect(h).toHaveLength(24);
    expect(sum(h.map((r) => r.transaction_count))).toBe(approved.length);
    const noon = rows.filter((r) => r.hour === 12);
    const noonOk = noon.filter((r) => r.approval_status === 'approved');
    expect(h[12]!.time_slot).toBe('afternoon');
    expect(h[3]!.time_slot).toBe('late_night');
    near(h[12]!.cancel_rate, (100 * noon.filter((r) => r.approval_status === 'cancelled').length) / noon.length);
    near(h[12]!.credit_ratio, (100 * noonOk.filter((r) => r.card_type === '신용').length) / noonOk.length);
  });

  it('regional_analysis gives each region its top category', async () => {
    const seoul = approved.filter((r) => r.region === '서울');
    const byCat = [...groupBy(seoul, (r) => r.category)].map(([c, g]) => ({ c, s: sum(g.map((r) => r.amount)) })).sort((a, b) => b.s - a.s);
    const rs = await q('regional_analysis', "* WHERE region = '서울'");
    expect(rs).toHaveLength(byCat.length);
    expect(new Set(rs.map((r) => r.top_category))).toEqual(new Set([byCat[0]!.c]));
    const [t] = await q('regional_analysis', 'sum(total_amount) s, sum(transaction_count) c');
    expect(t).toEqual({ s: sum(approved.map((r) => r.amount)), c: approved.length });
  });

  it('monthly_trend has month-over-month growth', async () => {
    const m = await q('monthly_trend', '* ORDER BY txn_year, txn_month');
    const byMonth = [...groupBy(approved, (r) => String(r.month).padStart(2, '0'))].sort(([a], [b]) => a.localeCompare(b)).map(([, g]) => sum(g.map((r) => r.amount)));
    expect(m.map((r) => r.total_amount)).toEqual(byMonth);
    expect(m[0]!.mom_growth_pct).toBeNull();
    near(m[1]!.mom_growth_pct, (100 * (byMonth[1]! - byMonth[0]!)) / byMonth[0]!);
  });

  it('quarterly tables cover the target year with quarter-over-quarter growth', async () => {
    const year = approved.filter((r) => r.year === 2024);
    const qs = [...groupBy(year, (r) => r.quarter)].sort(([a], [b]) => a.localeCompare(b)).map(([k, g]) => ({ quarter: k, s: sum(g.map((r) => r.amount)) }));
    const qt = await q('quarterly_summary', 'quarter, total_amount, qoq_growth_pct ORDER BY quarter');
    expect(qt.map((r) => [r.quarter, r.total_amount])).toEqual(qs.map((x) => [x.quarter, x.s]));
    near(qt[2]!.qoq_growth_pct, (100 * (qs[2]!.s - qs[1]!.s)) / qs[1]!.s);
    const food = [...groupBy(year.filter((r) => r.category === '식비'), (r) => r.quarter)].sort(([a], [b]) => a.localeCompare(b)).map(([, g]) => sum(g.map((r) => r.amount)));
    const qc = await q('quarterly_category_summary', "quarter, total_amount, qoq_growth_pct WHERE category = '식비' ORDER BY quarter");
    expect(qc.map((r) => r.total_amount)).toEqual(food);
    near(qc[1]!.qoq_growth_pct, (100 * (food[1]! - food[0]!)) / food[0]!);
    for (const [table, key] of [['quarterly_card_type', 'card_type'], ['quarterly_region', 'region'], ['quarterly_installment', 'installment_months']] as const) {
      const [t] = await q(table, 'count(*) n, sum(total_amount) s, sum(transaction_count) c');
      expect(t, table).toEqual({ n: groupBy(year, (r) => `${r.quarter}|${r[key]}`).size, s: sum(year.map((r) => r.amount)), c: year.length });
    }
    const firstPerQuarter = await q('quarterly_merchant_ranking', 'quarter, merchant, total_revenue WHERE revenue_rank = 1 ORDER BY quarter');
    const expectedTop = [...groupBy(year, (r) => r.quarter)].sort(([a], [b]) => a.localeCompare(b)).map(([k, g]) => {
      const best = [...groupBy(g, (r) => r.merchant)].map(([m, gg]) => ({ m, s: sum(gg.map((r) => r.amount)) })).sort((a, b) => b.s - a.s)[0]!;
      return { quarter: k, merchant: best.m, total_revenue: best.s };
    });
    expect(firstPerQuarter).toEqual(expectedTop);
  });

  it('quality_report and benchmark_report are tables too', async () => {
    // The domain facts' checks: a null check per source column, the value and domain rules, the declined
    // ratio. (The row-count checks are the run's, in its quality report: every engine writes the same table.)
    const sourceColumns = ['transaction_id', 'transaction_date', 'card_no', 'card_type', 'merchant', 'sub_category', 'category', 'amount', 'installment_months', 'approval_status', 'region'];
    const expectedChecks = [
      ...sourceColumns.map((c) => `null_${c}`),
      'duplicate_transaction_id', 'suspected_double_charge', 'invalid_amount', 'negative_amount', 'zero_amount', 'amount_over_limit',
      'invalid_installment_months', 'invalid_transaction_date', 'future_transaction_date', 'category_domain', 'card_type_domain',
      'approval_status_domain', 'region_domain', 'card_no_pattern', 'declined_ratio',
    ].sort();
    const qr = await q('quality_report', 'check_name, status, run_id ORDER BY check_name');
    expect(qr.map((r) => r.check_name)).toEqual(expectedChecks);
    // The generated data is clean: every check passes, and the rows belong to this run.
    expect(qr.filter((r) => r.status !== 'PASS' || r.run_id !== run.runId)).toEqual([]);
    const br = await q('benchmark_report', 'benchmark, variant, elapsed_ms');
    expect(new Set(br.map((r) => r.benchmark))).toEqual(new Set(['csv_vs_parquet', 'partitioning', 'caching', 'dimension_join', 'repartition']));
    expect(br.every((r) => r.elapsed_ms > 0)).toBe(true);
    expect(run.benchmark).toHaveLength(br.length);
  });

  it('writes exactly the declared schema with Snappy compression', async () => {
    const files = await queryParquet(`SELECT file FROM glob('${wh}/partitioned_transactions/**/*.parquet') LIMIT 1`);
    const schema = await queryParquet(`SELECT name, type, converted_type FROM parquet_schema('${files[0]!.file}') WHERE name <> 'duckdb_schema'`);
    expect(schema.map((c) => c.name)).toEqual(['transaction_id', 'transaction_ts', 'card_no', 'card_type', 'merchant', 'sub_category', 'category', 'amount', 'installment_months', 'approval_status', 'region', 'txn_date', 'txn_hour']);
    expect(schema.find((c) => c.name === 'amount')!.type).toBe('INT64');
    expect(schema.find((c) => c.name === 'transaction_ts')!.converted_type).toBe('TIMESTAMP_MICROS');
    const codecs = await queryParquet(`SELECT DISTINCT compression FROM parquet_metadata('${wh}/daily_category_summary/**/*.parquet')`);
    expect(codecs.map((c) => c.compression)).toEqual(['SNAPPY']);
  });
});
