import { dialectFamily, type SqlDialectName } from '../dialect.js';
import type { DivisionKind, SqlType } from '../ir.js';
import { parseJavaPattern } from '../patterns.js';
import { aggregateAs, argAt, fn, functionHooks, isIntegral, noEquivalent, p, refuseAll, rename, sameAggregates, sameNames, skipNullsVia, stringLiteral, untranslatable } from '../render/helpers.js';
import type { AggregateRenderer, Arg, FunctionTable, NumberLiteral, RenderApi, SqlDialect, Unsupported } from '../render/sql-dialect.js';
import {
  backtickQuote,
  checkTranslate,
  hiveString,
  hiveTypeName,
  isoDay,
  RENDERER_BUILT_INS,
  requireInt,
  SAME_NAME_AGGREGATES,
  SAME_NAME_FUNCTIONS,
  SAME_NAME_MATH,
  SAME_NAME_STATISTICS,
  substrSpark,
} from './shared.js';

const NAME = 'hive';

/** Hive's ISO week starts on Monday; 1900-01-01 was a Monday. */
const weekStart = (d: string): string => `date_sub(to_date(${d}), pmod(datediff(to_date(${d}), '1900-01-01'), 7))`;

/** Hive trunc() only knows YEAR and MONTH reliably; the other units are computed. */
function hiveDateTrunc(args: Arg[]): string {
  const [unit, x] = [stringLiteral(args[0], 'date_trunc unit', NAME), argAt(args, 1)];
  const asDate = x.type.kind === 'date';
  const day = (sql: string): string => (asDate ? `CAST(${sql} AS DATE)` : `CAST(${sql} AS TIMESTAMP)`);
  const seconds = (n: number): string => `CAST(from_unixtime((unix_timestamp(${x.sql}) DIV ${n}) * ${n}) AS TIMESTAMP)`;
  switch (unit) {
    case 'year':
      return day(`trunc(${x.sql}, 'YEAR')`);
    case 'month':
      return day(`trunc(${x.sql}, 'MM')`);
    case 'quarter':
      return day(`add_months(trunc(${x.sql}, 'YEAR'), (quarter(${x.sql}) - 1) * 3)`);
    case 'week':
      return day(weekStart(x.sql));
    case 'day':
      return day(`to_date(${x.sql})`);
    case 'hour':
      return seconds(3600);
    case 'minute':
      return seconds(60);
    case 'second':
      return seconds(1);
    default:
      throw untranslatable(`date_trunc('${unit}')`, NAME);
  }
}

/** add_months that keeps the day of month (clamped to the month's end), from Hive's add_months. */
function addMonthsClamp(args: Arg[]): string {
  const [x, n] = [argAt(args, 0), argAt(args, 1)];
  const first = `add_months(trunc(${x.sql}, 'MM'), ${n.sql})`;
  return `date_add(${first}, least(day(${x.sql}), day(last_day(${first}))) - 1)`;
}

function noMillis(patternArg: Arg | undefined, what: string, target: SqlDialectName): void {
  const parts = parseJavaPattern(stringLiteral(patternArg, 'date pattern', target));
  if (parts.some((part) => 'field' in part && part.field === 'millis3')) throw untranslatable(`${what} with milliseconds`, target);
}

const notInHive = (what: string): Unsupported => noEquivalent(`Hive has no ${what}`);

/** Spark/Hive next_day takes the day as text. */
export const DAY_NAMES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;

/** percentile_approx: the same function, with a warning when the source engine approximated differently. */
const percentileApprox: AggregateRenderer = (args, distinct, filter, r) => {
  if (dialectFamily(r.source) !== 'hive') r.warn('percentile_approx: the approximation differs from the source engine');
  return aggregateAs('percentile_approx')(args, distinct, filter, r);
};

