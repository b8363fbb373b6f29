import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DescribeClusterCommand, DescribeStepCommand, ListStepsCommand, type EMRClient } from '@aws-sdk/client-emr';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { spawnCli, type CliProcess } from '../../support/cli-process.js';
import { lake, motoEndpoint, persistentCluster, putJson, reportUrl, setStepState, sourceTrees, until, useOwnMoto, type Lake } from './emr-fixtures.js';

useOwnMoto();

/** `node bin/lakegate.js ...` against the moto server, as an operator would run it. */
function lakegate(args: string[], env: Record<string, string> = {}): CliProcess {
  return spawnCli(args, {
    AWS_ENDPOINT_URL: motoEndpoint(), AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', LAKEGATE_EMR_CLUSTER_ID: '', LAKEGATE_S3_STAGING: '', ...env,
  });
}

async function finished(cli: CliProcess): Promise<{ code: number; stdout: string; stderr: string }> {
  const code = await cli.exit;
  return { code, stdout: cli.stdout(), stderr: cli.stderr() };
}

async function stateOf(emr: EMRClient, clusterId: string): Promise<string | undefined> {
  return (await emr.send(new DescribeClusterCommand({ ClusterId: clusterId }))).Cluster?.Status?.State;
}

/** Completes the steps the CLI submits to `clusterId`, as they appear, until `count` have completed. */
async function completeSteps(l: Lake, clusterId: string, cli: CliProcess, count: number): Promise<void> {
  const done = new Set<string>();
  while (done.size < count) {
    const steps = await until('a new step', async () => {
      const list = (await l.emr.send(new ListStepsCommand({ ClusterId: clusterId }))).Steps ?? [];
      const fresh = list.filter((s) => !done.has(s.Id!));
      return fresh.length > 0 ? fresh : undefined;
    }, 20_000).catch((err: Error) => {
      throw new Error(`${err.message}\n${cli.stdout()}\n${cli.stderr()}`);
    });
    for (const s of steps) {
      await setStepState(clusterId, s.Id!, 'COMPLETED');
      done.add(s.Id!);
    }
  }
}

