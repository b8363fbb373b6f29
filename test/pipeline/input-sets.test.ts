import { mkdir, mkdtemp, readFile, readlink, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardCsv } from '../support/csv-fixtures.js';
import { removeDir, startGateway, waitForRun, type TestGateway } from '../support/gateway.js';
import { queryParquet, tableGlob } from '../support/parquet.js';
import { STAGE_TABLES } from '../../src/pipeline/pipeline-types.js';

/**
 * Inputs of many files (issue "100 million rows in bounded memory"): a directory, a glob, a list and
 * gzip give exactly the tables one plain CSV of the same rows gives; a bad file among many is a 4xx
 * at submit, or a failed run that publishes nothing, naming the file.
 */
let gw: TestGateway;
let home: string;
let outside: string;
let plain: string;
let header: string;
let parts: string[];
const ROWS = 3_000;
const DATA_TABLES = [...STAGE_TABLES.etl, ...STAGE_TABLES.quarterly];

const post = (payload: Record<string, unknown>) => gw.app.inject({ method: 'POST', url: '/pipelines/run', payload });
const at = (...p: string[]): string => path.join(home, ...p);
const gz = async (file: string, text: string): Promise<string> => (await writeFile(file, gzipSync(text)), file);

async function run(input: unknown, output: string, stages = ['quality', 'etl', 'quarterly']): Promise<Record<string, any>> {
  const res = await post({ input, output: at('out', output), stages });
  expect(res.statusCode, res.body).toBe(202);
  return waitForRun(gw.app, res.json().runId);
}

/** Per table: row count, rounded sums of numeric columns, distinct counts of the others. */
async function fingerprint(output: string): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const t of DATA_TABLES) {
    const from = tableGlob(at('out', output), t);
    const cols = await queryParquet(`DESCRIBE SELECT * FROM ${from}`);
    const exprs = cols.map((c, i) => (/INT|DOUBLE|DECIMAL|FLOAT/.test(String(c.column_type)) ? `round(sum("${c.column_name}")::DOUBLE, 2) AS c${i}` : `count(DISTINCT "${c.column_name}") AS c${i}`));
    out[t] = (await queryParquet(`SELECT count(*) AS n, ${exprs.join(', ')} FROM ${from}`))[0];
  }
  out.quality = await queryParquet(`SELECT check_name, status, issue_count FROM ${tableGlob(at('out', output), 'quality_report')} ORDER BY check_name`);
  return out;
}

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'lakegate-inputs-'));
  outside = await mkdtemp(path.join(os.tmpdir(), 'lakegate-inputs-outside-'));
  gw = await startGateway({ LAKEGATE_INPUT_ROOTS: home }, home);
  plain = await cardCsv(at('plain.csv'), ROWS, undefined, 23);
  const [head, ...lines] = (await readFile(plain, 'utf8')).trimEnd().split('\n');
  header = head!;
  const third = Math.ceil(lines.length / 3);
  parts = [0, 1, 2].map((i) => `${header}\n${lines.slice(i * third, (i + 1) * third).join('\n')}\n`);
  // A directory: one plain part, two gzip parts, and what readers skip.
  await mkdir(at('drop'));
  await writeFile(at('drop', 'part-0.csv'), parts[0]!);
  await gz(at('drop', 'part-1.csv.gz'), parts[1]!);
  await gz(at('drop', 'part-2.csv.gz'), parts[2]!);
  await writeFile(at('drop', '_SUCCESS'), '');
  await writeFile(at('drop', '.part-0.csv.crc'), 'not a csv');
  await writeFile(at('drop', '_tmp.csv'), 'broken,"\n');
  await writeFile(at('drop', 'notes.txt'), 'not read');
  // Month folders for a glob, and a plain whole file gzipped.
  for (const [i, p] of parts.entries()) {
    await mkdir(at('drops', `2024-0${i + 1}`), { recursive: true });
    await gz(at('drops', `2024-0${i + 1}`, 'cards.csv.gz'), p);
  }
  // Not matched by 2024-*: read, it would fail the run.
  await mkdir(at('drops', '2023-12'));
  await gz(at('drops', '2023-12', 'cards.csv.gz'), `${header}\nnot,matched\n`);
  // Nested folders for **, which matches no folder at all too, and skips _ and . folders.
  await mkdir(at('nested', 'a', 'b'), { recursive: true });
  await gz(at('nested', 'part-0.csv.gz'), parts[0]!);
  await gz(at('nested', 'a', 'part-1.csv.gz'), parts[1]!);
  await gz(at('nested', 'a', 'b', 'part-2.csv.gz'), parts[2]!);
  for (const skipped of ['_temporary', '.staging']) {
    await mkdir(at('nested', 'a', skipped));
    await gz(at('nested', 'a', skipped, 'part-9.csv.gz'), 'broken');
  }
  await gz(at('whole.csv.gz'), await readFile(plain, 'utf8'));
  // DuckDB decompresses only a lower-case .gz by itself.
  await gz(at('PART-2.CSV.GZ'), parts[2]!);
  const base = await run(plain, 'plain');
  expect(base.status, base.error).toBe('succeeded');
}, 180_000);
afterAll(async () => {
  await gw?.close();
  await removeDir(home);
  await removeDir(outside);
});

