import { createHash } from 'node:crypto';
import { DescribeStepCommand } from '@aws-sdk/client-emr';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { parseS3Url } from '../../../src/storage/location.js';
import { describe, expect, it } from 'vitest';
import { lake, persistentCluster, run, setStepState, stageContext, useOwnMoto } from './emr-fixtures.js';

useOwnMoto();

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

describe('each stage is one spark-submit step', () => {
  it('submits the stage script in YARN cluster mode with the run arguments', async () => {
    const l = await lake();
    const clusterId = await persistentCluster(l.emr, `s3n://${l.bucket}/cluster-logs/`);
    const session = await (await l.backend({ clusterId })).openSession(run(l, 'run_args'));
    const { ctx, external, stepId } = stageContext(l, 'run_args', { attempt: 2 });
    const done = l.stage(session, 'quarterly', ctx);
    const id = await stepId();

    const { Step: step } = await l.emr.send(new DescribeStepCommand({ ClusterId: clusterId, StepId: id }));
    const staging = `s3://${l.bucket}/staging`;
    const common = `${staging}/spark/${sha('def run(stage):\n    print(stage)\n')}/common.py`;
    const script = `${staging}/spark/${sha('import common\ncommon.run("quarterly")\n')}/quarterly.py`;
    const args = step?.Config?.Args ?? [];
    expect(step?.Config?.Jar).toBe('command-runner.jar');
    expect(step?.ActionOnFailure).toBe('CANCEL_AND_WAIT');
    expect(args.slice(0, 9)).toEqual([
      'spark-submit', '--deploy-mode', 'cluster', '--master', 'yarn', '--conf', 'spark.yarn.maxAppAttempts=1',
      '--py-files', expect.stringMatching(new RegExp(`^${staging}/spark/[0-9a-f]{64}/lakegate_fixture\\.zip,${common}$`)),
    ]);
    expect(args.slice(9)).toEqual([
      script,
      '--input', l.input,
      '--output', l.output,
      '--year', '2024',
      '--version', 'run_args-a2',
      '--run-id', 'run_args',
      '--ddl-dir', expect.stringMatching(new RegExp(`^${staging}/ddl/[0-9a-f]{64}$`)),
    ]);
    expect(external).toEqual({ clusterId, stepId: id, logUri: `s3://${l.bucket}/cluster-logs/${clusterId}/steps/${id}/` });

    await setStepState(clusterId, id, 'COMPLETED');
    await done;
    expect(l.publisher.prepared).toEqual(['quarterly_category_summary', 'quarterly_summary', 'quarterly_merchant_ranking', 'quarterly_card_type', 'quarterly_region', 'quarterly_installment'].map((t) => `${t}@run_args-a2`));
  });

  it('gives an input of several files to the job as a staged list, one URL per line', async () => {
    const l = await lake();
    const clusterId = await persistentCluster(l.emr);
    const session = await (await l.backend({ clusterId })).openSession(run(l, 'run_list'));
    // 200 files: one --input each would pass EMR's 10,240 characters for a step's strings.
    const files = Array.from({ length: 200 }, (_, i) => `s3://${l.bucket}/drop/2024/part-${String(i).padStart(5, '0')}.csv.gz`);
    const { ctx, stepId } = stageContext(l, 'run_list');
    ctx.inputFiles = files.map((path) => ({ path, size: 0, mtimeMs: 0 }));
    const done = l.stage(session, 'etl', ctx);
    const id = await stepId();
    const { Step: step } = await l.emr.send(new DescribeStepCommand({ ClusterId: clusterId, StepId: id }));
    const args = step?.Config?.Args ?? [];
    expect(args).not.toContain('--input');
    const list = args[args.indexOf('--input-list') + 1]!;
    expect(list).toMatch(new RegExp(`^s3://${l.bucket}/staging/inputs/[0-9a-f]{64}\\.txt$`));
    const { bucket, key } = parseS3Url(list);
    expect(await (await l.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString()).toBe(files.map((f) => `${f}\n`).join(''));
    expect(args.join('').length).toBeLessThan(10_240);
    await setStepState(clusterId, id, 'COMPLETED');
    await done;
  });

  it("uses the request's cluster over the configured one", async () => {
    const l = await lake();
    const configured = await persistentCluster(l.emr);
    const requested = await persistentCluster(l.emr);
    const session = await (await l.backend({ clusterId: configured })).openSession(run(l, 'run_pick', requested));
    const { ctx, external, stepId } = stageContext(l, 'run_pick');
    const done = l.stage(session, 'etl', ctx);
    await setStepState(requested, await stepId(), 'COMPLETED');
    await done;
    expect(external.clusterId).toBe(requested);
  });

  it('refuses local locations and an unknown cluster, without retrying the latter', async () => {
    const l = await lake();
    const backend = await l.backend({ clusterId: 'j-NOSUCHCLUSTER' });
    await expect(backend.openSession({ ...run(l, 'run_local'), input: '/data/card.csv' })).rejects.toMatchObject({ code: 'ENGINE_UNSUPPORTED_LOCATION' });
    const session = await backend.openSession(run(l, 'run_unknown'));
    const { ctx } = stageContext(l, 'run_unknown');
    await expect(l.stage(session, 'etl', ctx)).rejects.toMatchObject({
      code: 'UPSTREAM_FAILED',
      retryable: false,
      message: expect.stringContaining("j-NOSUCHCLUSTER"),
    });
  });

  it('refuses a publisher that would prepare the tables where the jobs do not write', async () => {
    const l = await lake();
    const clusterId = await persistentCluster(l.emr);
    const backend = await l.backend({ clusterId });
    const session = await backend.openSession(run(l, 'run_where'));
    const elsewhere = { prepare: async (t: string) => `s3://${l.bucket}/elsewhere/${t}`, publish: async () => undefined };
    await expect(l.stage(session, 'etl', stageContext(l, 'run_where').ctx, elsewhere)).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});
