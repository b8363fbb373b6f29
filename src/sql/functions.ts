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
 * Conditionals: coalesce(a, ...), nullif(a, b).
 * Arrays
 * - size(a): element count, -1 for NULL (Hive).  - cardinality(a): element count, NULL for NULL.
 * - sort_array(a, 'ASC'|'DESC', 'FIRST'|'LAST'): sorted with NULLs placed as given.
 * - array_contains(a, v).
 * Aggregates (agg nodes)
 * - count, sum, avg, min, max, stddev_pop, stddev_samp, var_pop, var_samp.
 * - collect_list / collect_set: non-NULL values (distinct for the set), [] when there are none.
 * - array_agg: all values including NULLs, NULL when there are no rows.
 * - percentile_approx(x, p): an approximate percentile (engines use different sketches).
 * - percentile(x, p): exact percentile with linear interpolation.
 * Window-only: row_number, rank, dense_rank, ntile, percent_rank, cume_dist, lag, lead, first_value,
 * last_value.
 */
export interface FunctionInfo {
  kind: 'scalar' | 'aggregate' | 'window';
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
const arrayOfFirst = (args: SqlType[]): SqlType => ({ kind: 'array', element: args[0] ?? UNKNOWN });

function scalar(minArgs: number, maxArgs: number, returns: FunctionInfo['returns']): FunctionInfo {
  return { kind: 'scalar', minArgs, maxArgs, returns };
}
function aggregate(minArgs: number, maxArgs: number, returns: FunctionInfo['returns']): FunctionInfo {
  return { kind: 'aggregate', minArgs, maxArgs, returns };
}
function windowFn(minArgs: number, maxArgs: number, returns: FunctionInfo['returns']): FunctionInfo {
  return { kind: 'window', minArgs, maxArgs, returns };
}

const VARIADIC = 255;

export const CANONICAL_FUNCTIONS: Readonly<Record<string, FunctionInfo>> = {
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
};

/** The window-only functions: every source dialect accepts them and every target spells them the same. */
export const WINDOW_FUNCTIONS: readonly string[] = Object.keys(CANONICAL_FUNCTIONS).filter((fn) => CANONICAL_FUNCTIONS[fn]!.kind === 'window');

export function functionInfo(fn: string): FunctionInfo | undefined {
  return Object.prototype.hasOwnProperty.call(CANONICAL_FUNCTIONS, fn) ? CANONICAL_FUNCTIONS[fn] : undefined;
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
