import type { SqlType } from './ir.js';

/**
 * Canonical functions of the IR. Each has exactly one meaning, given here; lowering maps a dialect's
 * function onto the canonical function with that meaning, and each target renders it faithfully or
 * refuses. Unless stated, a NULL argument gives NULL, and date/time arguments accept DATE, TIMESTAMP or
 * a 'yyyy-MM-dd[ HH:mm:ss]' string (unparseable strings give NULL). Time zone: the session is UTC.
 *
 * Date/time
 * - date_format(x, javaPattern): x as text in a java.time pattern (pattern is a string literal).
 * - to_date(x): the DATE of x.            - date_add(x, n) / date_sub(x, n): DATE plus/minus n days.
 * - datediff(a, b): days from b to a.       - last_day(x): last DATE of x's month.
 * - add_months(x, n): Hive: when x is the last day of its month, or the target month is shorter, the
 *   result is the target month's last day.  - add_months_clamp(x, n): day kept, clamped to month end.
 * - date_trunc(unit, x): x truncated to year|quarter|month|week|day|hour|minute|second; DATE for a DATE
 *   argument, TIMESTAMP otherwise.
 * - year|quarter|month|day|hour|minute|second|dayofyear(x); dayofweek(x): 1 = Sunday .. 7 = Saturday;
 *   weekofyear(x): ISO-8601 week.
 * - unix_timestamp(): now in epoch seconds; unix_timestamp(x): epoch seconds of x (UTC);
 *   unix_timestamp(s, javaPattern): s parsed with the pattern, NULL if it does not parse.
 * - from_unixtime(n[, javaPattern]): epoch seconds n as text (default 'yyyy-MM-dd HH:mm:ss').
 * - timestamp_from_epoch(n): TIMESTAMP of epoch seconds n.
 * - parse_timestamp(s, javaPattern): TIMESTAMP parsed from s, NULL if it does not parse.
 * - current_date(), current_timestamp().
 * - assert_date(x): x itself, which must be a DATE (checked when rendering, once types are known).
 * Numbers
 * - abs, floor, ceil, round(x[, d]) (half away from zero), power(a, b), sqrt(x).
 * - pmod(a, b): ((a % b) + b) % b.
 * - greatest_strict / least_strict: NULL when any argument is NULL (Hive, Trino, Impala).
 * - greatest_skip / least_skip: NULL arguments are ignored (Spark, DuckDB).
 * Strings
 * - concat(a, ...): NULL when any argument is NULL; non-string arguments are converted to text.
 * - concat_ws(sep, a, ...): NULL arguments skipped; an argument may be an array of strings.
 * - substr(s, pos[, len]): Hive: 1-based, pos 0 acts as 1, negative pos counts from the end, '' when
 *   |pos| > length(s) or len < 1.  - substr_spark: as substr, but a negative pos beyond the start
 *   is clamped to the first character (Spark).
 * - lpad / rpad(s, n, pad): padded or truncated to n characters.
 * - regexp_extract(s, re, group): the group of the first match, '' when there is no match.
 * - regexp_like(s, re): re matches a part of s.  - regexp_replace(s, re, rep): every match replaced,
 *   rep uses $1 for groups.  - split(s, re): array of the parts between matches of re, empties kept.
 * - instr(s, sub): 1-based position of sub, 0 when absent.  - length, upper, lower, trim, ltrim,
 *   rtrim, reverse, replace(s, from, to), repeat(s, n).
 * - ascii(s): code point of the first character, 0 for ''.  - chr(n): '' for n < 0, else the
 *   character with code point n % 256.  - base64(s): Base64 of the UTF-8 bytes of s, no line breaks.
 * - initcap(s): lower-cased, then the first character after each space (and at the start) upper-cased.
 * - left(s, n) / right(s, n): the first / last n characters, '' for n <= 0.
 * - substring_index(s, delim, count): the text before the count-th delim (count > 0), after the
 *   |count|-th delim from the end (count < 0); '' for count 0.
 * - translate(s, from, to): each character of from replaced by the one at its position in to, or
 *   removed when to is shorter.  - levenshtein(a, b): edit distance in characters.
 * - octet_length(s): bytes of the UTF-8 text.  - trim_chars(s, chars): characters of chars removed
 *   from both ends.  - contains / startswith / endswith(s, t): booleans ('' is contained in anything).
 * - find_in_set(s, list): 1-based position of s in the comma-separated list, 0 when absent or when s
 *   has a comma.  - split_part(s, delim, n): the n-th (n >= 1) part, '' past the last part.
 * - regexp_extract_all(s, re, group): every match's group.  - regexp_count(s, re): number of matches.
 * - regexp_substr(s, re): the first match, NULL when there is none.
 * - hex(x): upper-case hex of a BIGINT (two's complement) or of the UTF-8 bytes of text.
 * - md5 / sha1 / sha2(s, 256): lower-case hex digests of the UTF-8 bytes.  - crc32(s): BIGINT.
 * Numbers (more)
 * - ln, log10, log2(x), log(base, x): NULL when x <= 0 (or base <= 0).  - exp, cbrt, degrees, radians,
 *   sin, cos, tan, cot, sec, csc, asin, acos (NaN outside [-1, 1]), atan, atan2(y, x), sinh, cosh, tanh.
 * - sign(x): -1.0, 0.0 or 1.0 as DOUBLE.  - pi(), e().  - bround(x, d): half-to-even rounding.
 * - factorial(n): BIGINT, NULL outside 0..20.  - isnan(x).  - acosh, asinh, atanh (NaN outside their domain).
 * - rint(x): nearest integer as DOUBLE, ties to even.  - bin(n): binary digits of a BIGINT (two's complement).
 * - log1p, expm1, hypot: as java.lang.Math.  - bit_count(n): set bits of n widened to 64 bits.
 * - getbit(n, pos): bit pos (0 = lowest) as TINYINT.  - shiftright(n, k): arithmetic shift by 0 <= k < bits.
 * Dates (more)
 * - months_between(a, b, roundOff): Hive/Spark: whole months when the days of month are equal or both
 *   are month ends, else months + (day and time difference) / 31 days; rounded to 8 digits when roundOff.
 * - next_day(d, isoDow): the first DATE after d falling on that ISO day of week (1 = Monday).
 * - make_date(y, m, d): the DATE, NULL when it does not exist.
 * - unix_millis / unix_micros(ts): epoch milli/microseconds (floor).  - timestamp_millis / timestamp_micros(n).
 * - from_utc_timestamp(ts, zone) / to_utc_timestamp(ts, zone): the wall-clock time in zone of the UTC
 *   time ts / the UTC time of the wall-clock time ts in zone; zone a literal region name ('Asia/Seoul') or 'UTC'.
 * JSON text (Spark's meaning; text that is not JSON gives NULL)
 * - get_json_object(json, path): the value at path (a literal: `$` then `.key` and `[index]` steps) as
 *   text: a string unquoted, a number, boolean, object or array as compact JSON text (numbers as Jackson
 *   writes doubles: 1.50 is '1.5', 1e2 is '100.0', 1e7 is '1.0E7'); NULL when absent; JSON null is NULL
 *   after a `.key` step and the text 'null' at the root or after an index step.
 * - json_array_length(json): elements of the outermost array, NULL when it is not an array.
 * - json_object_keys(json): the outermost object's keys in document order, NULL when it is not an object.
 * Conditionals: coalesce(a, ...), nullif(a, b).
 * Arrays
 * - size(a): element count, -1 for NULL (Hive).  - cardinality(a): element count, NULL for NULL.
 * - sort_array(a, 'ASC'|'DESC', 'FIRST'|'LAST'): sorted with NULLs placed as given.
 * - array_contains(a, v).  - array(v, ...): an array of the values.
 * - array_distinct(a): first occurrences, in order (one NULL kept).  - array_max / array_min(a):
 *   NULLs ignored, NULL when empty.  - array_position(a, v): 1-based, 0 when absent.
 * - array_remove(a, v): elements equal to v removed (NULL elements kept).  - array_compact(a): NULLs removed.
 * - arrays_overlap(a, b): true when they share a non-NULL element; else NULL when both are non-empty and
 *   one has a NULL; else false.  - array_join(a, delim[, nullText]): elements as text, NULLs skipped
 *   (or replaced).  - slice(a, start, n): n elements from 1-based start >= 1.
 * - flatten(a): the concatenation of the inner arrays, NULL when one is NULL.
 * - sequence(start, stop, step): integers from start to stop inclusive.
 * - element_at(a, i): 1-based, negative i from the end, NULL out of range.
 * - array_append(a, v) / array_prepend(a, v): v added at the end / start (NULL for a NULL array).
 * - array_repeat(v, n): n copies ([] for n <= 0).  - array_union(a, b): distinct elements of a then b, in order.
 * - array_intersect(a, b) / array_except(a, b): distinct elements of a that are / are not in b, in a's order
 *   (NULL counts as an element); NULL when either is NULL.
 * - width_bucket(v, min, max, n): Spark's bucket number of v among n equal buckets from min to max (either
 *   order): 0 before, n + 1 after; NULL when n <= 0, min = max, or v, min or max is NaN or a bound infinite.
 * Maps
 * - map_keys(m) / map_values(m): the keys / values as an array, in the map's order.
 * - map_entries(m): the entries as an array of STRUCT<key, value>, in the map's order.
 * - map_from_arrays(keys, values): the map pairing them (NULL when either is NULL; a NULL or duplicate
 *   key, or arrays of different lengths, fail the query).
 * Aggregates (agg nodes)
 * - count, sum, avg, min, max, stddev_pop, stddev_samp, var_pop, var_samp.
 * - collect_list / collect_set: non-NULL values (distinct for the set), [] when there are none.
 * - array_agg: all values including NULLs, NULL when there are no rows.
 * - percentile_approx(x, p): an approximate percentile (engines use different sketches).
 * - percentile(x, p): exact percentile with linear interpolation.
 * - corr, covar_pop, covar_samp(y, x); regr_slope, regr_intercept, regr_count, regr_r2, regr_avgx,
 *   regr_avgy, regr_sxx, regr_syy, regr_sxy(y, x): over pairs where neither is NULL.
 * - skewness(x) / kurtosis(x): population skewness and excess kurtosis (Spark).
 * - count_if(c), bool_and(c), bool_or(c).  - max_by / min_by(x, ord): x of the row with the largest /
 *   smallest ord (NULL x kept).  - approx_count_distinct(x).  - bit_and / bit_or / bit_xor(x).
 * Window-only: row_number, rank, dense_rank, ntile, percent_rank, cume_dist, lag, lead, first_value,
 * last_value.
 */
