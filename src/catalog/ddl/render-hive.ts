import type { DialectRenderer, RefreshOptions } from './dialect.js';
import { locationUri } from '../../storage/location.js';
import { columnLines, hiveFamilyType, hiveString, qualifiedName, tblProperties } from './sql-text.js';
import type { TableDef } from '../table-def.js';

/** Apache Hive (and EMR's Hive): CREATE EXTERNAL TABLE ... STORED AS PARQUET; MSCK REPAIR TABLE. */
export const hiveRenderer: DialectRenderer = {
  dialect: 'hive',
  create(def: TableDef): string[] {
    const lines = [`CREATE EXTERNAL TABLE IF NOT EXISTS ${qualifiedName(def)} (`, columnLines(def.columns, (c) => hiveFamilyType(c)), ')'];
    if (def.comment) lines.push(`COMMENT ${hiveString(def.comment)}`);
    if (def.partitionKeys.length) lines.push(`PARTITIONED BY (\n${columnLines(def.partitionKeys, (c) => hiveFamilyType(c))}\n)`);
    lines.push('STORED AS PARQUET', `LOCATION ${hiveString(locationUri(def.location, 's3'))}`);
    const props = tblProperties(def.properties);
    if (props) lines.push(props);
    return [lines.join('\n')];
  },
  refresh(def: TableDef, options: RefreshOptions = {}): string[] {
    if (!def.partitionKeys.length) return [];
    // SYNC PARTITIONS (Hive 3) also drops partitions whose directory is gone.
    return [`MSCK REPAIR TABLE ${qualifiedName(def)}${options.removed?.length ? ' SYNC PARTITIONS' : ''}`];
  },
};
