import type { SqlDialectName } from '../dialect.js';
import type { SqlType } from '../ir.js';
import { argAt, fn, intLiteral, p, rename, temporalLiteral, untranslatable } from '../render/helpers.js';
import type { Arg, FunctionRenderer, NumberLiteral, RenderApi } from '../render/sql-dialect.js';
import { WINDOW_FUNCTIONS } from '../functions.js';

/** Pieces several dialect files share. */

/**
 * Canonical functions that every target spells and means the same way, so each renders as a call of
 * the same name. Every dialect's function table starts from these and adds its own.
 */
export const SAME_NAME_FUNCTIONS: Readonly<Record<string, FunctionRenderer>> = Object.fromEntries(
  [
    ...['abs', 'round', 'sqrt'],
    ...['upper', 'lower', 'trim', 'ltrim', 'rtrim', 'replace'],
    ...['coalesce', 'nullif'],
    ...WINDOW_FUNCTIONS,
  ].map((name) => [name, rename(name)]),
);

/** Canonical aggregates that every target spells the same way. Every dialect's aggregate table starts from these. */
export const SAME_NAME_AGGREGATES: Readonly<Record<string, string>> = Object.fromEntries(
  ['count', 'sum', 'avg', 'min', 'max', 'stddev_pop', 'stddev_samp', 'var_pop', 'var_samp'].map((name) => [name, name]),
);

export const ansiQuote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

export const ansiString = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/** A number literal with an exponent on DOUBLE values (`1.5E0`), which DuckDB, Trino and Impala would otherwise read as DECIMAL. */
export const ansiNumber = (lit: NumberLiteral): string => (lit.numeric === 'double' && !/[eE]/.test(lit.value) ? `${lit.value}E0` : lit.value);

export const backtickQuote = (name: string): string => `\`${name.replace(/`/g, '``')}\``;

const HIVE_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', "'": "\\'", '\n': '\\n', '\r': '\\r', '\t': '\\t', '\0': '\\0' };

/** A Hive/Spark/Impala string literal: backslash escapes. */
export const hiveString = (value: string): string => `'${value.replace(/[\\'\n\r\t\0]/g, (c) => HIVE_ESCAPES[c] ?? c)}'`;

/** DuckDB/Trino: the argument as a TIMESTAMP; strings are parsed (NULL when they do not parse). */
export function ansiTimestamp(a: Arg): string {
  const literal = temporalLiteral(a);
  if (literal) return `TIMESTAMP '${literal.text}'`;
  if (a.type.kind === 'timestamp') return a.sql;
  if (a.type.kind === 'date') return `CAST(${a.sql} AS TIMESTAMP)`;
  return `TRY_CAST(${a.sql} AS TIMESTAMP)`;
}

/** DuckDB/Trino: the argument as a DATE (time of day dropped). */
export function ansiDate(a: Arg): string {
  const literal = temporalLiteral(a);
  if (literal?.kind === 'date') return `DATE '${literal.text}'`;
  if (a.type.kind === 'date') return a.sql;
  return `CAST(${ansiTimestamp(a)} AS DATE)`;
}

/** DuckDB/Trino: the argument for year(), month() ..., which accept DATE and TIMESTAMP; other values are parsed first. */
export function ansiTemporal(a: Arg): string {
  return a.type.kind === 'date' || a.type.kind === 'timestamp' ? a.sql : ansiTimestamp(a);
}

/** DuckDB/Trino: a date part function of the argument (`onTimestamp`: parts of the time of day, which need a TIMESTAMP). */
export const ansiDatePart =
  (name: string, onTimestamp = false): FunctionRenderer =>
  (args) =>
    fn(name, onTimestamp ? ansiTimestamp(argAt(args, 0)) : ansiTemporal(argAt(args, 0)));

/** DuckDB/Trino: the argument as VARCHAR text. DOUBLE is refused: engines format doubles differently. */
export function ansiText(a: Arg, r: RenderApi, target: SqlDialectName): string {
  switch (a.type.kind) {
    case 'string':
      return a.sql;
    case 'double':
    case 'float':
      throw untranslatable('conversion of a DOUBLE to text (engines format doubles differently)', target);
    case 'unknown':
      r.warn('a value of unknown type is converted to text with CAST(... AS VARCHAR)');
      return `CAST(${a.sql} AS VARCHAR)`;
    default:
      return `CAST(${a.sql} AS VARCHAR)`;
  }
}

/**
 * DuckDB/Trino: refuses the Hive-meaning (lenient) CASTs these engines cannot reproduce: a DATE or
 * TIMESTAMP to anything but a date or time, and a value of unknown type to an integer or BOOLEAN.
 */
export function checkLenientAnsiCast(a: Arg, to: SqlType, typeName: string, target: SqlDialectName): void {
  const from = a.type.kind;
  if ((from === 'date' || from === 'timestamp') && to.kind !== 'date' && to.kind !== 'timestamp') {
    throw untranslatable(`CAST of ${from.toUpperCase()} to ${typeName}`, target);
  }
  if (from === 'unknown' && (to.kind === 'int' || to.kind === 'boolean')) {
    throw untranslatable(`CAST of a value of unknown type to ${typeName} (give the catalog's column types)`, target);
  }
}

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
