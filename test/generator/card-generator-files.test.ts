import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCardCsv } from '../../src/generator/card-generator.js';
import { tempDir } from '../catalog/support/lake.js';

// What the same options must give whatever the file layout: the same rows, split in id order.
let dir: string;
let cleanup: () => Promise<void>;
const RECORDS = 10_001;
const base = { records: RECORDS, seed: 9, customers: 300 };
const text = (file: string): string => {
  const raw = readFileSync(file);
  return (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
};
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

  it('splits the single file rows evenly and in order over N part files, each with the header', async () => {
    const out = path.join(dir, 'split');
    const res = await generateCardCsv({ ...base, files: 3, output: out });
    const names = ['part-00000-of-00003.csv', 'part-00001-of-00003.csv', 'part-00002-of-00003.csv'];
    expect(readdirSync(out).sort()).toEqual(names);
    expect(res.paths).toEqual(names.map((n) => path.join(out, n)));
    const parts = names.map((n) => text(path.join(out, n)));
    for (const p of parts) expect(p.slice(0, p.indexOf('\n'))).toBe(single.slice(0, single.indexOf('\n')));
    expect(parts.map((p) => dataLines(p).length)).toEqual([3333, 3334, 3334]);
    expect(parts.flatMap(dataLines)).toEqual(dataLines(single));
    expect(res.bytes).toBe(parts.reduce((n, p) => n + Buffer.byteLength(p), 0));
  });

  it('gzips to the same text, for one file and for parts', async () => {
    await generateCardCsv({ ...base, gzip: true, output: path.join(dir, 'single.csv.gz') });
    expect(text(path.join(dir, 'single.csv.gz'))).toBe(single);
    const out = path.join(dir, 'split-gz');
    const res = await generateCardCsv({ ...base, files: 2, gzip: true, output: out });
    expect(readdirSync(out).sort()).toEqual(['part-00000-of-00002.csv.gz', 'part-00001-of-00002.csv.gz']);
    expect(res.paths.flatMap((p) => dataLines(text(p)))).toEqual(dataLines(single));
  });

  it('refuses counts it cannot honour, before writing anything', async () => {
    const output = path.join(dir, 'refused', 'x.csv');
    await expect(generateCardCsv({ records: 10_000_000_000, output })).rejects.toThrow(/records/);
    await expect(generateCardCsv({ records: 1.5, output })).rejects.toThrow(/records/);
    await expect(generateCardCsv({ records: 1, files: 0, output })).rejects.toThrow(/files/);
    await expect(generateCardCsv({ records: 1, customers: 0, output })).rejects.toThrow(/customers/);
    expect(readdirSync(dir)).not.toContain('refused');
  });

  it('leaves no file behind when aborted', async () => {
    const out = path.join(dir, 'aborted');
    const ctl = new AbortController();
    const run = generateCardCsv({
      records: 2_000_000,
      files: 2,
      output: out,
      signal: ctl.signal,
      onProgress: (n) => n > 0 && ctl.abort(new Error('stop')),
    });
    await expect(run).rejects.toThrow();
    expect(readdirSync(out)).toEqual([]);
  });
});
