import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { AppError } from '../errors.js';
import { fromAwsError } from '../storage/aws-error.js';
import { checkLocalRoots, isS3, parseS3 } from '../storage/location.js';
import { hasWildcard, PathGlob } from '../storage/path-glob.js';
import { checkLocalInput, checkS3Input, fingerprintLocalInput } from './input-check.js';
import type { InputFingerprint, Run } from './pipeline-types.js';

/** The files a run reads, resolved and fingerprinted at submit, in reading order. */
export interface InputSet {
  count: number;
  totalBytes: number;
  files: InputFingerprint[];
}

export interface InputSetOptions {
  s3?: S3Client;
  /** Local directories every file must lie under once symlinks are resolved (LAKEGATE_INPUT_ROOTS); absent: anywhere. */
  roots?: string[];
  /** Files the set may hold (LAKEGATE_MAX_INPUT_FILES). */
  maxFiles: number;
}

/** What a directory or an s3:// prefix contributes: its CSV files, plain or gzip. */
const DATA_FILE = /\.csv(\.gz)?$/i;
/** Hidden files and Hive/Spark markers (`_SUCCESS`, `_temporary`), which readers skip. */
const SKIPPED = /^[._]/;
/** Folder entries a local pattern may visit while it is resolved (inside the submit request). */
const MAX_WALKED_ENTRIES = 200_000;
/** Files checked at once at submit. */
const CHECKS_AT_ONCE = 16;

const isDataName = (name: string): boolean => DATA_FILE.test(name) && !SKIPPED.test(name);

/**
 * Resolves input forms (each already an absolute local path or an s3:// URL: a file, a directory or
 * prefix, or a glob) into the sorted, de-duplicated files they name. Every file is checked (exists,
 * readable, the card header, the same header as the first file) and fingerprinted. A form that
 * names no file is INPUT_NOT_FOUND; a bad file is INPUT_INVALID naming it; a local file whose real
 * path leaves `roots` is LOCATION_UNREACHABLE; more than `maxFiles` is INPUT_TOO_MANY_FILES.
 */
export async function resolveInputSet(forms: readonly string[], o: InputSetOptions): Promise<InputSet> {
  const located = new Map<string, string>();
  for (const form of forms) {
    // With input roots, a local form's folder is checked before it is listed or walked: nothing
    // outside the roots is looked at (a pattern such as /**/*.csv would walk the whole machine).
    if (!isS3(form) && o.roots) await checkLocalRoots(hasWildcard(form) ? new PathGlob(form).base || '/' : form, o.roots, 'input', 'LAKEGATE_INPUT_ROOTS');
    const found = isS3(form) ? await s3Files(requireS3(o), form, o.maxFiles) : await localFiles(form, o.maxFiles);
    if (found.length === 0) throw new AppError('INPUT_NOT_FOUND', `input ${form} matches no file${hasWildcard(form) ? '' : ' (a directory or prefix gives its *.csv and *.csv.gz files)'}`);
    for (const f of found) {
      // A local file is known by its real path, checked against the roots however it was reached.
      const real = isS3(f) ? f : await checkLocalRoots(f, o.roots, 'input', 'LAKEGATE_INPUT_ROOTS');
      located.set(real, f);
      if (located.size > o.maxFiles) tooMany(o.maxFiles);
    }
  }
  const limit = pLimit(CHECKS_AT_ONCE);
  const checked = await Promise.all(
    [...located.keys()].sort().map((file) => limit(async () => {
      if (isS3(file)) return checkS3Input(requireS3(o), file);
      const columns = await checkLocalInput(file);
      return { fingerprint: await fingerprintLocalInput(file), columns };
    })),
  );
  const first = checked[0]!;
  for (const c of checked.slice(1)) {
    if (c.columns.join(',') !== first.columns.join(',')) {
      throw new AppError('INPUT_INVALID', `input ${c.fingerprint.path} has the header ${c.columns.join(',')}, unlike ${first.fingerprint.path} (${first.columns.join(',')}); every file of an input must have the same columns in the same order`, {
        details: { file: c.fingerprint.path },
      });
    }
  }
  const files = checked.map((c) => c.fingerprint);
  return { count: files.length, totalBytes: files.reduce((n, f) => n + f.size, 0), files };
}

/** The files a run reads: its input set, or the one file of a run recorded before input sets. */
export function inputFilesOf(run: Pick<Run, 'inputs' | 'inputFingerprint'>): InputFingerprint[] {
  return run.inputs?.files ?? (run.inputFingerprint ? [run.inputFingerprint] : []);
}

function tooMany(max: number): never {
  throw new AppError('INPUT_TOO_MANY_FILES', `the input names more than ${max} files (LAKEGATE_MAX_INPUT_FILES); combine them into fewer, larger files or submit several runs`, { details: { maxFiles: max } });
}

