import { readFile } from 'node:fs/promises';
import { DescribeClusterCommand, GetAutoTerminationPolicyCommand, ListInstanceGroupsCommand, ListStepsCommand } from '@aws-sdk/client-emr';
import { describe, expect, it } from 'vitest';
import { lake, persistentCluster, run, setStepState, SPEC_FILE, stageContext, useOwnMoto } from './emr-fixtures.js';

useOwnMoto();

describe('a run without a cluster starts a transient one', () => {
  it('ships spark/emr-cluster.json with the deployment the batch expects', async () => {
    const spec = JSON.parse(await readFile(SPEC_FILE, 'utf8'));
    expect(spec.ReleaseLabel).toMatch(/^emr-7\.\d+\.\d+$/);
    expect(spec.Applications).toEqual([{ Name: 'Spark' }]);
    expect(spec.Instances.InstanceGroups.map((g: Record<string, unknown>) => [g.InstanceRole, g.Market, g.InstanceType, g.InstanceCount])).toEqual([
      ['MASTER', 'ON_DEMAND', 'm5.xlarge', 1],
      ['CORE', 'SPOT', 'm5.xlarge', 2],
    ]);
    expect(spec.AutoTerminationPolicy.IdleTimeout).toBeGreaterThanOrEqual(60);
  });

  it('creates the cluster from the spec, runs the step on it and terminates it when the session closes', async () => {
    const l = await lake();
    const session = await (await l.backend()).openSession(run(l, 'run_transient'));
    const { ctx, external, stepId, lines } = stageContext(l, 'run_transient');
    const done = l.stage(session, 'etl', ctx);
    const step = await stepId();
    const clusterId = external.clusterId!;

    const { Cluster: c } = await l.emr.send(new DescribeClusterCommand({ ClusterId: clusterId }));
    expect(c?.ReleaseLabel).toBe('emr-7.12.0');
    expect(c?.Applications?.map((a) => a.Name)).toEqual(['Spark']);
    expect(c?.LogUri).toBe(`s3://${l.bucket}/staging/logs/`);
    expect(c?.Tags).toEqual(expect.arrayContaining([{ Key: 'lakegate:run-id', Value: 'run_transient' }, { Key: 'app', Value: 'lakegate' }]));
    expect(c?.Status?.State).not.toMatch(/TERMINAT/);
    const groups = await l.emr.send(new ListInstanceGroupsCommand({ ClusterId: clusterId }));
    expect(groups.InstanceGroups?.map((g) => [g.InstanceGroupType, g.Market, g.InstanceType, g.RequestedInstanceCount]).sort().reverse()).toEqual([
      ['MASTER', 'ON_DEMAND', 'm5.xlarge', 1],
      ['CORE', 'SPOT', 'm5.xlarge', 2],
    ]);
    // Kept alive between the stages' steps; ended by the idle policy if the gateway dies before closing.
    const policy = await l.emr.send(new GetAutoTerminationPolicyCommand({ ClusterId: clusterId }));
    expect(policy.AutoTerminationPolicy).toEqual({ IdleTimeout: 900 });
    expect(external.logUri).toBe(`s3://${l.bucket}/staging/logs/${clusterId}/steps/${step}/`);

    await setStepState(clusterId, step, 'COMPLETED');
    await done;
    expect(lines).toContain(`started transient cluster ${clusterId} (emr-7.12.0)`);

    // The next stage reuses the same cluster.
    const next = stageContext(l, 'run_transient');
    const quarterly = l.stage(session, 'quarterly', next.ctx);
    await setStepState(clusterId, await next.stepId(), 'COMPLETED');
    await quarterly;
    expect(next.external.clusterId).toBe(clusterId);
    const steps = await l.emr.send(new ListStepsCommand({ ClusterId: clusterId }));
    expect(steps.Steps).toHaveLength(2);

    await session.close();
    const after = await l.emr.send(new DescribeClusterCommand({ ClusterId: clusterId }));
    expect(after.Cluster?.Status?.State).toBe('TERMINATED');
  });

  it('leaves a given cluster running when the session closes', async () => {
    const l = await lake();
    const clusterId = await persistentCluster(l.emr);
    const session = await (await l.backend({ clusterId })).openSession(run(l, 'run_given'));
    const { ctx, stepId } = stageContext(l, 'run_given');
    const done = l.stage(session, 'etl', ctx);
    await setStepState(clusterId, await stepId(), 'COMPLETED');
    await done;
    await session.close();
    const after = await l.emr.send(new DescribeClusterCommand({ ClusterId: clusterId }));
    expect(after.Cluster?.Status?.State).not.toMatch(/TERMINAT/);
  });
});