describe('npx lakegate emr', () => {
  it('explains its usage and exits 2 on a bad command line', async () => {
    const none = await finished(lakegate([]));
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: lakegate <group>');
    const help = await finished(lakegate(['emr', '--help']));
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/upload[\s\S]*create[\s\S]*submit[\s\S]*status[\s\S]*teardown/);
    const cases: [string[], RegExp][] = [
      [['emr', 'deploy'], /unknown emr command 'deploy'/],
      [['emr', 'teardown'], /no cluster: pass --cluster-id or set LAKEGATE_EMR_CLUSTER_ID/],
      [['emr', 'status', '--cluster'], /Unknown option '--cluster'/],
      [['emr', 'submit', '--output', 's3://b/o'], /--input is required/],
      [['emr', 'upload'], /LAKEGATE_S3_STAGING must be set/],
    ];
    const results = await Promise.all(cases.map(([args]) => finished(lakegate(args))));
    cases.forEach(([args, message], i) => {
      expect(results[i]!.code, args.join(' ')).toBe(2);
      expect(results[i]!.stderr).toMatch(message);
    });
  });

  it('upload stages the jobs and the DDL once, and uploads input data', async () => {
    const l = await lake();
    const { sparkDir, ddlDir } = await sourceTrees();
    const csv = path.join(path.dirname(sparkDir), 'card.csv');
    await writeFile(csv, 'transaction_id\nTXN0000000001\n');
    const args = ['emr', 'upload', '--spark-dir', sparkDir, '--ddl-dir', ddlDir];
    const first = await finished(lakegate([...args, '--data', csv], { LAKEGATE_S3_STAGING: l.staging }));
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.match(/^uploaded {2}s3:\/\/\S+\/staging\/(spark|ddl)\//gm)).toHaveLength(8);
    expect(first.stdout).toContain(`uploaded  ${l.staging}/data/card.csv`);
    const body = await l.s3.send(new GetObjectCommand({ Bucket: l.bucket, Key: 'staging/data/card.csv' }));
    expect(await body.Body!.transformToString()).toBe('transaction_id\nTXN0000000001\n');

    const second = await finished(lakegate(args, { LAKEGATE_S3_STAGING: l.staging }));
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('0 uploaded, 8 already present');
  });

  it('create, status and teardown manage a cluster', async () => {
    const l = await lake();
    const created = await finished(lakegate(['emr', 'create', '--name', 'ops-test'], { LAKEGATE_S3_STAGING: l.staging }));
    expect(created.code, created.stderr).toBe(0);
    const id = /export LAKEGATE_EMR_CLUSTER_ID=(j-[A-Z0-9]+)/.exec(created.stdout)?.[1];
    expect(id).toBeDefined();
    const { Cluster: c } = await l.emr.send(new DescribeClusterCommand({ ClusterId: id! }));
    expect(c).toMatchObject({ Name: 'ops-test', ReleaseLabel: 'emr-7.12.0', LogUri: `${l.staging}/logs/` });
    expect(await stateOf(l.emr, id!)).toBe('WAITING');

    const status = await finished(lakegate(['emr', 'status'], { LAKEGATE_EMR_CLUSTER_ID: id! }));
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain(`cluster ${id}  WAITING`);
    expect(status.stdout).toContain('no steps');

    const down = await finished(lakegate(['emr', 'teardown', '--cluster-id', id!]));
    expect(down.code, down.stderr).toBe(0);
    expect(await stateOf(l.emr, id!)).toBe('TERMINATED');

    const unknown = await finished(lakegate(['emr', 'status', '--cluster-id', 'j-NOSUCHCLUSTER']));
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/UPSTREAM_FAILED: describing cluster j-NOSUCHCLUSTER: .*not valid/);
  });

  it('submit runs the stages as steps on the configured cluster and waits for them', async () => {
    const l = await lake();
    const { sparkDir, ddlDir } = await sourceTrees();
    const clusterId = await persistentCluster(l.emr);
    await putJson(l.s3, reportUrl(l.output, 'run_cli', 'quality'), { rows: 5, overall: 'PASS', checks: [{ name: 'card_mask', status: 'PASS', issueCount: 0, detail: '' }] });
    const cli = lakegate(
      ['emr', 'submit', '--input', l.input, '--output', l.output, '--stages', 'etl,quality', '--run-id', 'run_cli', '--poll-interval', '20', '--spark-dir', sparkDir, '--ddl-dir', ddlDir],
      { LAKEGATE_S3_STAGING: l.staging, LAKEGATE_EMR_CLUSTER_ID: clusterId },
    );
    await completeSteps(l, clusterId, cli, 2);
    const r = await finished(cli);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('run run_cli: quality -> etl');
    expect(r.stdout).toContain('[quality] quality PASS');
    expect(r.stdout).toContain(`  partitioned_transactions written at ${l.output}/.versions/partitioned_transactions/run_cli-a1 (not published: `);
    expect(r.stdout).toContain('run run_cli succeeded');
    const steps = (await l.emr.send(new ListStepsCommand({ ClusterId: clusterId }))).Steps ?? [];
    expect(steps.map((s) => s.Name).reverse()).toEqual(['lakegate quality run_cli-a1', 'lakegate etl run_cli-a1']);

    const status = await finished(lakegate(['emr', 'status', '--cluster-id', clusterId]));
    expect(status.stdout).toMatch(new RegExp(`${steps[0]!.Id} {2}COMPLETED +lakegate etl run_cli-a1`));
  });

  it('submit exits 3 when quality FAILs', async () => {
    const l = await lake();
    const { sparkDir, ddlDir } = await sourceTrees();
    const clusterId = await persistentCluster(l.emr);
    await putJson(l.s3, reportUrl(l.output, 'run_cli_fail', 'quality'), { rows: 10, overall: 'FAIL', checks: [{ name: 'negative_amount', status: 'FAIL', issueCount: 2, detail: '' }] });
    const cli = lakegate(
      ['emr', 'submit', '--input', l.input, '--output', l.output, '--run-id', 'run_cli_fail', '--poll-interval', '20', '--cluster-id', clusterId, '--spark-dir', sparkDir, '--ddl-dir', ddlDir],
      { LAKEGATE_S3_STAGING: l.staging },
    );
    const stepId = await until('the quality step', async () => (await l.emr.send(new ListStepsCommand({ ClusterId: clusterId }))).Steps?.[0]?.Id, 20_000);
    await setStepState(clusterId, stepId, 'FAILED', { reason: 'exit code 3' });
    const r = await finished(cli);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('[quality] quality FAIL: negative_amount=FAIL(2)');
    expect(r.stdout).toContain('[quality] quality FAIL: nothing is published');
    expect(r.stderr).toContain('halted: quality FAIL');
    expect((await l.emr.send(new ListStepsCommand({ ClusterId: clusterId }))).Steps).toHaveLength(1);
  });

  it('submit on a transient cluster cancels the step on Ctrl-C and terminates the cluster', async () => {
    const l = await lake();
    const { sparkDir, ddlDir } = await sourceTrees();
    const cli = lakegate(
      ['emr', 'submit', '--input', l.input, '--output', l.output, '--stages', 'etl', '--poll-interval', '20', '--spark-dir', sparkDir, '--ddl-dir', ddlDir],
      { LAKEGATE_S3_STAGING: l.staging },
    );
    const [, stepId, clusterId] = await until('the step', () => /step (s-[A-Z0-9]+) submitted to cluster (j-[A-Z0-9]+)/.exec(cli.stdout()) ?? undefined, 20_000);
    await until('RUNNING seen', () => cli.stdout().includes(`step ${stepId} RUNNING`));
    cli.kill('SIGINT');
    const r = await finished(cli);
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('interrupted; its step was cancelled');
    const { Step: step } = await l.emr.send(new DescribeStepCommand({ ClusterId: clusterId!, StepId: stepId! }));
    expect(step?.Status?.State).toBe('CANCEL_PENDING');
    expect(await stateOf(l.emr, clusterId!)).toBe('TERMINATED');
  });
});
