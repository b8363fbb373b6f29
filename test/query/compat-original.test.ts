import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCardCsv } from '../../src/generator/card-generator.js';
import { distinct, groupBy, readCardCsv, sum, type CsvRow } from '../support/card-csv.js';
import { removeDir, startGateway, waitForRun, type TestGateway } from '../support/gateway.js';

// LAKEGATE_COMPAT=original: the views of database `original` present the original PySpark batch's
// tables and columns over lakegate's own. Expected values are computed here from the CSV's rows, the
// way the original's jobs computed them (approved rows only, per quarter of the target year, dense
// rank, growth rounded to 2 decimals), and compared with what /query answers through the views.
describe('compat views of the original project (LAKEGATE_COMPAT=original)', () => {
  let gw: TestGateway;
  let csv: string;
  let approved: CsvRow[];

  const query = async (sql: string, extra: Record<string, unknown> = {}): Promise<{ columns: string[]; rows: unknown[][] }> => {
    const res = await gw.app.inject({ method: 'POST', url: '/query', payload: { sql, maxRows: 100_000, ...extra } });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    return { columns: body.columns.map((c: { name: string }) => c.name), rows: body.rows };
  };
  /** Rows through the original's names: bare table names in database `original`. */
  const original = (sql: string, dialect = 'hive') => query(sql, { database: 'original', dialect });
  const num = (rows: unknown[][]): unknown[][] => rows.map((r) => r.map((v) => (typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v)));
  const round = (x: number, d: number): number => Math.round(x * 10 ** d) / 10 ** d;
  const LABEL: Record<string, string> = { Q1: 'Q1(1-3월)', Q2: 'Q2(4-6월)', Q3: 'Q3(7-9월)', Q4: 'Q4(10-12월)' };

  beforeAll(async () => {
    gw = await startGateway({ LAKEGATE_COMPAT: 'original' });
    csv = path.join(gw.home, 'cards.csv');
    await generateCardCsv({ records: 6_000, output: csv, seed: 7, year: 2024, customers: 400 });
    approved = readCardCsv(csv).filter((r) => r.approval_status === 'approved');
    const res = await gw.app.inject({ method: 'POST', url: '/pipelines/run', payload: { input: csv, year: 2024, stages: ['quality', 'etl', 'quarterly'] } });
    expect(res.statusCode, res.body).toBe(202);
    const run = await waitForRun(gw.app, res.json().runId);
    expect(run.status, run.error).toBe('succeeded');
  });
  afterAll(async () => {
    await gw?.close();
    if (gw) await removeDir(gw.home);
  });

  it('quarterly_merchant_top10 holds each quarter\'s top 10 merchants by revenue (dense rank), with unique customers', async () => {
    const expected: unknown[][] = [];
    for (const [quarter, rows] of [...groupBy(approved, (r) => r.quarter)].sort()) {
      const merchants = [...groupBy(rows, (r) => `${r.merchant}\u0000${r.category}`)].map(([key, rs]) => {
        const [merchant, category] = key.split('\u0000');
        return { merchant, category, n: rs.length, revenue: sum(rs.map((r) => r.amount)), customers: distinct(rs.map((r) => r.card_no)) };
      });
      const levels = [...new Set(merchants.map((m) => m.revenue))].sort((a, b) => b - a);
      for (const m of merchants) {
        const rank = levels.indexOf(m.revenue) + 1;
        if (rank <= 10) expected.push([Number(quarter.slice(1)), LABEL[quarter], m.merchant, m.category, m.n, m.revenue, m.customers, rank]);
      }
    }
    const got = await original(`SELECT txn_quarter, quarter_label, merchant, category, txn_count, total_revenue, unique_customers, rank
                                FROM quarterly_merchant_top10 WHERE txn_year = 2024 ORDER BY txn_quarter, rank, merchant`);
    const order = (rows: unknown[][]) => [...rows].sort((a, b) => Number(a[0]) - Number(b[0]) || Number(a[7]) - Number(b[7]) || String(a[2]).localeCompare(String(b[2])));
    expect(order(num(got.rows))).toEqual(order(expected));
    expect(expected.length).toBeGreaterThanOrEqual(40);
  });

  it('qoq_growth has the previous quarter and the growth in percent, rounded to 2 decimals', async () => {
    const quarters = [...groupBy(approved, (r) => r.quarter)].sort().map(([q, rs]) => ({ q, n: rs.length, amount: sum(rs.map((r) => r.amount)), cards: distinct(rs.map((r) => r.card_no)) }));
    const expected = quarters.map((x, i) => {
      const prev = quarters[i - 1];
      return [Number(x.q.slice(1)), LABEL[x.q], x.n, x.amount, x.cards, prev?.amount ?? null, prev?.n ?? null,
        prev ? round(((x.amount - prev.amount) / prev.amount) * 100, 2) : null, prev ? round(((x.n - prev.n) / prev.n) * 100, 2) : null];
    });
    const got = await original('SELECT txn_quarter, quarter_label, txn_count, total_amount, unique_cards, prev_amount, prev_count, amount_growth_rate, count_growth_rate FROM qoq_growth WHERE txn_year = 2024 ORDER BY txn_quarter');
    expect(num(got.rows)).toEqual(expected);
  });

  it('hourly_pattern labels hours with the original\'s Korean time slots and rounds the average to whole won', async () => {
    const slot = (h: number): string => (h >= 6 && h <= 11 ? '오전' : h >= 12 && h <= 17 ? '오후' : h >= 18 ? '저녁' : '심야');
    const expected = [...groupBy(approved, (r) => String(r.hour).padStart(2, '0') as string)].sort().map(([h, rs]) => {
      const total = sum(rs.map((r) => r.amount));
      return [Number(h), rs.length, total, Math.round(total / rs.length), distinct(rs.map((r) => r.card_no)), slot(Number(h))];
    });
    const got = await original('SELECT * FROM hourly_pattern ORDER BY txn_hour', 'trino');
    expect(got.columns).toEqual(['txn_hour', 'txn_count', 'total_amount', 'avg_amount', 'unique_cards', 'time_slot']);
    expect(num(got.rows)).toEqual(expected);
  });

  it('partitioned_transactions holds only the approved rows, with the CSV\'s text date and a Sunday-first day of week', async () => {
    const got = await original("SELECT count(*), min(transaction_date), max(txn_date) FROM partitioned_transactions");
    const days = approved.map((r) => r.transaction_date).sort();
    expect(num(got.rows)).toEqual([[approved.length, days[0], days.at(-1)!.slice(0, 10)]]);
    const sample = approved.slice(0, 20);
    const rows = await original(`SELECT transaction_id, transaction_date, txn_day_of_week FROM partitioned_transactions
                                 WHERE transaction_id IN (${sample.map((r) => `'${r.transaction_id}'`).join(', ')}) ORDER BY transaction_id`);
    const dow = (d: string): number => new Date(`${d.slice(0, 10)}T00:00:00Z`).getUTCDay() + 1;
    expect(num(rows.rows)).toEqual([...sample].sort((a, b) => a.transaction_id.localeCompare(b.transaction_id)).map((r) => [r.transaction_id, r.transaction_date, dow(r.transaction_date)]));
  });

  it('a query on the original\'s names returns the rows of the same query on lakegate\'s tables', async () => {
    const pairs: Array<[string, string]> = [
      ['SELECT txn_date, category, txn_count, total_amount FROM daily_category_summary WHERE txn_date <= \'2024-01-31\'',
        'SELECT CAST(txn_date AS STRING), category, transaction_count, total_amount FROM card_analytics.daily_category_summary WHERE txn_date <= DATE \'2024-01-31\''],
      ['SELECT merchant, txn_count, total_revenue, revenue_rank FROM merchant_ranking',
        'SELECT merchant, transaction_count, total_revenue, round(total_revenue / 10000, 1) FROM card_analytics.merchant_ranking'],
      ['SELECT region, category, txn_count, avg_amount FROM regional_analysis',
        'SELECT region, category, transaction_count, round(avg_amount, 0) FROM card_analytics.regional_analysis'],
      ['SELECT txn_month, txn_count, unique_merchants FROM monthly_trend', 'SELECT txn_month, transaction_count, unique_merchants FROM card_analytics.monthly_trend'],
      ['SELECT txn_quarter, category, txn_count FROM quarterly_category_summary', 'SELECT CAST(substr(quarter, 2) AS INT), category, transaction_count FROM card_analytics.quarterly_category_summary'],
      ['SELECT quarter_label, card_type, txn_count FROM quarterly_card_type', "SELECT concat(quarter, CASE quarter WHEN 'Q1' THEN '(1-3월)' WHEN 'Q2' THEN '(4-6월)' WHEN 'Q3' THEN '(7-9월)' ELSE '(10-12월)' END), card_type, transaction_count FROM card_analytics.quarterly_card_type"],
      ['SELECT txn_quarter, region, total_amount FROM quarterly_region', 'SELECT CAST(substr(quarter, 2) AS INT), region, total_amount FROM card_analytics.quarterly_region'],
      ['SELECT txn_quarter, installment_months, txn_count FROM quarterly_installment', 'SELECT CAST(substr(quarter, 2) AS INT), installment_months, transaction_count FROM card_analytics.quarterly_installment WHERE installment_months > 0'],
    ];
    const sorted = (rows: unknown[][]) => rows.map((r) => JSON.stringify(r)).sort();
    for (const [theirs, ours] of pairs) {
      const a = await original(theirs);
      const b = await query(ours);
      expect(a.rows.length, theirs).toBeGreaterThan(0);
      expect(sorted(a.rows), theirs).toEqual(sorted(b.rows));
    }
  });

  // The three analyses of the original's README, as it wrote them, corrected where they were wrong:
  // top 5 filtered on a window alias in its own SELECT; the hourly share summed a column its ETL never
  // wrote (transaction_count for txn_count); the regional trend joined two unrelated tables ON 1=1.
  it('runs the original\'s three sample queries, corrected, and they agree with the CSV and the canned analytics', async () => {
    const top5 = await original(`SELECT txn_date, category, total_amount, rn
      FROM (SELECT txn_date, category, total_amount,
                   ROW_NUMBER() OVER (PARTITION BY txn_date ORDER BY total_amount DESC, category) AS rn
            FROM daily_category_summary) ranked
      WHERE rn <= 5 AND txn_date BETWEEN '2024-03-01' AND '2024-03-07'
      ORDER BY txn_date, rn`);
    const canned = (await gw.app.inject({ method: 'GET', url: '/analytics/daily-top5?from=2024-03-01&to=2024-03-07' })).json();
    expect(num(top5.rows)).toEqual(num(canned.rows.map((r: unknown[]) => [r[0], r[2], r[3], r[1]])));
    const march = approved.filter((r) => r.day >= '2024-03-01' && r.day <= '2024-03-07');
    const truth: unknown[][] = [];
    for (const [day, rows] of [...groupBy(march, (r) => r.day)].sort()) {
      const byCategory = [...groupBy(rows, (r) => r.category)].map(([c, rs]) => [c, sum(rs.map((r) => r.amount))] as const);
      byCategory.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      byCategory.slice(0, 5).forEach(([c, total], i) => truth.push([day, c, total, i + 1]));
    }
    expect(num(top5.rows)).toEqual(truth);

    const share = await original(`SELECT time_slot,
             SUM(txn_count) AS total_txns,
             ROUND(SUM(txn_count) * 100.0 / SUM(SUM(txn_count)) OVER (), 2) AS pct
      FROM hourly_pattern
      GROUP BY time_slot
      ORDER BY time_slot`);
    const slots = [...groupBy(approved, (r) => (r.hour >= 6 && r.hour <= 11 ? '오전' : r.hour >= 12 && r.hour <= 17 ? '오후' : r.hour >= 18 ? '저녁' : '심야'))];
    expect(num(share.rows)).toEqual(slots.sort(([a], [b]) => (a < b ? -1 : 1)).map(([s, rs]) => [s, rs.length, round((rs.length * 100) / approved.length, 2)]));

    const trends = await original(`SELECT region, concat(CAST(txn_year AS STRING), '-', lpad(CAST(txn_month AS STRING), 2, '0')) AS month, SUM(amount) AS total_amount
      FROM partitioned_transactions
      GROUP BY region, txn_year, txn_month
      ORDER BY region, month`);
    const regional = (await gw.app.inject({ method: 'GET', url: '/analytics/regional-trends?year=2024' })).json();
    expect(num(trends.rows)).toEqual(num(regional.rows.map((r: unknown[]) => [r[0], r[1], r[2]])));
    expect(trends.rows.length).toBe(8 * 12);
  });

  it('prunes the partitions of a view\'s base table by the filters of the query around it', async () => {
    const res = await gw.app.inject({ method: 'POST', url: '/query/explain', payload: { sql: 'SELECT count(*) FROM partitioned_transactions WHERE txn_year = 2024 AND txn_month = 3', database: 'original' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().tables).toEqual([expect.objectContaining({ name: 'card_analytics.partitioned_transactions', partitions: expect.objectContaining({ total: 12, read: 1 }) })]);
  });

  it('takes the database only as a string (not a JSON false read as the name "false")', async () => {
    for (const url of ['/query', '/query/explain']) {
      const res = await gw.app.inject({ method: 'POST', url, payload: { sql: 'SELECT 1 AS a FROM qoq_growth', database: false } });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().code).toBe('VALIDATION_FAILED');
    }
    expect((await gw.app.inject({ method: 'POST', url: '/query', payload: { sql: 'SELECT * FROM qoq_growth', database: 'nowhere' } })).json().code).toBe('TABLE_NOT_FOUND');
  });

  it('without LAKEGATE_COMPAT there is no database original', async () => {
    const plain = await startGateway({}, path.join(gw.home, 'plain'));
    try {
      const res = await plain.app.inject({ method: 'POST', url: '/query', payload: { sql: 'SELECT * FROM original.qoq_growth' } });
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('TABLE_NOT_FOUND');
    } finally {
      await plain.close();
    }
  });
});