describe('inputs of several files give the tables of one plain CSV', () => {
  it.each([
    ['a directory', () => at('drop'), 3],
    ['a glob', () => at('drops', '2024-*', '*.csv.gz'), 3],
    ['a ** glob', () => at('nested', '**', '*.csv.gz'), 3],
    ['a list', () => [at('drop', 'part-0.csv'), at('drops', '2024-02', 'cards.csv.gz'), at('PART-2.CSV.GZ')], 3],
    ['one gzip file', () => at('whole.csv.gz'), 1],
  ] as const)('%s', async (name, input, files) => {
    const form = input();
    // The directory run also takes the benchmark stage, which scans the input files again.
    const run1 = await run(form, name.replace(/\W+/g, '-'), name === 'a directory' ? ['quality', 'etl', 'quarterly', 'benchmark'] : undefined);
    expect(run1.status, run1.error).toBe('succeeded');
    expect(run1.inputs.count).toBe(files);
    expect(run1.inputs.files).toHaveLength(files);
    expect(run1.inputs.totalBytes).toBe(run1.inputs.files.reduce((n: number, f: any) => n + f.size, 0));
    expect(run1.input).toEqual(form);
    expect(await fingerprint(name.replace(/\W+/g, '-'))).toEqual(await fingerprint('plain'));
  }, 120_000);

  it('lists the files it resolved, sorted, once each', async () => {
    const dup = await run([at('drop'), at('drop', 'part-0.csv'), at('drop', '*.csv.gz')], 'dup', ['quality']);
    expect(dup.status, dup.error).toBe('succeeded');
    expect(dup.inputs.files.map((f: any) => path.basename(f.path))).toEqual(['part-0.csv', 'part-1.csv.gz', 'part-2.csv.gz']);
    expect(dup.inputs.files.every((f: any) => typeof f.sha256 === 'string')).toBe(true);
  });
});

describe('what a run shows of its input', () => {
  it('counts every file and lists the first 100', async () => {
    await mkdir(at('many'));
    const rows = parts[0]!.trimEnd().split('\n').slice(1, 121);
    for (const [i, row] of rows.entries()) await writeFile(at('many', `f-${String(i).padStart(3, '0')}.csv`), `${header}\n${row}\n`);
    const done = await run(at('many'), 'many', ['quality']);
    expect(done.status, done.error).toBe('succeeded');
    expect(done.inputs).toMatchObject({ count: 120, truncated: true });
    expect(done.inputs.files).toHaveLength(100);
    expect(done.inputs.files[99].path).toBe(at('many', 'f-099.csv'));
    // Every file was read, not only those shown.
    expect(done.stages[0].rows).toBe(120);
  }, 120_000);

});

