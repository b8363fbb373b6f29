import type { DivisionKind, SqlType } from '../ir.js';
import { convertPattern } from '../patterns.js';
import {
  aggregateCall,
  argAt,
  fn,
  functionHooks,
  intLiteral,
  javaReplacementToRe2,
  noEquivalent,
  nullIfZero,
  p,
  refuse,
  refuseAll,
  rename,
  sameNames,
  skipNullsVia,
  strictVia,
  stringLiteral,
  untranslatable,
} from '../render/helpers.js';
import type { AggregateRenderer, Arg, FunctionRenderer, FunctionTable, RenderApi, SqlDialect } from '../render/sql-dialect.js';
import { hiveCast, hiveDialect, hiveDivide, hiveLike } from './hive-dialect.js';
import { ansiNumber, hiveString, RENDERER_BUILT_INS, SAME_NAME_AGGREGATES, SAME_NAME_FUNCTIONS, SAME_NAME_MATH } from './shared.js';

const NAME = 'impala';

const ts = (a: Arg): string => (a.type.kind === 'timestamp' ? a.sql : `CAST(${a.sql} AS TIMESTAMP)`);
const date = (a: Arg): string => (a.type.kind === 'date' ? a.sql : `CAST(${ts(a)} AS DATE)`);
const pattern = (a: Arg | undefined): string => hiveString(convertPattern(stringLiteral(a, 'date pattern', NAME), 'java', 'impala'));

function text(a: Arg, r: RenderApi): string {
  if (a.type.kind === 'string') return a.sql;
  if (a.type.kind === 'double' || a.type.kind === 'float') throw untranslatable('conversion of a DOUBLE to text', NAME);
  if (a.type.kind === 'unknown') r.warn('a value of unknown type is converted to text with CAST(... AS STRING)');
  return `CAST(${a.sql} AS STRING)`;
}

/** Impala measures STRING in bytes unless UTF8_MODE is on; the card data has Korean text. */
function bytesWarning(r: RenderApi): void {
  r.warn('Impala string functions count bytes unless the UTF8_MODE query option is set');
}

const datePart =
  (name: string): FunctionRenderer =>
  (args) =>
    fn(name, ts(argAt(args, 0)));

/** percentile_approx(x, 0.5) only, as Impala's appx_median. */
const appxMedian: AggregateRenderer = (args, _distinct, _filter, r) => {
  const q = args[1]?.expr;
  if (q?.kind !== 'literal' || q.type !== 'number' || Number(q.value) !== 0.5) throw untranslatable('percentile_approx other than the median', NAME);
  r.warn('percentile_approx(x, 0.5) is rendered as Impala appx_median(x); the approximation differs');
  return fn('appx_median', argAt(args, 0));
};

