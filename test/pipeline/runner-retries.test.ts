import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { PipelineService } from '../../src/pipeline/pipeline-service.js';
import type { JobBackend, StageName, StageOutcome } from '../../src/pipeline/pipeline-types.js';
import { RunStore } from '../../src/pipeline/run-store.js';
import { TableRegistry } from '../../src/pipeline/table-registry.js';
import { cardCsv } from '../support/csv-fixtures.js';

/**
 * The runner's retry, timeout and restart policy, driven by a scripted job backend: the policy is the
 * same for every engine, and a scripted backend makes "fails twice, then works" deterministic.
 */
function scripted(script: Partial<Record<StageName, (attempt: number, signal: AbortSignal) => Promise<StageOutcome>>>, close: () => Promise<void> = async () => undefined): JobBackend {
  return {
    engine: 'local',
    openSession: async () => ({
      runStage: (stage, ctx) => (script[stage] ?? (async () => ({ rows: 1, tables: [] })))(ctx.attempt, ctx.signal),
      close,
    }),
  };
}

async function service(backend: JobBackend, opts: { retries?: number; timeoutMs?: number; home?: string } = {}) {
  const home = opts.home ?? (await mkdtemp(path.join(os.tmpdir(), 'lakegate-runner-')));
  const tables = await TableRegistry.load(path.resolve('ddl'), { warehouse: path.join(home, 'wh'), database: 'card_analytics' });
  const svc = new PipelineService({
    store: await RunStore.open(path.join(home, 'runs')), tables, backends: { local: backend }, warehouse: path.join(home, 'wh'),
    stageRetries: opts.retries ?? 2, retryDelayMs: 5, timeoutMs: opts.timeoutMs ?? 60_000, log: () => undefined,
  });
  const input = await cardCsv(path.join(home, 'in.csv'), 10);
  return { svc, input, home };
}

describe('stage retries', () => {
  it('retries a transient failure and succeeds on the third attempt', async () => {
    const { svc, input } = await service(scripted({ etl: async (attempt) => { if (attempt < 3) throw new Error('disk hiccup'); return { rows: 7, tables: [] }; } }));
    const { run } = await svc.submit({ input });
    const done = await svc.waitFor(run.runId);
    expect(done.status).toBe('succeeded');
    expect(done.stages[1]).toMatchObject({ name: 'etl', status: 'succeeded', attempts: 3, rows: 7 });
  });

  it('gives up after the configured retries', async () => {
    const { svc, input } = await service(scripted({ etl: async () => { throw new Error('still broken'); } }), { retries: 1 });
    const done = await svc.waitFor((await svc.submit({ input })).run.runId);
    expect(done.status).toBe('failed');
    expect(done.stages.map((s) => [s.status, s.attempts])).toEqual([['succeeded', 1], ['failed', 2], ['skipped', 0], ['skipped', 0]]);
    expect(done.error).toBe('still broken');
  });

  it('does not retry a permanent error', async () => {
    const { svc, input } = await service(scripted({ quality: async () => { throw new AppError('INPUT_INVALID', 'not a CSV'); } }));
    const done = await svc.waitFor((await svc.submit({ input })).run.runId);
    expect(done.stages[0]).toMatchObject({ status: 'failed', attempts: 1, error: 'not a CSV' });
  });

  it('never retries a quality FAIL', async () => {
    let calls = 0;
    const { svc, input } = await service(scripted({
      quality: async () => { calls++; return { rows: 1, tables: [], quality: { overall: 'FAIL', checks: [{ name: 'negative_amount', status: 'FAIL', issueCount: 1, detail: '' }] } }; },
    }));
    const done = await svc.waitFor((await svc.submit({ input })).run.runId);
    expect(calls).toBe(1);
    expect(done.status).toBe('halted');
  });

  it('fails a run that exceeds its timeout, aborting the stage', async () => {
    let aborted = false;
    const hang = (_: number, signal: AbortSignal): Promise<StageOutcome> =>
      new Promise((_, reject) => signal.addEventListener('abort', () => { aborted = true; reject(signal.reason); }));
    const { svc, input } = await service(scripted({ etl: hang }), { timeoutMs: 200 });
    const done = await svc.waitFor((await svc.submit({ input })).run.runId);
    expect(aborted).toBe(true);
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/exceeded its timeout of 200 ms/);
    expect(done.stages[1]!.attempts).toBe(1);
  });

  it('accepts the next run for an output as soon as the previous one shows a final status', async () => {
    // A session that takes its time to close: the run already reads 'succeeded' meanwhile.
    let closing!: () => void;
    const closed = new Promise<void>((r) => (closing = r));
    const { svc, input } = await service(scripted({}, () => closed));
    const { run } = await svc.submit({ input });
    for (let i = 0; i < 500 && svc.get(run.runId).status !== 'succeeded'; i++) await new Promise((r) => setTimeout(r, 10));
    expect(svc.get(run.runId).status).toBe('succeeded');
    const next = await svc.submit({ input });
    expect(next.created).toBe(true);
    closing();
    expect((await svc.waitFor(next.run.runId)).status).toBe('succeeded');
  });

  it('keeps history across a restart of the service', async () => {
    const first = await service(scripted({}));
    const { run } = await first.svc.submit({ input: first.input, idempotencyKey: 'k1' });
    await first.svc.waitFor(run.runId);
    const again = await service(scripted({}), { home: first.home });
    expect(again.svc.get(run.runId).status).toBe('succeeded');
    const dup = await again.svc.submit({ input: again.input, idempotencyKey: 'k1' });
    expect(dup).toMatchObject({ created: false, run: { runId: run.runId } });
  });
});
