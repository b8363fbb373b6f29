import { VERSIONS_DIR, type TablePublisher } from '../pipeline/publication/table-publisher.js';
import { s3Join } from '../storage/location.js';

/**
 * The CLI's publisher for S3 outputs: it names the version location the Spark jobs write
 * (`<output>/.versions/<table>/<version>`) and reports each written version without switching
 * readers to it. Publishing S3 tables belongs to the gateway, which owns the catalog.
 */
export class WriteOnlyPublisher implements TablePublisher {
  constructor(
    private readonly output: string,
    private readonly log: (line: string) => void,
  ) {}

  async prepare(table: string, version: string): Promise<string> {
    return s3Join(this.output, VERSIONS_DIR, table, version);
  }

  async publish(table: string, version: string): Promise<void> {
    this.log(`${table} written at ${s3Join(this.output, VERSIONS_DIR, table, version)} (not published: publishing S3 tables is the gateway's)`);
  }
}
