import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCardCsv } from '../../src/generator/card-generator.js';
import { STAGE_TABLES } from '../../src/pipeline/pipeline-types.js';
import { bytesUnder, watchPeakBytes } from '../support/disk-usage.js';
import { removeDir, startGateway, waitForRun, type TestGateway } from '../support/gateway.js';
import { queryParquet, tableGlob } from '../support/parquet.js';

// A multi-million-row run under a small memory limit spills to LAKEGATE_HOME/tmp and writes exactly the
// tables of a run without a limit to speak of.
const ROWS = 2_000_000;
const TABLES = [...STAGE_TABLES.etl, ...STAGE_TABLES.quarterly];

/** Runs quality, etl and quarterly on `input` and reports the most spill bytes seen while it ran. */
async function runWatchingSpill(gw: TestGateway, input: string): Promise<{ run: Record<string, any>; peakSpill: number }> {
  const res = await gw.app.inject({ method: 'POST', url: '/pipelines/run', payload: { input, year: 2024, stages: ['quality', 'etl', 'quarterly'] } });
  expect(res.statusCode, res.body).toBe(202);
  const spill = watchPeakBytes([path.join(gw.home, 'tmp', 'pipeline')], 50);
  try {
    const run = await waitForRun(gw.app, res.json().runId, 240_000);
    return { run, peakSpill: await spill.stop() };
  } finally {
    await spill.stop();
  }
}

describe(`the embedded pipeline on ${ROWS.toLocaleString('en')} rows within LAKEGATE_PIPELINE_MEMORY_LIMIT`, () => {
  let small: TestGateway;
  let large: TestGateway;
  let input: string;
  let constrained: { run: Record<string, any>; peakSpill: number };
  let unconstrained: { run: Record<string, any>; peakSpill: number };

  beforeAll(async () => {
    small = await startGateway({ LAKEGATE_PIPELINE_MEMORY_LIMIT: '256MB' });
    large = await startGateway({ LAKEGATE_PIPELINE_MEMORY_LIMIT: '16GB' });
    input = path.join(small.home, 'big.csv');
    await generateCardCsv({ records: ROWS, output: input, seed: 11 });
    constrained = await runWatchingSpill(small, input);
    unconstrained = await runWatchingSpill(large, input);
  }, 600_000);
  afterAll(async () => {
    for (const gw of [small, large]) {
      await gw?.close();
      if (gw) await removeDir(gw.home);
    }
  });

  it('succeeds under 256MB by spilling to LAKEGATE_HOME/tmp, and leaves no spill files behind', async () => {
    expect(constrained.run.status, JSON.stringify(constrained.run.error)).toBe('succeeded');
    expect(constrained.run.stages.map((s: any) => [s.name, s.status, s.rows])).toEqual([
      ['quality', 'succeeded', ROWS], ['etl', 'succeeded', ROWS], ['quarterly', 'succeeded', unconstrained.run.stages[2].rows], ['benchmark', 'skipped', null],
    ]);
    console.log(`peak spill ${constrained.peakSpill} bytes`);
    expect(constrained.peakSpill).toBeGreaterThan(0);
    expect(await bytesUnder(path.join(small.home, 'tmp', 'pipeline'))).toBe(0);
  });

  it('needs no spilling with room to spare', () => {
    expect(unconstrained.run.status).toBe('succeeded');
    expect(unconstrained.peakSpill).toBe(0);
  });

  it('writes exactly the tables of the unconstrained run', async () => {
    for (const table of TABLES) {
      const [a, b] = [tableGlob(path.join(small.home, 'warehouse'), table), tableGlob(path.join(large.home, 'warehouse'), table)];
      // Row count and an order-free checksum of whole rows (the sum of each row's hash).
      const digest = (from: string): string => `SELECT count(*) AS n, CAST(sum(CAST(hash(t) AS HUGEINT)) AS VARCHAR) AS h FROM ${from} t`;
      const [[x], [y]] = await Promise.all([queryParquet(digest(a)), queryParquet(digest(b))]);
      expect(x!.n, table).toBeGreaterThan(0);
      expect(x, table).toEqual(y);
    }
  });
});