/** Canonical functions with their Hive spelling; Spark and Impala start from this table. */
export const HIVE_FUNCTIONS: FunctionTable = {
  ...RENDERER_BUILT_INS,
  ...SAME_NAME_FUNCTIONS,
  ...SAME_NAME_AGGREGATES,
  ...SAME_NAME_MATH,
  ...SAME_NAME_STATISTICS,
  ...sameNames(['get_json_object', 'ascii', 'initcap', 'substring_index', 'levenshtein', 'find_in_set', 'md5', 'sha1', 'sha2', 'crc32', 'ln', 'log10', 'log2', 'log']),
  ...sameNames(['asin', 'acos', 'e', 'factorial', 'octet_length', 'array', 'bin', 'from_utc_timestamp', 'to_utc_timestamp', 'shiftright', 'map_keys', 'map_values']),
  ...sameAggregates(['regr_slope', 'regr_intercept', 'regr_count', 'regr_r2', 'regr_avgx', 'regr_avgy', 'regr_sxx', 'regr_syy', 'regr_sxy']),
  ...sameAggregates(['collect_list', 'collect_set', 'percentile']),
  percentile_approx: percentileApprox,
  chr: (args) => `CASE WHEN ${p(argAt(args, 0))} < 0 THEN '' ELSE chr(${argAt(args, 0).sql}) END`,
  base64: (args) => `base64(CAST(${argAt(args, 0).sql} AS BINARY))`,
  translate: (args) => (checkTranslate(args, NAME), fn('translate', ...args)),
  sign: rename('sign'),
  bround: (args) => fn('bround', argAt(args, 0), String(requireInt(args[1], 'bround() scale', NAME))),
  months_between: (args) => {
    const roundOff = args[2]?.expr;
    if (roundOff?.kind !== 'literal' || roundOff.type !== 'boolean' || !roundOff.value) throw untranslatable('months_between() without rounding', NAME);
    return fn('months_between', argAt(args, 0), argAt(args, 1));
  },
  next_day: (args) => fn('next_day', argAt(args, 0), `'${DAY_NAMES[isoDay(args[1], NAME) - 1]}'`),
  ...refuseAll(
    ['json_array_length', 'json_object_keys', 'left', 'right', 'trim_chars', 'contains', 'startswith', 'endswith', 'split_part', 'regexp_extract_all', 'regexp_count', 'regexp_substr', 'hex', 'cot', 'sec', 'csc', 'sinh', 'cosh', 'tanh', 'atan2', 'isnan', 'make_date', 'acosh', 'asinh', 'atanh', 'rint', 'unix_millis', 'unix_micros', 'timestamp_millis', 'timestamp_micros', 'nth_value', 'log1p', 'expm1', 'hypot', 'bit_count', 'getbit', 'map_from_arrays', 'array_intersect', 'array_except', 'width_bucket', 'map_entries'],
    (f) => notInHive(`${f}()`),
  ),
  ...refuseAll(
    ['array_distinct', 'array_max', 'array_min', 'array_position', 'array_remove', 'array_compact', 'arrays_overlap', 'array_join', 'slice', 'flatten', 'sequence', 'element_at', 'array_append', 'array_prepend', 'array_repeat', 'array_union'],
    (f) => notInHive(`${f}()`),
  ),
  ...refuseAll(
    ['skewness', 'kurtosis', 'count_if', 'bool_and', 'bool_or', 'max_by', 'min_by', 'approx_count_distinct', 'bit_and', 'bit_or', 'bit_xor', 'array_agg'],
    (f) => notInHive(`${f}() aggregate`),
  ),
  date_format: rename('date_format'),
  to_date: (args) => (argAt(args, 0).type.kind === 'date' ? argAt(args, 0).sql : fn('to_date', argAt(args, 0))),
  date_add: rename('date_add'),
  date_sub: rename('date_sub'),
  datediff: rename('datediff'),
  add_months: rename('add_months'),
  add_months_clamp: addMonthsClamp,
  last_day: (args) => `CAST(last_day(${argAt(args, 0).sql}) AS DATE)`,
  date_trunc: hiveDateTrunc,
  year: rename('year'),
  quarter: rename('quarter'),
  month: rename('month'),
  day: rename('day'),
  dayofyear: (args) => `CAST(date_format(${argAt(args, 0).sql}, 'D') AS INT)`,
  hour: rename('hour'),
  minute: rename('minute'),
  second: rename('second'),
  dayofweek: rename('dayofweek'),
  weekofyear: rename('weekofyear'),
  unix_timestamp: rename('unix_timestamp'),
  from_unixtime: rename('from_unixtime'),
  timestamp_from_epoch: (args) => {
    const n = argAt(args, 0);
    if (n.type.kind !== 'int') throw untranslatable('from_unixtime() of a value that is not an integer (fractional seconds)', NAME);
    return `CAST(from_unixtime(${n.sql}) AS TIMESTAMP)`;
  },
  parse_timestamp: (args) => {
    noMillis(args[1], 'parsing a timestamp', NAME);
    return `CAST(from_unixtime(unix_timestamp(${argAt(args, 0).sql}, ${argAt(args, 1).sql})) AS TIMESTAMP)`;
  },
  current_date: () => 'current_date',
  current_timestamp: () => 'current_timestamp',
  floor: rename('floor'),
  ceil: rename('ceil'),
  power: rename('pow'),
  pmod: rename('pmod'),
  greatest_strict: rename('greatest'),
  least_strict: rename('least'),
  greatest_skip: skipNullsVia('greatest'),
  least_skip: skipNullsVia('least'),
  concat: rename('concat'),
  concat_ws: rename('concat_ws'),
  substr: rename('substr'),
  substr_spark: (args) => substrSpark(args, 'substr', NAME),
  lpad: rename('lpad'),
  rpad: rename('rpad'),
  regexp_extract: rename('regexp_extract'),
  regexp_like: (args) => `(${p(argAt(args, 0))} RLIKE ${p(argAt(args, 1))})`,
  regexp_replace: rename('regexp_replace'),
  split: rename('split'),
  instr: rename('instr'),
  length: rename('length'),
  reverse: rename('reverse'),
  repeat: rename('repeat'),
  size: rename('size'),
  cardinality: (args) => `CASE WHEN ${p(argAt(args, 0))} IS NULL THEN NULL ELSE size(${argAt(args, 0).sql}) END`,
  sort_array: (args) => {
    const [dir, nulls] = [stringLiteral(args[1], 'sort direction', NAME), stringLiteral(args[2], 'null order', NAME)];
    if (dir === 'ASC' && nulls === 'FIRST') return fn('sort_array', argAt(args, 0));
    throw untranslatable(`sort_array ${dir} NULLS ${nulls}`, NAME);
  },
  array_contains: rename('array_contains'),
};

