import { fromMysqlPattern, fromStrftimePattern } from '../patterns.js';
import type { Expr } from '../ir.js';
import { untranslatable } from './context.js';
import { caseWhen, int, intValue, str, stringArg } from './ir-build.js';
import { agg, aggregate, call, same, type CallSite, type FunctionLowering } from './lower-functions.js';
import { WINDOW_FUNCTIONS } from '../functions.js';

const bin = (op: '+' | '%', left: Expr, right: Expr): Expr => ({ kind: 'binary', op, left, right });

/** ISO day of week (Monday 1 .. Sunday 7) from the canonical Sunday-first one. */
const isoDayOfWeek: FunctionLowering = (args, site) =>
  bin('+', bin('%', bin('+', call('dayofweek', args, site), int(5)), int(7)), int(1));

/** DuckDB dayofweek: Sunday 0 .. Saturday 6. */
const duckDayOfWeek: FunctionLowering = (args, site) => ({
  kind: 'binary',
  op: '-',
  left: call('dayofweek', args, site),
  right: int(1),
});

/**
 * substr/substring with a literal start >= 1 (and a literal length >= 0): the only case where Trino,
 * DuckDB and the canonical (Hive) meaning agree; starts at 0 or below and negative lengths differ.
 */
const substr: FunctionLowering = (args, site) => {
  const pos = intValue(args[1]);
  const len = args[2] === undefined ? 0 : intValue(args[2]);
  if (pos === undefined || pos < 1 || len === undefined || len < 0) {
    throw untranslatable(`${site.name}() with a start that is not a literal >= 1 or a length that is not a literal >= 0`);
  }
  return call('substr', args, site);
};

const datePattern =
  (convert: (p: string) => string): FunctionLowering =>
  ([x, fmt, ...rest], site) => {
    if (!x || rest.length > 0) throw untranslatable(`${site.name}() with these arguments`);
    return call('date_format', [x, str(convert(stringArg(fmt, `${site.name} pattern`)))], site);
  };

const parsePattern =
  (convert: (p: string) => string): FunctionLowering =>
  ([s, fmt, ...rest], site) => {
    if (!s || rest.length > 0) throw untranslatable(`${site.name}() with these arguments`);
    return call('parse_timestamp', [s, str(convert(stringArg(fmt, `${site.name} pattern`)))], site);
  };

/** Trino regexp_extract: group 0 by default, NULL when nothing matches. */
const trinoRegexpExtract: FunctionLowering = ([s, re, group, ...rest], site) => {
  if (!s || !re || rest.length > 0) throw untranslatable('regexp_extract() with these arguments');
  return caseWhen(call('regexp_like', [s, re], site), call('regexp_extract', [s, re, group ?? int(0)], site));
};

/** DuckDB regexp_extract: group 0 by default, '' when nothing matches. */
const duckRegexpExtract: FunctionLowering = ([s, re, group, ...rest], site) => {
  if (!s || !re || rest.length > 0) throw untranslatable('regexp_extract() with these arguments');
  return call('regexp_extract', [s, re, group ?? int(0)], site);
};

/** DuckDB regexp_replace replaces the first match unless the 'g' option is given; groups are \1. */
const duckRegexpReplace: FunctionLowering = ([s, re, rep, options, ...rest], site) => {
  if (!s || !re || !rep || rest.length > 0) throw untranslatable('regexp_replace() with these arguments');
  if (options === undefined || stringArg(options, 'regexp_replace options') !== 'g') {
    throw untranslatable("regexp_replace() without the 'g' option (first match only)");
  }
  const replacement = stringArg(rep, 'regexp_replace replacement')
    .replace(/\$/g, '\\$')
    .replace(/\\(\d)/g, '$$$1');
  return call('regexp_replace', [s, re, str(replacement)], site);
};

const regexQuote = (text: string): string => text.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');

/** Trino split and DuckDB string_split take a literal delimiter; the canonical split takes a regex. */
const literalSplit: FunctionLowering = ([s, delim, ...rest], site) => {
  if (!s || rest.length > 0) throw untranslatable(`${site.name}() with a limit`);
  return call('split', [s, str(regexQuote(stringArg(delim, `${site.name} delimiter`)))], site);
};

const ifFn: FunctionLowering = ([c, a, b, ...rest]) => {
  if (!c || !a || rest.length > 0) throw untranslatable('if() with these arguments');
  return caseWhen(c, a, b);
};

/**
 * Trino's date_add and date_diff keep the time of day on TIMESTAMP values; they mean the canonical
 * (DATE) functions only for DATE values, which the renderer checks once types are known.
 */
const asDate = (x: Expr, site: CallSite): Expr => call('assert_date', [x], site);

/** date_diff('day', a, b); `dateOnly`: the engine keeps the time of day, so both must be DATE values. */
const dateDiff =
  (dateOnly: boolean): FunctionLowering =>
  ([unit, a, b, ...rest], site) => {
    if (!a || !b || rest.length > 0 || stringArg(unit, 'date_diff unit').toLowerCase() !== 'day') {
      throw untranslatable(`${site.name}() with a unit other than 'day'`);
    }
    return dateOnly ? call('datediff', [asDate(b, site), asDate(a, site)], site) : call('datediff', [b, a], site);
  };

const trinoDateAdd: FunctionLowering = ([unit, n, x, ...rest], site) => {
  const u = stringArg(unit, 'date_add unit').toLowerCase();
  if (!n || !x || rest.length > 0 || (u !== 'day' && u !== 'month')) throw untranslatable("date_add() with a unit other than 'day' or 'month'");
  return call(u === 'day' ? 'date_add' : 'add_months_clamp', [asDate(x, site), n], site);
};