const FUNCTIONS: FunctionTable = {
  ...RENDERER_BUILT_INS,
  ...SAME_NAME_FUNCTIONS,
  ...SAME_NAME_AGGREGATES,
  ...SAME_NAME_MATH,
  ...sameNames(['ln', 'log10', 'log2', 'log', 'asin', 'acos', 'sinh', 'cot', 'sign', 'e', 'factorial']),
  percentile_approx: appxMedian,
  substr_spark: refuse('Spark substr() with a negative start (Impala counts bytes)'),
  isnan: (args) => `coalesce(is_nan(CAST(${argAt(args, 0).sql} AS DOUBLE)), false)`,
  ...refuseAll(
    ['size', 'cardinality', 'sort_array', 'array_contains', 'array', 'array_distinct', 'array_max', 'array_min', 'array_position', 'array_remove', 'array_compact', 'arrays_overlap'],
    (f) => noEquivalent(`Impala has no ${f}() (no arrays in queries)`),
  ),
  ...refuseAll(['map_keys', 'map_values', 'map_from_arrays', 'map_entries'], (f) => noEquivalent(`Impala has no ${f}() (no maps in queries)`)),
  ...refuseAll(['log1p', 'expm1', 'hypot', 'bit_count', 'getbit', 'shiftright'], (f) => noEquivalent(`Impala has no ${f}() with Spark's meaning`)),
  ...refuseAll(['from_utc_timestamp', 'to_utc_timestamp'], (f) => refuse(`Impala ${f}() is not checked against Spark's`)),
  ...refuseAll(['array_append', 'array_prepend', 'array_repeat', 'array_union', 'unix_millis', 'unix_micros', 'timestamp_millis', 'timestamp_micros', 'array_intersect', 'array_except'], (f) => noEquivalent(`Impala has no ${f}()`)),
  width_bucket: refuse("Impala width_bucket() is not checked against Spark's"),
  ...refuseAll(['array_join', 'slice', 'flatten', 'sequence', 'element_at', 'split', 'regexp_extract_all', 'array_agg', 'collect_list', 'collect_set'], (f) => noEquivalent(`Impala has no ${f}() (no arrays in queries)`)),
  ...refuseAll(
    ['ascii', 'chr', 'base64', 'initcap', 'left', 'right', 'substring_index', 'translate', 'levenshtein', 'octet_length', 'trim_chars', 'contains', 'startswith', 'endswith'],
    (f) => noEquivalent(`Impala ${f}() is not known to mean the same (Impala strings are bytes)`),
  ),
  ...refuseAll(['get_json_object', 'json_array_length', 'json_object_keys', 'find_in_set', 'split_part', 'regexp_count', 'regexp_substr', 'hex', 'md5', 'sha1', 'sha2', 'crc32'], (f) => noEquivalent(`Impala ${f}() is not known to mean the same`)),
  ...refuseAll(['sec', 'csc', 'bround', 'months_between', 'next_day', 'make_date', 'acosh', 'asinh', 'atanh', 'rint', 'bin', 'nth_value'], (f) => noEquivalent(`Impala has no ${f}() with Spark's meaning`)),
  ...refuseAll(
    ['percentile', 'corr', 'covar_pop', 'covar_samp', 'regr_slope', 'regr_intercept', 'regr_count', 'regr_r2', 'regr_avgx', 'regr_avgy', 'regr_sxx', 'regr_syy', 'regr_sxy'],
    (f) => noEquivalent(`Impala has no ${f} aggregate`),
  ),
  ...refuseAll(
    ['skewness', 'kurtosis', 'count_if', 'bool_and', 'bool_or', 'max_by', 'min_by', 'approx_count_distinct', 'bit_and', 'bit_or', 'bit_xor'],
    (f) => noEquivalent(`Impala has no ${f} aggregate`),
  ),
  date_format: (args) => fn('from_timestamp', ts(argAt(args, 0)), pattern(args[1])),
  to_date: (args) => date(argAt(args, 0)),
  date_add: (args) => fn('date_add', date(argAt(args, 0)), argAt(args, 1)),
  date_sub: (args) => fn('date_sub', date(argAt(args, 0)), argAt(args, 1)),
  datediff: (args) => fn('datediff', ts(argAt(args, 0)), ts(argAt(args, 1))),
  add_months: (args) => {
    const [d, n] = [ts(argAt(args, 0)), argAt(args, 1).sql];
    return `CAST(CASE WHEN last_day(${d}) = trunc(${d}, 'DD') THEN last_day(add_months(${d}, ${n})) ELSE add_months(${d}, ${n}) END AS DATE)`;
  },
  add_months_clamp: (args) => {
    const [d, n] = [ts(argAt(args, 0)), argAt(args, 1).sql];
    const first = `add_months(trunc(${d}, 'MM'), ${n})`;
    return `CAST(date_add(${first}, least(day(${d}), day(last_day(${first}))) - 1) AS DATE)`;
  },
  last_day: (args) => `CAST(last_day(${ts(argAt(args, 0))}) AS DATE)`,
  date_trunc: (args) => {
    const [unit, x] = [stringLiteral(args[0], 'date_trunc unit', NAME), argAt(args, 1)];
    const truncated = fn('date_trunc', `'${unit}'`, ts(x));
    return x.type.kind === 'date' ? `CAST(${truncated} AS DATE)` : truncated;
  },
  year: datePart('year'),
  quarter: datePart('quarter'),
  month: datePart('month'),
  day: datePart('day'),
  dayofyear: datePart('dayofyear'),
  hour: datePart('hour'),
  minute: datePart('minute'),
  second: datePart('second'),
  dayofweek: datePart('dayofweek'),
  weekofyear: datePart('weekofyear'),
  unix_timestamp: (args) => {
    const [x, fmt] = args;
    if (!x) return 'unix_timestamp()';
    return fmt ? fn('unix_timestamp', x, pattern(fmt)) : fn('unix_timestamp', x.type.kind === 'string' ? x.sql : ts(x));
  },
  from_unixtime: (args) => (args[1] ? fn('from_unixtime', argAt(args, 0), pattern(args[1])) : fn('from_unixtime', argAt(args, 0))),
  timestamp_from_epoch: (args) => {
    if (argAt(args, 0).type.kind !== 'int') throw untranslatable('from_unixtime() of a value that is not an integer', NAME);
    return fn('to_timestamp', argAt(args, 0));
  },
  parse_timestamp: (args) => fn('to_timestamp', argAt(args, 0), pattern(args[1])),
  current_date: () => 'CAST(now() AS DATE)',
  current_timestamp: () => 'now()',
  floor: rename('floor'),
  ceil: rename('ceil'),
  power: rename('pow'),
  pmod: rename('pmod'),
  greatest_strict: strictVia('greatest'),
  least_strict: strictVia('least'),
  greatest_skip: skipNullsVia('greatest'),
  least_skip: skipNullsVia('least'),
  concat: (args, r) => fn('concat', ...args.map((a) => text(a, r))),
  concat_ws: (args, r) => {
    if (args.some((a) => a.type.kind === 'array')) throw untranslatable('concat_ws() over arrays', NAME);
    return fn('concat_ws', ...args.map((a) => text(a, r)));
  },
  substr: (args, r) => {
    const pos = intLiteral(args[1]);
    const len = args[2] === undefined ? 0 : intLiteral(args[2]);
    if (pos === undefined || pos < 1 || len === undefined || len < 0) throw untranslatable('substr() with a start that is not a literal >= 1', NAME);
    bytesWarning(r);
    return fn('substr', ...args);
  },
  lpad: (args, r) => (bytesWarning(r), fn('lpad', ...args)),
  rpad: (args, r) => (bytesWarning(r), fn('rpad', ...args)),
  regexp_extract: (args) => `CASE WHEN ${p(argAt(args, 0))} IS NULL THEN NULL ELSE coalesce(${fn('regexp_extract', ...args)}, '') END`,
  regexp_like: rename('regexp_like'),
  regexp_replace: (args) => {
    const rep = javaReplacementToRe2(stringLiteral(args[2], 'regexp_replace replacement', NAME), NAME);
    return fn('regexp_replace', argAt(args, 0), argAt(args, 1), hiveString(rep));
  },
  instr: (args, r) => (bytesWarning(r), fn('instr', ...args)),
  length: (args, r) => (bytesWarning(r), fn('length', ...args)),
  reverse: (args, r) => (bytesWarning(r), fn('reverse', ...args)),
  repeat: rename('repeat'),
};

