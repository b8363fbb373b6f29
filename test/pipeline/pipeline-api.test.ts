import { readlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardCsv, setField } from '../support/csv-fixtures.js';
import { removeDir, startGateway, waitForRun, type TestGateway } from '../support/gateway.js';
import { queryParquet, tableGlob } from '../support/parquet.js';

let gw: TestGateway;
let good: string;
let wh: string;

const post = (url: string, payload: unknown) => gw.app.inject({ method: 'POST', url, payload: payload as object });
const count = async (table: string): Promise<number> => (await queryParquet(`SELECT count(*) n FROM ${tableGlob(wh, table)}`))[0]!.n;

beforeAll(async () => {
  gw = await startGateway({ LAKEGATE_STAGE_RETRIES: '0' });
  wh = path.join(gw.home, 'warehouse');
  good = await cardCsv(path.join(gw.home, 'good.csv'), 5_000);
  const res = await post('/pipelines/run', { input: good, idempotencyKey: 'first' });
  expect(res.statusCode).toBe(202);
  expect((await waitForRun(gw.app, res.json().runId)).status).toBe('succeeded');
});
afterAll(async () => {
  await gw.close();
  await removeDir(gw.home);
});

describe('quality FAIL halts the run and publishes nothing', () => {
  const planted = [
    // One id on three rows and another on two: counted as 2 ids (the original's count), 3 surplus rows.
    ['duplicate transaction_ids', (l: string[]) => {
      for (const i of [2, 3]) setField(l, i, 0, l[1]!.split(',')[0]!);
      setField(l, 5, 0, l[4]!.split(',')[0]!);
    }, 'duplicate_transaction_id', 2, '2 transaction_ids occur more than once (3 rows beyond the first of each)'],
    ['a negative amount', (l: string[]) => setField(l, 3, 7, '-500'), 'negative_amount', 1, '1 amounts are below zero'],
    // Only '' and 'null' mean no value: 'NULL' is a region outside the domain, as in the original.
    ['a region written NULL', (l: string[]) => setField(l, 3, 10, 'NULL'), 'region_domain', 1, undefined],
  ] as const;
  for (const [what, edit, check, issues, detail] of planted) {
    it(`halts on ${what}`, async () => {
      const before = await Promise.all(['partitioned_transactions', 'quality_report', 'monthly_trend'].map((t) => readlink(path.join(wh, t))));
      const bad = await cardCsv(path.join(gw.home, `bad-${check}.csv`), 2_000, (l) => edit(l), 99);
      const res = await post('/pipelines/run', { input: bad });
      const run = await waitForRun(gw.app, res.json().runId);
      expect(run.status).toBe('halted');
      expect(run.stages.map((s: any) => s.status), JSON.stringify(run.stages)).toEqual(['failed', 'skipped', 'skipped', 'skipped']);
      expect(run.stages[0].attempts).toBe(1);
      expect(run.quality.overall).toBe('FAIL');
      const failed = run.quality.checks.find((c: any) => c.name === check);
      expect(failed).toMatchObject({ status: 'FAIL', issueCount: issues });
      if (detail) expect(failed.detail).toBe(detail);
      if (check === 'region_domain') expect(run.quality.checks.find((c: any) => c.name === 'null_region')).toMatchObject({ status: 'PASS', issueCount: 0 });
      const after = await Promise.all(['partitioned_transactions', 'quality_report', 'monthly_trend'].map((t) => readlink(path.join(wh, t))));
      expect(after).toEqual(before);
      expect(await count('partitioned_transactions')).toBe(5_000);
    });
  }

  it('reports WARN checks without halting', async () => {
    const warn = await cardCsv(path.join(gw.home, 'warn.csv'), 2_000, (l) => {
      setField(l, 5, 7, '0');
      setField(l, 6, 2, '');
    });
    const run = await waitForRun(gw.app, (await post('/pipelines/run', { input: warn, output: 'wh-warn', stages: ['quality'] })).json().runId);
    expect(run.status).toBe('succeeded');
    expect(run.quality.overall).toBe('WARN');
    const byName = Object.fromEntries(run.quality.checks.map((c: any) => [c.name, c]));
    expect(byName.zero_amount).toMatchObject({ status: 'WARN', issueCount: 1 });
    expect(byName.null_card_no).toMatchObject({ status: 'WARN', issueCount: 1 });
    expect(run.stages.map((s: any) => s.status)).toEqual(['succeeded', 'skipped', 'skipped', 'skipped']);
  });
});

