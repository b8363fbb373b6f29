import { DuckDBInstance } from '@duckdb/node-api';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';

/**
 * A small, deterministic card-transaction dataset following the domain facts (categories, merchants,
 * amounts, hours, regions, statuses), written as Parquet with DuckDB: partitioned_transactions in
 * Hive-style txn_year=/txn_month= directories, plus summary tables computed from it.
 */

const CATEGORIES: Array<{ name: string; weight: number; min: number; max: number; merchants: Array<[string, string]> }> = [
  { name: '식비', weight: 35, min: 1500, max: 80000, merchants: [['GS25', '편의점'], ['CU', '편의점'], ['스타벅스', '카페'], ['이디야커피', '카페'], ['맥도날드', '패스트푸드'], ['배달의민족', '배달'], ['김밥천국', '식당']] },
  { name: '교통', weight: 15, min: 1250, max: 150000, merchants: [['카카오택시', '택시'], ['서울교통공사', '지하철'], ['GS칼텍스', '주유'], ['SK에너지', '주유'], ['티머니', '대중교통']] },
  { name: '쇼핑', weight: 25, min: 3000, max: 500000, merchants: [['쿠팡', '온라인'], ['11번가', '온라인'], ['이마트', '대형마트'], ['다이소', '생활용품'], ['올리브영', '뷰티'], ['무신사', '패션']] },
  { name: '문화', weight: 8, min: 5000, max: 50000, merchants: [['CGV', '영화'], ['교보문고', '서적'], ['멜론', '음악'], ['넷플릭스', 'OTT']] },
  { name: '의료', weight: 5, min: 5000, max: 300000, merchants: [['서울대병원', '종합병원'], ['연세의원', '의원'], ['온누리약국', '약국']] },
  { name: '교육', weight: 5, min: 10000, max: 500000, merchants: [['메가스터디', '학원'], ['인프런', '온라인강의']] },
  { name: '통신', weight: 4, min: 10000, max: 100000, merchants: [['SKT', '통신비'], ['KT', '통신비'], ['LGU+', '통신비']] },
  { name: '보험', weight: 3, min: 30000, max: 300000, merchants: [['삼성화재', '보험료'], ['현대해상', '보험료']] },
];
const REGIONS: Array<[string, number]> = [['서울', 35], ['경기', 25], ['인천', 10], ['부산', 8], ['대구', 6], ['대전', 5], ['광주', 4], ['제주', 2]];
const STATUSES: Array<[string, number]> = [['approved', 95], ['declined', 3], ['cancelled', 2]];
const HOUR_WEIGHTS = [2, 1, 1, 1, 1, 1, 3, 5, 8, 7, 6, 8, 15, 12, 8, 7, 6, 8, 12, 15, 12, 10, 8, 5];
const INSTALLMENTS = [0, 0, 0, 0, 0, 0, 2, 3, 6, 12];

