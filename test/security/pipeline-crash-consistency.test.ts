import { mkdtemp, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STAGE_ORDER, STAGE_TABLES, type StageName } from '../../src/pipeline/pipeline-types.js';
import { cardCsv } from '../support/csv-fixtures.js';
import { exited, requestJson as json, spawnGateway, tableLinks, transactionCount, type GatewayProcess } from '../support/gateway-process.js';
import { removeDir } from '../support/gateway.js';
import { until } from '../support/until.js';

/**
 * The gateway is killed (SIGKILL, through LAKEGATE_FAULT_KILL_AT) at each step of the publication of
 * every stage: after the intent is recorded, part-way through the swaps, and after the last swap
 * before the stage's success is recorded. After a restart, the run record must match what is live:
 * the stages recorded as succeeded are live, the interrupted one is not (its tables point at what
 * they pointed at before the run), and no version of the run is left behind for it.
 */
const ALL_TABLES = STAGE_ORDER.flatMap((s) => STAGE_TABLES[s]);
const points = (stage: StageName): string[] => {
  const n = STAGE_TABLES[stage].length;
  return [`${stage}:publishing:0`, `${stage}:publishing:${Math.ceil(n / 2)}`, `${stage}:published:${n}`];
};
const CASES = STAGE_ORDER.flatMap((stage) => points(stage).map((at) => ({ stage, at })));

let home: string;
let gw: GatewayProcess | undefined;
afterAll(async () => {
  await gw?.kill();
  if (home) await removeDir(home);
});


describe('SIGKILL at each step of publication, in every stage', () => {
  it('leaves the run record and the live tables in agreement after restart', async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'lakegate-crash-points-'));
    const wh = path.join(home, 'warehouse');
    const linksNow = (): Promise<Record<string, string>> => tableLinks(wh, ALL_TABLES);
    const countRows = (): Promise<number> => transactionCount(gw!.url);

    gw = await spawnGateway({ LAKEGATE_HOME: home });
    const first = await json(`${gw.url}/pipelines/run`, { method: 'POST', body: JSON.stringify({ input: await cardCsv(path.join(home, 'first.csv'), 1_000) }) });
    await until('first run', async () => ((await json(`${gw!.url}/pipelines/runs/${first.runId}`)).status === 'succeeded' ? true : undefined), 120_000, 20);
    await gw.kill('SIGTERM');
    gw = await spawnGateway({ LAKEGATE_HOME: home, LAKEGATE_FAULT_KILL_AT: CASES[0]!.at });
    let live = await linksNow();
    let liveRows = 1_000;

    for (const [i, { stage, at }] of CASES.entries()) {
      const rows = 1_010 + i * 10;
      const input = await cardCsv(path.join(home, `in-${i}.csv`), rows, undefined, 20 + i);
      const run = await json(`${gw.url}/pipelines/run`, { method: 'POST', body: JSON.stringify({ input }) });
      expect(run.runId, `${at}: ${JSON.stringify(run)}`).toMatch(/^run_/);
      await exited(gw);
      // The restart recovers the killed run; it is also armed for the next case.
      gw = await spawnGateway({ LAKEGATE_HOME: home, LAKEGATE_FAULT_KILL_AT: CASES[i + 1]?.at ?? 'none' });
      const after = await json(`${gw.url}/pipelines/runs/${run.runId}`);
      const k = STAGE_ORDER.indexOf(stage);
      expect(after.status, at).toBe('failed');
      expect(after.stages.map((s: any) => s.status), at).toEqual(STAGE_ORDER.map((_, j) => (j < k ? 'succeeded' : j === k ? 'failed' : 'skipped')));
      expect(after.stages[k].publication, at).toMatchObject({ state: 'rolledBack', version: `${run.runId}-a1` });

      // Stages recorded as succeeded are live at this run's version; the rest are as they were.
      const expected = { ...live };
      for (const s of STAGE_ORDER.slice(0, k)) for (const t of STAGE_TABLES[s]) expected[t] = path.join('.versions', t, `${run.runId}-a1`);
      expect(await linksNow(), at).toEqual(expected);
      for (const t of STAGE_TABLES[stage]) {
        expect((await readdir(path.join(wh, '.versions', t))).filter((v) => v.startsWith(run.runId)), `${at} ${t}`).toEqual([]);
      }
      if (k > 1) liveRows = rows;
      expect(await countRows(), at).toBe(liveRows);
      live = expected;
    }
  }, 600_000);
});
