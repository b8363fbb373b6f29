import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const DDL_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../ddl');

export interface DdlColumn {
  name: string;
  type: string;
}

/**
 * Column names and types of every table in ddl/*.sql (partition keys last), read with a deliberately
 * small parser: one `name TYPE [COMMENT '...']` per line inside the column list and PARTITIONED BY.
 */
export function ddlColumns(): Map<string, DdlColumn[]> {
  const tables = new Map<string, DdlColumn[]>();
  for (const file of readdirSync(DDL_DIR).filter((f) => f.endsWith('.sql'))) {
    const text = readFileSync(path.join(DDL_DIR, file), 'utf8');
    const name = /CREATE\s+EXTERNAL\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:\w+\.)?(\w+)/i.exec(text)?.[1];
    if (!name) continue;
    const columns: DdlColumn[] = [];
    const column = /^\s*([a-z_][a-z0-9_]*)\s+([A-Z]+(?:\(\d+(?:,\s*\d+)?\))?)/i;
    const open = /CREATE\s+EXTERNAL\s+TABLE[^(]*\(/i.exec(text);
    const body = open ? text.slice(open.index + open[0].length, text.search(/\n\)/)) : '';
    for (const line of body.split('\n')) {
      const m = column.exec(line);
      if (m?.[1] && m[2]) columns.push({ name: m[1].toLowerCase(), type: m[2].toUpperCase() });
    }
    const partitions = /PARTITIONED BY \((.*)\)/i.exec(text)?.[1] ?? '';
    for (const part of partitions.split(/,(?![^(]*\))/)) {
      const m = column.exec(part);
      if (m?.[1] && m[2]) columns.push({ name: m[1].toLowerCase(), type: m[2].toUpperCase() });
    }
    tables.set(name.toLowerCase(), columns);
  }
  return tables;
}