export type FunctionKind = 'scalar' | 'aggregate' | 'window';

export interface FunctionInfo<K extends FunctionKind = FunctionKind> {
  kind: K;
  minArgs: number;
  maxArgs: number;
  returns: (args: SqlType[]) => SqlType;
}

const INT: SqlType = { kind: 'int', bits: 32 };
const BIGINT: SqlType = { kind: 'int', bits: 64 };
const DOUBLE: SqlType = { kind: 'double' };
const STRING: SqlType = { kind: 'string' };
const BOOLEAN: SqlType = { kind: 'boolean' };
const DATE: SqlType = { kind: 'date' };
const TIMESTAMP: SqlType = { kind: 'timestamp' };
const UNKNOWN: SqlType = { kind: 'unknown' };

const fixed = (t: SqlType) => (): SqlType => t;
const first = (args: SqlType[]): SqlType => args[0] ?? UNKNOWN;
const common = (args: SqlType[]): SqlType => commonType(args);
const mapPart =
  (part: 'key' | 'value') =>
  (args: SqlType[]): SqlType => {
    const m = args[0];
    return { kind: 'array', element: m?.kind === 'map' ? m[part] : UNKNOWN };
  };
const mapOf = (args: SqlType[]): SqlType => {
  const [k, v] = args;
  return { kind: 'map', key: k?.kind === 'array' ? k.element : UNKNOWN, value: v?.kind === 'array' ? v.element : UNKNOWN };
};
const entriesOf = (args: SqlType[]): SqlType => {
  const m = args[0];
  const [key, value] = m?.kind === 'map' ? [m.key, m.value] : [UNKNOWN, UNKNOWN];
  return { kind: 'array', element: { kind: 'struct', fields: [{ name: 'key', type: key }, { name: 'value', type: value }] } };
};
const elementOfFirst = (args: SqlType[]): SqlType => {
  const a = args[0];
  return a?.kind === 'array' ? a.element : UNKNOWN;
};
const arrayOfFirst = (args: SqlType[]): SqlType => ({ kind: 'array', element: args[0] ?? UNKNOWN });

