import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../errors.js';
import type { TableDef } from '../table-def.js';
import { parseHiveDdl, type ParsedDdl } from './hive-ddl-parser.js';
import { resolveLocation } from '../../storage/location.js';

/** Turns a parsed statement into a catalog definition, resolving its location against `warehouse`. */
export function toTableDef(ddl: ParsedDdl, opts: { warehouse: string; database: string }): TableDef {
  if (ddl.storedAs !== undefined && ddl.storedAs !== 'PARQUET') {
    throw new AppError('VALIDATION_FAILED', `only STORED AS PARQUET tables are supported, got ${ddl.storedAs}`);
  }
  if (ddl.serde !== undefined && !/parquet/i.test(ddl.serde)) {
    throw new AppError('VALIDATION_FAILED', `only the Parquet SerDe is supported, got ${ddl.serde}`);
  }
  const def: TableDef = {
    database: ddl.database ?? opts.database,
    name: ddl.name,
    columns: ddl.columns,
    partitionKeys: ddl.partitionKeys,
    location: resolveLocation(ddl.location ?? ddl.name, opts.warehouse),
    format: 'parquet',
    properties: ddl.properties,
  };
  if (ddl.comment !== undefined) def.comment = ddl.comment;
  return def;
}

/** Parses every `*.sql` file of a ddl/ directory (sorted by name); an error names the file. */
export async function loadDdlDir(dir: string, opts: { warehouse: string; database: string }): Promise<TableDef[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const defs: TableDef[] = [];
  for (const file of files) {
    const text = await readFile(path.join(dir, file), 'utf8');
    try {
      defs.push(toTableDef(parseHiveDdl(text), opts));
    } catch (err) {
      if (err instanceof AppError) throw new AppError(err.code, `${file}: ${err.message}`, { cause: err, details: { ...err.details, file } });
      throw err;
    }
  }
  return defs;
}
