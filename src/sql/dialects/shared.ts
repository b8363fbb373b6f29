import type { SqlDialectName } from '../dialect.js';
import type { SqlType } from '../ir.js';
import { argAt, fn, intLiteral, noEquivalent, p, refuse, refuseAll, sameAggregates, sameNames, stringLiteral, temporalLiteral, untranslatable } from '../render/helpers.js';
import type { Arg, FunctionRenderer, FunctionTable, NumberLiteral, RenderApi } from '../render/sql-dialect.js';
import { WINDOW_FUNCTIONS } from '../functions.js';

/** Pieces several dialect files share. */

/**
 * Canonical functions that every target spells and means the same way, so each renders as a call of
 * the same name. Every dialect's function table starts from these and adds its own.
 */
export const SAME_NAME_FUNCTIONS = sameNames(['abs', 'round', 'sqrt', 'upper', 'lower', 'trim', 'ltrim', 'rtrim', 'replace', 'coalesce', 'nullif', ...WINDOW_FUNCTIONS]);

/** Canonical functions the renderer itself handles before asking the dialect. */
export const RENDERER_BUILT_INS: Pick<FunctionTable, 'assert_date'> = { assert_date: refuse('checked by the renderer, never rendered by the dialect') };

/** Canonical aggregates that every target spells the same way. Every dialect's table starts from these. */
export const SAME_NAME_AGGREGATES = sameAggregates(['count', 'sum', 'avg', 'min', 'max', 'stddev_pop', 'stddev_samp', 'var_pop', 'var_samp']);

/** Math functions DuckDB, Trino, Spark and Hive spell and mean the same way (NULL in, NULL out). */
export const SAME_NAME_MATH = sameNames(['exp', 'cbrt', 'degrees', 'radians', 'sin', 'cos', 'tan', 'atan', 'atan2', 'cosh', 'tanh', 'pi']);

/** Statistical aggregates DuckDB, Spark and Hive spell the same way. */
export const SAME_NAME_STATISTICS = sameAggregates(['corr', 'covar_pop', 'covar_samp']);

/** The argument of a logarithm: NULL unless positive (Hive and Spark give NULL, engines -Infinity, NaN or an error). */
const positive = (a: Arg): string => `CASE WHEN ${p(a)} > 0 THEN ${a.sql} END`;

/** ln, log10, log2 and log(base, x) with Spark's NULL for x <= 0 (DuckDB and Trino spell them alike). */
export const ANSI_LOGARITHMS: Pick<FunctionTable, 'ln' | 'log10' | 'log2' | 'log'> = {
  ln: (args) => fn('ln', positive(argAt(args, 0))),
  log10: (args) => fn('log10', positive(argAt(args, 0))),
  log2: (args) => fn('log2', positive(argAt(args, 0))),
  log: (args) => `(ln(${positive(argAt(args, 1))}) / ln(${positive(argAt(args, 0))}))`,
};

/** 1 / f(x) for sec, csc and (on Trino) cot. */
export const reciprocal =
  (name: string): FunctionRenderer =>
  (args) =>
    `(1E0 / ${fn(name, argAt(args, 0))})`;

/**
 * months_between with Hive/Spark semantics: whole months when the days of month match or both are the
 * last day of their month; otherwise the day and time-of-day difference over 31-day months. Spark
 * rounds with Math.round(diff * 1e8) / 1e8, which is floor(x + 0.5) here (same IEEE operations).
 */
export function monthsBetween(args: Arg[], lastDay: string, target: SqlDialectName): string {
  const [t1, t2] = [ansiTimestamp(argAt(args, 0)), ansiTimestamp(argAt(args, 1))];
  const roundOff = args[2]?.expr;
  if (roundOff?.kind !== 'literal' || roundOff.type !== 'boolean') throw untranslatable('months_between() with a roundOff that is not a literal', target);
  const secs = (t: string): string => `(hour(${t}) * 3600 + minute(${t}) * 60 + second(${t}))`;
  const months = `((year(${t1}) - year(${t2})) * 12 + month(${t1}) - month(${t2}))`;
  const whole = `day(${t1}) = day(${t2}) OR (day(${t1}) = day(${lastDay}(${t1})) AND day(${t2}) = day(${lastDay}(${t2})))`;
  const diff = `(${months} + ((day(${t1}) - day(${t2})) * 86400 + ${secs(t1)} - ${secs(t2)}) / 2678400E0)`;
  const value = roundOff.value ? `floor(${diff} * 1E8 + 0.5E0) / 1E8` : diff;
  return `CASE WHEN ${whole} THEN CAST(${months} AS DOUBLE) ELSE ${value} END`;
}