function scalar(minArgs: number, maxArgs: number, returns: FunctionInfo['returns']): FunctionInfo<'scalar'> {
  return { kind: 'scalar', minArgs, maxArgs, returns };
}
function aggregate(minArgs: number, maxArgs: number, returns: FunctionInfo['returns']): FunctionInfo<'aggregate'> {
  return { kind: 'aggregate', minArgs, maxArgs, returns };
}
function windowFn(minArgs: number, maxArgs: number, returns: FunctionInfo['returns']): FunctionInfo<'window'> {
  return { kind: 'window', minArgs, maxArgs, returns };
}

const VARIADIC = 255;

export const CANONICAL_FUNCTIONS = {
  date_format: scalar(2, 2, fixed(STRING)),
  to_date: scalar(1, 1, fixed(DATE)),
  date_add: scalar(2, 2, fixed(DATE)),
  date_sub: scalar(2, 2, fixed(DATE)),
  datediff: scalar(2, 2, fixed(INT)),
  add_months: scalar(2, 2, fixed(DATE)),
  add_months_clamp: scalar(2, 2, fixed(DATE)),
  last_day: scalar(1, 1, fixed(DATE)),
  date_trunc: scalar(2, 2, (args) => (args[1]?.kind === 'date' ? DATE : TIMESTAMP)),
  year: scalar(1, 1, fixed(INT)),
  quarter: scalar(1, 1, fixed(INT)),
  month: scalar(1, 1, fixed(INT)),
  day: scalar(1, 1, fixed(INT)),
  hour: scalar(1, 1, fixed(INT)),
  minute: scalar(1, 1, fixed(INT)),
  second: scalar(1, 1, fixed(INT)),
  dayofyear: scalar(1, 1, fixed(INT)),
  dayofweek: scalar(1, 1, fixed(INT)),
  weekofyear: scalar(1, 1, fixed(INT)),
  unix_timestamp: scalar(0, 2, fixed(BIGINT)),
  from_unixtime: scalar(1, 2, fixed(STRING)),
  timestamp_from_epoch: scalar(1, 1, fixed(TIMESTAMP)),
  parse_timestamp: scalar(2, 2, fixed(TIMESTAMP)),
  assert_date: scalar(1, 1, fixed(DATE)),
  current_date: scalar(0, 0, fixed(DATE)),
  current_timestamp: scalar(0, 0, fixed(TIMESTAMP)),
  abs: scalar(1, 1, first),
  floor: scalar(1, 1, fixed(BIGINT)),
  ceil: scalar(1, 1, fixed(BIGINT)),
  round: scalar(1, 2, first),
  power: scalar(2, 2, fixed(DOUBLE)),
  sqrt: scalar(1, 1, fixed(DOUBLE)),
  pmod: scalar(2, 2, common),
  greatest_strict: scalar(2, VARIADIC, common),
  greatest_skip: scalar(2, VARIADIC, common),
  least_strict: scalar(2, VARIADIC, common),
  least_skip: scalar(2, VARIADIC, common),
  concat: scalar(1, VARIADIC, fixed(STRING)),
  concat_ws: scalar(2, VARIADIC, fixed(STRING)),
  substr: scalar(2, 3, fixed(STRING)),
  substr_spark: scalar(2, 3, fixed(STRING)),
  lpad: scalar(3, 3, fixed(STRING)),
  rpad: scalar(3, 3, fixed(STRING)),
  regexp_extract: scalar(3, 3, fixed(STRING)),
  regexp_like: scalar(2, 2, fixed(BOOLEAN)),
  regexp_replace: scalar(3, 3, fixed(STRING)),
  split: scalar(2, 2, fixed({ kind: 'array', element: STRING })),
  instr: scalar(2, 2, fixed(INT)),
  length: scalar(1, 1, fixed(INT)),
  upper: scalar(1, 1, fixed(STRING)),
  lower: scalar(1, 1, fixed(STRING)),
  trim: scalar(1, 1, fixed(STRING)),
  ltrim: scalar(1, 1, fixed(STRING)),
  rtrim: scalar(1, 1, fixed(STRING)),
  reverse: scalar(1, 1, fixed(STRING)),
  replace: scalar(3, 3, fixed(STRING)),
  repeat: scalar(2, 2, fixed(STRING)),
  coalesce: scalar(1, VARIADIC, common),
  nullif: scalar(2, 2, first),
  size: scalar(1, 1, fixed(INT)),
  cardinality: scalar(1, 1, fixed(BIGINT)),
  sort_array: scalar(3, 3, first),
  array_contains: scalar(2, 2, fixed(BOOLEAN)),
  ascii: scalar(1, 1, fixed(INT)),
  chr: scalar(1, 1, fixed(STRING)),
  base64: scalar(1, 1, fixed(STRING)),
  initcap: scalar(1, 1, fixed(STRING)),
  left: scalar(2, 2, fixed(STRING)),
  right: scalar(2, 2, fixed(STRING)),
  substring_index: scalar(3, 3, fixed(STRING)),
  translate: scalar(3, 3, fixed(STRING)),
  levenshtein: scalar(2, 2, fixed(INT)),
  octet_length: scalar(1, 1, fixed(INT)),
  trim_chars: scalar(2, 2, fixed(STRING)),
  contains: scalar(2, 2, fixed(BOOLEAN)),
  startswith: scalar(2, 2, fixed(BOOLEAN)),
  endswith: scalar(2, 2, fixed(BOOLEAN)),
  find_in_set: scalar(2, 2, fixed(INT)),
  split_part: scalar(3, 3, fixed(STRING)),
  regexp_extract_all: scalar(3, 3, fixed({ kind: 'array', element: STRING })),
  regexp_count: scalar(2, 2, fixed(INT)),
  regexp_substr: scalar(2, 2, fixed(STRING)),
  hex: scalar(1, 1, fixed(STRING)),
  md5: scalar(1, 1, fixed(STRING)),
  sha1: scalar(1, 1, fixed(STRING)),
  sha2: scalar(2, 2, fixed(STRING)),
  crc32: scalar(1, 1, fixed(BIGINT)),
  get_json_object: scalar(2, 2, fixed(STRING)),
  json_array_length: scalar(1, 1, fixed(INT)),
  json_object_keys: scalar(1, 1, fixed({ kind: 'array', element: STRING })),
  ln: scalar(1, 1, fixed(DOUBLE)),
  log10: scalar(1, 1, fixed(DOUBLE)),
  log2: scalar(1, 1, fixed(DOUBLE)),
  log: scalar(2, 2, fixed(DOUBLE)),
  exp: scalar(1, 1, fixed(DOUBLE)),
  cbrt: scalar(1, 1, fixed(DOUBLE)),
  degrees: scalar(1, 1, fixed(DOUBLE)),
  radians: scalar(1, 1, fixed(DOUBLE)),
  sin: scalar(1, 1, fixed(DOUBLE)),
  cos: scalar(1, 1, fixed(DOUBLE)),
  tan: scalar(1, 1, fixed(DOUBLE)),
  cot: scalar(1, 1, fixed(DOUBLE)),
  sec: scalar(1, 1, fixed(DOUBLE)),
  csc: scalar(1, 1, fixed(DOUBLE)),
  asin: scalar(1, 1, fixed(DOUBLE)),
  acos: scalar(1, 1, fixed(DOUBLE)),
  atan: scalar(1, 1, fixed(DOUBLE)),
  atan2: scalar(2, 2, fixed(DOUBLE)),
  sinh: scalar(1, 1, fixed(DOUBLE)),
  cosh: scalar(1, 1, fixed(DOUBLE)),
  tanh: scalar(1, 1, fixed(DOUBLE)),
  sign: scalar(1, 1, fixed(DOUBLE)),
  pi: scalar(0, 0, fixed(DOUBLE)),
  e: scalar(0, 0, fixed(DOUBLE)),
  bround: scalar(2, 2, first),
  factorial: scalar(1, 1, fixed(BIGINT)),
  isnan: scalar(1, 1, fixed(BOOLEAN)),
  acosh: scalar(1, 1, fixed(DOUBLE)),
  asinh: scalar(1, 1, fixed(DOUBLE)),
  atanh: scalar(1, 1, fixed(DOUBLE)),
  rint: scalar(1, 1, fixed(DOUBLE)),
  log1p: scalar(1, 1, fixed(DOUBLE)),
  expm1: scalar(1, 1, fixed(DOUBLE)),
  hypot: scalar(2, 2, fixed(DOUBLE)),
  bit_count: scalar(1, 1, fixed(INT)),
  getbit: scalar(2, 2, fixed({ kind: 'int', bits: 8 })),
  shiftright: scalar(2, 2, first),
  bin: scalar(1, 1, fixed(STRING)),
  unix_millis: scalar(1, 1, fixed(BIGINT)),
  unix_micros: scalar(1, 1, fixed(BIGINT)),
  timestamp_millis: scalar(1, 1, fixed(TIMESTAMP)),
  timestamp_micros: scalar(1, 1, fixed(TIMESTAMP)),
  from_utc_timestamp: scalar(2, 2, fixed(TIMESTAMP)),
  to_utc_timestamp: scalar(2, 2, fixed(TIMESTAMP)),
  months_between: scalar(3, 3, fixed(DOUBLE)),
  next_day: scalar(2, 2, fixed(DATE)),
  make_date: scalar(3, 3, fixed(DATE)),
  array: scalar(1, VARIADIC, (args) => ({ kind: 'array', element: commonType(args) })),
  array_distinct: scalar(1, 1, first),
  array_max: scalar(1, 1, elementOfFirst),
  array_min: scalar(1, 1, elementOfFirst),
  array_position: scalar(2, 2, fixed(BIGINT)),
  array_remove: scalar(2, 2, first),
  array_compact: scalar(1, 1, first),
  arrays_overlap: scalar(2, 2, fixed(BOOLEAN)),
  array_join: scalar(2, 3, fixed(STRING)),
  slice: scalar(3, 3, first),
  flatten: scalar(1, 1, elementOfFirst),
  sequence: scalar(3, 3, (args) => ({ kind: 'array', element: commonType(args) })),
  element_at: scalar(2, 2, elementOfFirst),
  array_append: scalar(2, 2, first),
  array_prepend: scalar(2, 2, first),
  array_repeat: scalar(2, 2, (args) => ({ kind: 'array', element: args[0] ?? UNKNOWN })),
  array_union: scalar(2, 2, first),
  width_bucket: scalar(4, 4, fixed(BIGINT)),
  array_intersect: scalar(2, 2, first),
  array_except: scalar(2, 2, first),
  map_keys: scalar(1, 1, mapPart('key')),
  map_values: scalar(1, 1, mapPart('value')),
  map_from_arrays: scalar(2, 2, mapOf),
  map_entries: scalar(1, 1, entriesOf),
  count: aggregate(0, 1, fixed(BIGINT)),
  sum: aggregate(1, 1, (args) => sumType(args[0] ?? UNKNOWN)),
  avg: aggregate(1, 1, (args) => (args[0]?.kind === 'decimal' ? args[0] : DOUBLE)),
  min: aggregate(1, 1, first),
  max: aggregate(1, 1, first),
  stddev_pop: aggregate(1, 1, fixed(DOUBLE)),
  stddev_samp: aggregate(1, 1, fixed(DOUBLE)),
  var_pop: aggregate(1, 1, fixed(DOUBLE)),
  var_samp: aggregate(1, 1, fixed(DOUBLE)),
  collect_list: aggregate(1, 1, arrayOfFirst),
  collect_set: aggregate(1, 1, arrayOfFirst),
  array_agg: aggregate(1, 1, arrayOfFirst),
  percentile_approx: aggregate(2, 2, fixed(DOUBLE)),
  percentile: aggregate(2, 2, fixed(DOUBLE)),
  corr: aggregate(2, 2, fixed(DOUBLE)),
  covar_pop: aggregate(2, 2, fixed(DOUBLE)),
  covar_samp: aggregate(2, 2, fixed(DOUBLE)),
  regr_slope: aggregate(2, 2, fixed(DOUBLE)),
  regr_intercept: aggregate(2, 2, fixed(DOUBLE)),
  regr_count: aggregate(2, 2, fixed(BIGINT)),
  regr_r2: aggregate(2, 2, fixed(DOUBLE)),
  regr_avgx: aggregate(2, 2, fixed(DOUBLE)),
  regr_avgy: aggregate(2, 2, fixed(DOUBLE)),
  regr_sxx: aggregate(2, 2, fixed(DOUBLE)),
  regr_syy: aggregate(2, 2, fixed(DOUBLE)),
  regr_sxy: aggregate(2, 2, fixed(DOUBLE)),
  skewness: aggregate(1, 1, fixed(DOUBLE)),
  kurtosis: aggregate(1, 1, fixed(DOUBLE)),
  count_if: aggregate(1, 1, fixed(BIGINT)),
  bool_and: aggregate(1, 1, fixed(BOOLEAN)),
  bool_or: aggregate(1, 1, fixed(BOOLEAN)),
  max_by: aggregate(2, 2, first),
  min_by: aggregate(2, 2, first),
  approx_count_distinct: aggregate(1, 1, fixed(BIGINT)),
  bit_and: aggregate(1, 1, first),
  bit_or: aggregate(1, 1, first),
  bit_xor: aggregate(1, 1, first),
  row_number: windowFn(0, 0, fixed(BIGINT)),
  rank: windowFn(0, 0, fixed(BIGINT)),
  dense_rank: windowFn(0, 0, fixed(BIGINT)),
  ntile: windowFn(1, 1, fixed(BIGINT)),
  percent_rank: windowFn(0, 0, fixed(DOUBLE)),
  cume_dist: windowFn(0, 0, fixed(DOUBLE)),
  lag: windowFn(1, 3, first),
  lead: windowFn(1, 3, first),
  first_value: windowFn(1, 1, first),
  last_value: windowFn(1, 1, first),
  nth_value: windowFn(2, 2, first),
} as const satisfies Readonly<Record<string, FunctionInfo>>;

