import type { DialectRenderer, RefreshOptions } from './dialect.js';
import { locationUri } from '../../storage/location.js';
import { columnLines, hiveFamilyType, hiveString, partitionClause, qualifiedName, tblProperties } from './sql-text.js';
import type { TableDef } from '../table-def.js';

/**
 * Apache Impala: COMMENT comes after PARTITIONED BY, S3 is addressed as s3a://. Impala caches file
 * lists, so every refresh ends with REFRESH (or INVALIDATE METADATA for a table created elsewhere).
 */
export const impalaRenderer: DialectRenderer = {
  dialect: 'impala',
  create(def: TableDef): string[] {
    const lines = [`CREATE EXTERNAL TABLE IF NOT EXISTS ${qualifiedName(def)} (`, columnLines(def.columns, (c) => hiveFamilyType(c)), ')'];
    if (def.partitionKeys.length) lines.push(`PARTITIONED BY (\n${columnLines(def.partitionKeys, (c) => hiveFamilyType(c))}\n)`);
    if (def.comment) lines.push(`COMMENT ${hiveString(def.comment)}`);
    lines.push('STORED AS PARQUET', `LOCATION ${hiveString(locationUri(def.location, 's3a'))}`);
    const props = tblProperties(def.properties);
    if (props) lines.push(props);
    return [lines.join('\n')];
  },
  refresh(def: TableDef, options: RefreshOptions = {}): string[] {
    const t = qualifiedName(def);
    if (options.newTable) return [`INVALIDATE METADATA ${t}`, ...(def.partitionKeys.length ? [`ALTER TABLE ${t} RECOVER PARTITIONS`] : [])];
    const drops = (options.removed ?? []).map((v) => `ALTER TABLE ${t} DROP IF EXISTS ${partitionClause(def, v)}`);
    return [...drops, ...(def.partitionKeys.length ? [`ALTER TABLE ${t} RECOVER PARTITIONS`] : []), `REFRESH ${t}`];
  },
};
