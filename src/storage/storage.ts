/** An entry under a listed prefix. Directories are reported once, with `isDir` and a trailing-slash-free path. */
export interface StorageEntry {
  /** Absolute location: a local path or `s3://bucket/key`, always under the listed location as given (symlinks are not resolved). */
  location: string;
  name: string;
  isDir: boolean;
  /** Bytes, for files. */
  size?: number;
}

export interface ListOptions {
  signal?: AbortSignal;
  /**
   * listRecursive only: directories whose name this returns true for are not descended into
   * (e.g. `_temporary`). On S3, whose listing is flat, files below such a directory are dropped instead.
   */
  prune?: (dirName: string) => boolean;
}

/**
 * Listing, reading and writing files of the lake. Implementations: `local/` (filesystem, follows symlinks) and
 * `s3/` (S3 API). Locations are absolute local paths or `s3://bucket/key`.
 *
 * A location with nothing under it lists as empty (on S3 a missing prefix and an empty one are the same
 * thing, and the local implementation behaves alike). A location that cannot be read at all (a file
 * where a directory is expected, no permission, no such bucket) throws AppError('LOCATION_UNREACHABLE');
 * a failing backend throws AppError('UPSTREAM_FAILED', {retryable: true}).
 */
export interface Storage {
  /** Immediate children of a directory/prefix (S3: ListObjectsV2 with delimiter, all pages). */
  list(location: string, options?: ListOptions): Promise<StorageEntry[]>;
  /** Every file below a directory/prefix, recursively (files only, with sizes). */
  listRecursive(location: string, options?: ListOptions): Promise<StorageEntry[]>;
  /** Bytes [start, end) of a file; a negative start reads the last -start bytes. */
  readRange(location: string, start: number, end?: number, options?: { signal?: AbortSignal }): Promise<Uint8Array>;
  size(location: string): Promise<number>;
  /** Whether a file or a non-empty directory/prefix is there. */
  exists(location: string): Promise<boolean>;
  /**
   * Writes a whole file, replacing it: readers see the old content or the new, never part (local:
   * a temporary file renamed over it; S3: one PUT). Parent directories are made as needed.
   */
  write(location: string, data: Uint8Array | string): Promise<void>;
  /**
   * Moves a file. Local: rename(2), atomic. S3 has no rename: a copy, then the source is deleted, so
   * a reader may see both for a moment (publication never relies on it; it writes manifests).
   */
  rename(from: string, to: string): Promise<void>;
  /**
   * Copies a file that is never written again (local: a hard link, else a copy; S3: one CopyObject,
   * so objects up to 5 GB). Parent directories are made as needed.
   */
  copy(from: string, to: string): Promise<void>;
  /** Removes a file, or a directory/prefix and everything below it; nothing there is not an error. Local links are removed, not followed. */
  removeAll(location: string): Promise<void>;
}
