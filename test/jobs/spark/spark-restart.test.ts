import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCardCsv } from '../../../src/generator/card-generator.js';
import { spawnGateway, type GatewayProcess } from '../../support/gateway-process.js';
import { groupMembers, until } from './spark-support.js';

// A gateway killed with SIGKILL cannot stop its spark-submit; the next one, on the same home, must.

let home: string;
let input: string;
let gw: GatewayProcess | undefined;
let pgid = 0;

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'lakegate-spark-restart-'));
  input = path.join(home, 'card.csv');
  await generateCardCsv({ records: 20_000, output: input, seed: 5 });
});
afterAll(async () => {
  await gw?.kill('SIGKILL');
  // Should the test fail, the job must not outlive it.
  if (pgid > 0 && groupMembers(pgid).length > 0) process.kill(-pgid, 'SIGKILL');
  if (home) await rm(home, { recursive: true, force: true });
});

async function getJson(url: string): Promise<any> {
  const res = await fetch(url);
  return res.json();
}

describe('spark job of a killed gateway', () => {
  it('is killed by the next gateway on the same home, and its unpublished versions removed', async () => {
    gw = await spawnGateway({ LAKEGATE_HOME: home });
    const submitted = await fetch(`${gw.url}/pipelines/run`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ input, engine: 'spark', stages: ['quality', 'etl'] }),
    });
    expect(submitted.status).toBe(202);
    const { runId } = (await submitted.json()) as { runId: string };

    // The etl job is running, and the run on disk names its process group and marker.
    await until('the etl job to start', async () => {
      const run = await getJson(`${gw!.url}/pipelines/runs/${runId}`);
      const etl = run.stages.find((s: { name: string }) => s.name === 'etl');
      if (etl?.external?.pgid && etl.external.job) pgid = Number(etl.external.pgid);
      return pgid > 0 ? true : undefined;
    }, 180_000);
    await until('the python driver', () => (groupMembers(pgid).some(([, comm]) => comm.startsWith('python')) ? true : undefined));

    await gw.kill('SIGKILL');
    // Nothing stopped the job: its JVM outlives the gateway (this is what the restart must clean up).
    expect(groupMembers(pgid).some(([, comm]) => comm === 'java')).toBe(true);

    gw = await spawnGateway({ LAKEGATE_HOME: home });
    await until('the orphaned job to be killed', () => (groupMembers(pgid).length === 0 ? true : undefined), 20_000);
    const run = await getJson(`${gw.url}/pipelines/runs/${runId}`);
    expect(run.status).toBe('failed');
    expect(run.stages.find((s: { name: string }) => s.name === 'etl').status).toBe('failed');
    const warehouse = path.join(home, 'warehouse');
    for (const table of ['partitioned_transactions', 'daily_category_summary']) {
      expect(await readdir(path.join(warehouse, '.versions', table)).catch(() => [])).toEqual([]);
    }
  }, 300_000);
});
