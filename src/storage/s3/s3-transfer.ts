import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { joinLocation, parseS3 } from '../location.js';
import { awsErrorName, awsStatus, fromAwsError } from '../aws-error.js';
import { AppError } from '../../errors.js';
import { mapLimit } from '../concurrency.js';

/** Streams an S3 object into a local file (never whole in memory). */
export async function downloadToFile(s3: S3Client, location: string, file: string, signal?: AbortSignal, ifMatch?: string): Promise<void> {
  const { bucket, key } = parseS3(location);
  await mkdir(path.dirname(file), { recursive: true });
  try {
    const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...(ifMatch ? { IfMatch: ifMatch } : {}) }), { abortSignal: signal });
    await pipeline(res.Body as Readable, createWriteStream(file), { signal });
  } catch (err) {
    if (ifMatch && (awsErrorName(err) === 'PreconditionFailed' || awsStatus(err) === 412)) {
      throw new AppError('INPUT_CHANGED', `the input ${location} changed since the run was submitted (its ETag is no longer ${ifMatch}); a run reads its input as it was at submit, so submit a new run`, { cause: err });
    }
    throw fromAwsError(err, `reading ${location}`);
  }
}

/**
 * Uploads every file below `dir` to `prefix` keeping relative paths; multipart for large files
 * (lib-storage's Upload), `concurrency` files at a time. Returns the uploaded keys' count.
 */
export async function uploadDirectory(s3: S3Client, dir: string, prefix: string, opts: { signal?: AbortSignal; concurrency?: number } = {}): Promise<number> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  await mapLimit(files, opts.concurrency ?? 8, async (file) => {
    const { bucket, key } = parseS3(joinLocation(prefix, ...path.relative(dir, file).split(path.sep)));
    const upload = new Upload({ client: s3, params: { Bucket: bucket, Key: key, Body: createReadStream(file) }, queueSize: 4, partSize: 8 * 1024 * 1024 });
    const abort = (): void => void upload.abort();
    opts.signal?.addEventListener('abort', abort, { once: true });
    try {
      await upload.done();
    } catch (err) {
      throw fromAwsError(err, `uploading ${file} to s3://${bucket}/${key}`);
    } finally {
      opts.signal?.removeEventListener('abort', abort);
    }
  });
  return files.length;
}
