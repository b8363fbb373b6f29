import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { AppError } from '../../errors.js';
import { STAGE_ORDER, type StageName } from '../../pipeline/pipeline-types.js';
import { awsErrorName, awsStatus, fromAwsError } from '../../storage/aws-error.js';
import { mapLimit } from '../../storage/concurrency.js';
import { parseS3Url, s3Join } from '../../storage/location.js';
import { storedZip } from './stored-zip.js';

/** What the steps of a run need in S3, staged by ArtifactStaging.stage(). */
export interface StagedArtifacts {
  /** The script of each stage whose `jobs/<stage>.py` exists. */
  scripts: Partial<Record<StageName, string>>;
  /** What the stage scripts import, passed as `--py-files`: the package zips, then the other modules of `jobs/`. */
  pyFiles: string[];
  /** A copy of the DDL tree (`<table>.sql`, `transforms/<table>.sql`), passed as `--ddl-dir`. */
  ddlDir: string;
  /** Every object staged, and whether this call uploaded it (false: it was already there). */
  objects: { url: string; uploaded: boolean }[];
}

interface LocalFile {
  /** Path relative to its root, with '/' separators. */
  rel: string;
  body: Buffer;
  sha256: string;
}

const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');
const UPLOAD_CONCURRENCY = 4;

/**
 * Copies the Spark jobs and the DDL to S3 under a staging prefix, at keys derived from their content,
 * so a step always reads exactly the code it was submitted with and unchanged files are never uploaded
 * twice (HeadObject first; keys seen in this process are remembered).
 *
 * - `jobs/<name>.py` -> `<staging>/spark/<sha256 of the file>/<name>.py` (the file name is kept:
 *   Python imports a `--py-files` module by its file name);
 * - each package next to `jobs/` (a directory with `__init__.py`, e.g. `lakegate_spark/`) -> one
 *   reproducible zip, `<staging>/spark/<sha256 of the zip>/<package>.zip`, for `--py-files`;
 * - the DDL tree -> `<staging>/ddl/<tree hash>/<relative path>`, where the tree hash is the sha256 of
 *   the sorted lines `<relative path>\0<sha256 of the file>\n`: the jobs read it as one directory.
 */
export class ArtifactStaging {
  private readonly present = new Set<string>();

  constructor(private readonly o: { s3: S3Client; staging: string }) {
    parseS3Url(o.staging, 'the S3 staging location');
  }

  async stage(sparkDir: string, ddlDir: string, signal?: AbortSignal): Promise<StagedArtifacts> {
    const jobs = (await readTree(path.join(sparkDir, 'jobs'), false)).filter((f) => isModule(f.rel));
    if (jobs.length === 0) throw new AppError('INTERNAL', `no Spark jobs found in ${path.join(sparkDir, 'jobs')}`);
    const code = [...(await packageZips(sparkDir)), ...jobs];
    const ddl = await readTree(ddlDir, true);
    if (ddl.length === 0) throw new AppError('INTERNAL', `no DDL found in ${ddlDir}`);
    const ddlRoot = s3Join(this.o.staging, 'ddl', treeHash(ddl));
    const uploads = [
      ...code.map((f) => ({ file: f, url: s3Join(this.o.staging, 'spark', f.sha256, f.rel) })),
      ...ddl.map((f) => ({ file: f, url: s3Join(ddlRoot, f.rel) })),
    ];
    const objects = await mapLimit(uploads, UPLOAD_CONCURRENCY, async ({ file, url }) => ({
      url,
      uploaded: await this.ensure(url, file.body, signal),
    }));
    const scripts: Partial<Record<StageName, string>> = {};
    const pyFiles: string[] = [];
    code.forEach((f, i) => {
      const stage = STAGE_ORDER.find((s) => `${s}.py` === f.rel);
      if (stage) scripts[stage] = uploads[i]!.url;
      else pyFiles.push(uploads[i]!.url);
    });
    return { scripts, pyFiles, ddlDir: ddlRoot, objects };
  }

