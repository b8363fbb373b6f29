import { createWriteStream } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { CARD_DOMAIN, type Weighted } from '../domain/card-domain.js';

export interface GenerateOptions {
  records: number;
  output: string;
  seed?: number;
  year?: number;
  customers?: number;
  /** Called about every 5% with the rows written so far. */
  onProgress?: (written: number, total: number) => void;
  signal?: AbortSignal;
}

/** Cumulative-weight picker: O(log n) per draw from a uniform number in [0, 1). */
function picker<T>(items: readonly T[], weight: (t: T) => number): (u: number) => T {
  const cum: number[] = [];
  let total = 0;
  for (const it of items) cum.push((total += weight(it)));
  return (u: number) => {
    const x = u * total;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return items[lo]!;
  };
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

export const CSV_HEADER = CARD_DOMAIN.columns.join(',');

/**
 * Writes the domain's card-transaction CSV, deterministic for a seed: customers with a fixed card
 * number and type, weighted categories, regions, statuses and hours, normal amounts rounded to 100.
 * The file is written aside and renamed into place, so a reader never sees a partial file.
 */
export async function generateCardCsv(opts: GenerateOptions): Promise<{ rows: number; bytes: number }> {
  const year = opts.year ?? 2024;
  const rng = xoroshiro128plus(opts.seed ?? 42);
  const u = (): number => uniformFloat64(rng);
  const int = (n: number): number => Math.floor(u() * n);
  const d = CARD_DOMAIN;
  const customers = Array.from({ length: opts.customers ?? 10_000 }, () => ({
    cardNo: `****-****-****-${pad(int(10_000), 4)}`,
    cardType: picker(d.cardTypes, (t) => t.weight)(u()).name,
  }));
  const category = picker(d.categories, (c) => c.weight);
  const region = picker(d.regions, (r: Weighted) => r.weight);
  const status = picker(d.approvalStatuses, (s) => s.weight);
  const hour = picker(d.hourWeights.map((w, h) => ({ h, w })), (x) => x.w);
  const start = Date.UTC(year, 0, 1);
  const days = Math.round((Date.UTC(year + 1, 0, 1) - start) / 86_400_000);
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());

  await mkdir(path.dirname(path.resolve(opts.output)), { recursive: true });
  const tmp = `${opts.output}.${process.pid}.tmp`;
  const out = createWriteStream(tmp);
  let bytes = 0;
  const write = async (chunk: string): Promise<void> => {
    bytes += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  };
  await write(CSV_HEADER + '\n');
  const step = Math.max(1, Math.ceil(opts.records / 20));
  let lines: string[] = [];
  for (let i = 1; i <= opts.records; i++) {
    if (opts.signal?.aborted) {
      out.destroy();
      throw opts.signal.reason;
    }
    const cust = customers[int(customers.length)]!;
    const cat = category(u());
    const merchant = cat.merchants[int(cat.merchants.length)]!;
    const day = new Date(start + int(days) * 86_400_000);
    const ts = `${day.getUTCFullYear()}-${pad(day.getUTCMonth() + 1)}-${pad(day.getUTCDate())} ${pad(hour(u()).h)}:${pad(int(60))}:${pad(int(60))}`;
    const mean = (cat.minAmount + cat.maxAmount) / 3;
    const std = (cat.maxAmount - cat.minAmount) / 4;
    const rounded = Math.round((mean + std * normal()) / 100) * 100;
    const amount = Math.min(cat.maxAmount, Math.max(cat.minAmount, rounded));
    const installment =
      cust.cardType === d.creditCardType && amount >= d.installmentMinAmount
        ? d.installmentChoices[int(d.installmentChoices.length)]!
        : 0;
    lines.push(
      `TXN${pad(i, 10)},${ts},${cust.cardNo},${cust.cardType},${merchant.name},${merchant.subCategory},${cat.name},${amount},${installment},${status(u()).name},${region(u()).name}`,
    );
    if (lines.length === 10_000 || i === opts.records) {
      await write(lines.join('\n') + '\n');
      lines = [];
    }
    if (i % step === 0 || i === opts.records) opts.onProgress?.(i, opts.records);
  }
  out.end();
  await finished(out);
  await rename(tmp, opts.output);
  return { rows: opts.records, bytes };
}
