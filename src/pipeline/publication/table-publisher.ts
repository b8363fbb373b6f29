import { isJunkName } from '../../catalog/partition/partition-path.js';
import { dirsOf } from '../../catalog/schema/table-inference.js';
import { joinLocation } from '../../storage/location.js';
import { readParquetFooter } from '../../storage/parquet/parquet-footer.js';
import type { Storage, StorageEntry } from '../../storage/storage.js';

/** Where an output keeps its tables' versions (`<output>/.versions/<table>/<version>`), local or S3. */
export const VERSIONS_DIR = '.versions';
/** Scratch of a run inside a local output (the benchmark stage's). */
export const STAGING_DIR = '.staging';

/**
 * The name of the version a stage attempt writes: `<runId>-a<attempt>`. Every job backend (the
 * embedded engine, spark-submit, EMR steps) and crash recovery use this one name, so that a version
 * directory can always be traced back to its run.
 */
export function versionName(runId: string, attempt: number): string {
  return `${runId}-a${attempt}`;
}

/**
 * Whether `version` was written by a gateway run created before the run that wrote `than`: gateway
 * run ids are `run_<time>_<random>` and sort by creation. Versions of later runs (still being
 * written) and versions written by others (the operator CLI's `cli_...`) are never "older".
 */
export function isOlderRunVersion(version: string, than: string): boolean {
  return version.startsWith('run_') && than.startsWith('run_') && version < than;
}

/** Whether `version` was written by run `runId` (any attempt). */
export function isVersionOf(version: string, runId: string): boolean {
  return version.startsWith(`${runId}-a`);
}

/**
 * Publishes tables atomically: writers fill `prepare(table, version)`, then `publish` makes that
 * version the table's content in one step. Implementations: LocalTablePublisher (symlink swap).
 */
export interface TablePublisher {
  /** A fresh location (local path or s3:// prefix) to write the table's files into. */
  prepare(table: string, version: string): Promise<string>;
  publish(table: string, version: string): Promise<void>;
  /** Removes what was written for `version` of `table` when it will not be published (a failed attempt). */
  discard?(table: string, version: string): Promise<void>;
  /** Removes versions nothing points at once the catalog follows the latest publication (S3; local prunes at publish). */
  retire?(table: string): Promise<void>;
  /** Where readers and the catalog find the table once `version` is published (default `<output>/<table>`). */
  publishedLocation?(table: string, version: string): string;
  /** The version the table is published at now, if any. */
  current?(table: string): Promise<string | undefined>;
  /** Points the table back at `version` (undefined: unpublishes it); undoes a publication that did not commit. */
  rollback?(table: string, version: string | undefined): Promise<void>;
  /** Data rows in the prepared `version` of `table`, read from its Parquet footers. */
  rowsIn?(table: string, version: string): Promise<number>;
  /**
   * Copies into the prepared `version` of `table` every top-level partition (`key=value` folder) of
   * version `from` that `version` lacks, so that publishing it replaces only the partitions the stage
   * wrote, and never those in `replaced` (the stage's own, even when it wrote no rows to them);
   * answers the partitions kept (see keptPartitions).
   */
  keepPartitions?(table: string, version: string, from: string, replaced: readonly string[]): Promise<string[]>;
  /** Makes a table written outside the publisher (a plain directory) a version of its own, so that it can be rolled back to. */
  adopt?(table: string): Promise<void>;
  /**
   * Refuses (OUTPUT_OVERLAPS) an output whose publication folders or table entries lead elsewhere
   * (a `.versions` that is a link, a table link that points outside its versions): writing or pruning
   * there would touch files that are not the output's.
   */
  checkLayout?(tables: readonly string[]): Promise<void>;
}

/**
 * The top-level partition folders (`key=value`) under `from` that `to` lacks, copied into `to` file by
 * file (Storage.copy: hard links locally, CopyObject on S3); Spark's leftovers (`_x`, `.x`) stay behind.
 */
export async function keptPartitions(storage: Storage, from: string, to: string, replaced: readonly string[]): Promise<string[]> {
  /** The partition folder right below `root` that a data file lies in. */
  const top = (f: StorageEntry, root: string): string | undefined => {
    const dir = dirsOf(f, root)?.[0];
    return dir?.includes('=') ? dir : undefined;
  };
  const written = new Set([...(await storage.listRecursive(to)).map((f) => top(f, to)), ...replaced]);
  const root = from.replace(/\/+$/, '');
  const kept = new Set<string>();
  for (const f of await storage.listRecursive(from, { prune: isJunkName })) {
    const part = top(f, from);
    if (part === undefined || written.has(part)) continue;
    await storage.copy(f.location, joinLocation(to, f.location.slice(root.length + 1)));
    kept.add(part);
  }
  return [...kept].sort();
}

/** Data rows of every Parquet file under `location`, from their footers. */
export async function parquetRowsUnder(storage: Storage, location: string): Promise<number> {
  const files = (await storage.listRecursive(location)).filter((f) => f.name.endsWith('.parquet'));
  let rows = 0;
  for (const f of files) rows += (await readParquetFooter(storage, f.location, f.size === undefined ? {} : { size: f.size })).rows;
  return rows;
}
