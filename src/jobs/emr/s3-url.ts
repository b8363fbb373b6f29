import { AppError } from '../../errors.js';

/** A parsed `s3://bucket/key` (or `s3a://`); `key` has no leading or trailing slash. */
export interface S3Location {
  bucket: string;
  key: string;
}

export function isS3Url(url: string): boolean {
  return /^s3a?:\/\//.test(url);
}

export function parseS3Url(url: string, what = 'location'): S3Location {
  const m = /^s3a?:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!m?.[1]) throw new AppError('VALIDATION_FAILED', `${what} must be an s3:// URL, got '${url}'`);
  return { bucket: m[1], key: (m[2] ?? '').replace(/^\/+|\/+$/g, '') };
}

/** `s3://bucket/a` + `b/c` -> `s3://bucket/a/b/c` (no doubled slashes, no trailing slash). */
export function s3Join(base: string, ...parts: string[]): string {
  const { bucket, key } = parseS3Url(base);
  const rest = [key, ...parts.map((p) => p.replace(/^\/+|\/+$/g, ''))].filter((p) => p !== '');
  return `s3://${bucket}${rest.length > 0 ? `/${rest.join('/')}` : ''}`;
}