  /** Uploads a small text (a job's input list) to `<staging>/inputs/<sha256 of it>.txt` unless it is there; answers its URL. */
  async stageText(text: string, signal?: AbortSignal): Promise<string> {
    const body = Buffer.from(text, 'utf8');
    const url = s3Join(this.o.staging, 'inputs', `${createHash('sha256').update(body).digest('hex')}.txt`);
    await this.ensure(url, body, signal);
    return url;
  }

  /** Uploads a local file (input data) to `<staging>/data/<file name>`, replacing what is there; answers its URL. */
  async uploadData(file: string, signal?: AbortSignal): Promise<string> {
    const url = s3Join(this.o.staging, 'data', path.basename(file));
    const { bucket, key } = parseS3Url(url);
    let size: number;
    try {
      size = (await stat(file)).size;
    } catch (err) {
      throw new AppError('INPUT_NOT_FOUND', `cannot read ${file}: ${(err as Error).message}`, { cause: err });
    }
    try {
      await this.o.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: createReadStream(file), ContentLength: size }), { abortSignal: signal });
    } catch (err) {
      throw fromAwsError(err, `uploading ${file} to ${url}`);
    }
    return url;
  }

  /** Uploads `body` to `url` unless an object is already there; true when it uploaded. */
  private async ensure(url: string, body: Buffer, signal?: AbortSignal): Promise<boolean> {
    if (this.present.has(url)) return false;
    const { bucket, key } = parseS3Url(url);
    try {
      await this.o.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
      this.present.add(url);
      return false;
    } catch (err) {
      if (awsErrorName(err) !== 'NotFound' && awsStatus(err) !== 404) throw fromAwsError(err, `checking ${url}`);
    }
    try {
      await this.o.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentLength: body.length }), { abortSignal: signal });
    } catch (err) {
      throw fromAwsError(err, `uploading ${url}`);
    }
    this.present.add(url);
    return true;
  }
}

/** A reproducible zip of each package directly under `sparkDir` (a directory holding `__init__.py`). */
async function packageZips(sparkDir: string): Promise<LocalFile[]> {
  const zips: LocalFile[] = [];
  for (const e of await readdir(sparkDir, { withFileTypes: true })) {
    if (!e.isDirectory() || e.name === 'jobs' || e.name.startsWith('.')) continue;
    const files = await readTree(path.join(sparkDir, e.name), true);
    if (!files.some((f) => f.rel === '__init__.py')) continue;
    const body = storedZip(files.map((f) => ({ name: `${e.name}/${f.rel}`, data: f.body })));
    zips.push({ rel: `${e.name}.zip`, body, sha256: sha256(body) });
  }
  return zips.sort((a, b) => (a.rel < b.rel ? -1 : 1));
}

function isModule(rel: string): boolean {
  return rel.endsWith('.py') && rel !== '__init__.py' && !rel.startsWith('test_') && !rel.endsWith('_test.py');
}

/** The sha256 of a tree's sorted `<rel>\0<sha256>\n` lines: changes when any file or name changes. */
function treeHash(files: readonly LocalFile[]): string {
  return sha256([...files].sort((a, b) => (a.rel < b.rel ? -1 : 1)).map((f) => `${f.rel}\0${f.sha256}\n`).join(''));
}

/** Regular files under `root` (recursively or not), skipping dot-files and `__pycache__`. */
async function readTree(root: string, recursive: boolean, prefix = ''): Promise<LocalFile[]> {
  let entries;
  try {
    entries = await readdir(path.join(root, prefix), { withFileTypes: true });
  } catch (err) {
    throw new AppError('INTERNAL', `cannot read ${path.join(root, prefix)}: ${(err as Error).message}`, { cause: err });
  }
  const files: LocalFile[] = [];
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (e.name.startsWith('.') || e.name === '__pycache__') continue;
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory() && recursive) files.push(...(await readTree(root, true, rel)));
    else if (e.isFile()) {
      const body = await readFile(path.join(root, rel));
      files.push({ rel, body, sha256: sha256(body) });
    }
  }
  return files;
}
