import type { DialectRenderer, RefreshOptions } from './dialect.js';
import { locationUri } from '../../storage/location.js';
import { backtick, columnLines, hiveFamilyType, hiveString, qualifiedName, tblProperties } from './sql-text.js';
import type { TableDef } from '../table-def.js';

/**
 * Spark SQL, as a Parquet data-source table: partition columns belong to the column list and
 * PARTITIONED BY names them; a LOCATION makes the table external. Spark caches file listings, so
 * refreshes end with REFRESH TABLE.
 */
export const sparkRenderer: DialectRenderer = {
  dialect: 'spark',
  create(def: TableDef): string[] {
    const lines = [`CREATE TABLE IF NOT EXISTS ${qualifiedName(def)} (`, columnLines([...def.columns, ...def.partitionKeys], (c) => hiveFamilyType(c)), ')', 'USING PARQUET'];
    if (def.partitionKeys.length) lines.push(`PARTITIONED BY (${def.partitionKeys.map((k) => backtick(k.name)).join(', ')})`);
    lines.push(`LOCATION ${hiveString(locationUri(def.location, 's3'))}`);
    if (def.comment) lines.push(`COMMENT ${hiveString(def.comment)}`);
    const props = tblProperties(def.properties);
    if (props) lines.push(props);
    return [lines.join('\n')];
  },
  refresh(def: TableDef, options: RefreshOptions = {}): string[] {
    const t = qualifiedName(def);
    // SYNC PARTITIONS (Spark 3.2+) also drops partitions whose directory is gone.
    const repair = def.partitionKeys.length ? [`MSCK REPAIR TABLE ${t}${options.removed?.length ? ' SYNC PARTITIONS' : ''}`] : [];
    return [...repair, `REFRESH TABLE ${t}`];
  },
};
