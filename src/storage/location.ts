import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../errors.js';

/**
 * A table or pipeline location, parsed once: an absolute local path, an `s3://bucket/key` URL, or
 * another URL scheme kept as given (`hdfs://`, which no reader here supports).
 * @example parseLocation('s3a://lake/wh/t/') -> { kind: 's3', url: 's3://lake/wh/t', bucket: 'lake', key: 'wh/t' }
 */
export type Location =
  | { kind: 'local'; path: string }
  | { kind: 's3'; url: string; bucket: string; key: string }
  | { kind: 'other'; url: string };

/** Characters DuckDB and Hive read as a glob: a location holding one would silently match other files, or none. */
const GLOB = /[*?[\]{}]/;
/** C0/C1 controls and line separators: a location is printed into DDL, logs and comments. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/**
 * Normalises a table location: `s3a://` and `s3n://` become `s3://`, `file://` URLs (and Hadoop's
 * `file:/path`) become paths, and relative paths are resolved against the warehouse (a directory or an
 * `s3://` prefix). Trailing slashes are dropped. Other schemes (`hdfs://`) are kept as given.
 * Control characters and glob characters are refused (VALIDATION_FAILED).
 * @example resolveLocation('sales', 's3://lake/wh') === 's3://lake/wh/sales'
 */
export function resolveLocation(location: string, warehouse: string): string {
  const resolved = resolveText(location, warehouse);
  checkLocationText(resolved, location);
  return resolved;
}

/** {@link resolveLocation} as a {@link Location}. */
export function parseLocation(location: string, warehouse = '/'): Location {
  return locationOf(resolveLocation(location, warehouse));
}

/** Classifies an already resolved location (a TableDef's, a configured warehouse). */
export function locationOf(resolved: string): Location {
  if (isS3(resolved)) return { kind: 's3', url: resolved, ...parseS3(resolved) };
  if (path.isAbsolute(resolved)) return { kind: 'local', path: resolved };
  return { kind: 'other', url: resolved };
}

