/**
 * The same query through the gateway (POST /query over HTTP, result cache off), through the gateway's
 * engine alone (its client layer, in process), and through the engine's own protocol directly:
 * - `--engine trino`: a Trino 476 of its own (scripts/setup-trino.sh installs it); direct = Trino's REST
 *   protocol (POST /v1/statement, follow nextUri) with a plain fetch client;
 * - `--engine hive`: a Spark Thrift Server from the venv's pyspark; direct = hive-driver used as its
 *   README shows (open a session, executeStatement, fetch all, close the operation).
 * Runs the pipeline on `--rows` generated rows first so the gateway creates its tables there, then
 * `--rounds` runs of each path, interleaved; prints p50 and p99.
 *
 *   npx tsx bench/engine-bench.ts [--engine trino|hive] [--rows 200000] [--rounds 30]
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import hive from 'hive-driver';
import { loadConfig } from '../src/config.js';
import type { QueryEngine } from '../src/engines/engine.js';
import { createHiveServer2Engine } from '../src/engines/hiveserver2/index.js';
import { TrinoQueryEngine } from '../src/engines/trino/trino-engine.js';
import { cardCsv } from '../test/support/csv-fixtures.js';
import { startGateway, waitForRun } from '../test/support/gateway.js';
import { stopThriftServer, thriftServerPort } from '../test/support/thrift-server.js';
import { runTrino, stopTrino, trinoEndpoint } from '../test/support/trino-server.js';

const { values } = parseArgs({ options: { engine: { type: 'string', default: 'trino' }, rows: { type: 'string', default: '200000' }, rounds: { type: 'string', default: '30' } } });
const rounds = Number(values.rounds);
const which = values.engine === 'hive' ? 'hive' : 'trino';
const QUERY = 'SELECT region, category, count(*) AS n, sum(amount) AS total FROM card_analytics.partitioned_transactions WHERE txn_month = 3 GROUP BY region, category ORDER BY region, category';

const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const fmt = (ms: number): string => `${ms.toFixed(1)} ms`;
const timed = async (f: () => Promise<unknown>): Promise<number> => {
  const t = performance.now();
  await f();
  return performance.now() - t;
};

interface Peer {
  env: Record<string, string>;
  engine: () => QueryEngine;
  /** The query in the engine's dialect against the engine's own table names. */
  sql: string;
  direct: () => Promise<unknown>;
  close: () => Promise<void>;
}

async function trinoPeer(dir: string): Promise<Peer> {
  const state = { dir: path.join(dir, 'trino'), ownerPid: process.pid };
  await mkdir(state.dir);
  const endpoint = await trinoEndpoint(state);
  // The test server's hive catalog reads microseconds (hive.timestamp-precision=MICROSECONDS).
  const env = { LAKEGATE_TRINO_URL: endpoint, LAKEGATE_TRINO_SCHEMA: 'bench', LAKEGATE_TRINO_TIMESTAMP_PRECISION: '6' };
  const sql = QUERY.replace('card_analytics.partitioned_transactions', 'hive.bench.partitioned_transactions');
  return { env, sql, engine: () => new TrinoQueryEngine(loadConfig(env).trino!), direct: () => runTrino(endpoint, sql), close: () => stopTrino(state) };
}

async function hivePeer(dir: string): Promise<Peer> {
  const state = { dir: path.join(dir, 'thrift'), ownerPid: process.pid };
  await mkdir(state.dir);
  const port = await thriftServerPort(state);
  const env = { LAKEGATE_HIVE_HOST: '127.0.0.1', LAKEGATE_HIVE_PORT: String(port), LAKEGATE_HIVE_DATABASE: 'bench' };
  const sql = QUERY.replace('card_analytics.partitioned_transactions', 'bench.partitioned_transactions');
  const client = new hive.HiveClient(hive.thrift.TCLIService, hive.thrift.TCLIService_types);
  await client.connect({ host: '127.0.0.1', port }, new hive.connections.TcpConnection(), new hive.auth.PlainTcpAuthentication({ username: 'bench', password: 'x' }));
  const session = await client.openSession({ client_protocol: hive.thrift.TCLIService_types.TProtocolVersion.HIVE_CLI_SERVICE_PROTOCOL_V10 });
  const utils = new hive.HiveUtils(hive.thrift.TCLIService_types);
  const direct = async (): Promise<unknown> => {
    const op = await session.executeStatement(sql, { runAsync: true });
    await utils.waitUntilReady(op, false, () => undefined);
    await utils.fetchAll(op);
    const rows = utils.getResult(op).getValue();
    await op.close();
    return rows;
  };
  return {
    env,
    sql,
    engine: () => createHiveServer2Engine('hive', 'hive', loadConfig(env).hive!),
    direct,
    close: async () => {
      await session.close();
      await client.close();
      await stopThriftServer(state);
    },
  };
}

const dir = await mkdtemp(path.join(os.tmpdir(), `lakegate-engine-bench-${which}-`));
try {
  const peer = which === 'hive' ? await hivePeer(dir) : await trinoPeer(dir);
  try {
    const gw = await startGateway({ ...peer.env, LAKEGATE_QUERY_CACHE_ENTRIES: '0' }, path.join(dir, 'home'));
    try {
      const input = await cardCsv(path.join(dir, 'cards.csv'), Number(values.rows));
      const submitted = await gw.app.inject({ method: 'POST', url: '/pipelines/run', payload: { input, stages: ['quality', 'etl'] } });
      const run = await waitForRun(gw.app, submitted.json().runId, 900_000);
      if (run.status !== 'succeeded') throw new Error(`pipeline run ${run.status}: ${run.error}`);
      const synced = run.stages.find((s: { name: string }) => s.name === 'etl')?.engines?.[0];
      if (synced?.status !== 'synced') throw new Error(`the engine's tables did not follow the run: ${JSON.stringify(synced)}`);
      const address = await gw.app.listen({ port: 0, host: '127.0.0.1' });
      const viaGateway = async (): Promise<void> => {
        const res = await fetch(`${address}/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sql: QUERY, engine: which }) });
        if (res.status !== 200) throw new Error(`gateway answered ${res.status}: ${await res.text()}`);
        await res.json();
      };
      const engine = peer.engine();
      const viaEngine = async (): Promise<void> => {
        const stream = await engine.execute(peer.sql, { signal: AbortSignal.timeout(120_000), maxRows: 10_000 });
        for await (const _ of stream.batches);
      };
      for (let i = 0; i < 3; i++) for (const f of [viaGateway, peer.direct, viaEngine]) await f();
      const g: number[] = [];
      const d: number[] = [];
      const e: number[] = [];
      for (let i = 0; i < rounds; i++) {
        g.push(await timed(viaGateway));
        d.push(await timed(peer.direct));
        e.push(await timed(viaEngine));
      }
      await engine.close();
      console.log(`engine ${which}, ${values.rows} rows, ${rounds} rounds, query: ${QUERY}`);
      console.log(`gateway (POST /query over HTTP):  p50 ${fmt(pct(g, 50))}, p99 ${fmt(pct(g, 99))}`);
      console.log(`the gateway's engine alone:       p50 ${fmt(pct(e, 50))}, p99 ${fmt(pct(e, 99))}`);
      console.log(`the engine's own client directly: p50 ${fmt(pct(d, 50))}, p99 ${fmt(pct(d, 99))}`);
      console.log(`gateway minus direct at p50: ${fmt(pct(g, 50) - pct(d, 50))}`);
    } finally {
      await gw.close();
    }
  } finally {
    await peer.close();
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
