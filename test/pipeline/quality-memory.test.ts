import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCardCsv } from '../../src/generator/card-generator.js';
import { outOfMemory } from '../../src/jobs/local/local-job-backend.js';
import { removeDir, startGateway, waitForRun, type TestGateway } from '../support/gateway.js';
import { queryParquet } from '../support/parquet.js';

// The quality checks on repeated keys (duplicate ids, double charges) stay within the memory limit
// however much of the input repeats, and a stage that still runs out of memory says which setting to raise.
const ORIGINAL_ROWS = 1_200_000;
// 256MB holds about 1M repeated keys per exact count (256 bytes a key), so 1.2M take two parts.

describe('quality checks on an input that repeats itself, within 256MB', () => {
  let gw: TestGateway;
  let input: string;
  let run: Record<string, any>;

  beforeAll(async () => {
    gw = await startGateway({ LAKEGATE_PIPELINE_MEMORY_LIMIT: '256MB' });
    // The same drop landed twice: every id and every purchase occurs twice (2.4M rows).
    input = path.join(gw.home, 'twice.csv');
    await generateCardCsv({ records: ORIGINAL_ROWS, output: input, seed: 5 });
    const [header, ...rows] = (await readFile(input, 'utf8')).trimEnd().split('\n');
    await writeFile(input, [header, ...rows, ...rows, ''].join('\n'));
    const res = await gw.app.inject({ method: 'POST', url: '/pipelines/run', payload: { input, year: 2024, stages: ['quality'] } });
    expect(res.statusCode, res.body).toBe(202);
    run = await waitForRun(gw.app, res.json().runId, 240_000);
  }, 300_000);
  afterAll(async () => {
    await gw?.close();
    if (gw) await removeDir(gw.home);
  });

  it('halts with the exact counts of a plain DuckDB over the file, counted in parts', async () => {
    const [truth] = await queryParquet(`
      WITH raw AS (SELECT * FROM read_csv('${input}', all_varchar = true)),
      dbl AS (SELECT count(*) AS n FROM raw GROUP BY transaction_date, card_no, amount, merchant HAVING count(*) > 1)
      SELECT (SELECT count(*) - count(DISTINCT transaction_id) FROM raw) AS surplus, (SELECT count(*) FROM dbl) AS groups, (SELECT sum(n) FROM dbl) AS rows`);
    expect(truth!.surplus).toBe(ORIGINAL_ROWS);
    expect(run.status).toBe('halted');
    const checks = Object.fromEntries(run.quality.checks.map((c: any) => [c.name, c]));
    expect(checks.duplicate_transaction_id).toMatchObject({ status: 'FAIL', issueCount: ORIGINAL_ROWS });
    expect(checks.suspected_double_charge.issueCount).toBe(truth!.groups);
    expect(checks.suspected_double_charge.detail).toContain(`(${truth!.rows} rows)`);
    const logs = (await gw.app.inject({ method: 'GET', url: `/pipelines/runs/${run.runId}/logs` })).body;
    expect(logs).toContain(`counting 2400000 rows of ${ORIGINAL_ROWS} repeated transaction_id in 2 parts`);
    // The statements ran as LOCAL_STAGE_STEPS plans them, the parts included (else the log says so).
    expect(logs).not.toContain('progress: ran');
  });
});

describe('a stage that runs out of the pipeline memory', () => {
  let gw: TestGateway;
  afterAll(async () => {
    await gw?.close();
    if (gw) await removeDir(gw.home);
  });

  it('fails at once, naming LAKEGATE_PIPELINE_MEMORY_LIMIT, without the retries that would fail the same way', async () => {
    // 8MB cannot hold DuckDB's CSV reader buffers (about 30 MiB).
    gw = await startGateway({ LAKEGATE_PIPELINE_MEMORY_LIMIT: '8MB', LAKEGATE_STAGE_RETRIES: '2' });
    const input = path.join(gw.home, 'small.csv');
    await generateCardCsv({ records: 50_000, output: input, seed: 6 });
    const res = await gw.app.inject({ method: 'POST', url: '/pipelines/run', payload: { input, year: 2024 } });
    const run = await waitForRun(gw.app, res.json().runId);
    expect(run.status).toBe('failed');
    expect(run.stages[0]).toMatchObject({ name: 'quality', status: 'failed', attempts: 1 });
    expect(run.error).toMatch(/^quality needs more memory than the embedded engine may use \(LAKEGATE_PIPELINE_MEMORY_LIMIT=8MB\): Out of Memory Error: .*Raise LAKEGATE_PIPELINE_MEMORY_LIMIT/);
    expect(run.stages.slice(1).map((s: any) => s.status)).toEqual(['skipped', 'skipped', 'skipped']);
  });

  it('is retried when other runs shared the memory at the time (theirs may be free by the retry)', () => {
    const oom = new Error('Out of Memory Error: could not allocate block of size 256.0 KiB (1.8 GiB/1.8 GiB used)\nPossible solutions: ...');
    expect(outOfMemory(oom, 'etl', '2GB', 0)).toMatchObject({ code: 'OUT_OF_MEMORY', retryable: false });
    const shared = outOfMemory(oom, 'etl', '2GB', 1)!;
    expect(shared).toMatchObject({ code: 'OUT_OF_MEMORY', retryable: true });
    expect(shared.message).toContain("other runs shared the engine's memory meanwhile, so the stage is retried");
    expect(shared.message).not.toContain('Possible solutions');
    expect(outOfMemory(new Error('IO Error: disk full'), 'etl', '2GB', 0)).toBeUndefined();
    // A full spill directory comes as the same class of error; it is not the memory limit's doing.
    expect(outOfMemory(new Error("Out of Memory Error: failed to offload data block of size 256.0 KiB (9.3 GiB/9.3 GiB used). This limit was set by the 'max_temp_directory_size' setting."), 'etl', '2GB', 0)).toBeUndefined();
  });
});