/** mulberry32: a tiny seeded PRNG, so the dataset is the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function weighted<T>(rand: () => number, items: Array<[T, number]>): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let x = rand() * total;
  for (const [item, w] of items) {
    x -= w;
    if (x < 0) return item;
  }
  return items[items.length - 1]![0];
}

function normal(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

export interface CardRow {
  transaction_id: string;
  transaction_ts: string;
  card_no: string;
  card_type: string;
  merchant: string;
  sub_category: string | null;
  category: string;
  amount: number;
  installment_months: number;
  approval_status: string;
  region: string;
}

export function generateTransactions(count: number, seed = 42): CardRow[] {
  const rand = prng(seed);
  const customers = Array.from({ length: 200 }, (_, i) => ({
    card_no: `****-****-****-${pad(1000 + ((i * 7919) % 9000), 4)}`,
    card_type: rand() < 0.6 ? '신용' : '체크',
  }));
  const start = Date.UTC(2024, 0, 1);
  const rows: CardRow[] = [];
  for (let i = 1; i <= count; i++) {
    const customer = customers[Math.floor(rand() * customers.length)]!;
    const category = weighted(rand, CATEGORIES.map((c) => [c, c.weight] as [typeof c, number]));
    const [merchant, sub] = category.merchants[Math.floor(rand() * category.merchants.length)]!;
    const mean = (category.min + category.max) / 3;
    const std = (category.max - category.min) / 4;
    const amount = Math.round(Math.min(category.max, Math.max(category.min, mean + std * normal(rand))) / 100) * 100;
    const day = new Date(start + Math.floor(rand() * 366) * 86_400_000);
    const hour = weighted(rand, HOUR_WEIGHTS.map((w, h) => [h, w] as [number, number]));
    const ts = `${day.getUTCFullYear()}-${pad(day.getUTCMonth() + 1)}-${pad(day.getUTCDate())} ${pad(hour)}:${pad(Math.floor(rand() * 60))}:${pad(Math.floor(rand() * 60))}`;
    const installment = customer.card_type === '신용' && amount >= 50_000 ? INSTALLMENTS[Math.floor(rand() * INSTALLMENTS.length)]! : 0;
    rows.push({
      transaction_id: `TXN${pad(i, 10)}`,
      transaction_ts: ts,
      card_no: customer.card_no,
      card_type: customer.card_type,
      merchant,
      sub_category: rand() < 0.02 ? null : sub,
      category: category.name,
      amount,
      installment_months: installment,
      approval_status: weighted(rand, STATUSES),
      region: weighted(rand, REGIONS),
    });
  }
  return rows;
}

const sqlString = (v: string | null): string => (v === null ? 'NULL' : `'${v.replace(/'/g, "''")}'`);

/** The summary tables, computed from the transactions exactly as their DDL comments describe. */
const SUMMARIES: Record<string, string> = {
  daily_category_summary: `
    SELECT txn_date, category, count(*)::BIGINT AS transaction_count, count(DISTINCT card_no)::BIGINT AS unique_cards,
           sum(amount)::BIGINT AS total_amount, avg(amount)::DOUBLE AS avg_amount, max(amount)::BIGINT AS max_amount,
           min(amount)::BIGINT AS min_amount
    FROM tx WHERE approval_status = 'approved' GROUP BY txn_date, category`,
  monthly_trend: `
    SELECT txn_year, txn_month, transaction_count, total_amount, avg_amount, unique_cards, unique_merchants,
           round((total_amount - lag(total_amount) OVER (ORDER BY txn_year, txn_month)) * 100.0
                 / lag(total_amount) OVER (ORDER BY txn_year, txn_month), 2)::DOUBLE AS mom_growth_pct
    FROM (SELECT txn_year, txn_month, count(*)::BIGINT AS transaction_count, sum(amount)::BIGINT AS total_amount,
                 avg(amount)::DOUBLE AS avg_amount, count(DISTINCT card_no)::BIGINT AS unique_cards,
                 count(DISTINCT merchant)::BIGINT AS unique_merchants
          FROM tx WHERE approval_status = 'approved' GROUP BY txn_year, txn_month)`,
  hourly_pattern: `
    SELECT txn_hour,
           CASE WHEN txn_hour BETWEEN 6 AND 11 THEN 'morning' WHEN txn_hour BETWEEN 12 AND 17 THEN 'afternoon'
                WHEN txn_hour BETWEEN 18 AND 23 THEN 'evening' ELSE 'late_night' END AS time_slot,
           count(*) FILTER (WHERE approval_status = 'approved')::BIGINT AS transaction_count,
           coalesce(sum(amount) FILTER (WHERE approval_status = 'approved'), 0)::BIGINT AS total_amount,
           avg(amount) FILTER (WHERE approval_status = 'approved')::DOUBLE AS avg_amount,
           count(DISTINCT card_no) FILTER (WHERE approval_status = 'approved')::BIGINT AS unique_cards,
           (100.0 * count(*) FILTER (WHERE approval_status = 'approved' AND card_type = '신용')
              / count(*) FILTER (WHERE approval_status = 'approved'))::DOUBLE AS credit_ratio,
           (100.0 * count(*) FILTER (WHERE approval_status = 'cancelled') / count(*))::DOUBLE AS cancel_rate
    FROM tx GROUP BY txn_hour`,
};

/** Writes the dataset under `dir`; returns table name -> Parquet directory. */
export async function writeCardDataset(dir: string, rows: CardRow[]): Promise<Record<string, string>> {
  const instance = await DuckDBInstance.create(':memory:');
  const con = await instance.connect();
  try {
    await con.run(`CREATE TABLE raw (transaction_id VARCHAR, transaction_ts TIMESTAMP, card_no VARCHAR, card_type VARCHAR,
      merchant VARCHAR, sub_category VARCHAR, category VARCHAR, amount BIGINT, installment_months INTEGER,
      approval_status VARCHAR, region VARCHAR)`);
    for (let i = 0; i < rows.length; i += 500) {
      const values = rows.slice(i, i + 500).map((r) =>
        `(${[r.transaction_id, r.transaction_ts, r.card_no, r.card_type, r.merchant, r.sub_category, r.category].map(sqlString).join(', ')}, ${r.amount}, ${r.installment_months}, ${sqlString(r.approval_status)}, ${sqlString(r.region)})`,
      );
      await con.run(`INSERT INTO raw VALUES ${values.join(', ')}`);
    }
    await con.run(`CREATE TABLE tx AS SELECT *, CAST(transaction_ts AS DATE) AS txn_date, CAST(hour(transaction_ts) AS INTEGER) AS txn_hour,
      CAST(year(transaction_ts) AS INTEGER) AS txn_year, CAST(month(transaction_ts) AS INTEGER) AS txn_month FROM raw`);
    const tables: Record<string, string> = {};
    const ptDir = path.join(dir, 'partitioned_transactions');
    await con.run(`COPY (SELECT * FROM tx ORDER BY transaction_id) TO '${ptDir}' (FORMAT PARQUET, PARTITION_BY (txn_year, txn_month), COMPRESSION SNAPPY)`);
    tables.partitioned_transactions = ptDir;
    for (const [name, sql] of Object.entries(SUMMARIES)) {
      const tableDir = path.join(dir, name);
      await mkdir(tableDir, { recursive: true });
      await con.run(`COPY (${sql}) TO '${path.join(tableDir, 'part-0.parquet')}' (FORMAT PARQUET, COMPRESSION SNAPPY)`);
      tables[name] = tableDir;
    }
    return tables;
  } finally {
    con.closeSync();
    instance.closeSync();
  }
}
