import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STAGE_TABLES } from '../../../src/pipeline/pipeline-types.js';
import { cardCsv } from '../../support/csv-fixtures.js';
import { exited, requestJson as json, spawnGateway, tableLinks, transactionCount, type GatewayProcess } from '../../support/gateway-process.js';
import { until } from '../../support/until.js';

/**
 * The Spark engine publishes through the same commit point as the embedded one: a gateway killed
 * (SIGKILL, LAKEGATE_FAULT_KILL_AT) part-way through the swaps of a Spark etl stage must, after a
 * restart, show the run record and the live tables in agreement: quality (succeeded) live at the
 * Spark run's version, every etl table back at the version it had before, and no etl version of the
 * Spark run left on disk.
 */
let home: string;
let gw: GatewayProcess | undefined;
afterAll(async () => {
  await gw?.kill();
  if (home) await rm(home, { recursive: true, force: true });
});

describe('SIGKILL while a Spark stage publishes', () => {
  it('leaves the run record and the live tables in agreement after restart', async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'lakegate-spark-crash-'));
    const wh = path.join(home, 'warehouse');
    const tables = [...STAGE_TABLES.quality, ...STAGE_TABLES.etl];
    const links = (): Promise<Record<string, string>> => tableLinks(wh, tables);
    const count = (): Promise<number> => transactionCount(gw!.url);

    // What is live before: an embedded run of 600 rows.
    gw = await spawnGateway({ LAKEGATE_HOME: home });
    const first = await json(`${gw.url}/pipelines/run`, { method: 'POST', body: JSON.stringify({ input: await cardCsv(path.join(home, 'first.csv'), 600), stages: ['quality', 'etl'] }) });
    await until('the embedded run', async () => ((await json(`${gw!.url}/pipelines/runs/${first.runId}`)).status === 'succeeded' ? true : undefined), 120_000, 50);
    const before = await links();
    expect(await count()).toBe(600);
    await gw.kill('SIGTERM');

    // The Spark run is killed after 3 of etl's 6 swaps.
    gw = await spawnGateway({ LAKEGATE_HOME: home, LAKEGATE_FAULT_KILL_AT: 'etl:publishing:3' });
    const input = await cardCsv(path.join(home, 'second.csv'), 800, undefined, 7);
    const run = await json(`${gw.url}/pipelines/run`, { method: 'POST', body: JSON.stringify({ input, engine: 'spark', stages: ['quality', 'etl'] }) });
    expect(run.runId, JSON.stringify(run)).toMatch(/^run_/);
    await killedOrEnded(gw, run.runId);
    // It was killed mid-publication: three etl tables point at the Spark run's version.
    const killed = await links();
    const swapped = STAGE_TABLES.etl.filter((t) => killed[t] === path.join('.versions', t, `${run.runId}-a1`));
    expect(swapped).toHaveLength(3);

    gw = await spawnGateway({ LAKEGATE_HOME: home });
    const after = await json(`${gw.url}/pipelines/runs/${run.runId}`);
    expect(after.status).toBe('failed');
    expect(after.stages.map((s: any) => [s.name, s.status])).toEqual([['quality', 'succeeded'], ['etl', 'failed'], ['quarterly', 'skipped'], ['benchmark', 'skipped']]);
    expect(after.stages[1].publication).toMatchObject({ state: 'rolledBack', version: `${run.runId}-a1`, published: swapped });
    expect(await links()).toEqual({ ...before, quality_report: path.join('.versions', 'quality_report', `${run.runId}-a1`) });
    for (const t of STAGE_TABLES.etl) {
      expect((await readdir(path.join(wh, '.versions', t))).filter((v) => v.startsWith(run.runId)), t).toEqual([]);
    }
    expect(await count()).toBe(600);
  }, 600_000);
});

/** Waits for the fault-injected kill; fails at once if the run ends (a Spark failure) before it. */
async function killedOrEnded(g: GatewayProcess, runId: string): Promise<void> {
  let gone = false;
  const exit = exited(g).then(() => {
    gone = true;
  });
  while (!gone) {
    const r = await json(`${g.url}/pipelines/runs/${runId}`).catch(() => undefined);
    if (!gone && r && !['queued', 'running'].includes(r.status)) throw new Error(`the run ended ${r.status} before the kill: ${r.error}`);
    await Promise.race([exit, new Promise((resolve) => setTimeout(resolve, 500))]);
  }
}
