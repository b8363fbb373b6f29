/** A column as declared in Hive DDL. `type` is the Hive type text, upper-cased (`BIGINT`, `DECIMAL(10,2)`). */
export interface ColumnDef {
  name: string;
  type: string;
  comment?: string;
}

/**
 * A table as the catalog knows it. `location` is absolute: a local path, or `s3://bucket/prefix`
 * (`s3a://` and `file://` are normalised away when the definition is created).
 */
export interface TableDef {
  database: string;
  name: string;
  columns: ColumnDef[];
  partitionKeys: ColumnDef[];
  location: string;
  format: 'parquet';
  properties: Record<string, string>;
  comment?: string;
}

/** One partition: its key values as text (Hive semantics) and the directory that holds it. */
export interface PartitionDef {
  values: Record<string, string>;
  location: string;
}

/** `txn_year=2024/txn_month=1` for the given keys, in key order. */
export function partitionSpec(keys: readonly ColumnDef[], values: Record<string, string>): string {
  return keys.map((k) => `${k.name}=${values[k.name] ?? ''}`).join('/');
}

/** Table and column names the gateway accepts: letters, digits and underscores. */
export const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
