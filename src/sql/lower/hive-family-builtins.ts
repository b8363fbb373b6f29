import type { BinaryOp, Expr, SqlType } from '../ir.js';
import { untranslatable } from './context.js';
import { bool, boolValue, caseWhen, int, intValue, str, stringArg } from './ir-build.js';
import { agg, aggregate, call, same, type FunctionLowering } from './lower-functions.js';
import { describedAs, describeLowering, lowersTo, refusedLowering } from './lowering-info.js';
import { canonicalJsonPath } from './json-path.js';
import { lowerType } from './lower-types.js';

type HiveDialect = 'hive' | 'spark' | 'impala';

/** Functions whose meaning differs between Hive, Spark and Impala: one mapping per dialect. */
export const byDialect = (mapping: Partial<Record<HiveDialect, FunctionLowering>>, fallback: FunctionLowering): FunctionLowering => {
  const pick = (dialect: string): FunctionLowering => mapping[dialect as HiveDialect] ?? fallback;
  return describedAs(
    (args, site) => pick(site.ctx.dialect)(args, site),
    (dialect) => describeLowering(pick(dialect), dialect) ?? { refused: 'undescribed lowering', noEquivalent: false },
  );
};

/** A function only Spark has (Hive and Impala queries may not call it). */
export const sparkOnly = (name: string, lowering: FunctionLowering): FunctionLowering => byDialect({ spark: lowering }, refusedLowering(`${name}() outside Spark`, false));

const bin = (op: BinaryOp, left: Expr, right: Expr): Expr => ({ kind: 'binary', op, left, right });
const isNull = (arg: Expr, negated = false): Expr => ({ kind: 'is_null', arg, negated });
const lenientCast = (arg: Expr, to: SqlType): Expr => ({ kind: 'cast', arg, to, lenient: true });
const EPOCH_DATE: Expr = { kind: 'literal', type: 'date', value: '1970-01-01' };

/** The arguments, which must number between min and max. */
function arity(args: Expr[], min: number, max: number, name: string): Expr[] {
  if (args.length < min || args.length > max) throw untranslatable(`${name}() with ${args.length} argument${args.length === 1 ? '' : 's'}`);
  return args;
}

/** Arguments of a function that is the canonical `fn` once `fill` has supplied Spark's defaults. */
const withDefaults = (fn: string, fill: (args: Expr[]) => Expr[]): FunctionLowering => lowersTo([fn], (args, site) => call(fn, fill(args), site));

/** A Spark function that is an expression over its arguments (only IR operators). */
const expression = (min: number, max: number, build: (args: Expr[], name: string) => Expr): FunctionLowering =>
  lowersTo([], (args, site) => build(arity(args, min, max, site.name), site.name));

/** A Spark function that is the canonical `fn` over its arguments when it has `count` of them. */
const exactly = (fn: string, count: number): FunctionLowering => lowersTo([fn], (args, site) => call(fn, arity(args, count, count, site.name), site));

const isNonNullLiteral = (e: Expr): boolean => e.kind === 'literal' && e.type !== 'null';

/** null-safe equality a <=> b, from IR operators (plain `=` where one side is a non-NULL literal, in a condition). */
const nullSafeEquals = (a: Expr, b: Expr, inCondition = false): Expr => {
  if (b.kind === 'literal' && b.type === 'null') return isNull(a);
  if (inCondition && (isNonNullLiteral(a) || isNonNullLiteral(b))) return bin('=', a, b);
  return caseWhen(bin('AND', isNull(a), isNull(b)), bool(true), caseWhen(bin('OR', isNull(a), isNull(b)), bool(false), bin('=', a, b)));
};

/** Spark next_day day names (any case): 'MO', 'MON', 'MONDAY' ... as ISO day numbers. */
const DAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];
function isoDayOf(name: string): number {
  const n = name.toUpperCase();
  const i = DAYS.findIndex((d) => d === n || (n.length >= 2 && n.length <= 3 && d.startsWith(n)));
  if (i < 0) throw untranslatable(`next_day() with day '${name}'`);
  return i + 1;
}