/** Spark's ISO day number (1 = Monday) of next_day, which must be an integer literal 1..7 after lowering. */
export function isoDay(a: Arg | undefined, target: SqlDialectName): number {
  const n = intLiteral(a);
  if (n === undefined || n < 1 || n > 7) throw untranslatable('next_day() with a day of week that is not a literal', target);
  return n;
}

/** translate() with a literal `from` without repeated characters, where every engine agrees. */
export function checkTranslate(args: Arg[], target: SqlDialectName): void {
  const from = stringLiteral(args[1], 'translate() set of characters', target);
  if (new Set(from).size !== [...from].length) throw untranslatable('translate() with a repeated character in its set', target);
}

/** The value of a string literal that must be a non-empty delimiter. */
export function literalDelimiter(a: Arg | undefined, fnName: string, target: SqlDialectName): string {
  const d = stringLiteral(a, `${fnName}() delimiter`, target);
  if (d === '') throw untranslatable(`${fnName}() with an empty delimiter`, target);
  return d;
}

/** split_part's part number: an integer literal >= 1. */
export function partNumber(a: Arg | undefined, target: SqlDialectName): number {
  const n = requireInt(a, 'split_part() part number', target);
  if (n < 1) throw untranslatable('split_part() with a part number below 1', target);
  return n;
}

/** slice's literal start >= 1 and length >= 0. */
export function sliceBounds(args: Arg[], target: SqlDialectName): [start: number, length: number] {
  const [start, n] = [requireInt(args[1], 'slice() start', target), requireInt(args[2], 'slice() length', target)];
  if (start < 1 || n < 0) throw untranslatable('slice() with a start below 1 or a negative length', target);
  return [start, n];
}

/** sequence() over integers only (dates step by intervals, which the IR does not carry). */
export function requireIntegers(args: Arg[], fnName: string, target: SqlDialectName): Arg[] {
  if (args.some((a) => a.type.kind !== 'int')) throw untranslatable(`${fnName}() of values that are not integers`, target);
  return args;
}

/** substring_index: its literal delimiter and count, or the SQL for count 0 ('' for text, NULL for NULL). */
export function substringIndexParts(args: Arg[], target: SqlDialectName): { s: Arg; delim: string; count: number; empty: string } {
  const s = argAt(args, 0);
  const delim = ansiString(literalDelimiter(args[1], 'substring_index', target));
  return { s, delim, count: requireInt(args[2], 'substring_index() count', target), empty: emptyText(s) };
}

/** '' for text, NULL for NULL. */
const emptyText = (s: Arg): string => `CASE WHEN ${p(s)} IS NULL THEN NULL ELSE '' END`;

/** A time zone argument every engine reads alike: a literal IANA region name or UTC (abbreviations like PST differ). */
export function regionZone(a: Arg | undefined, target: SqlDialectName): string {
  const zone = stringLiteral(a, 'time zone', target);
  if (zone !== 'UTC' && !/^[A-Z][A-Za-z_]+(\/[A-Z][A-Za-z_+-]+)+$/.test(zone)) throw untranslatable(`time zone '${zone}' (only region names and UTC)`, target);
  return ansiString(zone);
}

/** A literal bit position or shift within the width of the integer argument (Spark fails or wraps outside it). */
export function bitPosition(args: Arg[], fnName: string, target: SqlDialectName): number {
  const x = argAt(args, 0);
  if (x.type.kind !== 'int') throw untranslatable(`${fnName}() of a value that is not an integer`, target);
  const pos = requireInt(args[1], `${fnName}() position`, target);
  if (pos < 0 || pos >= x.type.bits) throw untranslatable(`${fnName}() with a position outside 0..${x.type.bits - 1}`, target);
  return pos;
}

