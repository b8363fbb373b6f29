/**
 * The name of the version a stage attempt writes: `<runId>-a<attempt>`. Every job backend (the
 * embedded engine, spark-submit, EMR steps) and crash recovery use this one name, so that a version
 * directory can always be traced back to its run.
 */
export function versionName(runId: string, attempt: number): string {
  return `${runId}-a${attempt}`;
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
}