describe('a bad file among many', () => {
  it('refuses a file whose header differs (422 INPUT_INVALID naming it), starting nothing', async () => {
    await mkdir(at('mixed'));
    await writeFile(at('mixed', 'a.csv'), parts[0]!);
    const cols = header.split(',');
    const swapped = [cols[1], cols[0], ...cols.slice(2)].join(',');
    await gz(at('mixed', 'b.csv.gz'), `${swapped}\n${parts[1]!.split('\n').slice(1).join('\n')}`);
    const runsBefore = (await gw.app.inject({ method: 'GET', url: '/pipelines/runs?limit=100' })).json().runs.length;
    const res = await post({ input: at('mixed'), output: at('out', 'mixed') });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json().code).toBe('INPUT_INVALID');
    expect(res.json().detail).toContain(at('mixed', 'b.csv.gz'));
    expect((await gw.app.inject({ method: 'GET', url: '/pipelines/runs?limit=100' })).json().runs.length).toBe(runsBefore);
  });

  it('refuses a file lacking a card column, and a .gz file that is not gzip, naming each', async () => {
    await mkdir(at('short'));
    await writeFile(at('short', 'a.csv'), parts[0]!);
    await writeFile(at('short', 'b.csv'), 'transaction_id,amount\nT1,5\n');
    const res = await post({ input: at('short') });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'INPUT_INVALID' });
    expect(res.json().detail).toContain(at('short', 'b.csv'));
    await mkdir(at('fakegz'));
    await writeFile(at('fakegz', 'a.csv.gz'), parts[0]!);
    const fake = await post({ input: [at('drop', 'part-0.csv'), at('fakegz', 'a.csv.gz')] });
    expect(fake.statusCode).toBe(422);
    expect(fake.json().code).toBe('INPUT_INVALID');
    expect(fake.json().detail).toBe(`input ${at('fakegz', 'a.csv.gz')} is named .gz but is not gzip-compressed`);
  });

  it('fails the run (INPUT_INVALID naming a truncated gzip) and leaves the live tables as they were', async () => {
    const out = 'corrupt';
    const first = await run(at('drop'), out);
    expect(first.status, first.error).toBe('succeeded');
    const links = async (): Promise<string[]> => Promise.all([...DATA_TABLES, 'quality_report'].map((t) => readlink(at('out', out, t))));
    const before = await links();
    const live = await fingerprint(out);
    await mkdir(at('corrupt'));
    await writeFile(at('corrupt', 'part-0.csv'), parts[0]!);
    await gz(at('corrupt', 'part-1.csv.gz'), parts[1]!);
    // Cut at a line end inside the stream: DuckDB alone reads the rows before the cut and says nothing.
    const whole = gzipSync(parts[2]!);
    await writeFile(at('corrupt', 'part-2.csv.gz'), whole.subarray(0, Math.floor(whole.length * 0.6)));
    const bad = await run(at('corrupt'), out);
    expect(bad.status).toBe('failed');
    expect(bad.stages[0]).toMatchObject({ name: 'quality', status: 'failed', attempts: 1 });
    expect(bad.error).toContain(at('corrupt', 'part-2.csv.gz'));
    expect(bad.error).toMatch(/not a complete gzip stream/);
    expect(await links()).toEqual(before);
    expect(await fingerprint(out)).toEqual(live);
    // Engine spark checks the stream too, before any spark-submit (Hadoop's codec would fail only
    // when a task reached the cut, as a retryable job failure).
    const onSpark = await post({ input: at('corrupt'), output: at('out', 'corrupt-spark'), engine: 'spark', stages: ['quality'] });
    expect(onSpark.statusCode, onSpark.body).toBe(202);
    const sparkRun = await waitForRun(gw.app, onSpark.json().runId);
    expect(sparkRun).toMatchObject({ status: 'failed', engine: 'spark' });
    expect(sparkRun.stages[0]).toMatchObject({ name: 'quality', status: 'failed', attempts: 1 });
    expect(sparkRun.error).toBe(`input ${at('corrupt', 'part-2.csv.gz')} is not a complete gzip stream: unexpected end of file; nothing was published`);
  }, 120_000);

  it('refuses an upper-case .GZ name on engine spark before any spark-submit (Hadoop would read it as text)', async () => {
    const res = await post({ input: at('PART-2.CSV.GZ'), output: at('out', 'upper-spark'), engine: 'spark', stages: ['quality'] });
    expect(res.statusCode, res.body).toBe(202);
    const done = await waitForRun(gw.app, res.json().runId);
    expect(done.stages[0]).toMatchObject({ status: 'failed', attempts: 1 });
    expect(done.error).toBe(`input ${at('PART-2.CSV.GZ')}: Spark reads gzip only by a lower-case .gz name; rename the file (the embedded engine reads it as it is)`);
  });

  it('fails the run naming a file with a row of more fields than the header', async () => {
    await mkdir(at('wide'));
    await writeFile(at('wide', 'a.csv'), parts[0]!);
    const rows = parts[1]!.trimEnd().split('\n');
    rows[rows.length - 5] += ',extra';
    await gz(at('wide', 'b.csv.gz'), rows.join('\n') + '\n');
    const bad = await run(at('wide'), 'wide', ['quality']);
    expect(bad.status).toBe('failed');
    expect(bad.error).toMatch(new RegExp(`^cannot read ${at('wide', 'b.csv.gz').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} as the card CSV`));
  }, 120_000);
});

