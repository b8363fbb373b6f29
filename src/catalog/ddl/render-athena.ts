import type { DialectRenderer, RefreshOptions } from './dialect.js';
import { isS3, locationUri, printable } from '../../storage/location.js';
import { chunk } from '../../storage/concurrency.js';
import { columnLines, hiveFamilyType, hiveString, partitionClause, qualifiedName } from './sql-text.js';
import type { TableDef } from '../table-def.js';

/** Athena names the Parquet codec property differently from Hive. */
const PROPERTY_NAMES: Record<string, string> = { 'parquet.compress': 'parquet.compression' };
/** Partitions per ALTER TABLE DROP statement (keeps each query well under Athena's length limit). */
const DROPS_PER_STATEMENT = 100;

/**
 * Amazon Athena (Hive DDL): lower-case types, an s3:// location with a trailing slash, MSCK REPAIR
 * (which only adds), and explicit DROP PARTITION for partitions whose directory is gone.
 */
export const athenaRenderer: DialectRenderer = {
  dialect: 'athena',
  create(def: TableDef): string[] {
    const lines: string[] = [];
    // A location from another catalog writer (Glue) may hold a newline, which would end the comment.
    if (!isS3(def.location)) lines.push(`-- Athena reads only S3: this table's location is local (${printable(def.location)})`);
    lines.push(`CREATE EXTERNAL TABLE IF NOT EXISTS ${qualifiedName(def)} (`, columnLines(def.columns, (c) => hiveFamilyType(c, true)), ')');
    if (def.comment) lines.push(`COMMENT ${hiveString(def.comment)}`);
    if (def.partitionKeys.length) lines.push(`PARTITIONED BY (\n${columnLines(def.partitionKeys, (c) => hiveFamilyType(c, true))}\n)`);
    lines.push('STORED AS PARQUET', `LOCATION ${hiveString(`${locationUri(def.location, 's3')}/`)}`);
    const props = Object.entries(def.properties);
    if (props.length) lines.push(`TBLPROPERTIES (${props.map(([k, v]) => `${hiveString(PROPERTY_NAMES[k] ?? k)}=${hiveString(v)}`).join(', ')})`);
    return [lines.join('\n')];
  },
  refresh(def: TableDef, options: RefreshOptions = {}): string[] {
    if (!def.partitionKeys.length) return [];
    const t = qualifiedName(def);
    const drops = chunk(options.removed ?? [], DROPS_PER_STATEMENT).map((batch) => `ALTER TABLE ${t} DROP IF EXISTS ${batch.map((v) => partitionClause(def, v)).join(', ')}`);
    return [...drops, `MSCK REPAIR TABLE ${t}`];
  },
};
