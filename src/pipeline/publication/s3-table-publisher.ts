import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { joinLocation, parseS3 } from '../../storage/location.js';
import { awsErrorName, fromAwsError } from '../../storage/aws-error.js';
import { S3Storage } from '../../storage/s3/s3-storage.js';
import { isOlderRunVersion, keptPartitions, parquetRowsUnder, VERSIONS_DIR, type TablePublisher } from './table-publisher.js';

/** Name of the marker object a publication writes last, under `<output>/<table>/`. */
export const MANIFEST = '_lakegate_manifest.json';

/**
 * Atomic per-table publication on S3, where nothing can be renamed: a version's files are written
 * under `<output>/.versions/<table>/<version>/`, then the manifest `<output>/<table>/_lakegate_manifest.json`
 * naming that version is written last (one PUT, atomic), and the catalog is pointed at the version's
 * prefix. A reader that goes through the manifest or the catalog sees the old version or the new one.
 *
 * Old versions go only once the catalog has been pointed at the new one (`retire`, called after the
 * registration succeeded): the new version and the one it replaced stay, for queries in flight.
 */
export class S3TablePublisher implements TablePublisher {
  /** What this publisher published per table, and the version each publication replaced. */
  private readonly published = new Map<string, { version: string; replaced: string | undefined }>();

  /** Listing, writing and removing go through the object store; only the manifest read needs S3's own answer (NoSuchKey). */
  private readonly storage: S3Storage;

  constructor(
    private readonly s3: S3Client,
    private readonly output: string,
  ) {
    this.storage = new S3Storage({ client: s3 });
  }

  async prepare(table: string, version: string): Promise<string> {
    return this.publishedLocation(table, version);
  }

  publishedLocation(table: string, version: string): string {
    return joinLocation(this.output, VERSIONS_DIR, table, version);
  }

  keepPartitions(table: string, version: string, from: string, replaced: readonly string[]): Promise<string[]> {
    return keptPartitions(this.storage, this.publishedLocation(table, from), this.publishedLocation(table, version), replaced);
  }

  async publish(table: string, version: string): Promise<void> {
    const replaced = await this.liveVersion(table);
    await this.writeManifest(table, version);
    this.published.set(table, { version, replaced });
  }

  private async writeManifest(table: string, version: string): Promise<void> {
    const body = JSON.stringify({ table, version, location: this.publishedLocation(table, version), publishedAt: new Date().toISOString() });
    await this.storage.write(joinLocation(this.output, table, MANIFEST), body);
  }


  /** Removes a failed attempt's uploads; never the version a manifest names. */
  async discard(table: string, version: string): Promise<void> {
    if (this.published.get(table)?.version === version || (await this.liveVersion(table)) === version) return;
    await this.storage.removeAll(this.publishedLocation(table, version));
  }

  /**
   * After the catalog points at what this publisher published: deletes the versions of earlier runs
   * except the one that publication replaced (a later run's version may still be being written).
   */
  async retire(table: string): Promise<void> {
    const mine = this.published.get(table);
    if (!mine || (await this.liveVersion(table)) !== mine.version) return;
    const keep = new Set([mine.version, mine.replaced]);
    const stale = (await this.storage.list(joinLocation(this.output, VERSIONS_DIR, table))).filter((e) => e.isDir && !keep.has(e.name) && isOlderRunVersion(e.name, mine.version)).map((e) => e.name);
    for (const v of stale) await this.storage.removeAll(this.publishedLocation(table, v));
  }

  /** Data rows of a prepared version, from the footers of its uploaded files. */
  async rowsIn(table: string, version: string): Promise<number> {
    return parquetRowsUnder(this.storage, this.publishedLocation(table, version));
  }

  async current(table: string): Promise<string | undefined> {
    return this.liveVersion(table);
  }

  /** Writes the manifest back to `version` (or deletes it): the catalog is re-pointed by the next registration. */
  async rollback(table: string, version: string | undefined): Promise<void> {
    if (version === undefined) await this.storage.removeAll(joinLocation(this.output, table, MANIFEST));
    else await this.writeManifest(table, version);
    this.published.delete(table);
  }

  /** The version the table's manifest names, if it has one. */
  private async liveVersion(table: string): Promise<string | undefined> {
    const { bucket, key } = parseS3(joinLocation(this.output, table, MANIFEST));
    try {
      const res = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const manifest = JSON.parse(await res.Body!.transformToString()) as { version?: unknown };
      return typeof manifest.version === 'string' ? manifest.version : undefined;
    } catch (err) {
      if (awsErrorName(err) === 'NoSuchKey') return undefined;
      throw fromAwsError(err, `reading the manifest of ${table}`);
    }
  }
}
