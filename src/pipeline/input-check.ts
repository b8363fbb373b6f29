import { open, stat } from 'node:fs/promises';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { parseS3 } from '../storage/location.js';
import { fromAwsError } from '../storage/aws-error.js';
import { AppError } from '../errors.js';
import { CARD_DOMAIN } from '../domain/card-domain.js';

/** Reads the first line of a local file (at most 64 KiB). */
async function firstLine(file: string): Promise<string> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const text = buf.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '');
    const nl = text.search(/\r?\n/);
    return nl === -1 ? text : text.slice(0, nl);
  } finally {
    await fh.close();
  }
}

function checkHeader(input: string, header: string): void {
  const columns = new Set(header.split(',').map((c) => c.trim().replace(/^"|"$/g, '')));
  const missing = CARD_DOMAIN.columns.filter((c) => !columns.has(c));
  if (missing.length > 0) {
    throw new AppError('INPUT_INVALID', `input ${input} lacks the column(s) ${missing.join(', ')} in its header row`, {
      details: { missingColumns: missing },
    });
  }
}

/**
 * Refuses, at submit time, an input that does not exist, cannot be read, or lacks a column of the
 * card CSV, so that a scheduler hears about it at once instead of from a failed run later.
 */
export async function checkLocalInput(file: string): Promise<void> {
  const st = await stat(file).catch((err: NodeJS.ErrnoException) => {
    throw new AppError('INPUT_NOT_FOUND', `input ${file} does not exist or is not accessible (${err.code ?? err.message})`);
  });
  if (!st.isFile()) throw new AppError('INPUT_INVALID', `input ${file} is not a file`);
  let header: string;
  try {
    header = await firstLine(file);
  } catch (err) {
    throw new AppError('INPUT_INVALID', `input ${file} cannot be read: ${(err as Error).message}`, { cause: err });
  }
  checkHeader(file, header);
}

/** The same checks for an s3:// input: the object exists and its first line is the card CSV header. */
export async function checkS3Input(s3: S3Client, location: string): Promise<void> {
  const { bucket, key } = parseS3(location);
  let head: string;
  try {
    const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: 'bytes=0-65535' }));
    head = (await res.Body!.transformToString('utf8')).replace(/^\uFEFF/, '');
  } catch (err) {
    const e = fromAwsError(err, `input ${location}`);
    if (e.code === 'LOCATION_UNREACHABLE') throw new AppError('INPUT_NOT_FOUND', `input ${location} does not exist or is not readable (${e.message})`, { cause: err });
    throw e;
  }
  const nl = head.search(/\r?\n/);
  checkHeader(location, nl === -1 ? head : head.slice(0, nl));
}
