import type { SqlDialectName } from '../dialect.js';
import type { SqlType } from '../ir.js';
import { argAt, intLiteral, p, untranslatable } from '../render/helpers.js';
import type { Arg } from '../render/sql-dialect.js';

/** Pieces several dialect files share. */

export const ansiQuote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

export const ansiString = (value: string): string => `'${value.replace(/'/g, "''")}'`;

export const backtickQuote = (name: string): string => `\`${name.replace(/`/g, '``')}\``;

const HIVE_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', "'": "\\'", '\n': '\\n', '\r': '\\r', '\t': '\\t', '\0': '\\0' };

/** A Hive/Spark/Impala string literal: backslash escapes. */
export const hiveString = (value: string): string => `'${value.replace(/[\\'\n\r\t\0]/g, (c) => HIVE_ESCAPES[c] ?? c)}'`;

const INT_NAMES = { 8: 'TINYINT', 16: 'SMALLINT', 32: 'INTEGER', 64: 'BIGINT' } as const;

export function ansiTypeName(type: SqlType, target: SqlDialectName): string {
  switch (type.kind) {
    case 'string':
      return type.length !== undefined && target !== 'duckdb' ? `VARCHAR(${type.length})` : 'VARCHAR';
    case 'int':
      return INT_NAMES[type.bits];
    case 'float':
      return 'REAL';
    case 'double':
      return 'DOUBLE';
    case 'decimal':
      return `DECIMAL(${type.precision ?? 38}, ${type.scale ?? 0})`;
    case 'boolean':
      return 'BOOLEAN';
    case 'date':
      return 'DATE';
    case 'timestamp':
      return 'TIMESTAMP';
    default:
      throw untranslatable(`a CAST to ${type.kind}`, target);
  }
}

export function hiveTypeName(type: SqlType, target: SqlDialectName): string {
  switch (type.kind) {
    case 'string':
      return type.length !== undefined ? `VARCHAR(${type.length})` : 'STRING';
    case 'int':
      return type.bits === 32 ? 'INT' : INT_NAMES[type.bits];
    case 'float':
      return 'FLOAT';
    default:
      return ansiTypeName(type, target);
  }
}

/**
 * Hive substr(s, pos[, len]) with only positive starts, which every engine reads the same way:
 * pos 0 acts as 1, a negative pos counts from the end, '' when |pos| > length(s) or len < 1.
 */
export function substrHive(args: Arg[], substr: string, length = 'length'): string {
  const [s, pos, len] = [argAt(args, 0), argAt(args, 1), args[2]];
  const n = intLiteral(pos);
  const l = len === undefined ? undefined : intLiteral(len);
  const lenPart = len === undefined ? '' : `, ${len.sql}`;
  const guardLen = (sql: string): string => (len !== undefined && l === undefined ? `CASE WHEN ${p(len)} < 1 THEN '' ELSE ${sql} END` : sql);
  if (l !== undefined && l < 1) return `CASE WHEN ${p(s)} IS NULL THEN NULL ELSE '' END`;
  if (n !== undefined && n >= 0) return guardLen(`${substr}(${s.sql}, ${Math.max(n, 1)}${lenPart})`);
  if (n !== undefined) {
    const k = -n;
    return `CASE WHEN ${length}(${s.sql}) < ${k} THEN '' ELSE ${guardLen(`${substr}(${s.sql}, ${length}(${s.sql}) - ${k - 1}${lenPart})`)} END`;
  }
  const start = `CASE WHEN ${p(pos)} > 0 THEN ${pos.sql} WHEN ${p(pos)} = 0 THEN 1 ELSE ${length}(${s.sql}) + ${p(pos)} + 1 END`;
  const tooShort = `abs(${pos.sql}) > ${length}(${s.sql})${len === undefined ? '' : ` OR ${p(len)} < 1`}`;
  return `CASE WHEN ${tooShort} THEN '' ELSE ${substr}(${s.sql}, ${start}${lenPart}) END`;
}

/**
 * Spark substr for a negative literal start, which Spark clamps to the first character when it lies
 * before it. (Non-negative literal starts are lowered to the Hive form.)
 */
export function substrSpark(args: Arg[], substr: string, target: SqlDialectName = 'duckdb', length = 'length'): string {
  const [s, pos, len] = [argAt(args, 0), argAt(args, 1), args[2]];
  const n = intLiteral(pos);
  if (n === undefined || n >= 0) throw untranslatable('Spark substr() with a start that is not a literal', target);
  const start0 = `greatest(${length}(${s.sql}) - ${-n}, 0)`;
  if (len === undefined) return `${substr}(${s.sql}, ${start0} + 1)`;
  return `${substr}(${s.sql}, ${start0} + 1, greatest(${length}(${s.sql}) - ${-n} + ${p(len)} - ${start0}, 0))`;
}