/** Math functions neither DuckDB nor Trino has (an expansion such as ln(1 + x) loses precision). */
export const NO_ANSI_MATH = refuseAll(['log1p', 'expm1', 'hypot'], (f) => noEquivalent(`no ${f}(); rewriting it loses precision`));

/** An integer literal argument, required. */
export function requireInt(a: Arg | undefined, what: string, target: SqlDialectName): number {
  const n = intLiteral(a);
  if (n === undefined) throw untranslatable(`${what} that is not an integer literal`, target);
  return n;
}

/** left/right: '' for n <= 0 (NULL for NULL text), else `render`. */
export function sidePart(args: Arg[], render: (s: Arg, n: Arg) => string): string {
  const [s, n] = [argAt(args, 0), argAt(args, 1)];
  const k = intLiteral(n);
  if (k !== undefined) return k > 0 ? render(s, n) : emptyText(s);
  return `CASE WHEN ${p(n)} > 0 THEN ${render(s, n)} WHEN ${p(s)} IS NOT NULL AND ${p(n)} IS NOT NULL THEN '' END`;
}

/** Array element types array_join renders as Spark does (other types format differently). */
export function checkJoinable(a: Arg, target: SqlDialectName): void {
  const t = a.type;
  if (t.kind !== 'array' || (t.element.kind !== 'string' && t.element.kind !== 'int')) {
    throw untranslatable('array_join() of an array that is not known to hold text or integers', target);
  }
}

/** Guards an argument that must be known to be an array (maps are not in the IR yet). */
export function requireArray(a: Arg, fnName: string, target: SqlDialectName): void {
  if (a.type.kind !== 'array') throw untranslatable(`${fnName}() of a value not known to be an array`, target);
}

/** JSON functions read text: a value known to be something else is refused (Spark refuses it too). */
export function jsonText(a: Arg, fnName: string, target: SqlDialectName): string {
  if (a.type.kind !== 'string' && a.type.kind !== 'unknown') throw untranslatable(`${fnName}() of a value that is not text`, target);
  return a.sql;
}

/**
 * Spark's get_json_object answers JSON null as the text 'null' when the path ends at the root or with an
 * index step, and as NULL after a `.key` step.
 */
export const jsonNullIsText = (canonicalPath: Arg): boolean => {
  const path = canonicalPath.expr.kind === 'literal' && canonicalPath.expr.type === 'string' ? canonicalPath.expr.value : '';
  return path === '$' || path.endsWith(']');
};

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

/**
 * Spark's width_bucket in DOUBLE arithmetic, step by step as Spark computes it (n * (v - lower) / (upper - lower),
 * truncated, plus 1), so the bucket edges round the same. `isNan` / `isInf` name the target's tests.
 */
export function widthBucket(args: Arg[], isNan: string, isInf: string): string {
  const dbl = (a: Arg): string => `CAST(${a.sql} AS DOUBLE)`;
  const [v, lo, hi] = [dbl(argAt(args, 0)), dbl(argAt(args, 1)), dbl(argAt(args, 2))];
  const n = `CAST(${argAt(args, 3).sql} AS BIGINT)`;
  const bucket = (num: string, den: string): string => `CAST(floor(CAST(${n} AS DOUBLE) * (${num}) / (${den})) AS BIGINT) + 1`;
  return [
    `CASE WHEN ${v} IS NULL OR ${lo} IS NULL OR ${hi} IS NULL OR ${n} IS NULL THEN NULL`,
    `WHEN ${n} <= 0 OR ${n} = 9223372036854775807 OR ${isNan}(${v}) OR ${lo} = ${hi} OR ${isNan}(${lo}) OR ${isInf}(${lo}) OR ${isNan}(${hi}) OR ${isInf}(${hi}) THEN NULL`,
    `WHEN ${lo} < ${hi} THEN CASE WHEN ${v} < ${lo} THEN 0 WHEN ${v} >= ${hi} THEN ${n} + 1 ELSE ${bucket(`${v} - ${lo}`, `${hi} - ${lo}`)} END`,
    `ELSE CASE WHEN ${v} > ${lo} THEN 0 WHEN ${v} <= ${hi} THEN ${n} + 1 ELSE ${bucket(`${lo} - ${v}`, `${lo} - ${hi}`)} END END`,
  ].join(' ');
}