describe('run API', () => {
  it('returns the same run for the same idempotency key', async () => {
    const res = await post('/pipelines/run', { input: good, idempotencyKey: 'first' });
    expect(res.statusCode).toBe(200);
    const first = (await gw.app.inject({ method: 'GET', url: '/pipelines/runs?limit=200' })).json().runs.find((r: any) => r.idempotencyKey === 'first');
    expect(res.json().runId).toBe(first.runId);
  });

  it('refuses a second active run for the same output with 409', async () => {
    const big = await cardCsv(path.join(gw.home, 'big.csv'), 60_000);
    const a = await post('/pipelines/run', { input: big, output: 'wh-conflict' });
    const b = await post('/pipelines/run', { input: good, output: 'wh-conflict' });
    expect(a.statusCode).toBe(202);
    expect(b.statusCode).toBe(409);
    expect(b.headers['content-type']).toContain('application/problem+json');
    expect(b.json()).toMatchObject({ code: 'RUN_CONFLICT', activeRunId: a.json().runId });
    const cancel = await post(`/pipelines/runs/${a.json().runId}/cancel`, {});
    expect(cancel.statusCode).toBe(200);
    expect(cancel.json().status).toBe('cancelled');
    expect((await post(`/pipelines/runs/${a.json().runId}/cancel`, {})).json().code).toBe('RUN_NOT_CANCELLABLE');
  });

  it('lets only one of several simultaneous submissions for an output start', async () => {
    const answers = await Promise.all(Array.from({ length: 4 }, () => post('/pipelines/run', { input: good, output: 'wh-race' })));
    const statuses = answers.map((a) => a.statusCode).sort();
    expect(statuses).toEqual([202, 409, 409, 409]);
    const started = answers.find((a) => a.statusCode === 202)!.json().runId;
    for (const a of answers.filter((x) => x.statusCode === 409)) expect(a.json().activeRunId).toBe(started);
    expect((await waitForRun(gw.app, started)).status).toBe('succeeded');
  });

  it('creates one run for simultaneous submissions with the same idempotency key', async () => {
    const answers = await Promise.all(Array.from({ length: 3 }, () => post('/pipelines/run', { input: good, output: 'wh-idem', idempotencyKey: 'same-time' })));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 200, 202]);
    expect(new Set(answers.map((a) => a.json().runId)).size).toBe(1);
    const runs = (await gw.app.inject({ method: 'GET', url: '/pipelines/runs?limit=200' })).json().runs;
    expect(runs.filter((r: any) => r.idempotencyKey === 'same-time')).toHaveLength(1);
    expect((await waitForRun(gw.app, answers[0]!.json().runId)).status).toBe('succeeded');
  });

  it('lists runs newest first with a cursor', async () => {
    const page1 = (await gw.app.inject({ method: 'GET', url: '/pipelines/runs?limit=2' })).json();
    expect(page1.runs).toHaveLength(2);
    expect(page1.runs[0].createdAt >= page1.runs[1].createdAt).toBe(true);
    const page2 = (await gw.app.inject({ method: 'GET', url: `/pipelines/runs?limit=2&cursor=${page1.nextCursor}` })).json();
    expect(page2.runs[0].runId < page1.runs[1].runId).toBe(true);
  });

  it('serves run logs', async () => {
    const runs = (await gw.app.inject({ method: 'GET', url: '/pipelines/runs?limit=200' })).json().runs;
    const first = runs.find((r: any) => r.idempotencyKey === 'first');
    const logs = await gw.app.inject({ method: 'GET', url: `/pipelines/runs/${first.runId}/logs` });
    expect(logs.headers['content-type']).toContain('text/plain');
    expect(logs.body).toContain('[etl] published partitioned_transactions');
  });

  const bad: [string, unknown, number, string][] = [
    ['no input', {}, 400, 'VALIDATION_FAILED'],
    ['an unknown field', { input: 'x', colour: 'red' }, 400, 'VALIDATION_FAILED'],
    ['an unknown engine', { input: 'x', engine: 'hadoop' }, 400, 'VALIDATION_FAILED'],
    ['an unknown stage', { input: 'x', stages: ['etl', 'load'] }, 400, 'VALIDATION_FAILED'],
    ['a year out of range', { input: 'x', year: 99999 }, 400, 'VALIDATION_FAILED'],
    ['a missing input file', { input: '/definitely/not/here.csv' }, 422, 'INPUT_NOT_FOUND'],
    ['a directory as input', { input: '/tmp' }, 422, 'INPUT_INVALID'],
    ['engine spark before it exists', { input: 'x', engine: 'emr' }, 501, 'NOT_IMPLEMENTED'],
  ];
  for (const [what, body, status, code] of bad) {
    it(`answers ${status} problem+json for ${what}`, async () => {
      const res = await post('/pipelines/run', body);
      expect(res.statusCode).toBe(status);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ status, code });
    });
  }

  it('answers 400 for a body that is not JSON, and for a CSV lacking columns', async () => {
    const res = await gw.app.inject({ method: 'POST', url: '/pipelines/run', payload: '{nope', headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('BAD_REQUEST');
    const noCols = path.join(gw.home, 'nocols.csv');
    await writeFile(noCols, 'transaction_id,amount\nTXN1,5\n');
    const r2 = await post('/pipelines/run', { input: noCols });
    expect(r2.statusCode).toBe(422);
    expect(r2.json().missingColumns).toContain('card_no');
  });

  it('answers 404 for unknown runs and routes', async () => {
    expect((await gw.app.inject({ method: 'GET', url: '/pipelines/runs/run_nope' })).json()).toMatchObject({ status: 404, code: 'RUN_NOT_FOUND' });
    expect((await gw.app.inject({ method: 'GET', url: '/nowhere' })).json()).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect((await gw.app.inject({ method: 'GET', url: '/pipelines/runs/..%2F..%2Fetc' })).statusCode).toBe(400);
  });
});
