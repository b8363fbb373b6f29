import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, constants as zlibConstants, gunzipSync } from 'node:zlib';
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { parseS3 } from '../storage/location.js';
import { fromAwsError } from '../storage/aws-error.js';
import { AppError } from '../errors.js';
import { CARD_DOMAIN } from '../domain/card-domain.js';
import type { InputFingerprint } from './pipeline-types.js';

/** Bytes read to find the header row (compressed bytes for a .gz file). */
const HEAD = 64 * 1024;

export function isGzipName(name: string): boolean {
  return /\.gz$/i.test(name);
}

/**
 * Inflates a local gzip file end to end (zlib checks the stream's end, CRC and length): 422
 * INPUT_INVALID naming `shown` if it is not one complete stream. Readers that stop quietly at a
 * truncated stream's cut (DuckDB) would otherwise lose the rows after it without an error.
 */
export async function checkGzipComplete(file: string, shown: string, signal: AbortSignal): Promise<void> {
  const discard = new Writable({ write: (_chunk, _enc, cb) => cb() });
  try {
    await pipeline(createReadStream(file), createGunzip(), discard, { signal });
  } catch (err) {
    if (signal.aborted) throw err;
    throw new AppError('INPUT_INVALID', `input ${shown} is not a complete gzip stream: ${(err as Error).message}; nothing was published`, { cause: err, details: { file: shown } });
  }
}

/**
 * The header row of a file from its first bytes: a `.gz` file is gunzipped as far as those bytes go
 * (a truncated stream is fine, the header is at its start). A `.gz` name on bytes that are not gzip
 * is INPUT_INVALID, as a reader would fail on it later.
 */
function headerRow(input: string, head: Buffer): string {
  let bytes = head;
  if (isGzipName(input)) {
    if (head.length < 2 || head[0] !== 0x1f || head[1] !== 0x8b) throw new AppError('INPUT_INVALID', `input ${input} is named .gz but is not gzip-compressed`);
    try {
      // A header is small: a head that inflates past 1 MiB is cut there (a crafted file could inflate far more).
      bytes = gunzipSync(head, { finishFlush: zlibConstants.Z_SYNC_FLUSH, maxOutputLength: 1024 * 1024 });
    } catch (err) {
      throw new AppError('INPUT_INVALID', `input ${input} cannot be decompressed: ${(err as Error).message}`, { cause: err });
    }
  }
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  const nl = text.search(/\r?\n/);
  return nl === -1 ? text : text.slice(0, nl);
}

/** The header's column names; INPUT_INVALID when a card column is missing. */
function checkHeader(input: string, header: string): string[] {
  const names = header.split(',').map((c) => c.trim().replace(/^"|"$/g, ''));
  const columns = new Set(names);
  const missing = CARD_DOMAIN.columns.filter((c) => !columns.has(c));
  if (missing.length > 0) {
    throw new AppError('INPUT_INVALID', `input ${input} lacks the column(s) ${missing.join(', ')} in its header row`, {
      details: { file: input, missingColumns: missing },
    });
  }
  return names;
}

/**
 * Refuses, at submit time, an input file that does not exist, cannot be read, or lacks a column of
 * the card CSV, so that a scheduler hears about it at once instead of from a failed run later.
 * Returns the header's column names.
 */
