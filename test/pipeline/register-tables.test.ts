import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardCsv } from '../support/csv-fixtures.js';
import { removeDir, startGateway, waitForRun, type TestGateway } from '../support/gateway.js';

// Re-pointing the catalog at a run's output is the warehouse run's default, and explicit for any
// other output: a quality-only run into a scratch folder must not move the catalog's quality_report.
describe('which runs register their tables in the catalog', () => {
  let gw: TestGateway;
  let input: string;
  const post = (payload: Record<string, unknown>) => gw.app.inject({ method: 'POST', url: '/pipelines/run', payload });
  const locationOf = async (table: string): Promise<string> => (await gw.app.inject({ method: 'GET', url: `/tables/${table}` })).json().location;
  const run = async (payload: Record<string, unknown>): Promise<Record<string, any>> => {
    const res = await post({ input, year: 2024, ...payload });
    expect(res.statusCode, res.body).toBe(202);
    return waitForRun(gw.app, res.json().runId);
  };

  beforeAll(async () => {
    gw = await startGateway();
    input = await cardCsv(path.join(gw.home, 'card.csv'), 2_000);
  });
  afterAll(async () => {
    await gw?.close();
    if (gw) await removeDir(gw.home);
  });

  it('the warehouse run registers every table it publishes, and says so', async () => {
    const done = await run({ stages: ['quality', 'etl'] });
    expect(done.status, done.error).toBe('succeeded');
    expect(done.registerTables).toBe(true);
    expect(done.registeredTables).toEqual(['quality_report', 'partitioned_transactions', 'daily_category_summary', 'merchant_ranking', 'hourly_pattern', 'regional_analysis', 'monthly_trend']);
    expect(await locationOf('quality_report')).toBe(path.join(gw.home, 'warehouse', 'quality_report'));
  });

  it('a run into another folder publishes there and re-points nothing', async () => {
    const scratch = path.join(gw.home, 'scratch-out');
    const done = await run({ stages: ['quality'], output: scratch });
    expect(done.status, done.error).toBe('succeeded');
    expect(done).toMatchObject({ registerTables: false, registeredTables: [] });
    expect(await locationOf('quality_report')).toBe(path.join(gw.home, 'warehouse', 'quality_report'));
    const logs = (await gw.app.inject({ method: 'GET', url: `/pipelines/runs/${done.runId}/logs` })).body;
    expect(logs).toContain(`[quality] not registered in the catalog (registerTables is false for output ${scratch})`);
  });

  it('re-points the catalog at another folder only when asked', async () => {
    const other = path.join(gw.home, 'other-out');
    const done = await run({ stages: ['quality'], output: other, registerTables: true });
    expect(done).toMatchObject({ status: 'succeeded', registerTables: true, registeredTables: ['quality_report'] });
    expect(await locationOf('quality_report')).toBe(path.join(other, 'quality_report'));
  });

  it('refuses registerTables false for the local warehouse, whose published links are the catalog\'s tables', async () => {
    const res = await post({ input, stages: ['quality'], registerTables: false });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(res.json().detail).toContain('registerTables false applies to outputs other than the local warehouse');
  });

  it('takes the default spelled out as the same request for an idempotency key', async () => {
    const first = await post({ input, stages: ['quality'], output: path.join(gw.home, 'keyed'), idempotencyKey: 'k-register' });
    expect(first.statusCode).toBe(202);
    const again = await post({ input, stages: ['quality'], output: path.join(gw.home, 'keyed'), idempotencyKey: 'k-register', registerTables: false });
    expect(again.statusCode).toBe(200);
    expect(again.json().runId).toBe(first.json().runId);
    const other = await post({ input, stages: ['quality'], output: path.join(gw.home, 'keyed'), idempotencyKey: 'k-register', registerTables: true });
    expect(other.statusCode).toBe(422);
    expect(other.json().code).toBe('IDEMPOTENCY_KEY_REUSED');
    await waitForRun(gw.app, first.json().runId);
  });
});
