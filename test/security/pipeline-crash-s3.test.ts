import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { STAGE_TABLES } from '../../src/pipeline/pipeline-types.js';
import { cardCsv } from '../support/csv-fixtures.js';
import { exited, requestJson as json, spawnGateway, type GatewayProcess } from '../support/gateway-process.js';
import { removeDir } from '../support/gateway.js';
import { usePrivateMoto } from '../support/private-moto.js';
import { until } from '../support/until.js';

/**
 * The S3 side of crash consistency: a gateway killed part-way through publishing etl to an s3://
 * output restarts with every etl manifest naming the version from before the run, and the run
 * record saying etl failed and quality succeeded (its manifest names this run).
 */
const moto = usePrivateMoto({ resetEachTest: false });
let home: string;
let gw: GatewayProcess | undefined;
afterAll(async () => {
  await gw?.kill();
  if (home) await removeDir(home);
});

describe('SIGKILL while etl publishes to S3', () => {
  it('rolls the manifests back at restart', async () => {
    const cfg = moto.config();
    const s3 = new S3Client(cfg);
    await s3.send(new CreateBucketCommand({ Bucket: 'raw' }));
    await s3.send(new CreateBucketCommand({ Bucket: 'lake' }));
    home = await mkdtemp(path.join(os.tmpdir(), 'lakegate-crash-s3-'));
    for (const [name, rows, seed] of [['first', 800, 1], ['second', 900, 2]] as const) {
      await s3.send(new PutObjectCommand({ Bucket: 'raw', Key: `${name}.csv`, Body: await readFile(await cardCsv(path.join(home, `${name}.csv`), rows, undefined, seed)) }));
    }
    const env = { LAKEGATE_HOME: home, AWS_ENDPOINT_URL: cfg.endpoint, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', LAKEGATE_WAREHOUSE: 's3://lake/wh' };
    const manifest = async (t: string): Promise<string> =>
      JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: 'lake', Key: `wh/${t}/_lakegate_manifest.json` }))).Body!.transformToString()).version;
    const run = async (input: string): Promise<any> => json(`${gw!.url}/pipelines/run`, { method: 'POST', body: JSON.stringify({ input, output: 's3://lake/wh', stages: ['quality', 'etl'] }) });

    gw = await spawnGateway(env);
    const first = await run('s3://raw/first.csv');
    await until('first run', async () => ((await json(`${gw!.url}/pipelines/runs/${first.runId}`)).status === 'succeeded' ? true : undefined), 120_000, 20);
    await gw.kill('SIGTERM');
    const before = Object.fromEntries(await Promise.all(STAGE_TABLES.etl.map(async (t) => [t, await manifest(t)] as const)));
    expect(new Set(Object.values(before))).toEqual(new Set([`${first.runId}-a1`]));

    gw = await spawnGateway({ ...env, LAKEGATE_FAULT_KILL_AT: 'etl:publishing:3' });
    const second = await run('s3://raw/second.csv');
    await exited(gw);
    // Half the etl manifests name the killed run's version now.
    expect((await Promise.all(STAGE_TABLES.etl.map(manifest))).filter((v) => v === `${second.runId}-a1`)).toHaveLength(3);

    gw = await spawnGateway(env);
    const after = await json(`${gw.url}/pipelines/runs/${second.runId}`);
    expect(after.status).toBe('failed');
    expect(after.stages.slice(0, 2).map((s: any) => s.status)).toEqual(['succeeded', 'failed']);
    expect(after.stages[1].publication).toMatchObject({ state: 'rolledBack', published: STAGE_TABLES.etl.slice(0, 3) });
    expect(Object.fromEntries(await Promise.all(STAGE_TABLES.etl.map(async (t) => [t, await manifest(t)] as const)))).toEqual(before);
    expect(await manifest('quality_report')).toBe(`${second.runId}-a1`);
    // The catalog follows the tables back to the version their manifests name.
    for (const t of STAGE_TABLES.etl) {
      expect((await json(`${gw.url}/tables/${t}`)).location, t).toBe(`s3://lake/wh/.versions/${t}/${first.runId}-a1`);
    }
    s3.destroy();
  }, 300_000);
});
