import { CopyObjectCommand, DeleteObjectCommand, DeleteObjectsCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import { abortError } from '../../errors.js';
import { parseS3 } from '../location.js';
import { awsErrorName, awsStatus, fromAwsError } from '../aws-error.js';
import type { ListOptions, Storage, StorageEntry } from '../storage.js';

export interface S3StorageOptions {
  client: S3Client;
  /** Keys per ListObjectsV2 page (1..1000, default 1000); tests lower it to exercise pagination. */
  pageSize?: number;
}

/** `s3://bucket/a/b/` -> {bucket, key: 'a/b'} (no trailing slash). */
function split(location: string): { bucket: string; key: string } {
  const { bucket, key } = parseS3(location);
  return { bucket, key: key.replace(/\/+$/, '') };
}

const dirPrefix = (key: string): string => (key === '' ? '' : `${key}/`);

/** S3 (or anything that speaks its API). Folder marker objects (`a/`) are not reported as files. */
export class S3Storage implements Storage {
  private readonly client: S3Client;
  private readonly pageSize: number;

  constructor(options: S3StorageOptions) {
    this.client = options.client;
    this.pageSize = Math.min(Math.max(options.pageSize ?? 1000, 1), 1000);
  }

  async list(location: string, options: ListOptions = {}): Promise<StorageEntry[]> {
    const { bucket, key } = split(location);
    const prefix = dirPrefix(key);
    const base = `s3://${bucket}/${prefix}`;
    const entries: StorageEntry[] = [];
    for await (const page of this.pages(bucket, prefix, '/', options.signal)) {
      for (const p of page.CommonPrefixes ?? []) {
        const name = (p.Prefix ?? '').slice(prefix.length).replace(/\/$/, '');
        if (name) entries.push({ location: base + name, name, isDir: true });
      }
      for (const o of page.Contents ?? []) {
        const name = (o.Key ?? '').slice(prefix.length);
        if (name && !name.endsWith('/')) entries.push({ location: base + name, name, isDir: false, size: o.Size ?? 0 });
      }
    }
    return entries;
  }

  async listRecursive(location: string, options: ListOptions = {}): Promise<StorageEntry[]> {
    const { bucket, key } = split(location);
    const prefix = dirPrefix(key);
    const base = `s3://${bucket}/${prefix}`;
    const files: StorageEntry[] = [];
    for await (const page of this.pages(bucket, prefix, undefined, options.signal)) {
      for (const o of page.Contents ?? []) {
        const rel = (o.Key ?? '').slice(prefix.length);
        if (!rel || rel.endsWith('/')) continue;
        const parts = rel.split('/');
        if (options.prune && parts.slice(0, -1).some((p) => options.prune!(p))) continue;
        files.push({ location: base + rel, name: parts[parts.length - 1]!, isDir: false, size: o.Size ?? 0 });
      }
    }
    return files;
  }

  async readRange(location: string, start: number, end?: number, options: { signal?: AbortSignal } = {}): Promise<Uint8Array> {
    const { bucket, key } = split(location);
    if (end !== undefined && end <= start) return new Uint8Array(0);
    const range = start < 0 ? `bytes=${start}` : `bytes=${start}-${end === undefined ? '' : end - 1}`;
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: range }), { abortSignal: options.signal });
      return out.Body ? await out.Body.transformToByteArray() : new Uint8Array(0);
    } catch (err) {
      // An empty object has no satisfiable range.
      if (awsErrorName(err) === 'InvalidRange') return new Uint8Array(0);
      throw fromAwsError(err, `reading ${location}`);
    }
  }

  async size(location: string): Promise<number> {
    const { bucket, key } = split(location);
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return out.ContentLength ?? 0;
    } catch (err) {
      throw fromAwsError(err, `reading ${location}`);
    }
  }

  async exists(location: string): Promise<boolean> {
    const { bucket, key } = split(location);
    if (key !== '') {
      try {
        await this.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return true;
      } catch (err) {
        if (awsStatus(err) !== 404) throw fromAwsError(err, `reading ${location}`);
      }
    }
    try {
      const out = await this.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: dirPrefix(key), MaxKeys: 1 }));
      return (out.KeyCount ?? out.Contents?.length ?? 0) > 0;
    } catch (err) {
      if (awsErrorName(err) === 'NoSuchBucket') return false;
      throw fromAwsError(err, `listing ${location}`);
    }
  }

  async write(location: string, data: Uint8Array | string): Promise<void> {
    const { bucket, key } = split(location);
    try {
      await this.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: data }));
    } catch (err) {
      throw fromAwsError(err, `writing ${location}`);
    }
  }

  async rename(from: string, to: string): Promise<void> {
    await this.copy(from, to);
    const src = split(from);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: src.bucket, Key: src.key }));
    } catch (err) {
      throw fromAwsError(err, `moving ${from} to ${to}`);
    }
  }

  async copy(from: string, to: string): Promise<void> {
    const src = split(from);
    const dst = split(to);
    try {
      await this.client.send(new CopyObjectCommand({ Bucket: dst.bucket, Key: dst.key, CopySource: encodeURI(`${src.bucket}/${src.key}`) }));
    } catch (err) {
      throw fromAwsError(err, `copying ${from} to ${to}`);
    }
  }

  async removeAll(location: string): Promise<void> {
    const { bucket, key } = split(location);
    try {
      if (key !== '') await this.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    } catch (err) {
      throw fromAwsError(err, `removing ${location}`);
    }
    for await (const page of this.pages(bucket, dirPrefix(key), undefined, undefined)) {
      const objects = (page.Contents ?? []).map((o) => ({ Key: o.Key! }));
      if (objects.length === 0) continue;
      try {
        await this.client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }));
      } catch (err) {
        throw fromAwsError(err, `removing ${location}`);
      }
    }
  }

  /** Every page of a listing: the SDK's paginator, the signal passed to each request. */
  private async *pages(bucket: string, prefix: string, delimiter: string | undefined, signal: AbortSignal | undefined) {
    try {
      yield* paginateListObjectsV2({ client: this.client, pageSize: this.pageSize }, { Bucket: bucket, Prefix: prefix, Delimiter: delimiter }, { abortSignal: signal });
    } catch (err) {
      throw signal?.aborted ? abortError(signal) : fromAwsError(err, `listing s3://${bucket}/${prefix}`);
    }
  }
}
