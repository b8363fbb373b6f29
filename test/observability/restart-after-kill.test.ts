import { mkdtemp, readdir, readlink, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardCsv } from '../support/csv-fixtures.js';
import { spawnGateway, type GatewayProcess } from '../support/gateway-process.js';
import { removeDir } from '../support/gateway.js';
import { transactionsFile } from '../catalog/support/catalog-fixture.js';
import { layOutPartitions } from '../catalog/support/lake.js';
import { apiKeysEnv, TOKENS } from '../auth/keys.js';
import { until } from '../support/until.js';

const PARTITIONS = 6_000;
const ROWS_PER_FILE = 5; // transactionsFile()

let home: string;
let gw: GatewayProcess | undefined;
const start = async (): Promise<GatewayProcess> => (gw = await spawnGateway({ LAKEGATE_HOME: home, LAKEGATE_API_KEYS: apiKeysEnv(), LAKEGATE_RATE_LIMIT_PER_MINUTE: '0' }));

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'lakegate-kill-'));
});
afterAll(async () => {
  await gw?.kill();
  await removeDir(home);
});

async function call(method: string, url: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${gw!.url}${url}`, {
    method,
    headers: { authorization: `Bearer ${TOKENS.admin}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
}

const runEnded = (runId: string) =>
  until(`run ${runId}`, async () => {
    const { json } = await call('GET', `/pipelines/runs/${runId}`);
    return json.status === 'queued' || json.status === 'running' ? undefined : json;
  }, 120_000, 10);

/** Every published table: its link resolves to a complete version directory, and the catalog knows it. */
async function expectPublishedConsistent(): Promise<void> {
  const warehouse = path.join(home, 'warehouse');
  const catalog = new Set(((await call('GET', '/tables')).json.tables as { name: string }[]).map((t) => t.name));
  for (const entry of await readdir(warehouse)) {
    if (entry.startsWith('.')) continue;
    const target = await readlink(path.join(warehouse, entry));
    expect((await stat(path.resolve(warehouse, target))).isDirectory(), entry).toBe(true);
    expect(catalog.has(entry), `${entry} in the catalog`).toBe(true);
  }
}

describe('SIGKILL during a pipeline run, then restart', () => {
  it('keeps the previous tables published and queryable, and the catalog in step with them', async () => {
    await start();
    const small = await cardCsv(path.join(home, 'small.csv'), 2_000);
    const big = await cardCsv(path.join(home, 'big.csv'), 300_000, undefined, 5);
    const first = await call('POST', '/pipelines/run', { input: small, stages: ['quality', 'etl'] });
    expect((await runEnded(first.json.runId)).status).toBe('succeeded');
    const countSql = { sql: 'SELECT count(*) AS n FROM partitioned_transactions' };
    const before = (await call('POST', '/query', countSql)).json.rows[0][0];
    expect(Number(before)).toBe(2_000);
    const partitionsBefore = (await call('GET', '/tables/partitioned_transactions/partitions')).json.partitions.length;

    const second = await call('POST', '/pipelines/run', { input: big });
    await until('etl to start', async () => ((await call('GET', `/pipelines/runs/${second.json.runId}`)).json.stages[1].status === 'running' ? true : undefined), 60_000, 10);
    await new Promise((r) => setTimeout(r, 200));
    await gw!.kill('SIGKILL');

    await start();
    const after = await call('GET', `/pipelines/runs/${second.json.runId}`);
    expect(after.json.status).toBe('failed');
    expect(after.json.error).toContain('restart');
    expect(Number((await call('POST', '/query', countSql)).json.rows[0][0])).toBe(2_000);
    expect((await call('GET', '/tables/partitioned_transactions/partitions')).json.partitions.length).toBe(partitionsBefore);
    await expectPublishedConsistent();
    // Nothing of the killed run is left, and the output is free for the next run.
    const versions = await readdir(path.join(home, 'warehouse', '.versions', 'partitioned_transactions'));
    expect(versions.some((v) => v.startsWith(second.json.runId))).toBe(false);
    const third = await call('POST', '/pipelines/run', { input: small, stages: ['quality', 'etl'] });
    expect(third.status).toBe(202);
    expect((await runEnded(third.json.runId)).status).toBe('succeeded');
  }, 240_000);
});

describe('SIGKILL during a repair of a table with many partitions, then restart', () => {
  const table = 'killed_repair';
  const location = () => path.join(home, 'lake', table);
  const partitions = async () => (await call('GET', `/tables/${table}/partitions`)).json.partitions as { values: Record<string, string> }[];

  beforeAll(async () => {
    if (!gw || gw.child.exitCode !== null) await start();
    const created = await call('POST', '/tables', {
      name: table,
      location: location(),
      columns: [{ name: 'transaction_id', type: 'string' }, { name: 'amount', type: 'bigint' }],
      partitionKeys: [{ name: 'txn_year', type: 'int' }, { name: 'txn_month', type: 'int' }],
    });
    expect(created.status).toBe(201);
    await layOutPartitions(location(), PARTITIONS, await transactionsFile());
  }, 120_000);

  it('leaves all partitions or none registered, and a second repair completes the table', async () => {
    let landed = false;
    // A repair of this table takes about 1.5 s here: the first kill lands while it lists, the second around its commit.
    for (const delayMs of [100, 1_200]) {
      const repair = fetch(`${gw!.url}/tables/${table}/repair`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKENS.catalog}`, 'content-type': 'application/json' },
        body: '{}',
      }).then((r) => r.status, () => 'killed' as const);
      await new Promise((r) => setTimeout(r, delayMs));
      await gw!.kill('SIGKILL');
      landed ||= (await repair) === 'killed';
      await start();
      const registered = await partitions();
      // The catalog writes a repair in one transaction: all or nothing, never half, never duplicates.
      expect([0, PARTITIONS]).toContain(registered.length);
      expect(new Set(registered.map((p) => `${p.values.txn_year}/${p.values.txn_month}`)).size).toBe(registered.length);
      if (registered.length === PARTITIONS) break;
    }
    expect(landed).toBe(true);

    const again = await call('POST', `/tables/${table}/repair`, {});
    expect(again.status).toBe(200);
    expect((await partitions()).length).toBe(PARTITIONS);
    const count = await call('POST', '/query', { sql: `SELECT count(*) AS n FROM ${table}` });
    expect(Number(count.json.rows[0][0])).toBe(PARTITIONS * ROWS_PER_FILE);
    await expectPublishedConsistent();
  }, 240_000);
});
