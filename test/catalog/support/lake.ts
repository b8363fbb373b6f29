import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { toTableDef } from '../../../src/catalog/ddl/ddl-loader.js';
import { parseHiveDdl } from '../../../src/catalog/ddl/hive-ddl-parser.js';
import type { TableDef } from '../../../src/catalog/table-def.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** A fresh temporary directory; remove it with the returned cleanup. */
export async function tempDir(prefix = 'lakegate-test-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** The definition of one of the repository's ddl/ tables, resolved against `warehouse`. */
export async function ddlTable(name: string, warehouse: string, database = 'card_analytics'): Promise<TableDef> {
  const text = await readFile(path.join(repoRoot, 'ddl', `${name}.sql`), 'utf8');
  return toTableDef(parseHiveDdl(text), { warehouse, database });
}

let duck: Promise<DuckDBInstance> | undefined;
/** Writes the result of a DuckDB SELECT as a Parquet file (a real writer, not ours). */
export async function writeParquet(file: string, select: string): Promise<void> {
  duck ??= DuckDBInstance.create(':memory:', { threads: '1' });
  const conn = await (await duck).connect();
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await conn.run(`COPY (${select}) TO '${file.replace(/'/g, "''")}' (FORMAT parquet, COMPRESSION snappy)`);
  } finally {
    conn.closeSync();
  }
}

/** Rows shaped like partitioned_transactions (without its partition keys), typed as ddl/ declares. */
export function transactionsSelect(rows: number, offset = 0): string {
  return `SELECT
    'TXN' || lpad(CAST(i AS VARCHAR), 10, '0') AS transaction_id,
    TIMESTAMP '2024-01-01 00:00:00' + INTERVAL (i) MINUTE AS transaction_ts,
    '****-****-****-' || lpad(CAST(i % 10000 AS VARCHAR), 4, '0') AS card_no,
    CASE WHEN i % 5 < 3 THEN '신용' ELSE '체크' END AS card_type,
    'GS25' AS merchant, '편의점' AS sub_category, '식비' AS category,
    CAST(1000 + i * 100 AS BIGINT) AS amount, CAST(0 AS INTEGER) AS installment_months,
    'approved' AS approval_status, '서울' AS region,
    CAST(TIMESTAMP '2024-01-01 00:00:00' + INTERVAL (i) MINUTE AS DATE) AS txn_date,
    CAST(hour(TIMESTAMP '2024-01-01 00:00:00' + INTERVAL (i) MINUTE) AS INTEGER) AS txn_hour
  FROM range(${offset}, ${offset + rows}) t(i)`;
}

/** Writes `bytes` at `rel` below `dir` (creating directories). */
export async function put(dir: string, rel: string, bytes: Uint8Array | string = 'x'): Promise<string> {
  const file = path.join(dir, rel);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, bytes);
  return file;
}

/**
 * Lays out `years x months` partitions `txn_year=Y/txn_month=M/part-0.parquet` below `dir`, each a
 * copy of `bytes`: many partitions without running a writer thousands of times.
 */
export async function layOutPartitions(dir: string, count: number, bytes: Uint8Array): Promise<string[]> {
  const specs: string[] = [];
  for (let i = 0; i < count; i++) specs.push(`txn_year=${2000 + Math.floor(i / 12)}/txn_month=${(i % 12) + 1}`);
  const PARALLEL = 64;
  for (let i = 0; i < specs.length; i += PARALLEL) {
    await Promise.all(specs.slice(i, i + PARALLEL).map((s) => put(dir, `${s}/part-0.parquet`, bytes)));
  }
  return specs;
}
