import { cp, mkdtemp, readdir, readlink, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogService } from '../../src/catalog/catalog-service.js';
import { AppError } from '../../src/errors.js';
import { LocalJobBackend } from '../../src/jobs/local/local-job-backend.js';
import { PipelineService } from '../../src/pipeline/pipeline-service.js';
import { RunStore } from '../../src/pipeline/run-store.js';
import { TableRegistry } from '../../src/pipeline/table-registry.js';
import { cardCsv } from '../support/csv-fixtures.js';
import { removeDir } from '../support/gateway.js';
import { queryParquet, tableGlob } from '../support/parquet.js';

/**
 * A stage is live exactly when its run records it as succeeded, also when the failure comes after
 * its tables were swapped (the catalog refusing the registration): the embedded engine really writes
 * and publishes; the catalog is a stand-in that refuses on demand, the one failure a real local
 * catalog cannot be made to produce on cue.
 */
let home: string;
let wh: string;
let svc: PipelineService;
let refuse: Set<string>;
const calls: string[] = [];

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'lakegate-rollback-'));
  wh = path.join(home, 'warehouse');
  const tables = await TableRegistry.load(path.resolve('ddl'), { warehouse: wh, database: 'card_analytics' });
  refuse = new Set();
  const catalog = {
    listTables: async () => [],
    registerAndRepair: async (defs: { name: string }[]) => {
      calls.push(defs.map((d) => d.name).join(','));
      if (defs.some((d) => refuse.has(d.name))) throw new AppError('LOCATION_UNREACHABLE', 'the catalog refused the registration');
      return [];
    },
    syncEngines: async () => [],
  } as unknown as CatalogService;
  svc = new PipelineService({
    store: await RunStore.open(path.join(home, 'runs')), tables, catalog, backends: { local: new LocalJobBackend({ tables, scratchDir: path.join(home, 'scratch') }) },
    warehouse: wh, localRoots: [home], stageRetries: 0, retryDelayMs: 1, timeoutMs: 120_000, log: () => undefined,
  });
  const first = await svc.submit({ input: await cardCsv(path.join(home, 'first.csv'), 1_000), stages: ['quality', 'etl'] });
  expect((await svc.waitFor(first.run.runId)).status).toBe('succeeded');
}, 120_000);
afterAll(async () => {
  await svc?.close();
  if (home) await removeDir(home);
});

const link = (t: string): Promise<string> => readlink(path.join(wh, t));
const rows = async (t: string): Promise<number> => Number((await queryParquet(`SELECT count(*) n FROM ${tableGlob(wh, t)}`))[0]!.n);

describe('a failure after the swap', () => {
  it('points the stage\'s tables back and records the roll-back', async () => {
    const before = await Promise.all(['partitioned_transactions', 'monthly_trend'].map(link));
    refuse = new Set(['partitioned_transactions']);
    const { run } = await svc.submit({ input: await cardCsv(path.join(home, 'second.csv'), 1_500, undefined, 3), stages: ['quality', 'etl'] });
    const done = await svc.waitFor(run.runId);
    refuse = new Set();
    expect(done.status).toBe('failed');
    expect(done.stages[1]).toMatchObject({ name: 'etl', status: 'failed', error: 'the catalog refused the registration' });
    expect(done.stages[1]!.publication).toMatchObject({ state: 'rolledBack', version: `${run.runId}-a1`, published: ['partitioned_transactions', 'daily_category_summary', 'merchant_ranking', 'hourly_pattern', 'regional_analysis', 'monthly_trend'] });
    expect(await Promise.all(['partitioned_transactions', 'monthly_trend'].map(link))).toEqual(before);
    expect(await rows('partitioned_transactions')).toBe(1_000);
    // Nothing of the rolled-back version stays on disk.
    for (const t of ['partitioned_transactions', 'monthly_trend']) {
      expect((await readdir(path.join(wh, '.versions', t))).filter((v) => v.startsWith(run.runId)), t).toEqual([]);
    }
    // The catalog was asked to follow the tables back after the refusal.
    expect(calls.at(-1)).toBe('partitioned_transactions,daily_category_summary,merchant_ranking,hourly_pattern,regional_analysis,monthly_trend');
  });

  it('rolls back to a table that was a plain directory, and keeps it through the next publication', async () => {
    // An older layout: monthly_trend is a directory of files, not a link.
    const plain = path.join(wh, 'monthly_trend');
    const target = path.join(wh, await link('monthly_trend'));
    await rm(plain);
    await cp(target, plain, { recursive: true });
    const plainRows = await rows('monthly_trend');
    refuse = new Set(['monthly_trend']);
    const { run } = await svc.submit({ input: await cardCsv(path.join(home, 'third.csv'), 1_200, undefined, 4), stages: ['quality', 'etl'] });
    expect((await svc.waitFor(run.runId)).status).toBe('failed');
    refuse = new Set();
    const adopted = await link('monthly_trend');
    expect(adopted).toMatch(/^\.versions\/monthly_trend\/adopted-\d+$/);
    expect(await rows('monthly_trend')).toBe(plainRows);
    const { run: next } = await svc.submit({ input: await cardCsv(path.join(home, 'fourth.csv'), 1_300, undefined, 5), stages: ['quality', 'etl'] });
    expect((await svc.waitFor(next.runId)).status).toBe('succeeded');
    // The adopted version is the one this publication replaced: kept for readers in flight.
    expect(await readdir(path.join(wh, '.versions', 'monthly_trend'))).toEqual(expect.arrayContaining([path.basename(adopted), `${next.runId}-a1`]));
  });
});
