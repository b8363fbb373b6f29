import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

/** A partitioned table on disk for the scan tests: dt DATE × region STRING, Parquet files of known sizes. */
export interface ScanLake {
  location: string;
  /** Bytes of the data files of each partition (`dt=2024-01-02/region=eu`), from fs.stat. */
  bytes: Map<string, number>;
  /** Rows of the whole table. */
  rows: number;
}

export const DATES = ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04'];
export const REGIONS = ['eu', 'us'];

/**
 * Writes the table with DuckDB: one file a partition of 100·(i+1) rows (two files in the first), and
 * next to them what no engine reads (`_SUCCESS`, a `.crc`, `_temporary/`, a hidden folder).
 */
export async function writeScanLake(location: string): Promise<ScanLake> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  const bytes = new Map<string, number>();
  let rows = 0;
  try {
    let i = 0;
    for (const dt of DATES) {
      for (const region of REGIONS) {
        const rel = `dt=${dt}/region=${region}`;
        const dir = path.join(location, rel);
        await mkdir(path.join(dir, '_temporary', '0'), { recursive: true });
        await mkdir(path.join(dir, '.hidden'), { recursive: true });
        const files = i === 0 ? ['part-0.parquet', 'part-1.parquet'] : ['part-0.parquet'];
        let size = 0;
        for (const [k, f] of files.entries()) {
          const n = 100 * (i + 1) + k * 37;
          await conn.run(`COPY (SELECT r::BIGINT AS id, (r * 7)::BIGINT AS amount FROM range(${n}) t(r)) TO '${path.join(dir, f)}' (FORMAT parquet)`);
          size += (await stat(path.join(dir, f))).size;
          rows += n;
        }
        // Not *.parquet: the DuckDB engine's views glob every Parquet file below the location, hidden folders included.
        for (const junk of ['_SUCCESS', '.part-0.parquet.crc', '_temporary/0/part-9', '.hidden/part-8']) {
          await writeFile(path.join(dir, junk), 'x'.repeat(5000));
        }
        bytes.set(rel, size);
        i++;
      }
    }
  } finally {
    conn.closeSync();
    db.closeSync();
  }
  return { location, bytes, rows };
}

/** The sum of the listed partitions' bytes. */
export const bytesOf = (lake: ScanLake, partitions: string[]): number => partitions.reduce((n, p) => n + lake.bytes.get(p)!, 0);
