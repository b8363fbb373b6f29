import { AppError } from '../errors.js';
import { toTableDef } from './ddl/ddl-loader.js';
import { parseHiveDdl, parseHiveType } from './ddl/hive-ddl-parser.js';
import { formatHiveType } from './ddl/hive-type.js';
import { NAME_PATTERN, type ColumnDef, type TableDef } from './table-def.js';

/** A valid table or column name, lower-cased; INVALID_NAME otherwise (path tricks included). */
export function checkName(name: string, what = 'table name'): string {
  if (typeof name !== 'string' || name.length > 128 || !NAME_PATTERN.test(name)) {
    throw new AppError('INVALID_NAME', `invalid ${what} '${String(name).slice(0, 200)}': use letters, digits and underscores, starting with a letter or underscore (at most 128)`);
  }
  return name.toLowerCase();
}

/** Parses a CREATE TABLE statement into a definition for this catalog; a foreign database qualifier is refused. */
export function defFromDdl(text: string, opts: { warehouse: string; database: string }): { def: TableDef; ifNotExists: boolean } {
  const parsed = parseHiveDdl(text);
  if (parsed.database !== undefined && parsed.database !== opts.database) {
    throw new AppError('VALIDATION_FAILED', `the statement names database '${parsed.database}', but this catalog is '${opts.database}'`);
  }
  return { def: toTableDef(parsed, opts), ifNotExists: parsed.ifNotExists };
}

/** Validates and normalises request columns: names, canonical types, no duplicates, primitive keys. */
export function checkColumns(cols: readonly { name: string; type: string; comment?: string }[], role: 'columns' | 'partitionKeys'): ColumnDef[] {
  const seen = new Set<string>();
  return cols.map((c, i) => {
    const name = checkName(c.name, role === 'columns' ? 'column name' : 'partition key name');
    if (seen.has(name)) throw new AppError('VALIDATION_FAILED', `${role}[${i}]: duplicate name '${name}'`);
    seen.add(name);
    let type;
    try {
      type = parseHiveType(c.type);
    } catch (err) {
      throw new AppError('VALIDATION_FAILED', `${role}[${i}].type: ${(err as Error).message}`, { cause: err });
    }
    if (role === 'partitionKeys' && type.kind !== 'primitive') throw new AppError('VALIDATION_FAILED', `${role}[${i}]: partition keys must have a primitive type`);
    const col: ColumnDef = { name, type: formatHiveType(type) };
    if (c.comment !== undefined) col.comment = c.comment;
    return col;
  });
}

/** A definition's partition keys must not repeat its columns. */
export function checkKeysAgainstColumns(def: TableDef): void {
  const clash = def.partitionKeys.find((k) => def.columns.some((c) => c.name === k.name));
  if (clash) throw new AppError('VALIDATION_FAILED', `partition key '${clash.name}' is also a column`);
  if (def.columns.length === 0) throw new AppError('VALIDATION_FAILED', `table ${def.name} has no columns`);
}