function resolveText(location: string, warehouse: string): string {
  const loc = location.trim();
  if (isS3Url(loc)) {
    return normalizeS3Url(loc, location);
  }
  if (/^file:\//i.test(loc)) {
    try {
      return stripSlash(path.resolve(/^file:\/\//i.test(loc) ? fileURLToPath(loc) : decodeURIComponent(loc.slice('file:'.length))));
    } catch (err) {
      // A file URL naming another host, or a broken %-escape.
      throw new AppError('VALIDATION_FAILED', `location '${printable(location)}' is not a usable local file URL: ${(err as Error).message}`);
    }
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(loc)) return loc.replace(/\/+$/, '');
  if (path.isAbsolute(loc)) return stripSlash(path.resolve(loc));
  if (isS3(warehouse)) {
    const parts = loc.split('/').filter((p) => p !== '' && p !== '.');
    if (parts.includes('..')) throw new AppError('VALIDATION_FAILED', `relative location '${printable(location)}' may not use '..' under an s3:// warehouse`);
    return joinLocation(warehouse, ...parts);
  }
  return stripSlash(path.resolve(warehouse, loc));
}

/**
 * Refuses control characters and glob characters in a location (400 VALIDATION_FAILED). With
 * `wildcards` (pipeline inputs, which are expanded at submit) `*` and `?` are let through.
 */
export function checkLocationText(resolved: string, given: string = resolved, o: { wildcards?: boolean } = {}): void {
  if (CONTROL.test(resolved)) throw new AppError('VALIDATION_FAILED', `location '${printable(given)}' contains a control character`);
  if ((o.wildcards ? /[[\]{}]/ : GLOB).test(resolved)) {
    throw new AppError('VALIDATION_FAILED', `location '${printable(given)}' contains a glob character (one of ${o.wildcards ? '[ ] { }' : '* ? [ ] { }'}), which engines would expand`);
  }
}

/** The text with control characters shown as `\uXXXX`, safe to put in a message, a log line or a SQL comment. */
export function printable(text: string): string {
  return text.replace(new RegExp(CONTROL.source, 'g'), (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const stripSlash = (p: string): string => (p.length > 1 ? p.replace(/\/+$/, '') : p);

/** `s3a://b/k/` and `s3n://b/k` -> `s3://b/k` (scheme lower-cased, trailing slashes dropped); a URL with no bucket is refused. */
export function normalizeS3Url(url: string, given: string = url): string {
  const rest = url.trim().replace(/^s3[an]?:\/\//i, '').replace(/\/+$/, '');
  if (rest === '' || rest.startsWith('/')) throw new AppError('VALIDATION_FAILED', `location '${printable(given)}' names no bucket`);
  return `s3://${rest}`;
}

/** Joins child names onto a local path or an `s3://` location. */
export function joinLocation(base: string, ...parts: string[]): string {
  if (isS3(base)) return [base.replace(/\/+$/, ''), ...parts].join('/');
  return path.join(base, ...parts);
}

/**
 * Whether a local path is one of `roots` or lies below one (all absolute and normalised). The test is
 * on the text only: use {@link checkLocalRoots} for a path that may hold symlinks.
 */
export function isUnderRoots(location: string, roots: readonly string[]): boolean {
  return roots.some((r) => location === r || location.startsWith(r.endsWith(path.sep) ? r : `${r}${path.sep}`));
}

export function isS3(location: string): boolean {
  return location.startsWith('s3://');
}

/** `s3://bucket/a/b` (or `s3a://`, `s3n://`) -> {bucket, key: 'a/b'}; the key is kept as written (a trailing slash stays). */
export function parseS3(location: string): { bucket: string; key: string } {
  const rest = location.replace(/^s3[an]?:\/\//i, '');
  const slash = rest.indexOf('/');
  return slash === -1 ? { bucket: rest, key: '' } : { bucket: rest.slice(0, slash), key: rest.slice(slash + 1) };
}

/** A parsed `s3://bucket/key` (or `s3a://`); `key` has no leading or trailing slash. */
export interface S3Location {
  bucket: string;
  key: string;
}

export function isS3Url(url: string): boolean {
  return /^s3[an]?:\/\//i.test(url);
}

/** {@link parseS3} for a URL that must be S3 and name a bucket; `what` names it in the 400 otherwise. */
export function parseS3Url(url: string, what = 'location'): S3Location {
  const { bucket, key } = isS3Url(url) ? parseS3(url) : { bucket: '', key: '' };
  if (!bucket) throw new AppError('VALIDATION_FAILED', `${what} must be an s3:// URL, got '${printable(url)}'`);
  return { bucket, key: key.replace(/^\/+|\/+$/g, '') };
}

/** `s3://bucket/a` + `b/c` -> `s3://bucket/a/b/c` (no doubled slashes, no trailing slash). */
export function s3Join(base: string, ...parts: string[]): string {
  const { bucket, key } = parseS3Url(base);
  const rest = [key, ...parts.map((p) => p.replace(/^\/+|\/+$/g, ''))].filter((p) => p !== '');
  return `s3://${bucket}${rest.length > 0 ? `/${rest.join('/')}` : ''}`;
}

/** The location as a URI an engine accepts: `file:///abs/path` for local paths, the S3 URI with `scheme`. */
export function locationUri(location: string, s3Scheme: 's3' | 's3a' = 's3'): string {
  if (isS3(location)) return `${s3Scheme}://${location.slice('s3://'.length)}`;
  if (location.startsWith('/')) return `file://${location}`;
  return location;
}

/**
 * The real path of a local path: symlinks resolved in every component. A path that does not exist
 * (yet) resolves through its nearest existing ancestor, with the missing tail appended as written.
 * @example realLocalPath('/home/u/lab/etclink/new') === '/etc/new' when lab/etclink -> /etc
 */
export async function realLocalPath(p: string): Promise<string> {
  const abs = path.resolve(p);
  const tail: string[] = [];
  let at = abs;
  for (;;) {
    try {
      return path.join(await realpath(at), ...tail.reverse());
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // A dangling link or a missing component: look one level up. A link loop or no permission is refused.
      if (code !== 'ENOENT' && code !== 'ENOTDIR') {
        throw new AppError('LOCATION_UNREACHABLE', `${printable(abs)} cannot be resolved (${code ?? 'error'})`, { cause: err });
      }
      const up = path.dirname(at);
      if (up === at) return abs;
      tail.push(path.basename(at));
      at = up;
    }
  }
}

/** Real paths of the roots (a root that does not exist yet keeps its nearest existing ancestor's real path). */
export async function realRoots(roots: readonly string[]): Promise<string[]> {
  return Promise.all(roots.map((r) => realLocalPath(r)));
}

/**
 * Checks a local path against LAKEGATE_LOCAL_ROOTS after resolving symlinks, in the path and in the
 * roots: a link inside a root that points elsewhere does not widen the sandbox. Returns the real path.
 * Without roots (`undefined`) any path is allowed. Throws LOCATION_UNREACHABLE (422) naming the roots.
 * @example await checkLocalRoots('/srv/lg/lab/etclink', ['/srv/lg'], 'output') // throws when etclink -> /etc
 */
export async function checkLocalRoots(p: string, roots: readonly string[] | undefined, what = 'location', setting = 'LAKEGATE_LOCAL_ROOTS'): Promise<string> {
  const real = await realLocalPath(p);
  if (roots === undefined) return real;
  if (!isUnderRoots(path.resolve(p), roots) || !isUnderRoots(real, await realRoots(roots))) {
    const shown = real === path.resolve(p) ? printable(p) : `${printable(p)} (really ${printable(real)})`;
    throw new AppError('LOCATION_UNREACHABLE', `${what} ${shown} is outside the local directories the gateway may use (${roots.join(', ')}; ${setting})`);
  }
  return real;
}
