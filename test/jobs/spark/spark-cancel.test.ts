import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCardCsv } from '../../../src/generator/card-generator.js';
import { groupMembers, sparkPipelines, until, type SparkPipelines } from './spark-support.js';

// Cancelling a run stops its spark-submit: the JVM, the Python driver and whatever they started.

let home: string;
let pipes: SparkPipelines;
let input: string;

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'lakegate-spark-cancel-'));
  input = path.join(home, 'card.csv');
  await generateCardCsv({ records: 20_000, output: input, seed: 3 });
  pipes = await sparkPipelines(home, { killGraceMs: 3_000 });
});
afterAll(async () => {
  await pipes?.service.close();
  if (home) await rm(home, { recursive: true, force: true });
});

describe('spark cancel', () => {
  it('kills the whole process group of the running job and publishes nothing', async () => {
    const { run } = await pipes.service.submit({ input, output: 'out', engine: 'spark', stages: ['etl'] });
    const pid = await until('the job to start', () => {
      const line = pipes.logs.get(run.runId)?.find((l) => /started \(pid \d+\)/.test(l));
      return line ? Number(/pid (\d+)/.exec(line)![1]) : undefined;
    });
    // Wait for the JVM to have started the Python driver: the kill must reach grandchildren too.
    await until('the python driver', () => (groupMembers(pid).some(([, comm]) => comm.startsWith('python')) ? true : undefined));
    expect(groupMembers(pid).some(([, comm]) => comm === 'java')).toBe(true);

    const t0 = Date.now();
    const cancelled = await pipes.service.cancel(run.runId);
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.stages.find((s) => s.name === 'etl')!.status).toBe('failed');
    expect(groupMembers(pid)).toEqual([]);

    const outDir = path.join(home, 'out');
    expect((await readdir(outDir).catch(() => [])).filter((f) => !f.startsWith('.'))).toEqual([]);
    for (const table of ['partitioned_transactions', 'daily_category_summary']) {
      expect(await readdir(path.join(outDir, '.versions', table)).catch(() => [])).toEqual([]);
    }
  }, 180_000);
});