/** date_part/extract fields with one canonical function (SECOND is a DECIMAL with fraction in Spark: refused). */
const DATE_PARTS: Readonly<Record<string, (x: Expr, site: Parameters<FunctionLowering>[1]) => Expr>> = {
  YEAR: (x, site) => call('year', [x], site),
  QUARTER: (x, site) => call('quarter', [x], site),
  MONTH: (x, site) => call('month', [x], site),
  WEEK: (x, site) => call('weekofyear', [x], site),
  DAY: (x, site) => call('day', [x], site),
  DAYOFWEEK: (x, site) => call('dayofweek', [x], site),
  DOW: (x, site) => call('dayofweek', [x], site),
  DOY: (x, site) => call('dayofyear', [x], site),
  HOUR: (x, site) => call('hour', [x], site),
  MINUTE: (x, site) => call('minute', [x], site),
};
const datePart: FunctionLowering = lowersTo(['year', 'quarter', 'month', 'weekofyear', 'day', 'dayofweek', 'dayofyear', 'hour', 'minute'], (args, site) => {
  const [field, x] = arity(args, 2, 2, site.name);
  const part = DATE_PARTS[stringArg(field, `${site.name} field`).toUpperCase()];
  if (!part || !x) throw untranslatable(`${site.name}('${stringArg(field, 'field')}', ...)`);
  return part(x, site);
});

/** locate(sub, s[, 1]) / position(sub, s[, 1]): instr with the arguments swapped; other starts are refused. */
const locate: FunctionLowering = lowersTo(['instr'], (args, site) => {
  const [sub, s, pos] = arity(args, 2, 3, site.name);
  if (pos !== undefined && intValue(pos) !== 1) throw untranslatable(`${site.name}() with a start position other than 1`);
  return call('instr', [s!, sub!], site);
});

/** sequence(start, stop): step 1 upwards, -1 downwards. */
const sequence: FunctionLowering = lowersTo(['sequence'], (args, site) => {
  const [start, stop, step] = arity(args, 2, 3, site.name);
  return call('sequence', [start!, stop!, step ?? caseWhen(bin('<=', start!, stop!), int(1), int(-1))], site);
});

const castTo =
  (to: SqlType): FunctionLowering =>
  (args, site) =>
    lenientCast(arity(args, 1, 1, site.name)[0]!, to);

/** Spark's cast functions int(x), string(x), ... mean CAST(x AS type), typed as a CAST to that name is. */
const CASTS: Readonly<Record<string, SqlType>> = Object.fromEntries(
  ['tinyint', 'smallint', 'int', 'bigint', 'float', 'double', 'decimal', 'string', 'boolean', 'date', 'timestamp'].map((name) => [name, lowerType(name.toUpperCase(), undefined, undefined)]),
);

/**
 * to_timestamp(s[, fmt]): the canonical parse is NULL where Spark's try_ form is NULL and its plain
 * form fails; the session time zone is UTC, so the _ntz and _ltz forms give the same instants.
 */
const toTimestamp: FunctionLowering = lowersTo(['parse_timestamp'], (args, site) => {
  const [s, fmt] = arity(args, 1, 2, site.name);
  return fmt ? call('parse_timestamp', [s!, fmt], site) : lenientCast(s!, { kind: 'timestamp' });
});

/** overlay(s, r, pos[, len]): s with len characters from pos replaced by r (len defaults to r's length); pos a literal >= 1. */
const overlay: FunctionLowering = lowersTo(['concat', 'substr', 'length'], (args, site) => {
  const [s, r, pos, len] = arity(args, 3, 4, site.name);
  const start = intValue(pos);
  if (start === undefined || start < 1 || (len !== undefined && (intValue(len) ?? -1) < 0)) throw untranslatable('overlay() with a position that is not a literal >= 1 or a length that is not a literal >= 0');
  const skip: Expr = len ?? (r?.kind === 'literal' && r.type === 'string' ? int([...r.value].length) : call('length', [r!], site));
  const after: Expr = intValue(skip) === undefined ? bin('+', int(start), skip) : int(start + intValue(skip)!);
  return call('concat', [call('substr', [s!, int(1), int(start - 1)], site), r!, call('substr', [s!, after], site)], site);
});

const nondeterministic = (name: string): FunctionLowering => refusedLowering(`${name}() (the row it picks is not deterministic)`);

/**
 * Spark built-ins beyond Hive's classics (docs/spark-functions.txt), each mapped onto canonical
 * functions or IR operators; what has no faithful meaning is refused with the reason.
 */