/** Hive-family number literals: a Hive `1.5` is a DOUBLE, `1.5BD` a DECIMAL. */
function hiveNumber(lit: NumberLiteral): string {
  if (lit.numeric === 'decimal') return `${lit.value}BD`;
  if (lit.numeric === 'double' && !/[.eE]/.test(lit.value)) return `${lit.value}.0`;
  return lit.value;
}

/**
 * LIKE: in the Hive family a backslash always escapes. Patterns from ANSI sources (no escape character)
 * get their backslashes doubled; a computed ANSI pattern cannot be.
 */
export function hiveLike(arg: Arg, pattern: Arg, negated: boolean, escape: string | null, target: SqlDialectName): string {
  const op = negated ? 'NOT LIKE' : 'LIKE';
  if (escape === '\\') return `${p(arg)} ${op} ${p(pattern)}`;
  if (escape !== null) throw untranslatable(`LIKE ... ESCAPE '${escape}'`, target);
  if (pattern.expr.kind === 'literal' && pattern.expr.type === 'string') {
    return `${p(arg)} ${op} ${hiveString(pattern.expr.value.replace(/\\/g, '\\\\'))}`;
  }
  throw untranslatable('LIKE with a computed pattern from a dialect without LIKE escapes', target);
}

/**
 * CAST. Hive-family sources (`lenient`) mean Hive's CAST. From ANSI sources a CAST rounds fractions
 * to integers and fails on bad text; the failure becomes NULL here, the rounding is kept.
 */