describe('inputs that name no file, or a file outside the input roots', () => {
  it('refuses an empty directory and a glob that matches nothing (422 INPUT_NOT_FOUND)', async () => {
    await mkdir(at('empty'));
    await writeFile(at('empty', '_SUCCESS'), '');
    for (const input of [at('empty'), at('drops', '1999-*', '*.csv'), [at('drop'), at('nothing-*.csv')]]) {
      const res = await post({ input });
      expect(res.statusCode, JSON.stringify(input)).toBe(422);
      expect(res.json().code).toBe('INPUT_NOT_FOUND');
      expect(res.json().detail).toMatch(/matches no file/);
    }
  });

  it('refuses a folder or pattern outside LAKEGATE_INPUT_ROOTS before looking into it', async () => {
    await writeFile(path.join(outside, 'other.csv'), parts[0]!);
    for (const input of ['/**/*.csv', path.join(outside, '*.csv'), outside]) {
      const res = await post({ input });
      expect(res.statusCode, input).toBe(422);
      expect(res.json().code).toBe('LOCATION_UNREACHABLE');
      // Named is the folder asked for, never a file found in it.
      expect(res.json().detail).not.toContain('other.csv');
    }
  });

  it('refuses a link inside a drop directory that leads outside LAKEGATE_INPUT_ROOTS', async () => {
    await writeFile(path.join(outside, 'secret.csv'), parts[0]!);
    await mkdir(at('linked'));
    await writeFile(at('linked', 'a.csv'), parts[1]!);
    await symlink(path.join(outside, 'secret.csv'), at('linked', 'b.csv'));
    for (const input of [at('linked'), at('linked', '*.csv'), at('linked', 'b.csv')]) {
      const res = await post({ input });
      expect(res.statusCode, String(input)).toBe(422);
      expect(res.json().code).toBe('LOCATION_UNREACHABLE');
      expect(res.json().detail).toContain(path.join(outside, 'secret.csv'));
      expect(res.json().detail).toContain('LAKEGATE_INPUT_ROOTS');
    }
    // A link that stays inside the roots is read like a file.
    await symlink(at('drop', 'part-0.csv'), at('linked', 'c.csv'));
    const ok = await run(at('linked', 'c.csv'), 'linked', ['quality']);
    expect(ok.status, ok.error).toBe('succeeded');
    expect(ok.inputs.files.map((f: any) => f.path)).toEqual([at('drop', 'part-0.csv')]);
  });

  it('refuses glob syntax it does not support and more files than LAKEGATE_MAX_INPUT_FILES', async () => {
    const res = await post({ input: at('drops', '2024-0[12]', '*.csv.gz') });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('VALIDATION_FAILED');
    const small = await startGateway({ LAKEGATE_MAX_INPUT_FILES: '2' });
    try {
      const many = await small.app.inject({ method: 'POST', url: '/pipelines/run', payload: { input: at('drop') } });
      expect(many.statusCode).toBe(422);
      expect(many.json()).toMatchObject({ code: 'INPUT_TOO_MANY_FILES' });
    } finally {
      await small.close();
      await removeDir(small.home);
    }
  });
});
