import type { SqlType } from '../ir.js';
import type { AstNode } from '../parse.js';
import { assertOnlyKeys, untranslatable } from './context.js';

const INTEGERS: Readonly<Record<string, 8 | 16 | 32 | 64>> = { TINYINT: 8, SMALLINT: 16, INT: 32, INTEGER: 32, BIGINT: 64 };

/** Default DECIMAL precision and scale when a cast gives none, per source family. */
const DEFAULT_DECIMAL = { hive: [10, 0], ansi: [18, 3] } as const;

/** A CAST target type of node-sql-parser's AST as an IR type. */
export function lowerType(node: AstNode, family: 'hive' | 'ansi' = 'hive'): SqlType {
  assertOnlyKeys(node, ['dataType', 'length', 'scale', 'parentheses', 'suffix', 'quoted'], 'CAST type');
  const name = String(node.dataType).toUpperCase();
  const length = typeof node.length === 'number' ? node.length : undefined;
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
      const scale = typeof node.scale === 'number' ? node.scale : length === undefined ? s : 0;
      return { kind: 'decimal', precision: length ?? p, scale };
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
