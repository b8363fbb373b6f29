import type { DialectRenderer } from './dialect.js';
import { joinLocation } from '../../storage/location.js';
import { dquote, sqlString, typeOf } from './sql-text.js';
import { mapHiveType, type HiveType } from './hive-type.js';
import type { TableDef } from '../table-def.js';

const DUCKDB_NAMES: Record<string, string> = {
  TINYINT: 'TINYINT', SMALLINT: 'SMALLINT', INT: 'INTEGER', BIGINT: 'BIGINT', FLOAT: 'FLOAT', DOUBLE: 'DOUBLE',
  STRING: 'VARCHAR', VARCHAR: 'VARCHAR', CHAR: 'VARCHAR', BOOLEAN: 'BOOLEAN', DATE: 'DATE', TIMESTAMP: 'TIMESTAMP',
  BINARY: 'BLOB', DECIMAL: 'DECIMAL',
};

/** DuckDB's spelling of a Hive type: INT -> INTEGER, STRING -> VARCHAR, ARRAY<T> -> T[], STRUCT<a:T> -> STRUCT(a T). */
export function duckdbType(t: HiveType): string {
  return mapHiveType(
    t,
    (p) => (p.name === 'DECIMAL' ? `DECIMAL(${p.params.join(',')})` : DUCKDB_NAMES[p.name]!),
    { array: (e) => `${e}[]`, map: (k, v) => `MAP(${k}, ${v})`, struct: (f) => `STRUCT(${f.map(([n, x]) => `${dquote(n)} ${x}`).join(', ')})` },
  );
}

/**
 * The data files of a table at `location` partitioned by `keys`, as a DuckDB glob: Parquet files
 * directly in the partition folders, none whose name starts with `.` or `_` (see duckdbRenderer).
 */
export function dataFilesGlob(location: string, keys: readonly string[]): string {
  return joinLocation(location, ...keys.map((k) => `${k}=*`), '[!._]*.parquet');
}

/**
 * DuckDB: a view over read_parquet. Partitioned tables read `<loc>/<key1>=*\/.../[!._]*.parquet` with
 * Hive partitioning and the keys' declared types; unpartitioned ones read `<loc>/[!._]*.parquet`.
 * DuckDB lists files when the view is queried, so it needs no refresh. As Hive and Spark do, only
 * files directly in the partition folders are data, and none whose name starts with `.` or `_`: the
 * glob names exactly those, so Spark's `_temporary/`, a `.staging/` folder or a hidden copy is never
 * listed (a filter on DuckDB's `filename` would come too late: it binds the schema from the first
 * file listed, which may be such a one).
 */
export const duckdbRenderer: DialectRenderer = {
  dialect: 'duckdb',
  create(def: TableDef): string[] {
    const partitioned = def.partitionKeys.length > 0;
    const glob = dataFilesGlob(def.location, def.partitionKeys.map((k) => k.name));
    // Columns by name, as Hive, Athena and Trino read Parquet: a column missing from older files (a
    // year published before the table gained it) reads NULL there instead of leaving the view without it.
    const args = [sqlString(glob), `hive_partitioning = ${partitioned}`, 'union_by_name = true'];
    if (partitioned) args.push(`hive_types = {${def.partitionKeys.map((k) => `${sqlString(k.name)}: ${duckdbType(typeOf(k))}`).join(', ')}}`);
    return [
      `CREATE SCHEMA IF NOT EXISTS ${dquote(def.database)}`,
      `CREATE OR REPLACE VIEW ${dquote(def.database)}.${dquote(def.name)} AS\nSELECT * FROM read_parquet(${args.join(', ')})`,
    ];
  },
  refresh(): string[] {
    return [];
  },
};
