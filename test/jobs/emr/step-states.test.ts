import { AddJobFlowStepsCommand, TerminateJobFlowsCommand } from '@aws-sdk/client-emr';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.js';
import { lake, persistentCluster, putJson, reportUrl, run, setStepState, stageContext, until, useOwnMoto } from './emr-fixtures.js';

useOwnMoto();

const settled = async (p: Promise<unknown>): Promise<boolean> => {
  let done = false;
  p.then(() => (done = true), () => (done = true));
  await new Promise((r) => setTimeout(r, 150));
  return done;
};

describe('following a step through its states', () => {
  it('waits through PENDING and RUNNING, then publishes the tables when it COMPLETED', async () => {
    const l = await lake();
    const clusterId = await persistentCluster(l.emr);
    // Another step ahead of ours keeps ours PENDING, as on a busy cluster.
    await l.emr.send(new AddJobFlowStepsCommand({ JobFlowId: clusterId, Steps: [{ Name: 'other', HadoopJarStep: { Jar: 'command-runner.jar', Args: ['true'] } }] }));
    const session = await (await l.backend({ clusterId })).openSession(run(l, 'run_states'));
    const { ctx, lines, stepId } = stageContext(l, 'run_states');
    const done = l.stage(session, 'etl', ctx);
    const id = await stepId();

    await until('PENDING seen', () => lines.includes(`step ${id} PENDING`));
    expect(await settled(done)).toBe(false);
    await setStepState(clusterId, id, 'RUNNING');
    await until('RUNNING seen', () => lines.includes(`step ${id} RUNNING`));
    expect(await settled(done)).toBe(false);
    expect(l.publisher.published).toEqual([]);

    await putJson(l.s3, reportUrl(l.output, 'run_states', 'etl'), { rows: 4321 });
    await setStepState(clusterId, id, 'COMPLETED');
    const outcome = await done;
    expect(outcome).toEqual({
      rows: 4321,
      tables: ['partitioned_transactions', 'daily_category_summary', 'merchant_ranking', 'hourly_pattern', 'regional_analysis', 'monthly_trend'],
    });
    expect(l.publisher.published).toEqual(outcome.tables.map((t) => `${t}@run_states-a1`));
    expect(lines.indexOf(`step ${id} PENDING`)).toBeLessThan(lines.indexOf(`step ${id} RUNNING`));
    expect(lines.indexOf(`step ${id} RUNNING`)).toBeLessThan(lines.indexOf(`step ${id} COMPLETED`));
  });

  it('fails the stage with the reason EMR gives when the step FAILED, and publishes nothing', async () => {
    const l = await lake();
    const clusterId = await persistentCluster(l.emr);
    const session = await (await l.backend({ clusterId })).openSession(run(l, 'run_failed'));
    const { ctx, stepId } = stageContext(l, 'run_failed');
    const done = l.stage(session, 'etl', ctx);
    const id = await stepId();
    await setStepState(clusterId, id, 'FAILED', { reason: 'Container killed by YARN for exceeding memory limits', logFile: 's3://logs/stderr.gz' });
    const err = await done.then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'UPSTREAM_FAILED', retryable: true });
    expect((err as Error).message).toBe(`step ${id} FAILED: Container killed by YARN for exceeding memory limits (log s3://logs/stderr.gz)`);
    expect(l.publisher.published).toEqual([]);
    expect(l.publisher.discarded).toEqual(l.publisher.prepared);
    expect(l.publisher.discarded).toHaveLength(6);
  });

  it.each(['CANCELLED', 'INTERRUPTED'])('fails the stage when the step ends %s', async (state) => {
    const l = await lake();
    const clusterId = await persistentCluster(l.emr);
    const session = await (await l.backend({ clusterId })).openSession(run(l, 'run_ended'));
    const { ctx, stepId } = stageContext(l, 'run_ended');
    const done = l.stage(session, 'benchmark', ctx);
    await setStepState(clusterId, await stepId(), state);
    await expect(done).rejects.toMatchObject({ code: 'UPSTREAM_FAILED', message: expect.stringContaining(state) });
    expect(l.publisher.published).toEqual([]);
  });

  it('does not retry on a given cluster that died under the step', async () => {
    const l = await lake();
    const clusterId = await persistentCluster(l.emr);
    const session = await (await l.backend({ clusterId })).openSession(run(l, 'run_dead'));
    const { ctx, stepId } = stageContext(l, 'run_dead');
    const done = l.stage(session, 'etl', ctx);
    const id = await stepId();
    await l.emr.send(new TerminateJobFlowsCommand({ JobFlowIds: [clusterId] }));
    await setStepState(clusterId, id, 'CANCELLED');
    await expect(done).rejects.toMatchObject({ retryable: false, message: expect.stringContaining(`cluster ${clusterId} is TERMINATED`) });
  });
});
