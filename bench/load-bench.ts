/**
 * Load benchmark: C concurrent clients (default 50) send POST /query and GET /analytics/* to a real
 * gateway process on loopback for D seconds (default 30) while a pipeline run (default 1,000,000 rows,
 * all four stages) executes in the same gateway. Reports requests/s, p50/p99 latency, statuses (429
 * and 503 are the gateway shedding load, counted apart from errors) and the gateway's peak RSS
 * (VmHWM of its process).
 *
 *   npx tsx bench/load-bench.ts [--clients 50] [--duration 30] [--records 1000000] [--rate-limit 0]
 *
 * The tables the clients read come from a first, smaller run (100,000 rows) before the clock starts.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateCardCsv } from '../src/generator/card-generator.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '50' },
    duration: { type: 'string', default: '30' },
    records: { type: 'string', default: '1000000' },
    'rate-limit': { type: 'string', default: '0' },
  },
});
const clients = Number(values.clients);
const durationMs = Number(values.duration) * 1000;
const records = Number(values.records);
const TOKEN = 'bench_admin_0123456789abcdef';
const out = path.resolve('bench/out');
const home = path.join(out, 'load-home');

async function csv(rows: number): Promise<string> {
  const file = path.join(out, `card_${rows}.csv`);
  if (!existsSync(file)) await generateCardCsv({ records: rows, output: file, seed: 42 });
  return file;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
async function call(url: string, method = 'GET', body?: unknown): Promise<any> {
  const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return res.json();
}

async function waitRun(base: string, runId: string): Promise<any> {
  for (;;) {
    const run = await call(`${base}/pipelines/runs/${runId}`);
    if (run.status !== 'queued' && run.status !== 'running') return run;
    await new Promise((r) => setTimeout(r, 200));
  }
}

// ---- start a gateway process on loopback ----
await mkdir(out, { recursive: true });
const [setupCsv, loadCsv] = [await csv(100_000), await csv(records)];
await rm(home, { recursive: true, force: true });
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
  env: {
    ...process.env, PORT: String(port), HOST: '127.0.0.1', LAKEGATE_HOME: home, LAKEGATE_SAMPLE: 'off', LOG_LEVEL: 'warn',
    LAKEGATE_API_KEYS: `bench:${TOKEN}:admin`, LAKEGATE_RATE_LIMIT_PER_MINUTE: values['rate-limit'],
  },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const peakRssMb = (): number => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
for (let i = 0; ; i++) {
  if (await fetch(`${base}/readyz`).then((r) => r.ok, () => false)) break;
  if (i > 600) throw new Error('gateway did not start');
  await new Promise((r) => setTimeout(r, 100));
}

try {
  const setup = await call(`${base}/pipelines/run`, 'POST', { input: setupCsv });
  await waitRun(base, setup.runId);
  // The clients read the published tables while the measured run republishes them (atomic swaps).
  const queries: (() => Promise<Response>)[] = [
    () => fetch(`${base}/query`, { method: 'POST', headers, body: JSON.stringify({ sql: `SELECT category, count(*) AS n, sum(amount) AS total FROM partitioned_transactions WHERE txn_month = ${1 + Math.floor(Math.random() * 12)} GROUP BY category ORDER BY total DESC` }) }),
    () => fetch(`${base}/query`, { method: 'POST', headers, body: JSON.stringify({ sql: `SELECT merchant, sum(amount) AS total FROM partitioned_transactions WHERE region = '서울' AND amount > ${Math.floor(Math.random() * 100_000)} GROUP BY merchant ORDER BY total DESC LIMIT 10` }) }),
    () => fetch(`${base}/query`, { method: 'POST', headers, body: JSON.stringify({ sql: 'SELECT * FROM monthly_trend ORDER BY 1' }) }),
    () => fetch(`${base}/analytics/monthly-trend?year=2024`, { headers }),
    () => fetch(`${base}/analytics/merchant-top?n=${1 + Math.floor(Math.random() * 20)}`, { headers }),
  ];
  const run = await call(`${base}/pipelines/run`, 'POST', { input: loadCsv });
  const runDone = waitRun(base, run.runId);
  const latencies: number[] = [];
  const statuses = new Map<string, number>();
  const count = (k: string): void => void statuses.set(k, (statuses.get(k) ?? 0) + 1);
  const t0 = performance.now();
  const deadline = t0 + durationMs;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let i = c; performance.now() < deadline; i++) {
        const started = performance.now();
        try {
          const res = await queries[i % queries.length]!();
          await res.arrayBuffer();
          count(String(res.status));
        } catch {
          count('network');
        }
        latencies.push(performance.now() - started);
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  const finished = await runDone;

  latencies.sort((a, b) => a - b);
  const pct = (p: number): number => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
  const errors = [...statuses].filter(([s]) => s !== '200' && s !== '429' && s !== '503').reduce((n, [, v]) => n + v, 0);
  const stageTimes = (finished.stages as { name: string; startedAt: string | null; finishedAt: string | null }[])
    .map((s) => `${s.name} ${s.startedAt && s.finishedAt ? ((Date.parse(s.finishedAt) - Date.parse(s.startedAt)) / 1000).toFixed(1) : '-'} s`)
    .join(', ');
  console.log(`\nnpx tsx bench/load-bench.ts --clients ${clients} --duration ${durationMs / 1000} --records ${records} --rate-limit ${values['rate-limit']}`);
  console.log(`clients                 ${clients} for ${elapsed.toFixed(1)} s (POST /query x3 shapes, GET /analytics/* x2)`);
  console.log(`requests                ${latencies.length} (${(latencies.length / elapsed).toFixed(1)} req/s)`);
  console.log(`latency p50 / p99      ${pct(50).toFixed(1)} ms / ${pct(99).toFixed(1)} ms (max ${pct(100).toFixed(1)} ms)`);
  console.log(`statuses                ${[...statuses].map(([s, n]) => `${s}: ${n}`).join(', ')}`);
  console.log(`errors (not 429/503)    ${errors}`);
  console.log(`concurrent pipeline     ${finished.status} on ${records.toLocaleString('en')} rows (${stageTimes})`);
  console.log(`gateway peak RSS        ${peakRssMb().toFixed(0)} MB (VmHWM)`);
} finally {
  child.kill('SIGTERM');
}