export async function checkLocalInput(file: string): Promise<string[]> {
  const st = await stat(file).catch((err: NodeJS.ErrnoException) => {
    throw new AppError('INPUT_NOT_FOUND', `input ${file} does not exist or is not accessible (${err.code ?? err.message})`);
  });
  if (!st.isFile()) throw new AppError('INPUT_INVALID', `input ${file} is not a file`);
  let head: Buffer;
  try {
    const fh = await open(file, 'r');
    try {
      const buf = Buffer.alloc(HEAD);
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      head = buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch (err) {
    throw new AppError('INPUT_INVALID', `input ${file} cannot be read: ${(err as Error).message}`, { cause: err });
  }
  return checkHeader(file, headerRow(file, head));
}

/**
 * The same checks for an s3:// input: the object exists and its first line is the card CSV header.
 * Returns the object's fingerprint (its ETag, which the stage that reads it sends as If-Match) and
 * the header's column names.
 */
export async function checkS3Input(s3: S3Client, location: string): Promise<{ fingerprint: InputFingerprint; columns: string[] }> {
  const { bucket, key } = parseS3(location);
  let head: Buffer;
  let fingerprint: InputFingerprint;
  try {
    const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=0-${HEAD - 1}` }));
    head = Buffer.from(await res.Body!.transformToByteArray());
    const total = /\/(\d+)$/.exec(res.ContentRange ?? '')?.[1];
    fingerprint = {
      path: location,
      size: Number(total ?? res.ContentLength ?? 0),
      mtimeMs: res.LastModified?.getTime() ?? 0,
      ...(res.ETag ? { etag: res.ETag } : {}),
    };
  } catch (err) {
    const e = fromAwsError(err, `input ${location}`);
    if (e.code === 'LOCATION_UNREACHABLE') throw new AppError('INPUT_NOT_FOUND', `input ${location} does not exist or is not readable (${e.message})`, { cause: err });
    throw e;
  }
  return { fingerprint, columns: checkHeader(location, headerRow(location, head)) };
}

/** Bytes hashed at each end of the input: enough to notice a rewrite, cheap at any size. */
const SAMPLE = 1024 * 1024;

/**
 * The input as it is now: its real path (symlinks resolved), size, mtime and a SHA-256 of its first
 * and last MiB. Taken at submit; every stage compares the file with it before reading.
 */
export async function fingerprintLocalInput(file: string): Promise<InputFingerprint> {
  const real = await realpath(file);
  const fh = await open(real, 'r');
  try {
    const st = await fh.stat();
    const hash = createHash('sha256').update(String(st.size));
    const head = Buffer.alloc(Math.min(SAMPLE, st.size));
    await fh.read(head, 0, head.length, 0);
    hash.update(head);
    if (st.size > SAMPLE) {
      const tail = Buffer.alloc(Math.min(SAMPLE, st.size - SAMPLE));
      await fh.read(tail, 0, tail.length, st.size - tail.length);
      hash.update(tail);
    }
    return { path: real, size: st.size, mtimeMs: st.mtimeMs, sha256: hash.digest('hex') };
  } finally {
    await fh.close();
  }
}

/** Refuses (INPUT_CHANGED) an input that is no longer the file recorded at submit. */
export async function verifyLocalInput(recorded: InputFingerprint): Promise<void> {
  const now = await fingerprintLocalInput(recorded.path).catch((err: NodeJS.ErrnoException) => {
    throw new AppError('INPUT_CHANGED', `the input ${recorded.path} is gone since the run was submitted (${err.code ?? 'unreadable'}); submit a new run`);
  });
  const changed = (['size', 'mtimeMs', 'sha256'] as const).filter((k) => now[k] !== recorded[k]);
  if (changed.length > 0) {
    throw new AppError('INPUT_CHANGED', `the input ${recorded.path} changed since the run was submitted (${changed.join(', ')}); a run reads its input as it was at submit, so submit a new run`, {
      details: { changed },
    });
  }
}

/**
 * Refuses (INPUT_CHANGED) an s3:// input whose object is no longer the one recorded at submit, for a
 * stage whose job reads it itself (EMR): its ETag is compared just before the step is added.
 */
export async function verifyS3Input(s3: S3Client, recorded: InputFingerprint): Promise<void> {
  if (!recorded.etag) return;
  const { bucket, key } = parseS3(recorded.path);
  let etag: string | undefined;
  try {
    etag = (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).ETag;
  } catch (err) {
    const e = fromAwsError(err, `input ${recorded.path}`);
    if (e.code === 'LOCATION_UNREACHABLE') throw new AppError('INPUT_CHANGED', `the input ${recorded.path} is gone since the run was submitted; submit a new run`, { cause: err });
    throw e;
  }
  if (etag !== recorded.etag) {
    throw new AppError('INPUT_CHANGED', `the input ${recorded.path} changed since the run was submitted (its ETag is no longer ${recorded.etag}); a run reads its input as it was at submit, so submit a new run`);
  }
}
