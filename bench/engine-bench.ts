/**
 * The same query through the gateway (POST /query over HTTP, engine trino, result cache off) and
 * through the engine's own protocol directly (Trino's REST client), p50 and p99 over `--rounds` runs
 * each, interleaved. Starts a Trino 476 of its own (scripts/setup-trino.sh installs it), runs the
 * pipeline on `--rows` generated rows so the gateway creates its tables there, then measures.
 *
 *   npx tsx bench/engine-bench.ts [--rows 200000] [--rounds 30]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { TrinoQueryEngine } from '../src/engines/trino/trino-engine.js';
import { cardCsv } from '../test/support/csv-fixtures.js';
import { startGateway, waitForRun } from '../test/support/gateway.js';
import { runTrino, stopTrino, trinoEndpoint } from '../test/support/trino-server.js';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '200000' }, rounds: { type: 'string', default: '30' } } });
const rounds = Number(values.rounds);
const QUERY = 'SELECT region, category, count(*) AS n, sum(amount) AS total FROM card_analytics.partitioned_transactions WHERE txn_month = 3 GROUP BY region, category ORDER BY region, category';
const DIRECT = QUERY.replace('card_analytics.partitioned_transactions', 'hive.bench.partitioned_transactions');

const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const fmt = (ms: number): string => `${ms.toFixed(1)} ms`;

const dir = await mkdtemp(path.join(os.tmpdir(), 'lakegate-engine-bench-'));
const state = { dir: path.join(dir, 'trino'), ownerPid: process.pid };
await import('node:fs/promises').then((fs) => fs.mkdir(state.dir));
try {
  const endpoint = await trinoEndpoint(state);
  const gw = await startGateway({ LAKEGATE_TRINO_URL: endpoint, LAKEGATE_TRINO_TIMESTAMP_PRECISION: '6', LAKEGATE_TRINO_SCHEMA: 'bench', LAKEGATE_QUERY_CACHE_ENTRIES: '0' }, path.join(dir, 'home'));
  try {
    const input = await cardCsv(path.join(dir, 'cards.csv'), Number(values.rows));
    const submitted = await gw.app.inject({ method: 'POST', url: '/pipelines/run', payload: { input, stages: ['quality', 'etl'] } });
    const run = await waitForRun(gw.app, submitted.json().runId, 600_000);
    if (run.status !== 'succeeded') throw new Error(`pipeline run ${run.status}: ${run.error}`);
    const address = await gw.app.listen({ port: 0, host: '127.0.0.1' });
    const viaGateway = async (): Promise<number> => {
      const t = performance.now();
      const res = await fetch(`${address}/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sql: QUERY, engine: 'trino' }) });
      if (res.status !== 200) throw new Error(`gateway answered ${res.status}: ${await res.text()}`);
      await res.json();
      return performance.now() - t;
    };
    const direct = async (): Promise<number> => {
      const t = performance.now();
      await runTrino(endpoint, DIRECT);
      return performance.now() - t;
    };
    const engine = new TrinoQueryEngine(loadConfig({ LAKEGATE_TRINO_URL: endpoint, LAKEGATE_TRINO_TIMESTAMP_PRECISION: '6', LAKEGATE_TRINO_SCHEMA: 'bench' }).trino!);
    const viaEngine = async (): Promise<number> => {
      const t = performance.now();
      const stream = await engine.execute(DIRECT, { signal: AbortSignal.timeout(60_000), maxRows: 10_000 });
      for await (const _ of stream.batches);
      return performance.now() - t;
    };
    for (let i = 0; i < 3; i++) for (const f of [viaGateway, direct, viaEngine]) await f();
    const g: number[] = [];
    const d: number[] = [];
    const e: number[] = [];
    for (let i = 0; i < rounds; i++) {
      g.push(await viaGateway());
      d.push(await direct());
      e.push(await viaEngine());
    }
    await engine.close();
    console.log(`rows ${values.rows}, ${rounds} rounds, query: ${QUERY}`);
    console.log(`gateway (POST /query, engine trino): p50 ${fmt(pct(g, 50))}, p99 ${fmt(pct(g, 99))}`);
    console.log(`Trino REST client directly:          p50 ${fmt(pct(d, 50))}, p99 ${fmt(pct(d, 99))}`);
    console.log(`the gateway's Trino engine alone:    p50 ${fmt(pct(e, 50))}, p99 ${fmt(pct(e, 99))}`);
    console.log(`gateway overhead at p50: ${fmt(pct(g, 50) - pct(d, 50))}`);
  } finally {
    await gw.close();
  }
} finally {
  await stopTrino(state);
  await rm(dir, { recursive: true, force: true });
}
