import { readFile, writeFile } from 'node:fs/promises';
import { generateCardCsv } from '../../src/generator/card-generator.js';

/** A generated CSV, optionally rewritten line by line (to plant defects). */
export async function cardCsv(file: string, records: number, edit?: (lines: string[]) => void, seed = 11): Promise<string> {
  await generateCardCsv({ records, output: file, seed, customers: 500 });
  if (edit) {
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
    edit(lines);
    await writeFile(file, lines.join('\n') + '\n');
  }
  return file;
}

/** Replaces field `col` (0-based) of data line `i` (1-based; line 0 is the header). */
export function setField(lines: string[], i: number, col: number, value: string): void {
  const f = lines[i]!.split(',');
  f[col] = value;
  lines[i] = f.join(',');
}
