import type { DialectRenderer } from './dialect.js';
import { isS3 } from '../../storage/location.js';
import { dquote, sqlString, typeOf } from './sql-text.js';
import { mapHiveType, type HiveType } from './hive-type.js';
import type { TableDef } from '../table-def.js';

const TRINO_NAMES: Record<string, string> = {
  TINYINT: 'tinyint', SMALLINT: 'smallint', INT: 'integer', BIGINT: 'bigint', FLOAT: 'real', DOUBLE: 'double',
  STRING: 'varchar', VARCHAR: 'varchar', CHAR: 'char', BOOLEAN: 'boolean', DATE: 'date',
  // The hive connector refuses timestamp(6) at its default precision: plain timestamp.
  TIMESTAMP: 'timestamp', BINARY: 'varbinary', DECIMAL: 'decimal',
};

/**
 * Trino's spelling of a Hive type: STRING -> varchar, ARRAY<T> -> array(T), STRUCT<a:T> -> row("a" T).
 * TIMESTAMP follows the hive connector's `hive.timestamp-precision` (3 by default, `timestamp`).
 */
export function trinoType(t: HiveType, timestampPrecision = 3): string {
  return mapHiveType(
    t,
    (p) => {
      if (p.name === 'TIMESTAMP' && timestampPrecision !== 3) return `timestamp(${timestampPrecision})`;
      return p.params.length && p.name !== 'STRING' ? `${TRINO_NAMES[p.name]}(${p.params.join(',')})` : TRINO_NAMES[p.name]!;
    },
    { array: (e) => `array(${e})`, map: (k, v) => `map(${k}, ${v})`, struct: (f) => `row(${f.map(([n, x]) => `${dquote(n)} ${x}`).join(', ')})` },
  );
}

/**
 * Where Trino's hive connector finds a location: s3:// as it is; a local directory through the native
 * local file system rooted at `/` (`fs.native-local.enabled=true`, `local.location=/`) as `local:///...`.
 * The caller passes the real path (published tables are links to version folders).
 */
export function trinoLocation(location: string): string {
  return isS3(location) ? location : `local://${location}`;
}

/**
 * Trino (hive connector) tables the gateway manages in a Trino with its own metastore: an external
 * table over the location (partition columns last, as Trino requires), then
 * `system.sync_partition_metadata` to register the partition folders (FULL: adds and drops). The
 * schema is the definition's database, in the session's catalog.
 */
export const trinoRenderer: DialectRenderer & { create(def: TableDef, options?: { timestampPrecision?: number }): string[] } = {
  dialect: 'trino',
  create(def: TableDef, options: { timestampPrecision?: number } = {}): string[] {
    const columns = [...def.columns, ...def.partitionKeys].map((c) => `  ${dquote(c.name)} ${trinoType(typeOf(c), options.timestampPrecision)}${c.comment ? ` COMMENT ${sqlString(c.comment)}` : ''}`);
    const props = [`external_location = ${sqlString(trinoLocation(def.location))}`, `format = 'PARQUET'`];
    if (def.partitionKeys.length) props.push(`partitioned_by = ARRAY[${def.partitionKeys.map((k) => sqlString(k.name)).join(', ')}]`);
    return [
      `CREATE SCHEMA IF NOT EXISTS ${dquote(def.database)}`,
      `CREATE TABLE ${dquote(def.database)}.${dquote(def.name)} (\n${columns.join(',\n')}\n)${def.comment ? `\nCOMMENT ${sqlString(def.comment)}` : ''}\nWITH (${props.join(', ')})`,
    ];
  },
  refresh(def: TableDef): string[] {
    if (!def.partitionKeys.length) return [];
    return [`CALL system.sync_partition_metadata(${sqlString(def.database)}, ${sqlString(def.name)}, 'FULL')`];
  },
};