function impalaCast(a: Arg, to: SqlType, lenient: boolean, r: RenderApi): string {
  if (lenient && to.kind === 'int' && (a.type.kind === 'double' || a.type.kind === 'float' || a.type.kind === 'decimal')) {
    return `CAST(truncate(${a.sql}) AS ${to.bits === 32 ? 'INT' : to.bits === 64 ? 'BIGINT' : to.bits === 16 ? 'SMALLINT' : 'TINYINT'})`;
  }
  if (to.kind === 'string' && (a.type.kind === 'double' || a.type.kind === 'float')) throw untranslatable('conversion of a DOUBLE to text', NAME);
  return hiveCast(a, to, lenient, r, NAME);
}

/** Impala: Hive-like syntax without arrays; DATE needs Impala 3.3+. */
export const impalaDialect: SqlDialect = {
  ...hiveDialect,
  name: NAME,
  supportsAggregateFilter: false,
  groupByOrdinals: true,
  numberLiteral: ansiNumber,
  cast: impalaCast,
  divide: (kind: DivisionKind, a: Arg, b: Arg, r: RenderApi) => hiveDivide(kind, a, b, r, NAME, nullIfZero),
  modulo: (a, b) => `(${p(a)} % ${nullIfZero(b)})`,
  like: (arg, pattern, negated, escape) => hiveLike(arg, pattern, negated, escape, NAME),
  index: () => {
    throw untranslatable('array subscripts', NAME);
  },
  ...functionHooks(FUNCTIONS, NAME),
  limit: (limit, offset) => [limit === undefined ? '' : `LIMIT ${limit}`, offset === undefined ? '' : `OFFSET ${offset}`].filter(Boolean).join(' '),
};
