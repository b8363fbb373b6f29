/**
 * Query benchmarks: translation time per corpus query, /analytics/daily-top5 over 1,000,000 rows through
 * HTTP (uncached: a different date range each call; cached: the same one), and /query throughput with
 * 20 concurrent clients. The gateway listens on loopback in this process; the pipeline fills it first.
 *
 *   npx tsx bench/query-bench.ts [--records 1000000] [--seconds 10]
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { generateCardCsv } from '../src/generator/card-generator.js';
import { createServices } from '../src/services.js';
import { translate } from '../src/sql/index.js';

const { values } = parseArgs({ options: { records: { type: 'string', default: '1000000' }, seconds: { type: 'string', default: '10' } } });
const records = Number(values.records);
const seconds = Number(values.seconds);
const out = path.resolve('bench/out');
const csv = path.join(out, `card_${records}.csv`);
await mkdir(out, { recursive: true });
if (!existsSync(csv)) await generateCardCsv({ records, output: csv, seed: 42 });

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const fmt = (ms: number): string => `${ms.toFixed(3)} ms`;

// 1. Translation time per query of the Hive corpus, to DuckDB and to Athena.
const corpusDir = path.resolve('test/fixtures/hive-corpus');
const corpus = readdirSync(corpusDir).filter((f) => f.endsWith('.sql')).map((f) => readFileSync(path.join(corpusDir, f), 'utf8'));
const times: number[] = [];
for (let round = 0; round < 20; round++) {
  for (const sql of corpus) {
    for (const to of ['duckdb', 'athena'] as const) {
      const t0 = performance.now();
      try {
        translate({ sql, from: 'hive', to });
      } catch {
        /* a query refused for a target still costs its translation attempt */
      }
      if (round > 0) times.push(performance.now() - t0);
    }
  }
}
console.log(`translation: ${corpus.length} corpus queries x 2 targets x 19 rounds: p50 ${fmt(pct(times, 50))}, p99 ${fmt(pct(times, 99))}`);

// 2. A gateway over the pipeline's tables.
const home = path.join(out, 'query-home');
await rm(home, { recursive: true, force: true });
const services = await createServices(loadConfig({ LAKEGATE_HOME: home, LAKEGATE_SAMPLE: 'off', LOG_LEVEL: 'silent', LAKEGATE_RATE_LIMIT_PER_MINUTE: '0', LAKEGATE_MAX_EVENT_LOOP_DELAY_MS: '0' }), pino({ level: 'silent' }));
const { run } = await services.pipelines.submit({ input: csv, stages: ['quality', 'etl', 'quarterly'] });
const done = await services.pipelines.waitFor(run.runId);
if (done.status !== 'succeeded') throw new Error(`pipeline ${done.status}: ${done.error}`);
const app = await buildApp(services);
const base = await app.listen({ port: 0, host: '127.0.0.1' });

async function timed(url: string, init?: RequestInit): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(url, init);
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
  return performance.now() - t0;
}
const day = (i: number): string => new Date(Date.UTC(2024, 0, 1) + (i % 360) * 86_400_000).toISOString().slice(0, 10);
const uncached: number[] = [];
for (let i = 0; i < 200; i++) uncached.push(await timed(`${base}/analytics/daily-top5?from=${day(i)}&to=${day(i + 6)}`));
const cached: number[] = [];
for (let i = 0; i < 200; i++) cached.push(await timed(`${base}/analytics/daily-top5?from=2024-03-01&to=2024-03-07`));
console.log(`daily-top5 over ${records.toLocaleString('en')} rows via HTTP: uncached p50 ${fmt(pct(uncached, 50))} (p99 ${fmt(pct(uncached, 99))}), cached p50 ${fmt(pct(cached, 50))} (p99 ${fmt(pct(cached, 99))})`);

// 3. /query throughput, 20 concurrent clients, each query different (no cache hits).
const deadline = Date.now() + seconds * 1000;
const lat: number[] = [];
let errors = 0;
let n = 0;
await Promise.all(
  Array.from({ length: 20 }, async () => {
    while (Date.now() < deadline) {
      const month = (n++ % 12) + 1;
      const body = JSON.stringify({ sql: `SELECT category, count(*) AS n, sum(amount) AS s FROM card_analytics.partitioned_transactions WHERE txn_year = 2024 AND txn_month = ${month} AND amount > ${n % 1000} GROUP BY category` });
      try {
        lat.push(await timed(`${base}/query`, { method: 'POST', body, headers: { 'content-type': 'application/json' } }));
      } catch {
        errors++;
      }
    }
  }),
);
console.log(`/query, 20 concurrent clients for ${seconds} s: ${(lat.length / seconds).toFixed(1)} req/s, p50 ${fmt(pct(lat, 50))}, p99 ${fmt(pct(lat, 99))}, errors ${errors}`);
console.log(`\nreproduce: npx tsx bench/query-bench.ts --records ${records} --seconds ${seconds}`);
await app.close();
await services.close();
