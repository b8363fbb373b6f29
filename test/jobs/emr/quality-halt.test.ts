import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PipelineRunner } from '../../../src/pipeline/pipeline-runner.js';
import type { Run } from '../../../src/pipeline/pipeline-types.js';
import { RunStore } from '../../../src/pipeline/run-store.js';
import { TableRegistry } from '../../../src/pipeline/table-registry.js';
import { lake, persistentCluster, putJson, reportUrl, ROOT, run, setStepState, stageContext, until, useOwnMoto } from './emr-fixtures.js';

useOwnMoto();

const failing = {
  rows: 1000,
  overall: 'FAIL',
  checks: [
    { name: 'duplicate_transaction_id', status: 'FAIL', issueCount: 3, detail: '3 duplicated ids' },
    { name: 'zero_amount', status: 'WARN', issueCount: 1, detail: '' },
    { name: 'card_mask', status: 'PASS', issueCount: 0, detail: '' },
  ],
};

describe('quality FAIL on EMR', () => {
  it('turns a FAILED quality step with a FAIL report into a halted outcome', async () => {
    const l = await lake();
    const clusterId = await persistentCluster(l.emr);
    const session = await (await l.backend({ clusterId })).openSession(run(l, 'run_qfail'));
    const { ctx, stepId } = stageContext(l, 'run_qfail');
    const done = l.stage(session, 'quality', ctx);
    const id = await stepId();
    // What the quality job leaves before it exits 3.
    await putJson(l.s3, reportUrl(l.output, 'run_qfail', 'quality'), failing);
    await setStepState(clusterId, id, 'FAILED', { reason: 'Unknown Error', message: 'exit code 3' });
    const outcome = await done;
    // Publication adds the row-count checks the job leaves to it (1,000 rows: PASS).
    expect(outcome).toEqual({ rows: 1000, tables: [], quality: { overall: 'FAIL', checks: [{ name: 'row_count', status: 'PASS', issueCount: 0, detail: expect.stringContaining('data rows') }, ...failing.checks] } });
    expect(l.publisher.published).toEqual([]);
    expect(l.publisher.discarded).toEqual(['quality_report@run_qfail-a1']);
  });

  it('fails (does not halt) a FAILED quality step that left no report', async () => {
    const l = await lake();
    const clusterId = await persistentCluster(l.emr);
    const session = await (await l.backend({ clusterId })).openSession(run(l, 'run_qcrash'));
    const { ctx, stepId } = stageContext(l, 'run_qcrash');
    const done = l.stage(session, 'quality', ctx);
    await setStepState(clusterId, await stepId(), 'FAILED', { reason: 'OutOfMemoryError' });
    await expect(done).rejects.toMatchObject({ code: 'UPSTREAM_FAILED', message: expect.stringContaining('OutOfMemoryError') });
  });

  it('publishes quality_report and returns the report when quality passes with warnings', async () => {
    const l = await lake();
    const clusterId = await persistentCluster(l.emr);
    const session = await (await l.backend({ clusterId })).openSession(run(l, 'run_qwarn'));
    const { ctx, stepId } = stageContext(l, 'run_qwarn');
    const done = l.stage(session, 'quality', ctx);
    const warn = { rows: 10, overall: 'WARN', checks: [{ name: 'zero_amount', status: 'WARN', issueCount: 2, detail: '2 rows' }] };
    await putJson(l.s3, reportUrl(l.output, 'run_qwarn', 'quality'), warn);
    await setStepState(clusterId, await stepId(), 'COMPLETED');
    // The gateway's own row-count check is added to what the job reported.
    const rowCount = { name: 'row_count', status: 'PASS', issueCount: 0, detail: '10 data rows; FAIL below 1 (minRows)' };
    expect(await done).toEqual({ rows: 10, tables: ['quality_report'], quality: { overall: 'WARN', checks: [rowCount, ...warn.checks] } });
    expect(l.publisher.published).toEqual(['quality_report@run_qwarn-a1']);
  });

  it('halts the run in the pipeline runner, with the step recorded on the stage', async () => {
    const l = await lake();
    const clusterId = await persistentCluster(l.emr);
    const home = await mkdtemp(path.join(os.tmpdir(), 'lakegate-emr-runner-'));
    const store = await RunStore.open(path.join(home, 'runs'));
    const tables = await TableRegistry.load(path.join(ROOT, 'ddl'), { warehouse: l.output, database: 'card_analytics' });
    const runner = new PipelineRunner({ store, tables, s3: l.s3, stageRetries: 2, retryDelayMs: 5, log: () => undefined });
    const r: Run = {
      runId: 'run_halt', status: 'queued', input: l.input, output: l.output, engine: 'emr', year: 2024, idempotencyKey: null,
      createdAt: new Date().toISOString(), startedAt: null, finishedAt: null, error: null, quality: null, benchmark: null,
      stages: (['quality', 'etl', 'quarterly', 'benchmark'] as const).map((name) => ({
        name, status: 'pending' as const, attempts: 0, startedAt: null, finishedAt: null, rows: null, error: null,
      })),
    };
    await putJson(l.s3, reportUrl(l.output, 'run_halt', 'quality'), failing);
    const done = runner.execute(r, await l.backend({ clusterId }), new AbortController().signal);
    const stepId = await until('the quality step', () => r.stages[0]?.external?.stepId);
    await setStepState(clusterId, stepId, 'FAILED', { reason: 'exit code 3' });
    await done;
    expect(r.status).toBe('halted');
    expect(r.stages.map((s) => [s.name, s.status, s.attempts])).toEqual([['quality', 'failed', 1], ['etl', 'skipped', 0], ['quarterly', 'skipped', 0], ['benchmark', 'skipped', 0]]);
    expect(r.stages[0]?.external).toMatchObject({ clusterId, stepId });
    expect(r.quality?.overall).toBe('FAIL');
  });
});
