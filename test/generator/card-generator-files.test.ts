import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCardCsv } from '../../src/generator/card-generator.js';
import { tempDir } from '../catalog/support/lake.js';

// What the same options must give: the same bytes.
let dir: string;
let cleanup: () => Promise<void>;
const RECORDS = 10_001;
const base = { records: RECORDS, seed: 9, customers: 300 };
const text = (file: string): string => readFileSync(file, 'utf8');
const dataLines = (t: string): string[] => t.trimEnd().split('\n').slice(1);
let single: string;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('lakegate-gen-'));
  await generateCardCsv({ ...base, output: path.join(dir, 'single.csv') });
  single = text(path.join(dir, 'single.csv'));
});
afterAll(() => cleanup());

describe('generateCardCsv files', () => {
  it('writes the same bytes for the same seed and other rows for another seed', async () => {
    await generateCardCsv({ ...base, output: path.join(dir, 'again.csv') });
    expect(text(path.join(dir, 'again.csv'))).toBe(single);
    await generateCardCsv({ ...base, seed: 10, output: path.join(dir, 'other.csv') });
    const other = dataLines(text(path.join(dir, 'other.csv')));
    const same = dataLines(single).filter((l, i) => l === other[i]).length;
    expect(same).toBe(0);
  });

  it('holds the header, then rows TXN0000000001 .. in order', () => {
    const lines = single.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'transaction_id,transaction_date,card_no,card_type,merchant,sub_category,category,amount,installment_months,approval_status,region',
    );
    expect(lines.slice(1).map((l) => l.slice(0, 13))).toEqual(Array.from({ length: RECORDS }, (_, i) => `TXN${String(i + 1).padStart(10, '0')}`));
    expect(single.endsWith('\n')).toBe(true);
  });

  it('leaves no file behind when aborted', async () => {
    const out = path.join(dir, 'aborted');
    const ctl = new AbortController();
    const run = generateCardCsv({
      records: 2_000_000,
      output: path.join(out, 'card.csv'),
      signal: ctl.signal,
      onProgress: (n) => n > 0 && ctl.abort(new Error('stop')),
    });
    await expect(run).rejects.toThrow();
    expect(readdirSync(out)).toEqual([]);
  });
});
