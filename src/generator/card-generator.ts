import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CARD_DOMAIN } from '../domain/card-domain.js';
import { CardRowEncoder, MAX_ROW_ID } from './card-row-encoder.js';

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

export interface GenerateResult {
  rows: number;
  /** Bytes of CSV text written (before compression). */
  bytes: number;
}

export const CSV_HEADER = CARD_DOMAIN.columns.join(',');

const CHUNK_BYTES = 1 << 20;

/**
 * Writes the domain's card-transaction CSV, deterministic for the seed, year and customer count:
 * customers with a fixed card number and type, weighted categories, regions, statuses and hours,
 * normal amounts rounded to 100. Row ids run 1..records. The file is written aside and renamed into
 * place, so a reader never sees a partial file.
 */
export async function generateCardCsv(opts: GenerateOptions): Promise<GenerateResult> {
  if (!Number.isInteger(opts.records) || opts.records < 0 || opts.records > MAX_ROW_ID) {
    throw new RangeError(`records must be an integer in [0, ${MAX_ROW_ID}], got ${opts.records}`);
  }
  const encoder = new CardRowEncoder({ seed: opts.seed ?? 42, year: opts.year ?? 2024, customers: opts.customers ?? 10_000 });
  await mkdir(path.dirname(path.resolve(opts.output)), { recursive: true });
  const result: GenerateResult = { rows: opts.records, bytes: 0 };
  const progress = progressReporter(opts.records, opts.onProgress);
  const tally = (rows: number, bytes: number): void => {
    result.bytes += bytes;
    progress(rows);
  };
  await writeFile(opts.output, csvChunks(encoder, 1, opts.records + 1, tally), opts.signal);
  return result;
}

/** The header, then rows [from, to) in Buffers of about CHUNK_BYTES; tells `tally` the rows and bytes of each. */
function* csvChunks(encoder: CardRowEncoder, from: number, to: number, tally: (rows: number, bytes: number) => void): Generator<Buffer> {
  const header = Buffer.from(CSV_HEADER + '\n');
  tally(0, header.length);
  yield header;
  for (let i = from; i < to; ) {
    const buf = Buffer.allocUnsafe(CHUNK_BYTES);
    const { next, length } = encoder.fill(buf, i, to);
    tally(next - i, length);
    i = next;
    yield buf.subarray(0, length);
  }
}

/** Streams the chunks to `${file}.<pid>.tmp`, then renames it to `file`. */
async function writeFile(file: string, chunks: Iterable<Buffer>, signal?: AbortSignal): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  const source = Readable.from(chunks, { highWaterMark: 4 });
  try {
    await pipeline(source, createWriteStream(tmp), { signal });
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** Counts rows and calls onProgress each time another 5% (and the last row) is written. */
function progressReporter(total: number, onProgress?: (written: number, total: number) => void): (rows: number) => void {
  const step = Math.max(1, Math.ceil(total / 20));
  let written = 0;
  return (rows) => {
    const before = Math.floor(written / step);
    written += rows;
    if (Math.floor(written / step) > before || written === total) onProgress?.(written, total);
  };
}
