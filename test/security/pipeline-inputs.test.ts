import { mkdir, mkdtemp, readdir, readFile, readlink, rename, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardCsv } from '../support/csv-fixtures.js';
import { removeDir, startGateway, waitForRun, type TestGateway } from '../support/gateway.js';
import { queryParquet, tableGlob } from '../support/parquet.js';

/**
 * Findings of the adversarial pass about pipeline inputs and outputs (issue "Nothing lost"), each on
 * real files through the real gateway: empty and shrinking inputs, outputs that escape through links
 * or overlap what the gateway owns, inputs that change under a run, and idempotency keys reused.
 */
let gw: TestGateway;
let wh: string;
let header: string;
const ROWS = 2_000;

const post = (payload: unknown) => gw.app.inject({ method: 'POST', url: '/pipelines/run', payload: payload as object });
const count = async (table: string): Promise<number> => Number((await queryParquet(`SELECT count(*) n FROM ${tableGlob(wh, table)}`))[0]!.n);
const links = (tables: string[]): Promise<string[]> => Promise.all(tables.map((t) => readlink(path.join(wh, t))));
const check = (run: any, name: string) => run.quality?.checks.find((c: any) => c.name === name);

beforeAll(async () => {
  gw = await startGateway({ LAKEGATE_STAGE_RETRIES: '2' });
  wh = path.join(gw.home, 'warehouse');
  const good = await cardCsv(path.join(gw.home, 'good.csv'), ROWS);
  header = path.join(gw.home, 'hdr.csv');
  await writeFile(header, (await readFile(good, 'utf8')).split('\n')[0] + '\n');
  const res = await post({ input: good });
  expect(res.statusCode).toBe(202);
  expect((await waitForRun(gw.app, res.json().runId)).status).toBe('succeeded');
}, 120_000);
afterAll(async () => {
  await gw.close();
  await removeDir(gw.home);
});

describe('an input with no data rows', () => {
  it('halts at quality (row_count FAIL) and leaves the live tables as they were', async () => {
    const before = await links(['partitioned_transactions', 'quality_report']);
    const run = await waitForRun(gw.app, (await post({ input: header, stages: ['quality', 'etl'] })).json().runId);
    expect(run.status).toBe('halted');
    expect(check(run, 'row_count')).toMatchObject({ status: 'FAIL', issueCount: 1 });
    expect(run.stages.map((s: any) => s.status)).toEqual(['failed', 'skipped', 'skipped', 'skipped']);
    expect(await links(['partitioned_transactions', 'quality_report'])).toEqual(before);
    expect(await count('partitioned_transactions')).toBe(ROWS);
  });

  it('ends (halted, not running) when every stage is asked for', async () => {
    const run = await waitForRun(gw.app, (await post({ input: header })).json().runId);
    expect(run.status).toBe('halted');
    expect(run.stages.map((s: any) => s.attempts)).toEqual([1, 0, 0, 0]);
  });

  it('passes quality with a WARN when the run says allowEmpty', async () => {
    const out = path.join(gw.home, 'empty-ok');
    const run = await waitForRun(gw.app, (await post({ input: header, output: out, stages: ['quality'], allowEmpty: true })).json().runId);
    expect(run.status).toBe('succeeded');
    expect(check(run, 'row_count')).toMatchObject({ status: 'WARN', issueCount: 1 });
    expect(run.quality.overall).toBe('WARN');
  });
});

