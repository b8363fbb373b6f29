import { parquetMetadata, parquetSchema, type FileMetaData, type SchemaTree } from 'hyparquet';
import { AppError } from '../../errors.js';
import type { Storage } from '../storage.js';

/** What a Parquet footer tells without reading data pages. */
export interface ParquetFooter {
  rows: number;
  /** The schema tree (root's children are the columns), as hyparquet parses it. */
  schema: SchemaTree;
  createdBy?: string;
}

/** Most footers of lake files fit in one read of this size, so one round trip per file is usual. */
const TAIL_GUESS = 64 * 1024;
const MAGIC = 'PAR1';

function invalid(location: string, why: string, cause?: unknown): AppError {
  return new AppError('INPUT_INVALID', `${location} is not a readable Parquet file: ${why}`, { cause });
}

/**
 * Reads and parses the footer of a Parquet file with ranged reads (the last 64 KiB, then the rest of
 * the footer if it is longer). Footer bytes are Thrift; hyparquet decodes them.
 * Throws INPUT_INVALID for a file that is not Parquet, and the storage's errors for one that cannot be read.
 */
export async function readParquetFooter(storage: Storage, location: string, options: { size?: number; signal?: AbortSignal } = {}): Promise<ParquetFooter> {
  const size = options.size ?? (await storage.size(location));
  if (size < 12) throw invalid(location, `${size} bytes is too short`);
  let tail = await storage.readRange(location, -Math.min(size, TAIL_GUESS), undefined, { signal: options.signal });
  const trailer = new DataView(tail.buffer, tail.byteOffset + tail.length - 8, 8);
  const magic = String.fromCharCode(...tail.subarray(tail.length - 4));
  if (magic !== MAGIC) throw invalid(location, 'no PAR1 magic at its end');
  const footerLength = trailer.getUint32(0, true);
  if (footerLength + 12 > size) throw invalid(location, `footer length ${footerLength} exceeds the file`);
  if (footerLength + 8 > tail.length) tail = await storage.readRange(location, -(footerLength + 8), undefined, { signal: options.signal });
  let meta: FileMetaData;
  let schema: ReturnType<typeof parquetSchema>;
  try {
    const own = tail.slice(tail.length - footerLength - 8);
    meta = parquetMetadata(own.buffer);
    // A footer can decode and still describe an inconsistent schema tree (children counts that do not add up).
    schema = parquetSchema(meta);
  } catch (err) {
    throw invalid(location, 'the footer does not decode', err);
  }
  const footer: ParquetFooter = { rows: Number(meta.num_rows), schema };
  if (meta.created_by !== undefined) footer.createdBy = meta.created_by;
  return footer;
}
