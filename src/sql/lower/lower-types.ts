import type { SqlType } from '../ir.js';
import { untranslatable } from './context.js';

const INTEGERS: Readonly<Record<string, 8 | 16 | 32 | 64>> = { TINYINT: 8, SMALLINT: 16, INT: 32, INTEGER: 32, BIGINT: 64 };

/** Default DECIMAL precision and scale when a cast gives none, per source family. */
const DEFAULT_DECIMAL = { hive: [10, 0], ansi: [18, 3] } as const;

/** A CAST target type (`name`, upper-case, with its optional `(length[, scale])`) as an IR type. */
export function lowerType(name: string, length: number | undefined, scale: number | undefined, family: 'hive' | 'ansi' = 'hive'): SqlType {
  const bits = INTEGERS[name];
  if (bits) return { kind: 'int', bits };
  switch (name) {
    case 'STRING':
    case 'TEXT':
      return { kind: 'string' };
    case 'VARCHAR':
      return length === undefined ? { kind: 'string' } : { kind: 'string', length };
    case 'FLOAT':
    case 'REAL':
      return { kind: 'float' };
    case 'DOUBLE':
      return { kind: 'double' };
    case 'DECIMAL':
    case 'NUMERIC': {
      const [p, s] = DEFAULT_DECIMAL[family];
      return { kind: 'decimal', precision: length ?? p, scale: scale ?? (length === undefined ? s : 0) };
    }
    case 'BOOLEAN':
    case 'BOOL':
      return { kind: 'boolean' };
    case 'DATE':
      return { kind: 'date' };
    case 'TIMESTAMP':
      return { kind: 'timestamp' };
    default:
      throw untranslatable(`type ${name}`);
  }
}