export const SPARK_BUILT_INS: Readonly<Record<string, FunctionLowering>> = {
  // strings
  ascii: exactly('ascii', 1),
  chr: exactly('chr', 1),
  char: exactly('chr', 1),
  base64: exactly('base64', 1),
  initcap: exactly('initcap', 1),
  left: sparkOnly('left', exactly('left', 2)),
  right: sparkOnly('right', exactly('right', 2)),
  substring_index: exactly('substring_index', 3),
  translate: exactly('translate', 3),
  levenshtein: exactly('levenshtein', 2),
  octet_length: exactly('octet_length', 1),
  bit_length: lowersTo(['octet_length'], (args, site) => bin('*', call('octet_length', arity(args, 1, 1, site.name), site), int(8))),
  char_length: exactly('length', 1),
  character_length: exactly('length', 1),
  len: sparkOnly('len', exactly('length', 1)),
  btrim: sparkOnly('btrim', lowersTo(['trim', 'trim_chars'], (args, site) => call(args.length === 1 ? 'trim' : 'trim_chars', arity(args, 1, 2, site.name), site))),
  contains: sparkOnly('contains', exactly('contains', 2)),
  startswith: sparkOnly('startswith', exactly('startswith', 2)),
  endswith: sparkOnly('endswith', exactly('endswith', 2)),
  find_in_set: exactly('find_in_set', 2),
  split_part: sparkOnly('split_part', exactly('split_part', 3)),
  regexp_extract_all: sparkOnly('regexp_extract_all', withDefaults('regexp_extract_all', ([s, re, group]) => [s!, re!, group ?? int(1)])),
  regexp_count: sparkOnly('regexp_count', exactly('regexp_count', 2)),
  regexp_substr: sparkOnly('regexp_substr', exactly('regexp_substr', 2)),
  regexp: sparkOnly('regexp', exactly('regexp_like', 2)),
  hex: exactly('hex', 1),
  md5: exactly('md5', 1),
  sha: exactly('sha1', 1),
  sha1: exactly('sha1', 1),
  sha2: exactly('sha2', 2),
  crc32: exactly('crc32', 1),
  locate,
  position: sparkOnly('position', locate),
  space: lowersTo(['repeat'], (args, site) => call('repeat', [str(' '), arity(args, 1, 1, site.name)[0]!], site)),
  overlay: sparkOnly('overlay', overlay),
  quote: sparkOnly('quote', lowersTo(['concat', 'replace'], (args, site) => {
    const [s] = arity(args, 1, 1, site.name);
    return call('concat', [str("'"), call('replace', [s!, str("'"), str("\\'")], site), str("'")], site);
  })),
  elt: expression(2, 255, ([n, ...values]) => ({ kind: 'case', operand: n!, whens: values.map((v, i) => ({ when: int(i + 1), then: v })) })),
  soundex: refusedLowering('soundex() (not translated: DuckDB has no Soundex, Trino\'s is not checked against Spark\'s)', false),
  format_number: refusedLowering('format_number() (Java DecimalFormat rounding and grouping)'),
  format_string: refusedLowering('format_string() (Java format strings)'),
  printf: refusedLowering('printf() (Java format strings)'),
  // numbers
  ln: exactly('ln', 1),
  log10: exactly('log10', 1),
  log2: exactly('log2', 1),
  log: lowersTo(['ln', 'log'], (args, site) => (args.length === 1 ? call('ln', args, site) : call('log', arity(args, 2, 2, site.name), site))),
  exp: exactly('exp', 1),
  cbrt: exactly('cbrt', 1),
  degrees: exactly('degrees', 1),
  radians: exactly('radians', 1),
  sin: exactly('sin', 1),
  cos: exactly('cos', 1),
  tan: exactly('tan', 1),
  cot: sparkOnly('cot', exactly('cot', 1)),
  sec: sparkOnly('sec', exactly('sec', 1)),
  csc: sparkOnly('csc', exactly('csc', 1)),
  asin: exactly('asin', 1),
  acos: exactly('acos', 1),
  atan: exactly('atan', 1),
  atan2: sparkOnly('atan2', exactly('atan2', 2)),
  sinh: sparkOnly('sinh', exactly('sinh', 1)),
  cosh: sparkOnly('cosh', exactly('cosh', 1)),
  tanh: sparkOnly('tanh', exactly('tanh', 1)),
  sign: exactly('sign', 1),
  signum: sparkOnly('signum', exactly('sign', 1)),
  pi: exactly('pi', 0),
  e: exactly('e', 0),
  bround: withDefaults('bround', ([x, d]) => [x!, d ?? int(0)]),
  factorial: exactly('factorial', 1),
  isnan: sparkOnly('isnan', exactly('isnan', 1)),
  acosh: sparkOnly('acosh', exactly('acosh', 1)),
  asinh: sparkOnly('asinh', exactly('asinh', 1)),
  atanh: sparkOnly('atanh', exactly('atanh', 1)),
  rint: sparkOnly('rint', exactly('rint', 1)),
  bin: exactly('bin', 1),
  log1p: sparkOnly('log1p', exactly('log1p', 1)),
  expm1: sparkOnly('expm1', exactly('expm1', 1)),
  hypot: sparkOnly('hypot', exactly('hypot', 2)),
  bit_count: sparkOnly('bit_count', exactly('bit_count', 1)),
  getbit: sparkOnly('getbit', exactly('getbit', 2)),
  bit_get: sparkOnly('bit_get', exactly('getbit', 2)),
  shiftright: exactly('shiftright', 2),
  shiftleft: refusedLowering('shiftleft() (Spark wraps on overflow where DuckDB fails)', false),
  hash: refusedLowering("hash() (Spark's Murmur3 with its own seed: no engine computes the same values)"),
  xxhash64: refusedLowering("xxhash64() (Spark's seed 42: no engine computes the same values)"),
  ...Object.fromEntries(
    ['try_add', 'try_subtract', 'try_multiply', 'try_sum', 'try_avg'].map((name) => [name, refusedLowering(`${name}() (NULL on overflow, where DuckDB and Trino fail)`)]),
  ),
  histogram_numeric: refusedLowering("histogram_numeric() (Spark's own binning algorithm)"),
  nanvl: sparkOnly('nanvl', lowersTo(['isnan'], (args, site) => {
    const [a, b] = arity(args, 2, 2, site.name);
    return caseWhen(call('isnan', [a!], site), b!, a!);
  })),
  positive: expression(1, 1, ([x]) => x!),
  negative: expression(1, 1, ([x]) => ({ kind: 'unary', op: '-', arg: x! })),
  mod: expression(2, 2, ([a, b]) => bin('%', a!, b!)),
  try_mod: sparkOnly('try_mod', expression(2, 2, ([a, b]) => bin('%', a!, b!))),
  try_divide: sparkOnly('try_divide', expression(2, 2, ([a, b]) => ({ kind: 'divide', division: 'fdiv_null', left: a!, right: b! }))),
  zeroifnull: sparkOnly('zeroifnull', lowersTo(['coalesce'], (args, site) => call('coalesce', [...arity(args, 1, 1, site.name), int(0)], site))),
  nullifzero: sparkOnly('nullifzero', lowersTo(['nullif'], (args, site) => call('nullif', [...arity(args, 1, 1, site.name), int(0)], site))),
  // dates
  months_between: withDefaults('months_between', ([a, b, roundOff]) => {
    if (roundOff !== undefined && boolValue(roundOff) === undefined) throw untranslatable('months_between() with a roundOff that is not a literal');
    return [a!, b!, roundOff ?? bool(true)];
  }),
  next_day: lowersTo(['next_day'], (args, site) => {
    const [d, day] = arity(args, 2, 2, site.name);
    return call('next_day', [d!, int(isoDayOf(stringArg(day, 'next_day() day')))], site);
  }),
  make_date: sparkOnly('make_date', exactly('make_date', 3)),
  dayname: sparkOnly('dayname', lowersTo(['date_format'], (args, site) => call('date_format', [arity(args, 1, 1, site.name)[0]!, str('EEE')], site))),
  monthname: sparkOnly('monthname', lowersTo(['date_format'], (args, site) => call('date_format', [arity(args, 1, 1, site.name)[0]!, str('MMM')], site))),
  weekday: sparkOnly('weekday', lowersTo(['dayofweek'], (args, site) => bin('%', bin('+', call('dayofweek', arity(args, 1, 1, site.name), site), int(5)), int(7)))),
  unix_date: sparkOnly('unix_date', lowersTo(['datediff'], (args, site) => call('datediff', [arity(args, 1, 1, site.name)[0]!, EPOCH_DATE], site))),
  date_from_unix_date: sparkOnly('date_from_unix_date', lowersTo(['date_add'], (args, site) => call('date_add', [EPOCH_DATE, arity(args, 1, 1, site.name)[0]!], site))),
  timestamp_seconds: sparkOnly('timestamp_seconds', exactly('timestamp_from_epoch', 1)),
  timestamp_millis: sparkOnly('timestamp_millis', exactly('timestamp_millis', 1)),
  timestamp_micros: sparkOnly('timestamp_micros', exactly('timestamp_micros', 1)),
  unix_millis: sparkOnly('unix_millis', exactly('unix_millis', 1)),
  from_utc_timestamp: exactly('from_utc_timestamp', 2),
  to_utc_timestamp: exactly('to_utc_timestamp', 2),
  unix_micros: sparkOnly('unix_micros', exactly('unix_micros', 1)),
  unix_seconds: sparkOnly('unix_seconds', exactly('unix_timestamp', 1)),
  to_unix_timestamp: sparkOnly('to_unix_timestamp', lowersTo(['unix_timestamp'], (args, site) => call('unix_timestamp', arity(args, 1, 2, site.name), site))),
  to_timestamp: sparkOnly('to_timestamp', toTimestamp),
  to_timestamp_ntz: sparkOnly('to_timestamp_ntz', toTimestamp),
  to_timestamp_ltz: sparkOnly('to_timestamp_ltz', toTimestamp),
  try_to_timestamp: sparkOnly('try_to_timestamp', toTimestamp),
  try_to_date: sparkOnly('try_to_date', lowersTo(['parse_timestamp', 'to_date'], (args, site) => {
    const [s, fmt] = arity(args, 1, 2, site.name);
    return fmt ? call('to_date', [call('parse_timestamp', [s!, fmt], site)], site) : lenientCast(s!, { kind: 'date' });
  })),
  curdate: sparkOnly('curdate', exactly('current_date', 0)),
  localtimestamp: sparkOnly('localtimestamp', exactly('current_timestamp', 0)),
  dateadd: sparkOnly('dateadd', exactly('date_add', 2)),
  date_diff: sparkOnly('date_diff', exactly('datediff', 2)),
  date_part: sparkOnly('date_part', datePart),
  datepart: sparkOnly('datepart', datePart),
  extract: sparkOnly('extract', datePart),
  // conditionals
  nvl2: expression(3, 3, ([a, b, c]) => caseWhen(isNull(a!, true), b!, c!)),
  ifnull: sparkOnly('ifnull', exactly('coalesce', 2)),
  equal_null: sparkOnly('equal_null', expression(2, 2, ([a, b]) => nullSafeEquals(a!, b!))),
  decode: sparkOnly('decode', expression(3, 255, ([x, ...pairs], name) => {
    if (pairs.length < 2) throw untranslatable(`${name}(expr, charset): binary text`);
    const whens = [];
    for (let i = 0; i + 1 < pairs.length; i += 2) whens.push({ when: nullSafeEquals(x!, pairs[i]!, true), then: pairs[i + 1]! });
    return { kind: 'case', whens, ...(pairs.length % 2 === 1 ? { else: pairs[pairs.length - 1]! } : {}) };
  })),
  assert_true: refusedLowering('assert_true() (fails the query on purpose)'),
  raise_error: refusedLowering('raise_error() (fails the query on purpose)'),
  typeof: refusedLowering('typeof() (engine type names differ)'),
  // casts
  ...Object.fromEntries(Object.entries(CASTS).map(([name, to]) => [name, sparkOnly(name, lowersTo([], castTo(to)))])),
  // arrays
  array: same('array'),
  array_distinct: sparkOnly('array_distinct', exactly('array_distinct', 1)),
  array_max: sparkOnly('array_max', exactly('array_max', 1)),
  array_min: sparkOnly('array_min', exactly('array_min', 1)),
  array_position: sparkOnly('array_position', exactly('array_position', 2)),
  array_remove: sparkOnly('array_remove', exactly('array_remove', 2)),
  array_compact: sparkOnly('array_compact', exactly('array_compact', 1)),
  arrays_overlap: sparkOnly('arrays_overlap', exactly('arrays_overlap', 2)),
  array_join: sparkOnly('array_join', lowersTo(['array_join'], (args, site) => call('array_join', arity(args, 2, 3, site.name), site))),
  slice: sparkOnly('slice', exactly('slice', 3)),
  flatten: sparkOnly('flatten', exactly('flatten', 1)),
  sequence: sparkOnly('sequence', sequence),
  element_at: sparkOnly('element_at', exactly('element_at', 2)),
  array_size: sparkOnly('array_size', exactly('cardinality', 1)),
  array_append: sparkOnly('array_append', exactly('array_append', 2)),
  array_prepend: sparkOnly('array_prepend', exactly('array_prepend', 2)),
  array_repeat: sparkOnly('array_repeat', exactly('array_repeat', 2)),
  array_union: sparkOnly('array_union', exactly('array_union', 2)),
  width_bucket: sparkOnly('width_bucket', exactly('width_bucket', 4)),
  array_intersect: sparkOnly('array_intersect', exactly('array_intersect', 2)),
  array_except: sparkOnly('array_except', exactly('array_except', 2)),
  map_keys: sparkOnly('map_keys', exactly('map_keys', 1)),
  map_values: sparkOnly('map_values', exactly('map_values', 1)),
  map_entries: sparkOnly('map_entries', exactly('map_entries', 1)),
  map_from_arrays: sparkOnly('map_from_arrays', exactly('map_from_arrays', 2)),
  // Spark's own replacement: array_contains(map_keys(m), k).
  map_contains_key: sparkOnly(
    'map_contains_key',
    lowersTo(['array_contains', 'map_keys'], (args, site) => {
      const [m, k] = arity(args, 2, 2, site.name);
      return call('array_contains', [call('map_keys', [m!], site), k!], site);
    }),
  ),
  get: sparkOnly('get', expression(2, 2, ([a, i]) => ({ kind: 'index', base: a!, index: i! }))),
  try_element_at: sparkOnly('try_element_at', exactly('element_at', 2)),
  cardinality: sparkOnly('cardinality', exactly('size', 1)),
  array_sort: sparkOnly('array_sort', lowersTo(['sort_array'], (args, site) => call('sort_array', [arity(args, 1, 1, site.name)[0]!, str('ASC'), str('LAST')], site))),
  shuffle: refusedLowering('shuffle() (random)'),
  // JSON text
  get_json_object: lowersTo(['get_json_object'], (args, site) => {
    const [json, path] = arity(args, 2, 2, site.name);
    return call('get_json_object', [json!, canonicalJsonPath(path, site.name)], site);
  }),
  json_array_length: sparkOnly('json_array_length', exactly('json_array_length', 1)),
  json_object_keys: sparkOnly('json_object_keys', exactly('json_object_keys', 1)),
  json_tuple: refusedLowering('json_tuple() (a generator of columns; call get_json_object(json, \'$.key\') once per key instead)', true),
  // aggregates
  ...Object.fromEntries(
    ['corr', 'covar_pop', 'covar_samp', 'regr_slope', 'regr_intercept', 'regr_count', 'regr_r2', 'regr_avgx', 'regr_avgy', 'regr_sxx', 'regr_syy', 'regr_sxy'].map((fn) => [fn, aggregate(fn)]),
  ),
  ...Object.fromEntries(['skewness', 'kurtosis', 'count_if', 'bool_and', 'bool_or', 'max_by', 'min_by', 'bit_and', 'bit_or', 'bit_xor'].map((fn) => [fn, sparkOnly(fn, aggregate(fn))])),
  every: sparkOnly('every', aggregate('bool_and')),
  some: sparkOnly('some', aggregate('bool_or')),
  any: sparkOnly('any', aggregate('bool_or')),
  mean: sparkOnly('mean', aggregate('avg')),
  median: sparkOnly('median', lowersTo(['percentile'], (args, site) => agg('percentile', [...arity(args, 1, 1, site.name), { kind: 'literal', type: 'number', value: '0.5', numeric: 'decimal' }], site))),
  approx_count_distinct: sparkOnly('approx_count_distinct', lowersTo(['approx_count_distinct'], (args, site) => {
    const [x, rsd] = arity(args, 1, 2, site.name);
    if (rsd) site.ctx.warnings.add('approx_count_distinct: the relative error argument is not carried over');
    return agg('approx_count_distinct', [x!], site);
  })),
  array_agg: sparkOnly('array_agg', aggregate('collect_list')),
  first: nondeterministic('first'),
  last: nondeterministic('last'),
  any_value: nondeterministic('any_value'),
};