describe('row floors and drops', () => {
  it('FAILs below minRows', async () => {
    const small = await cardCsv(path.join(gw.home, 'small-300.csv'), 300, undefined, 5);
    const run = await waitForRun(gw.app, (await post({ input: small, stages: ['quality'], minRows: 1_000 })).json().runId);
    expect(run.status).toBe('halted');
    expect(check(run, 'row_count')).toMatchObject({ status: 'FAIL', issueCount: 700 });
  });

  it('compares with the last run of the same output that published its tables when maxRowDropPct is set', async () => {
    const out = path.join(gw.home, 'drops');
    const full = await cardCsv(path.join(gw.home, 'full.csv'), ROWS, undefined, 4);
    expect((await waitForRun(gw.app, (await post({ input: full, output: out, stages: ['quality', 'etl'] })).json().runId)).status).toBe('succeeded');
    const half = await cardCsv(path.join(gw.home, 'half.csv'), ROWS / 2, undefined, 6);
    const failed = await waitForRun(gw.app, (await post({ input: half, output: out, stages: ['quality', 'etl'], maxRowDropPct: 40 })).json().runId);
    expect(failed.status).toBe('halted');
    expect(check(failed, 'row_drop')).toMatchObject({ status: 'FAIL', issueCount: ROWS / 2 });
    // A quality-only run publishes no transactions: it does not move the baseline.
    const warned = await waitForRun(gw.app, (await post({ input: half, output: out, stages: ['quality'], maxRowDropPct: 40, onRowDrop: 'WARN' })).json().runId);
    expect(warned.status).toBe('succeeded');
    expect(check(warned, 'row_drop')).toMatchObject({ status: 'WARN', issueCount: ROWS / 2 });
    const published = await waitForRun(gw.app, (await post({ input: half, output: out, stages: ['quality', 'etl'], maxRowDropPct: 40, onRowDrop: 'WARN' })).json().runId);
    expect(check(published, 'row_drop')).toMatchObject({ status: 'WARN', issueCount: ROWS / 2 });
    // Now the live tables have ROWS / 2 rows: the same input is within the allowed drop.
    const same = await waitForRun(gw.app, (await post({ input: half, output: out, stages: ['quality'], maxRowDropPct: 40 })).json().runId);
    expect(check(same, 'row_drop')).toMatchObject({ status: 'PASS', issueCount: 0 });
  });
});

describe('a stage that would publish an empty table', () => {
  it('fails once (not retried) and publishes nothing', async () => {
    const quarterly = ['quarterly_summary', 'quarterly_region'];
    const before = await links(quarterly);
    // The generated data lies in 2024: a quarterly stage for 1999 selects nothing.
    const input = await cardCsv(path.join(gw.home, 'for-1999.csv'), 500, undefined, 7);
    const run = await waitForRun(gw.app, (await post({ input, year: 1999, stages: ['quarterly'] })).json().runId);
    expect(run.status).toBe('failed');
    expect(run.stages[2]).toMatchObject({ name: 'quarterly', status: 'failed', attempts: 1 });
    expect(run.stages[2].error).toMatch(/^the stage wrote no rows to quarterly_category_summary, .*allowEmpty/);
    expect(await links(quarterly)).toEqual(before);
    expect((await readdir(path.join(wh, '.versions', 'quarterly_summary'))).some((v) => v.startsWith(run.runId))).toBe(false);
  });
});