/** The name of a canonical function: a dialect's function table must say something about each one. */
export type CanonicalFunction = keyof typeof CANONICAL_FUNCTIONS;
type KindOf<F extends CanonicalFunction> = (typeof CANONICAL_FUNCTIONS)[F]['kind'];
export type AggregateFunction = { [F in CanonicalFunction]: KindOf<F> extends 'aggregate' ? F : never }[CanonicalFunction];
export type WindowFunction = { [F in CanonicalFunction]: KindOf<F> extends 'window' ? F : never }[CanonicalFunction];

export const CANONICAL_NAMES = Object.keys(CANONICAL_FUNCTIONS) as CanonicalFunction[];

export function isCanonical(fn: string): fn is CanonicalFunction {
  return Object.prototype.hasOwnProperty.call(CANONICAL_FUNCTIONS, fn);
}

/** The window-only functions: every source dialect accepts them and every target spells them the same. */
export const WINDOW_FUNCTIONS = CANONICAL_NAMES.filter((fn): fn is WindowFunction => CANONICAL_FUNCTIONS[fn].kind === 'window');

export function functionInfo(fn: string): FunctionInfo | undefined {
  return isCanonical(fn) ? CANONICAL_FUNCTIONS[fn] : undefined;
}

function sumType(t: SqlType): SqlType {
  if (t.kind === 'int') return BIGINT;
  if (t.kind === 'decimal') return { kind: 'decimal' };
  if (t.kind === 'unknown') return UNKNOWN;
  return DOUBLE;
}

const NUMERIC_RANK: Partial<Record<SqlType['kind'], number>> = { int: 1, decimal: 2, float: 3, double: 4 };

/** The type several values share (CASE branches, COALESCE): numeric widening, else the first known type. */
export function commonType(types: SqlType[]): SqlType {
  const known = types.filter((t) => t.kind !== 'null' && t.kind !== 'unknown');
  if (known.length === 0) return types.some((t) => t.kind === 'unknown') ? UNKNOWN : { kind: 'null' };
  if (known.length < types.filter((t) => t.kind !== 'null').length) return UNKNOWN;
  if (known.every((t) => NUMERIC_RANK[t.kind] !== undefined)) {
    return known.reduce((a, b) => {
      const ra = NUMERIC_RANK[a.kind] ?? 0;
      const rb = NUMERIC_RANK[b.kind] ?? 0;
      if (a.kind === 'int' && b.kind === 'int') return a.bits >= b.bits ? a : b;
      return rb > ra ? b : a;
    });
  }
  const [head] = known;
  return head && known.every((t) => t.kind === head.kind) ? head : UNKNOWN;
}
