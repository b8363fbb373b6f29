import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../errors.js';

/**
 * Normalises a table location: `s3a://` and `s3n://` become `s3://`, `file://` URLs (and Hadoop's
 * `file:/path`) become paths, and relative paths are resolved against the warehouse (a directory or an
 * `s3://` prefix). Trailing slashes are dropped. Other schemes (`hdfs://`) are kept as given.
 * @example resolveLocation('sales', 's3://lake/wh') === 's3://lake/wh/sales'
 */
export function resolveLocation(location: string, warehouse: string): string {
  const loc = location.trim();
  const m = /^s3[an]?:\/\/(.*)$/i.exec(loc);
  if (m) {
    const rest = m[1]!.replace(/\/+$/, '');
    if (rest === '' || rest.startsWith('/')) throw new AppError('VALIDATION_FAILED', `location '${location}' names no bucket`);
    return `s3://${rest}`;
  }
  if (/^file:\//i.test(loc)) {
    try {
      return stripSlash(path.resolve(/^file:\/\//i.test(loc) ? fileURLToPath(loc) : decodeURIComponent(loc.slice('file:'.length))));
    } catch (err) {
      // A file URL naming another host, or a broken %-escape.
      throw new AppError('VALIDATION_FAILED', `location '${location}' is not a usable local file URL: ${(err as Error).message}`);
    }
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(loc)) return loc.replace(/\/+$/, '');
  if (path.isAbsolute(loc)) return stripSlash(path.resolve(loc));
  if (isS3(warehouse)) {
    const parts = loc.split('/').filter((p) => p !== '' && p !== '.');
    if (parts.includes('..')) throw new AppError('VALIDATION_FAILED', `relative location '${location}' may not use '..' under an s3:// warehouse`);
    return joinLocation(warehouse, ...parts);
  }
  return stripSlash(path.resolve(warehouse, loc));
}

const stripSlash = (p: string): string => (p.length > 1 ? p.replace(/\/+$/, '') : p);

/** Joins child names onto a local path or an `s3://` location. */
export function joinLocation(base: string, ...parts: string[]): string {
  if (isS3(base)) return [base.replace(/\/+$/, ''), ...parts].join('/');
  return path.join(base, ...parts);
}

/**
 * Whether a local path is one of `roots` or lies below one (all absolute and normalised). The test is
 * on the path as written; links inside a root are trusted, since only someone who can already write
 * there can plant one.
 */
export function isUnderRoots(location: string, roots: readonly string[]): boolean {
  return roots.some((r) => location === r || location.startsWith(r.endsWith(path.sep) ? r : `${r}${path.sep}`));
}

export function isS3(location: string): boolean {
  return location.startsWith('s3://');
}

/** `s3://bucket/a/b` -> {bucket, key: 'a/b'}. */
export function parseS3(location: string): { bucket: string; key: string } {
  const rest = location.replace(/^s3[an]?:\/\//, '');
  const slash = rest.indexOf('/');
  return slash === -1 ? { bucket: rest, key: '' } : { bucket: rest.slice(0, slash), key: rest.slice(slash + 1) };
}

/** The location as a URI an engine accepts: `file:///abs/path` for local paths, the S3 URI with `scheme`. */
export function locationUri(location: string, s3Scheme: 's3' | 's3a' = 's3'): string {
  if (isS3(location)) return `${s3Scheme}://${location.slice('s3://'.length)}`;
  if (location.startsWith('/')) return `file://${location}`;
  return location;
}
