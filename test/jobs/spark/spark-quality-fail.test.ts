import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Run } from '../../../src/pipeline/pipeline-types.js';
import { groupBy, readCardCsv } from '../../support/card-csv.js';
import { cardCsv, setField } from '../../support/csv-fixtures.js';
import { sparkPipelines, type SparkPipelines } from './spark-support.js';

// A CSV with planted defects: the Spark quality job must count each one, exit 3, and halt the run.
// Only '' and 'null' mean "no value" (domain facts): 'NULL' and 'Null' are values outside their
// domains, and repeated ids are counted as the original batch counted them (ids, not surplus rows).
const COL = { id: 0, date: 1, cardNo: 2, cardType: 3, merchant: 4, category: 6, amount: 7, installment: 8, status: 9, region: 10 };
const PLANTED: [line: number, col: number, value: string][] = [
  [3, COL.amount, '-500'],
  [5, COL.region, 'NULL'],
  [7, COL.category, '기타'],
  [11, COL.amount, '0'],
  [13, COL.cardNo, '1234-5678-9012-3456'],
  [15, COL.amount, '20000000'],
  [17, COL.date, '2024-02-30 10:00:00'],
  [19, COL.date, '2099-01-01 00:00:00'],
  [21, COL.status, 'unknown'],
  [23, COL.installment, '-1'],
  [25, COL.cardType, ''],
  [27, COL.merchant, 'null'],
  // Half-formatted values are invalid too (the embedded engine accepts these two today; see the report).
  [29, COL.amount, '12.5'],
  [31, COL.date, '2024-1-05 10:00:00'],
  [33, COL.status, 'Null'],
  [35, COL.category, 'null'],
];
/** Checks where the embedded engine is still lenient (DuckDB TRY_CAST rounds '12.5', strptime takes '2024-1-05'). */
const LENIENT_LOCALLY: string[] = [];

let home: string;
let pipes: SparkPipelines;
let input: string;
let spark: Run;
let local: Run;

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'lakegate-spark-fail-'));
  input = await cardCsv(path.join(home, 'bad.csv'), 2_000, (lines) => {
    for (const [line, col, value] of PLANTED) setField(lines, line, col, value);
    // One id on three rows, another on two: 2 duplicated ids, 3 rows beyond the first of each.
    setField(lines, 9, COL.id, lines[10]!.split(',')[COL.id]!);
    setField(lines, 37, COL.id, lines[10]!.split(',')[COL.id]!);
    setField(lines, 39, COL.id, lines[40]!.split(',')[COL.id]!);
  });
  pipes = await sparkPipelines(home);
  spark = await pipes.run({ input, output: 'spark-out', engine: 'spark' });
  local = await pipes.run({ input, output: 'local-out', engine: 'local' });
}, 600_000);
afterAll(async () => {
  await pipes?.service.close();
  if (home) await rm(home, { recursive: true, force: true });
});

describe('spark quality FAIL', () => {
  it('exits 3 and halts the run at quality without publishing anything', async () => {
    const log = pipes.logs.get(spark.runId) ?? [];
    expect(log.some((l) => l.includes('spark job quality.py exited with 3')), log.slice(-20).join('\n')).toBe(true);
    expect(spark.status).toBe('halted');
    expect(spark.stages.map((s) => [s.name, s.status])).toEqual([['quality', 'failed'], ['etl', 'skipped'], ['quarterly', 'skipped'], ['benchmark', 'skipped']]);
    expect(spark.stages[0]!.error).toMatch(/^quality FAIL: .*negative_amount \(1\)/);
    expect(spark.stages[0]!.rows).toBe(2_000);
    const outDir = path.join(home, 'spark-out');
    expect(await readdir(outDir).catch(() => [])).not.toContain('quality_report');
    expect(await readdir(path.join(outDir, '.versions', 'quality_report')).catch(() => [])).toEqual([]);
  });

  it('counts every planted defect', () => {
    const rows = readCardCsv(input);
    const doubleCharges = [...groupBy(rows, (r) => `${r.transaction_date}|${r.card_no}|${r.amount}|${r.merchant}`).values()].filter((g) => g.length > 1).length;
    const expected: Record<string, [string, number]> = {
      null_card_type: ['WARN', 1], null_merchant: ['WARN', 1], null_category: ['WARN', 1], region_domain: ['FAIL', 1],
      duplicate_transaction_id: ['FAIL', 2], suspected_double_charge: [doubleCharges ? 'WARN' : 'PASS', doubleCharges],
      invalid_amount: ['FAIL', 1], negative_amount: ['FAIL', 1], zero_amount: ['WARN', 1], amount_over_limit: ['WARN', 1],
      invalid_installment_months: ['FAIL', 1], invalid_transaction_date: ['FAIL', 2], future_transaction_date: ['WARN', 1],
      category_domain: ['FAIL', 1], approval_status_domain: ['FAIL', 2], card_no_pattern: ['FAIL', 1],
    };
    expect(spark.quality!.overall).toBe('FAIL');
    // Every planted defect, and nothing else, is reported as it should be: the whole map is compared.
    const reported = Object.fromEntries(spark.quality!.checks.map((c) => [c.name, [c.status, c.issueCount]]));
    const flagged = Object.fromEntries(Object.entries(reported).filter(([, [status]]) => status !== 'PASS'));
    expect(flagged).toEqual(Object.fromEntries(Object.entries(expected).filter(([, [status]]) => status !== 'PASS')));
    for (const name of Object.keys(expected)) expect(reported, name).toHaveProperty(name);
    expect(spark.quality!.checks.find((c) => c.name === 'duplicate_transaction_id')!.detail).toBe('2 transaction_ids occur more than once (3 rows beyond the first of each)');
  });

  it('reports like the embedded engine, word for word', () => {
    const strip = (r: Run): unknown => r.quality!.checks.filter((c) => !LENIENT_LOCALLY.includes(c.name));
    expect(local.status).toBe('halted');
    expect(strip(spark)).toEqual(strip(local));
  });
});