describe('outputs', () => {
  it('refuses an output that resolves through a link outside LAKEGATE_LOCAL_ROOTS, writing nothing there', async () => {
    const outside = await mkdtemp(path.join(os.tmpdir(), 'lakegate-outside-'));
    try {
      await mkdir(path.join(gw.home, 'lab'), { recursive: true });
      await symlink(outside, path.join(gw.home, 'lab', 'escape'));
      const res = await post({ input: header, output: path.join(gw.home, 'lab', 'escape'), stages: ['quality'], allowEmpty: true });
      expect(res.statusCode).toBe(422);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.json().code).toBe('LOCATION_UNREACHABLE');
      // Also a path below the link that does not exist yet.
      const deeper = await post({ input: header, output: path.join(gw.home, 'lab', 'escape', 'new', 'dir'), stages: ['quality'] });
      expect(deeper.json().code).toBe('LOCATION_UNREACHABLE');
      expect(await readdir(outside)).toEqual([]);
    } finally {
      await removeDir(outside);
    }
  });

  it('refuses an output whose publication folders or table links lead out of it, touching nothing there', async () => {
    const victim = await mkdtemp(path.join(gw.home, 'victim-'));
    await writeFile(path.join(victim, 'precious'), 'keep me');
    for (const [name, plant] of [
      ['versions', async (out: string) => symlink(victim, path.join(out, '.versions'))],
      ['table', async (out: string) => symlink(victim, path.join(out, 'monthly_trend'))],
    ] as const) {
      const out = path.join(gw.home, `planted-${name}`);
      await mkdir(out, { recursive: true });
      await plant(out);
      const res = await post({ input: header, output: out, stages: ['quality'], allowEmpty: true });
      expect(res.statusCode, name).toBe(409);
      expect(res.json().code).toBe('OUTPUT_OVERLAPS');
    }
    expect(await readdir(victim)).toEqual(['precious']);
  });

  it('refuses an output where another registered table sits at one of its table names', async () => {
    const lake = path.join(gw.home, 'lake');
    const dir = path.join(lake, 'partitioned_transactions');
    await mkdir(dir, { recursive: true });
    const sample = (await readdir(path.join(wh, 'monthly_trend'))).find((f) => f.endsWith('.parquet'))!;
    await writeFile(path.join(dir, 'part-0.parquet'), await readFile(path.join(wh, 'monthly_trend', sample)));
    const created = await gw.app.inject({ method: 'POST', url: '/tables', payload: { name: 'finance_extract', location: dir } });
    expect(created.statusCode, created.body).toBe(201);
    const res = await post({ input: header, output: lake, stages: ['quality'], allowEmpty: true });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'OUTPUT_OVERLAPS' });
    expect(res.json().detail).toMatch(/would publish partitioned_transactions over table finance_extract/);
    expect(await readdir(dir)).toEqual(['part-0.parquet']);
  });

  it.each([
    ['LAKEGATE_HOME itself', () => gw.home],
    ['the run store', () => path.join(gw.home, 'runs')],
    ['the catalog', () => path.join(gw.home, 'catalog', 'x')],
    ['a version store', () => path.join(wh, '.versions')],
    ['a registered table', () => path.join(wh, 'partitioned_transactions')],
    ['inside a registered table', () => path.join(wh, 'monthly_trend', 'sub')],
  ])('refuses %s as an output with 409 OUTPUT_OVERLAPS', async (_, out) => {
    const res = await post({ input: header, output: out(), stages: ['quality'], allowEmpty: true });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('OUTPUT_OVERLAPS');
  });
});

describe('the input is read as it was at submit', () => {
  it('fails with INPUT_CHANGED when the file is replaced during the run, without echoing its content', async () => {
    const input = await cardCsv(path.join(gw.home, 'moving.csv'), 20_000, undefined, 8);
    const out = path.join(gw.home, 'moving-out');
    const res = await post({ input, output: out });
    expect(res.statusCode).toBe(202);
    const other = path.join(gw.home, 'other.csv');
    await writeFile(other, 'transaction_id,SECRET_COLUMN\nSECRET-ROW-1,SECRET-VALUE\n');
    await rename(other, input);
    const run = await waitForRun(gw.app, res.json().runId);
    expect(run.status).toBe('failed');
    const failed = run.stages.find((s: any) => s.status === 'failed');
    expect(failed.attempts).toBe(1);
    expect(failed.error).toMatch(/changed since the run was submitted/);
    const log = (await gw.app.inject({ method: 'GET', url: `/pipelines/runs/${run.runId}/logs` })).body;
    expect(JSON.stringify(run) + log).not.toMatch(/SECRET/);
  });

  it('reports a malformed row without its content', async () => {
    // Near the start, DuckDB's sniffer refuses the file; past its sample, the reader names the line
    // and quotes it on the next one ("Original Line: ..."), which must not reach the run or its log.
    for (const [at, rows, expected] of [[7, 50, /a row with more or fewer fields than the header/], [24_000, 25_000, /CSV Error on Line: 24001$/]] as const) {
      const bad = await cardCsv(path.join(gw.home, `malformed-${at}.csv`), rows, (l) => (l[at] = `${l[at]},SECRET-EXTRA-FIELD`), 12);
      const run = await waitForRun(gw.app, (await post({ input: bad, output: path.join(gw.home, `malformed-out-${at}`), stages: ['quality'] })).json().runId);
      expect(run.status).toBe('failed');
      expect(run.stages[0]).toMatchObject({ status: 'failed', attempts: 1 });
      expect(run.stages[0].error).toMatch(/^cannot read .* as the card CSV: /);
      expect(run.stages[0].error).toMatch(expected);
      const log = (await gw.app.inject({ method: 'GET', url: `/pipelines/runs/${run.runId}/logs` })).body;
      expect(log).toMatch(/as the card CSV/);
      expect(JSON.stringify(run) + log).not.toMatch(/SECRET/);
    }
  });

  it('keeps reading the file a link named at submit when the link is re-pointed', async () => {
    const real = await cardCsv(path.join(gw.home, 'real.csv'), 700, undefined, 9);
    const link = path.join(gw.home, 'input-link.csv');
    await symlink(real, link);
    const out = path.join(gw.home, 'link-out');
    const res = await post({ input: link, output: out, stages: ['quality', 'etl'] });
    const other = path.join(gw.home, 'secret.csv');
    await writeFile(other, 'transaction_id,SECRET_COLUMN\nSECRET-ROW-1,SECRET-VALUE\n');
    await symlink(other, `${link}.new`);
    await rename(`${link}.new`, link);
    const run = await waitForRun(gw.app, res.json().runId);
    expect(run.status).toBe('succeeded');
    expect(run.stages[1].rows).toBe(700);
    expect(run.inputs.files.map((f: any) => f.path)).toEqual([real]);
  });
});

