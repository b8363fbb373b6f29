import { DuckDBInstance } from '@duckdb/node-api';

/** Reads published Parquet with a throwaway DuckDB (reading only; expected values are computed elsewhere). */
export async function queryParquet(sql: string): Promise<Record<string, any>[]> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    const reader = await conn.runAndReadAll(sql);
    return reader.getRowObjectsJS().map((r) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])),
    );
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

export const tableGlob = (warehouse: string, table: string): string => `read_parquet('${warehouse}/${table}/**/*.parquet', hive_partitioning = true)`;
