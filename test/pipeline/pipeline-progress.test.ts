import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateCardCsv } from '../../src/generator/card-generator.js';
import { removeDir, startGateway, type TestGateway } from '../support/gateway.js';

/** What GET /pipelines/runs/{id} showed of one stage's progress while the stage ran. */
interface Seen {
  percent: number;
  rowsRead?: number;
  bytesRead?: number;
  total?: number;
  etaSeconds?: number;
}

const ROWS = 400_000;
let gw: TestGateway;
let run: Record<string, any>;
const seen = new Map<string, Seen[]>();

beforeAll(async () => {
  // Progress read every 100 ms, so that a stage of a second or two shows several figures.
  gw = await startGateway({ LAKEGATE_STAGE_RETRIES: '0', LAKEGATE_PROGRESS_INTERVAL_MS: '100' });
  const input = path.join(gw.home, 'cards.csv');
  await generateCardCsv({ records: ROWS, output: input, seed: 7 });
  const res = await gw.app.inject({ method: 'POST', url: '/pipelines/run', payload: { input } });
  expect(res.statusCode).toBe(202);
  const url = `/pipelines/runs/${res.json().runId}`;
  for (const deadline = Date.now() + 120_000; Date.now() < deadline; ) {
    run = (await gw.app.inject({ method: 'GET', url })).json();
    for (const s of run.stages) {
      if (s.status === 'pending') expect(s.progress, `${s.name} pending`).toBeUndefined();
      if (s.status === 'running' && s.progress) seen.set(s.name, [...(seen.get(s.name) ?? []), s.progress]);
    }
    if (run.status !== 'queued' && run.status !== 'running') break;
    await new Promise((r) => setTimeout(r, 40));
  }
}, 150_000);
afterAll(async () => {
  await gw.close();
  await removeDir(gw.home);
});

it('runs every stage to success', () => {
  expect(run.status, run.error).toBe('succeeded');
  expect(run.stages.map((s: any) => s.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
});

it('ends every stage at 100 without an ETA, persisted with the run', async () => {
  for (const s of run.stages) {
    expect(s.progress, s.name).toMatchObject({ percent: 100 });
    expect(s.progress.etaSeconds, s.name).toBeUndefined();
  }
  const stored = await gw.services.pipelines.store.get(run.runId)!;
  expect(stored.stages.map((s) => s.progress?.percent)).toEqual([100, 100, 100, 100]);
});

it('never lowers a stage percent while it runs', () => {
  for (const s of run.stages) {
    const series = [...(seen.get(s.name) ?? []).map((p) => p.percent), s.progress.percent];
    for (let i = 1; i < series.length; i++) expect(series[i], `${s.name}: ${series.join(' ')}`).toBeGreaterThanOrEqual(series[i - 1]!);
    for (const p of series) expect(p).toBeGreaterThanOrEqual(0);
  }
});

it('shows the long stages part-way, from the engine, with an ETA', () => {
  for (const name of ['quality', 'etl']) {
    const mid = (seen.get(name) ?? []).filter((p) => p.percent > 0 && p.percent < 100);
    expect(mid.length, `${name}: ${JSON.stringify(seen.get(name))}`).toBeGreaterThan(0);
    expect(mid.some((p) => typeof p.etaSeconds === 'number' && p.etaSeconds >= 0), name).toBe(true);
    // DuckDB's own counts came with it.
    expect(mid.some((p) => (p.rowsRead ?? 0) > 0 && (p.total ?? 0) > 0), name).toBe(true);
  }
});

it('never shows more read than the total, nor 100 while running', () => {
  for (const [name, series] of seen) {
    for (const p of series) {
      expect(p.percent, name).toBeLessThan(100);
      const read = p.rowsRead ?? p.bytesRead;
      if (read !== undefined && p.total !== undefined) expect(read, name).toBeLessThanOrEqual(p.total);
    }
  }
});

// That no poller outlives its statement is test/jobs/local/duckdb-progress.test.ts's.
it('keeps the last figure of a stage cancelled part-way, without an ETA, and updates it no more', async () => {
  const input = path.join(gw.home, 'cards.csv');
  const res = await gw.app.inject({ method: 'POST', url: '/pipelines/run', payload: { input, output: 'wh-cancel' } });
  const url = `/pipelines/runs/${res.json().runId}`;
  let r = (await gw.app.inject({ method: 'GET', url })).json();
  for (const deadline = Date.now() + 60_000; !(r.stages[0].progress?.percent > 0) && r.status !== 'succeeded' && Date.now() < deadline; ) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    r = (await gw.app.inject({ method: 'GET', url })).json();
  }
  expect(r.stages[0].progress?.percent, JSON.stringify(r.stages[0])).toBeGreaterThan(0);
  expect((await gw.app.inject({ method: 'POST', url: `${url}/cancel` })).statusCode).toBeLessThan(300);
  const ended = await gw.services.pipelines.waitFor(r.runId);
  expect(ended.status).toBe('cancelled');
  const last = ended.stages[0]!.progress!;
  expect(last.percent).toBeLessThan(100);
  expect(last.etaSeconds).toBeUndefined();
  await new Promise((resolve) => setTimeout(resolve, 400));
  expect((await gw.app.inject({ method: 'GET', url })).json().stages[0].progress).toEqual(last);
});
