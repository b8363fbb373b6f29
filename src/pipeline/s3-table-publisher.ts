import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { joinLocation, parseS3 } from '../catalog/ddl/location.js';
import { fromAwsError } from '../storage/aws-error.js';
import type { TablePublisher } from './table-publisher.js';

/** Name of the marker object a publication writes last, under `<output>/<table>/`. */
export const MANIFEST = '_lakegate_manifest.json';

/**
 * Atomic per-table publication on S3, where nothing can be renamed: a version's files are written
 * under `<output>/.versions/<table>/<version>/`, then the manifest `<output>/<table>/_lakegate_manifest.json`
 * naming that version is written last (one PUT, atomic), and the catalog is pointed at the version's
 * prefix. A reader that goes through the manifest or the catalog sees the old version or the new one.
 */
export class S3TablePublisher implements TablePublisher {
  constructor(
    private readonly s3: S3Client,
    private readonly output: string,
  ) {}

  async prepare(table: string, version: string): Promise<string> {
    return this.publishedLocation(table, version);
  }

  publishedLocation(table: string, version: string): string {
    return joinLocation(this.output, '.versions', table, version);
  }

  async publish(table: string, version: string): Promise<void> {
    const { bucket, key } = parseS3(joinLocation(this.output, table, MANIFEST));
    const body = JSON.stringify({ table, version, location: this.publishedLocation(table, version), publishedAt: new Date().toISOString() });
    await this.s3
      .send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' }))
      .catch((err: unknown) => {
        throw fromAwsError(err, `writing the manifest of ${table}`);
      });
  }
}
