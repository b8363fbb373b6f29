import type { Column, Partition, PartitionInput, StorageDescriptor, Table, TableInput } from '@aws-sdk/client-glue';
import { normalizeHiveType } from '../ddl/hive-ddl-parser.js';
import type { ColumnDef, PartitionDef, TableDef } from '../table-def.js';

export const PARQUET_SERDE = 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe';
export const PARQUET_INPUT = 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat';
export const PARQUET_OUTPUT = 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat';
/** Table parameter holding tableVersion(): Glue does not version a table when its partitions change. */
export const VERSION_PARAM = 'lakegate.version';
/** Parameters the store sets itself; they are not part of the definition's properties. */
const OWN_PARAMS = new Set(['EXTERNAL', 'classification', VERSION_PARAM]);

/** Glue keeps types lower-case (`bigint`, `decimal(10,2)`); the catalog's canonical text is upper-case. */
export function fromGlueType(type: string | undefined): string {
  const text = type ?? 'string';
  try {
    return normalizeHiveType(text);
  } catch {
    return text.toUpperCase();
  }
}

function toGlueColumn(c: ColumnDef): Column {
  const col: Column = { Name: c.name.toLowerCase(), Type: c.type.toLowerCase() };
  if (c.comment !== undefined) col.Comment = c.comment;
  return col;
}

function fromGlueColumn(c: Column): ColumnDef {
  const col: ColumnDef = { name: (c.Name ?? '').toLowerCase(), type: fromGlueType(c.Type) };
  if (c.Comment !== undefined && c.Comment !== null) col.comment = c.Comment;
  return col;
}

export function storageDescriptor(def: TableDef, location: string = def.location): StorageDescriptor {
  return {
    Columns: def.columns.map(toGlueColumn),
    Location: location,
    InputFormat: PARQUET_INPUT,
    OutputFormat: PARQUET_OUTPUT,
    Compressed: false,
    SerdeInfo: { SerializationLibrary: PARQUET_SERDE, Parameters: { 'serialization.format': '1' } },
  };
}

/** An EXTERNAL_TABLE with the Parquet SerDe, its partition keys, and the definition's properties. */
export function toTableInput(def: TableDef, version: number): TableInput {
  const input: TableInput = {
    Name: def.name.toLowerCase(),
    TableType: 'EXTERNAL_TABLE',
    Parameters: { ...def.properties, EXTERNAL: 'TRUE', classification: 'parquet', [VERSION_PARAM]: String(version) },
    PartitionKeys: def.partitionKeys.map(toGlueColumn),
    StorageDescriptor: storageDescriptor(def),
  };
  if (def.comment !== undefined) input.Description = def.comment;
  return input;
}

export function fromGlueTable(t: Table, database: string): TableDef {
  const properties: Record<string, string> = {};
  for (const [k, v] of Object.entries(t.Parameters ?? {})) if (!OWN_PARAMS.has(k)) properties[k] = v;
  const def: TableDef = {
    database,
    name: (t.Name ?? '').toLowerCase(),
    columns: (t.StorageDescriptor?.Columns ?? []).map(fromGlueColumn),
    partitionKeys: (t.PartitionKeys ?? []).map(fromGlueColumn),
    location: t.StorageDescriptor?.Location ?? '',
    format: 'parquet',
    properties,
  };
  if (t.Description !== undefined && t.Description !== null) def.comment = t.Description;
  return def;
}

/** The version a table carries: our parameter, else Glue's own version id, else its update time. */
export function glueTableVersion(t: Table): number {
  const own = Number(t.Parameters?.[VERSION_PARAM]);
  if (Number.isFinite(own) && own > 0) return own;
  const id = Number(t.VersionId);
  if (Number.isFinite(id) && id > 0) return id;
  return (t.UpdateTime ?? t.CreateTime)?.getTime() ?? 0;
}

/** A Table as read becomes the TableInput that UpdateTable takes (read-only fields dropped). */
export function tableToInput(t: Table): TableInput {
  return {
    Name: t.Name, Description: t.Description, Owner: t.Owner, LastAccessTime: t.LastAccessTime, LastAnalyzedTime: t.LastAnalyzedTime,
    Retention: t.Retention, StorageDescriptor: t.StorageDescriptor, PartitionKeys: t.PartitionKeys, ViewOriginalText: t.ViewOriginalText,
    ViewExpandedText: t.ViewExpandedText, TableType: t.TableType, Parameters: t.Parameters, TargetTable: t.TargetTable,
  };
}

export function toPartitionInput(def: TableDef, p: PartitionDef): PartitionInput {
  return { Values: def.partitionKeys.map((k) => p.values[k.name] ?? ''), StorageDescriptor: storageDescriptor(def, p.location) };
}

export function fromGluePartition(keys: readonly ColumnDef[], p: Partition): PartitionDef {
  return { values: Object.fromEntries(keys.map((k, i) => [k.name, p.Values?.[i] ?? ''])), location: p.StorageDescriptor?.Location ?? '' };
}
