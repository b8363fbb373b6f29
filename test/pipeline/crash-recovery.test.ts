import { mkdtemp, readdir, readlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCardCsv } from '../support/card-csv.js';
import { cardCsv } from '../support/csv-fixtures.js';
import { requestJson as json, spawnGateway, type GatewayProcess } from '../support/gateway-process.js';
import { removeDir } from '../support/gateway.js';
import { queryParquet, tableGlob } from '../support/parquet.js';
import { until } from '../support/until.js';

let home: string;
let gw: GatewayProcess | undefined;
afterAll(async () => {
  await gw?.kill();
  if (home) await removeDir(home);
});

describe('a gateway killed with SIGKILL in the middle of etl', () => {
  it('leaves the previous tables complete and marks the run failed after restart', async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'lakegate-crash-'));
    const wh = path.join(home, 'warehouse');
    const small = await cardCsv(path.join(home, 'small.csv'), 3_000);
    const big = await cardCsv(path.join(home, 'big.csv'), 400_000, undefined, 5);
    gw = await spawnGateway({ LAKEGATE_HOME: home });
    const first = await json(`${gw.url}/pipelines/run`, { method: 'POST', body: JSON.stringify({ input: small, stages: ['quality', 'etl'] }) });
    await until('first run', async () => ((await json(`${gw!.url}/pipelines/runs/${first.runId}`)).status === 'succeeded' ? true : undefined), 60_000, 10);
    const before = await readlink(path.join(wh, 'partitioned_transactions'));

    const second = await json(`${gw.url}/pipelines/run`, { method: 'POST', body: JSON.stringify({ input: big }) });
    expect(second.runId, JSON.stringify(second)).toMatch(/^run_/);
    // Kill as soon as etl has started writing its first table aside: it publishes only after all six.
    const versions = path.join(wh, '.versions', 'partitioned_transactions');
    await until('etl to start writing', async () => ((await readdir(versions).catch(() => [])).some((v) => v.startsWith(second.runId)) ? true : undefined), 120_000, 10);
    await gw.kill('SIGKILL');
    // The run's scratch (the input's Parquet copy) is left behind by the kill...
    expect(await readdir(path.join(home, 'scratch'))).toContain(second.runId);

    // The previous version is still what the table points at, complete and readable.
    expect(await readlink(path.join(wh, 'partitioned_transactions'))).toBe(before);
    const [t] = await queryParquet(`SELECT count(*) n FROM ${tableGlob(wh, 'partitioned_transactions')}`);
    expect(t!.n).toBe(3_000);
    const [d] = await queryParquet(`SELECT sum(transaction_count) n FROM ${tableGlob(wh, 'daily_category_summary')}`);
    expect(d!.n).toBe(readCardCsv(small).filter((r) => r.approval_status === 'approved').length);

    gw = await spawnGateway({ LAKEGATE_HOME: home });
    const after = await json(`${gw.url}/pipelines/runs/${second.runId}`);
    expect(after.status).toBe('failed');
    expect(after.error).toMatch(/gateway stopped while this run was in flight/);
    expect(after.stages[1]).toMatchObject({ name: 'etl', status: 'failed', error: 'interrupted by a gateway restart' });
    const history = await json(`${gw.url}/pipelines/runs`);
    expect(history.runs.map((r: any) => r.runId)).toEqual([second.runId, first.runId]);
    // The killed run's half-written version directories were removed on restart.
    expect((await readdir(versions)).some((v) => v.startsWith(second.runId))).toBe(false);
    // ...and removed with them.
    expect(await readdir(path.join(home, 'scratch'))).not.toContain(second.runId);
  }, 240_000);
});