/**
 * date_trunc(unit, x). Trino keeps DATE for DATE input (the canonical meaning); DuckDB always returns a
 * TIMESTAMP (`alwaysTimestamp`).
 */
const dateTrunc =
  (alwaysTimestamp: boolean): FunctionLowering =>
  ([unit, x, ...rest], site) => {
    const u = stringArg(unit, 'date_trunc unit').toLowerCase();
    if (!x || rest.length > 0 || !['year', 'quarter', 'month', 'week', 'day', 'hour', 'minute', 'second'].includes(u)) {
      throw untranslatable(`date_trunc('${u}', ...)`);
    }
    const truncated = call('date_trunc', [str(u), x], site);
    return alwaysTimestamp ? { kind: 'cast', arg: truncated, to: { kind: 'timestamp' }, lenient: false } : truncated;
  };

const arraySort: FunctionLowering = ([a, ...rest], site) => {
  if (!a || rest.length > 0) throw untranslatable(`${site.name}() with a comparator or options`);
  return call('sort_array', [a, str('ASC'), str('LAST')], site);
};

/** Functions Trino/Athena and DuckDB spell alike and mean alike, with their canonical meaning. */
const ANSI_COMMON: Readonly<Record<string, FunctionLowering>> = {
  date_diff: dateDiff(true),
  year: same('year'),
  quarter: same('quarter'),
  month: same('month'),
  day: same('day'),
  hour: same('hour'),
  minute: same('minute'),
  second: same('second'),
  week: same('weekofyear'),
  doy: same('dayofyear'),
  current_date: same('current_date'),
  current_timestamp: same('current_timestamp'),
  abs: same('abs'),
  floor: same('floor'),
  ceil: same('ceil'),
  ceiling: same('ceil'),
  round: same('round'),
  pow: same('power'),
  power: same('power'),
  sqrt: same('sqrt'),
  concat_ws: same('concat_ws'),
  substr,
  substring: substr,
  lpad: same('lpad'),
  rpad: same('rpad'),
  strpos: same('instr'),
  length: same('length'),
  upper: same('upper'),
  lower: same('lower'),
  trim: same('trim'),
  ltrim: same('ltrim'),
  rtrim: same('rtrim'),
  reverse: same('reverse'),
  replace: same('replace'),
  repeat: same('repeat'),
  if: ifFn,
  coalesce: same('coalesce'),
  nullif: same('nullif'),
  array_sort: arraySort,
  count: aggregate('count'),
  sum: aggregate('sum'),
  avg: aggregate('avg'),
  min: aggregate('min'),
  max: aggregate('max'),
  stddev: aggregate('stddev_samp'),
  stddev_samp: aggregate('stddev_samp'),
  stddev_pop: aggregate('stddev_pop'),
  variance: aggregate('var_samp'),
  var_samp: aggregate('var_samp'),
  var_pop: aggregate('var_pop'),
  array_agg: aggregate('array_agg'),
  ...Object.fromEntries(WINDOW_FUNCTIONS.map((fn) => [fn, same(fn)])),
};

/** Allow-list of Trino/Athena functions and their canonical meaning. */
export const TRINO_FUNCTIONS: Readonly<Record<string, FunctionLowering>> = {
  ...ANSI_COMMON,
  date_format: datePattern(fromMysqlPattern),
  format_datetime: datePattern((p) => p),
  date_parse: parsePattern(fromMysqlPattern),
  date_trunc: dateTrunc(false),
  date_add: trinoDateAdd,
  last_day_of_month: same('last_day'),
  day_of_month: same('day'),
  day_of_week: isoDayOfWeek,
  dow: isoDayOfWeek,
  week_of_year: same('weekofyear'),
  day_of_year: same('dayofyear'),
  from_unixtime: ([n, ...rest], site) => {
    if (!n || rest.length > 0) throw untranslatable('from_unixtime() with a time zone');
    return call('timestamp_from_epoch', [n], site);
  },
  greatest: same('greatest_strict'),
  least: same('least_strict'),
  concat: same('concat'),
  regexp_extract: trinoRegexpExtract,
  regexp_like: same('regexp_like'),
  regexp_replace: same('regexp_replace'),
  split: literalSplit,
  cardinality: same('cardinality'),
  approx_percentile: aggregate('percentile_approx'),
};

/** Allow-list of DuckDB functions and their canonical meaning. */
export const DUCKDB_FUNCTIONS: Readonly<Record<string, FunctionLowering>> = {
  ...ANSI_COMMON,
  strftime: datePattern(fromStrftimePattern),
  strptime: parsePattern(fromStrftimePattern),
  try_strptime: parsePattern(fromStrftimePattern),
  date_trunc: dateTrunc(true),
  date_diff: dateDiff(false),
  datediff: dateDiff(false),
  last_day: same('last_day'),
  dayofmonth: same('day'),
  isodow: isoDayOfWeek,
  dayofweek: duckDayOfWeek,
  weekofyear: same('weekofyear'),
  dayofyear: same('dayofyear'),
  greatest: same('greatest_skip'),
  least: same('least_skip'),
  concat: (args, site) => call('concat_ws', [str(''), ...args], site),
  regexp_extract: duckRegexpExtract,
  regexp_matches: same('regexp_like'),
  regexp_replace: duckRegexpReplace,
  string_split: literalSplit,
  str_split: literalSplit,
  regexp_split_to_array: same('split'),
  string_split_regex: same('split'),
  instr: same('instr'),
  ifnull: same('coalesce'),
  len: same('cardinality'),
  array_length: same('cardinality'),
  list_sort: arraySort,
  list: aggregate('array_agg'),
  approx_quantile: aggregate('percentile_approx'),
  quantile_cont: aggregate('percentile'),
  median: (args, site) => agg('percentile', [...args, { kind: 'literal', type: 'number', value: '0.5', numeric: 'decimal' }], site),
};
