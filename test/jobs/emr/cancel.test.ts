import { AddJobFlowStepsCommand, DescribeClusterCommand, DescribeStepCommand } from '@aws-sdk/client-emr';
import { describe, expect, it } from 'vitest';
import { STAGE_TABLES } from '../../../src/pipeline/pipeline-types.js';
import { lake, persistentCluster, run, setStepState, stageContext, until, useOwnMoto } from './emr-fixtures.js';

useOwnMoto();

describe('cancelling a run cancels its step', () => {
  it('sends CancelSteps for a RUNNING step and ends the stage with the abort reason', async () => {
    const l = await lake();
    const clusterId = await persistentCluster(l.emr);
    const session = await (await l.backend({ clusterId })).openSession(run(l, 'run_cancel'));
    const controller = new AbortController();
    const { ctx, lines, stepId } = stageContext(l, 'run_cancel', { signal: controller.signal });
    const done = l.stage(session, 'etl', ctx);
    const id = await stepId();
    await setStepState(clusterId, id, 'RUNNING');
    await until('RUNNING seen', () => lines.includes(`step ${id} RUNNING`));

    const reason = new Error('cancelled by request');
    controller.abort(reason);
    await expect(done).rejects.toBe(reason);
    const { Step: step } = await l.emr.send(new DescribeStepCommand({ ClusterId: clusterId, StepId: id }));
    expect(step?.Status?.State).toBe('CANCEL_PENDING');
    expect(lines).toContain(`run stopped; CancelSteps SUBMITTED for step ${id}`);
    // moto keeps a cancelled RUNNING step CANCEL_PENDING: the wait for it to stop is bounded, then the attempt is discarded.
    expect(lines).toContain(`step ${id} still CANCEL_PENDING after the cancel; what it writes from now on is never published`);
    expect(l.publisher.published).toEqual([]);
    expect(l.publisher.discarded).toEqual(STAGE_TABLES.etl.map((t) => `${t}@run_cancel-a1`));
  });

  it('drops a PENDING step and terminates the transient cluster on close', async () => {
    const l = await lake();
    const session = await (await l.backend()).openSession(run(l, 'run_cancel_pending'));
    const controller = new AbortController();
    const { ctx, external, stepId } = stageContext(l, 'run_cancel_pending', { signal: controller.signal });
    const done = l.stage(session, 'quality', ctx);
    const id = await stepId();
    const clusterId = external.clusterId!;
    await setStepState(clusterId, id, 'PENDING');
    controller.abort(new Error('timeout'));
    await expect(done).rejects.toThrow('timeout');
    const { Step: step } = await l.emr.send(new DescribeStepCommand({ ClusterId: clusterId, StepId: id }));
    expect(step?.Status?.State).toBe('CANCELLED');
    await session.close();
    const { Cluster: c } = await l.emr.send(new DescribeClusterCommand({ ClusterId: clusterId }));
    expect(c?.Status?.State).toBe('TERMINATED');
  });

  it('does not submit anything when the run is already cancelled', async () => {
    const l = await lake();
    const clusterId = await persistentCluster(l.emr);
    await l.emr.send(new AddJobFlowStepsCommand({ JobFlowId: clusterId, Steps: [{ Name: 'other', HadoopJarStep: { Jar: 'command-runner.jar', Args: ['true'] } }] }));
    const session = await (await l.backend({ clusterId })).openSession(run(l, 'run_precancelled'));
    const controller = new AbortController();
    controller.abort(new Error('gone'));
    const { ctx, external } = stageContext(l, 'run_precancelled', { signal: controller.signal });
    await expect(l.stage(session, 'etl', ctx)).rejects.toThrow();
    expect(external.stepId).toBeUndefined();
  });

  it('release() cancels a step left running on a shared cluster, or terminates a transient one (gateway restart)', async () => {
    const l = await lake();
    const shared = await persistentCluster(l.emr);
    const backend = await l.backend({ clusterId: shared });
    // The sessions below stand for a process that died: stopped at the end without cancelling anything.
    const dead = new AbortController();
    const first = stageContext(l, 'run_orphan', { signal: dead.signal });
    void l.stage(await backend.openSession(run(l, 'run_orphan')), 'etl', first.ctx).catch(() => undefined);
    const stepId = await first.stepId();
    // A new process knows only what was recorded on the stage.
    await (await l.backend()).release({ ...first.external });
    const { Step: step } = await l.emr.send(new DescribeStepCommand({ ClusterId: shared, StepId: stepId }));
    expect(step?.Status?.State).toBe('CANCEL_PENDING');
    expect(await stateOfCluster(l, shared)).not.toMatch(/TERMINAT/);

    const second = stageContext(l, 'run_orphan2', { signal: dead.signal });
    void l.stage(await (await l.backend()).openSession(run(l, 'run_orphan2')), 'etl', second.ctx).catch(() => undefined);
    await second.stepId();
    expect(second.external.transientCluster).toBe('true');
    await (await l.backend()).release({ ...second.external });
    expect(await stateOfCluster(l, second.external.clusterId!)).toBe('TERMINATED');
    dead.abort(new Error('end of test'));
  });
});

async function stateOfCluster(l: { emr: import('@aws-sdk/client-emr').EMRClient }, id: string): Promise<string | undefined> {
  return (await l.emr.send(new DescribeClusterCommand({ ClusterId: id }))).Cluster?.Status?.State;
}