describe('idempotency keys and the number of active runs', () => {
  it('answers the first run to a repeat with the same body and 422 to a different body', async () => {
    const input = await cardCsv(path.join(gw.home, 'idem.csv'), 200, undefined, 10);
    const out = path.join(gw.home, 'idem-out');
    const first = await post({ input, output: out, stages: ['quality'], idempotencyKey: 'k-1' });
    const again = await post({ stages: ['quality'], output: out, idempotencyKey: 'k-1', input });
    expect(again.json().runId).toBe(first.json().runId);
    // The same request with its defaults spelled out, and the output written another way, is the same request.
    const spelled = await post({ input, output: `${out}/`, stages: ['quality'], idempotencyKey: 'k-1', engine: 'local', year: 2024, allowEmpty: false, minRows: 1 });
    expect(spelled.json().runId).toBe(first.json().runId);
    const other = await post({ input, output: out, stages: ['quality', 'etl'], idempotencyKey: 'k-1' });
    expect(other.statusCode).toBe(422);
    expect(other.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', runId: first.json().runId });
    await waitForRun(gw.app, first.json().runId);
  });
});

describe('LAKEGATE_MAX_ACTIVE_RUNS', () => {
  it('refuses a run beyond the cap with 429 TOO_MANY_RUNS', async () => {
    const capped = await startGateway({ LAKEGATE_MAX_ACTIVE_RUNS: '1' });
    try {
      const input = await cardCsv(path.join(capped.home, 'in.csv'), 20_000);
      // Submitted together: the cap holds even while each submission is still checking its input.
      const results = await Promise.all(['a', 'b', 'b2'].map((o) => capped.app.inject({ method: 'POST', url: '/pipelines/run', payload: { input, output: path.join(capped.home, o) } })));
      expect(results.map((r) => r.statusCode).sort()).toEqual([202, 429, 429]);
      for (const r of results.filter((x) => x.statusCode === 429)) expect(r.json()).toMatchObject({ code: 'TOO_MANY_RUNS', maxActiveRuns: 1 });
      const accepted = results.find((r) => r.statusCode === 202)!;
      expect((await waitForRun(capped.app, accepted.json().runId)).status).toBe('succeeded');
      const c = await capped.app.inject({ method: 'POST', url: '/pipelines/run', payload: { input, output: path.join(capped.home, 'b'), stages: ['quality'] } });
      expect(c.statusCode).toBe(202);
      await waitForRun(capped.app, c.json().runId);
    } finally {
      await capped.close();
      await removeDir(capped.home);
    }
  });
});