export function hiveCast(a: Arg, to: SqlType, lenient: boolean, r: RenderApi, target: SqlDialectName, tryCast = 'CAST'): string {
  const typeName = hiveTypeName(to, target);
  const from = a.type.kind;
  if (!lenient) {
    if (to.kind === 'int' && (from === 'double' || from === 'float' || from === 'decimal')) return `CAST(round(${a.sql}) AS ${typeName})`;
    if (to.kind === 'int' && from === 'unknown') throw untranslatable(`CAST of a value of unknown type to ${typeName}`, target);
    if (to.kind === 'string' && (from === 'double' || from === 'float' || from === 'unknown')) {
      throw untranslatable('conversion of a DOUBLE to text (engines format doubles differently)', target);
    }
    if (to.kind === 'boolean' && from !== 'boolean') throw untranslatable(`CAST to BOOLEAN from ${from}`, target);
  }
  if (to.kind === 'string' && to.length !== undefined && tryCast !== 'CAST') {
    // Spark ignores VARCHAR(n) in casts; Hive truncates to n characters.
    return `substr(CAST(${a.sql} AS STRING), 1, ${to.length})`;
  }
  const useTry = tryCast !== 'CAST' && (from === 'string' || from === 'unknown') && dialectFamily(r.source) === 'hive';
  if (useTry && to.kind === 'int') {
    // Spark's try_cast follows ANSI rules and rejects '12.7' as an INT; Hive truncates it to 12.
    return `${tryCast}(${tryCast}(${a.sql} AS DECIMAL(38, 9)) AS ${typeName})`;
  }
  return `${useTry ? tryCast : 'CAST'}(${a.sql} AS ${typeName})`;
}

/** Hive: backtick identifiers, backslash escapes, DIV, zero-based arrays, java.time patterns. */
export const hiveDialect: SqlDialect = {
  name: NAME,
  derivedTablesNeedAlias: true,
  supportsAggregateFilter: false,
  groupByOrdinals: false,
  quote: backtickQuote,
  stringLiteral: hiveString,
  numberLiteral: hiveNumber,
  typeName: (type) => hiveTypeName(type, NAME),
  cast: (a, to, lenient, r) => hiveCast(a, to, lenient, r, NAME),
  divide: (kind: DivisionKind, a: Arg, b: Arg, r: RenderApi) => hiveDivide(kind, a, b, r, NAME),
  modulo: (a, b) => `(${p(a)} % ${p(b)})`,
  like: (arg, pattern, negated, escape) => hiveLike(arg, pattern, negated, escape, NAME),
  index: (base, index) => `${p(base)}[${index.sql}]`,
  ...functionHooks(HIVE_FUNCTIONS, NAME),
  limit: (limit, offset) => {
    if (offset !== undefined && limit === undefined) throw untranslatable('OFFSET without LIMIT', NAME);
    if (limit === undefined) return '';
    return offset === undefined ? `LIMIT ${limit}` : `LIMIT ${offset}, ${limit}`;
  },
};

/** Division in the Hive family: `/` is floating (NULL for zero), DIV integer. */
export function hiveDivide(kind: DivisionKind, a: Arg, b: Arg, r: RenderApi, target: SqlDialectName, zeroGuard: (x: Arg) => string = p): string {
  switch (kind) {
    case 'fdiv_null':
      return `(${p(a)} / ${zeroGuard(b)})`;
    case 'fdiv_ieee':
      r.warn('division by zero gives NULL here instead of Infinity or NaN');
      return `(${p(a)} / ${zeroGuard(b)})`;
    case 'idiv_null':
      return `(${p(a)} DIV ${zeroGuard(b)})`;
    case 'typed_div':
      if (isIntegral(a.type) && isIntegral(b.type)) return `(${p(a)} DIV ${zeroGuard(b)})`;
      if ([a, b].some((x) => x.type.kind === 'double' || x.type.kind === 'float')) return `(${p(a)} / ${zeroGuard(b)})`;
      if ([a, b].every((x) => x.type.kind === 'decimal' || x.type.kind === 'int')) {
        r.warn('DECIMAL division: the result scale may differ between engines');
        return `(${p(a)} / ${zeroGuard(b)})`;
      }
      throw untranslatable('division of values of unknown type (integer or floating?)', target);
  }
}