function requireS3(o: InputSetOptions): S3Client {
  if (!o.s3) throw new AppError('NOT_IMPLEMENTED', 'this gateway has no S3 client');
  return o.s3;
}

/** A local form's files, as reached (symlinks not yet resolved). */
async function localFiles(form: string, max: number): Promise<string[]> {
  if (hasWildcard(form)) {
    const glob = new PathGlob(form);
    const out: string[] = [];
    await walk(glob.base || '/', glob, out, max, { left: MAX_WALKED_ENTRIES });
    return out;
  }
  const st = await stat(form).catch((err: NodeJS.ErrnoException) => {
    throw new AppError('INPUT_NOT_FOUND', `input ${form} does not exist or is not accessible (${err.code ?? err.message})`);
  });
  if (!st.isDirectory()) return [form];
  const out: string[] = [];
  const entries = await readdir(form, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
    throw new AppError('INPUT_NOT_FOUND', `input ${form} cannot be listed (${err.code ?? err.message})`);
  });
  for (const e of entries) {
    const p = path.join(form, e.name);
    if (isDataName(e.name) && (await isFile(p))) out.push(p);
    if (out.length > max) tooMany(max);
  }
  return out;
}

/**
 * Collects the files under `dir` that `glob` matches. Directories are entered only as deep as the
 * pattern reaches (any depth for `**`); a symlink is followed to a file but not into a directory (no cycles).
 */
async function walk(dir: string, glob: PathGlob, out: string[], max: number, budget: { left: number }, depth = 0): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return [];
    throw new AppError('INPUT_INVALID', `input directory ${dir} cannot be listed (${err.code ?? err.message})`, { cause: err });
  });
  budget.left -= entries.length;
  if (budget.left < 0) {
    throw new AppError('INPUT_INVALID', `input pattern ${glob.pattern} reaches more than ${MAX_WALKED_ENTRIES.toLocaleString('en')} folder entries; start it at a narrower folder`);
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (depth < glob.depth && !SKIPPED.test(e.name)) await walk(p, glob, out, max, budget, depth + 1);
    } else if (glob.matches(p) && (e.isFile() || (await isFile(p)))) {
      out.push(p);
      if (out.length > max) tooMany(max);
    }
  }
}

async function isFile(p: string): Promise<boolean> {
  return stat(p).then((s) => s.isFile(), () => false);
}

/**
 * An s3:// form's objects: a glob matches keys listed under its literal prefix; a key with objects
 * below `<key>/` is a prefix (its direct *.csv and *.csv.gz objects); else the key is one object.
 */
async function s3Files(s3: S3Client, form: string, max: number): Promise<string[]> {
  const { bucket, key } = parseS3(form);
  const url = (k: string): string => `s3://${bucket}/${k}`;
  if (hasWildcard(key)) {
    const glob = new PathGlob(key);
    const { keys } = await listKeys(s3, { bucket, prefix: glob.base === '' ? '' : `${glob.base}/`, deep: glob.deep, form, max, keep: (k) => glob.matches(k) });
    return keys.map(url);
  }
  const prefix = key === '' ? '' : `${key}/`;
  const { keys, dirs } = await listKeys(s3, { bucket, prefix, deep: false, form, max, keep: (k) => isDataName(k.slice(prefix.length)) });
  if (keys.length === 0 && !dirs && key !== '') return [form];
  return keys.map(url);
}

/**
 * Keys under `prefix` that `keep` accepts, through the SDK's paginator (only direct children unless
 * `deep`); `dirs` says whether anything at all lies under the prefix, so that a prefix holding no
 * data file is not taken for a single object.
 */
async function listKeys(s3: S3Client, o: { bucket: string; prefix: string; deep: boolean; form: string; max: number; keep: (key: string) => boolean }): Promise<{ keys: string[]; dirs: boolean }> {
  const keys: string[] = [];
  let dirs = false;
  try {
    const pages = paginateListObjectsV2({ client: s3 }, { Bucket: o.bucket, Prefix: o.prefix, ...(o.deep ? {} : { Delimiter: '/' }) });
    for await (const page of pages) {
      dirs ||= (page.CommonPrefixes?.length ?? 0) > 0 || (page.Contents?.length ?? 0) > 0;
      for (const obj of page.Contents ?? []) {
        if (obj.Key && !obj.Key.endsWith('/') && o.keep(obj.Key)) keys.push(obj.Key);
        if (keys.length > o.max) tooMany(o.max);
      }
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    const e = fromAwsError(err, `listing input ${o.form}`);
    if (e.code === 'LOCATION_UNREACHABLE') throw new AppError('INPUT_NOT_FOUND', `input ${o.form} cannot be listed (${e.message})`, { cause: err });
    throw e;
  }
  return { keys, dirs };
}
