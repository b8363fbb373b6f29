import { fromMysqlPattern, fromStrftimePattern } from '../patterns.js';
import type { Expr } from '../ir.js';
import { untranslatable } from './context.js';
import { caseWhen, int, intValue, str, stringArg } from './ir-build.js';
import { agg, aggregate, call, same, type CallSite, type FunctionLowering } from './lower-functions.js';
import { WINDOW_FUNCTIONS } from '../functions.js';

const byDialect =
  (trino: FunctionLowering | undefined, duckdb: FunctionLowering | undefined): FunctionLowering =>
  (args, site) => {
    const lowering = site.ctx.dialect === 'duckdb' ? duckdb : trino;
    if (!lowering) throw untranslatable(`${site.name}() in ${site.ctx.dialect}`);
    return lowering(args, site);
  };

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

const dateDiff: FunctionLowering = ([unit, a, b, ...rest], site) => {
  if (!a || !b || rest.length > 0 || stringArg(unit, 'date_diff unit').toLowerCase() !== 'day') {
    throw untranslatable(`${site.name}() with a unit other than 'day'`);
  }
  if (site.ctx.dialect === 'duckdb') return call('datediff', [b, a], site);
  return call('datediff', [asDate(b, site), asDate(a, site)], site);
};

const trinoDateAdd: FunctionLowering = ([unit, n, x, ...rest], site) => {
  const u = stringArg(unit, 'date_add unit').toLowerCase();
  if (!n || !x || rest.length > 0 || (u !== 'day' && u !== 'month')) throw untranslatable("date_add() with a unit other than 'day' or 'month'");
  return call(u === 'day' ? 'date_add' : 'add_months_clamp', [asDate(x, site), n], site);
};

/** DuckDB date_trunc always returns a TIMESTAMP; Trino keeps DATE for DATE input (canonical). */
const dateTrunc: FunctionLowering = ([unit, x, ...rest], site) => {
  const u = stringArg(unit, 'date_trunc unit').toLowerCase();
  if (!x || rest.length > 0 || !['year', 'quarter', 'month', 'week', 'day', 'hour', 'minute', 'second'].includes(u)) {
    throw untranslatable(`date_trunc('${u}', ...)`);
  }
  const truncated = call('date_trunc', [str(u), x], site);
  return site.ctx.dialect === 'duckdb' ? { kind: 'cast', arg: truncated, to: { kind: 'timestamp' }, lenient: false } : truncated;
};

const arraySort: FunctionLowering = ([a, ...rest], site) => {
  if (!a || rest.length > 0) throw untranslatable(`${site.name}() with a comparator or options`);
  return call('sort_array', [a, str('ASC'), str('LAST')], site);
};

/** Allow-list of Trino/Athena and DuckDB functions and their canonical meaning. */
export const ANSI_FUNCTIONS: Readonly<Record<string, FunctionLowering>> = {
  date_format: byDialect(datePattern(fromMysqlPattern), undefined),
  format_datetime: byDialect(datePattern((p) => p), undefined),
  strftime: byDialect(undefined, datePattern(fromStrftimePattern)),
  date_parse: byDialect(parsePattern(fromMysqlPattern), undefined),
  strptime: byDialect(undefined, parsePattern(fromStrftimePattern)),
  try_strptime: byDialect(undefined, parsePattern(fromStrftimePattern)),
  date_trunc: dateTrunc,
  date_diff: dateDiff,
  datediff: byDialect(undefined, dateDiff),
  date_add: byDialect(trinoDateAdd, undefined),
  last_day: byDialect(undefined, same('last_day')),
  last_day_of_month: byDialect(same('last_day'), undefined),
  year: same('year'),
  quarter: same('quarter'),
  month: same('month'),
  day: same('day'),
  day_of_month: byDialect(same('day'), undefined),
  dayofmonth: byDialect(undefined, same('day')),
  hour: same('hour'),
  minute: same('minute'),
  second: same('second'),
  day_of_week: byDialect(isoDayOfWeek, undefined),
  dow: byDialect(isoDayOfWeek, undefined),
  isodow: byDialect(undefined, isoDayOfWeek),
  dayofweek: byDialect(undefined, duckDayOfWeek),
  week: same('weekofyear'),
  week_of_year: byDialect(same('weekofyear'), undefined),
  weekofyear: byDialect(undefined, same('weekofyear')),
  day_of_year: byDialect(same('dayofyear'), undefined),
  doy: same('dayofyear'),
  dayofyear: byDialect(undefined, same('dayofyear')),
  from_unixtime: byDialect(([n, ...rest], site) => {
    if (!n || rest.length > 0) throw untranslatable('from_unixtime() with a time zone');
    return call('timestamp_from_epoch', [n], site);
  }, undefined),
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
  greatest: byDialect(same('greatest_strict'), same('greatest_skip')),
  least: byDialect(same('least_strict'), same('least_skip')),
  concat: byDialect(same('concat'), (args, site) => call('concat_ws', [str(''), ...args], site)),
  concat_ws: same('concat_ws'),
  substr,
  substring: substr,
  lpad: same('lpad'),
  rpad: same('rpad'),
  regexp_extract: byDialect(trinoRegexpExtract, duckRegexpExtract),
  regexp_like: byDialect(same('regexp_like'), undefined),
  regexp_matches: byDialect(undefined, same('regexp_like')),
  regexp_replace: byDialect(same('regexp_replace'), duckRegexpReplace),
  split: byDialect(literalSplit, undefined),
  string_split: byDialect(undefined, literalSplit),
  str_split: byDialect(undefined, literalSplit),
  regexp_split_to_array: byDialect(undefined, same('split')),
  string_split_regex: byDialect(undefined, same('split')),
  strpos: same('instr'),
  instr: byDialect(undefined, same('instr')),
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
  ifnull: byDialect(undefined, same('coalesce')),
  nullif: same('nullif'),
  cardinality: byDialect(same('cardinality'), undefined),
  len: byDialect(undefined, same('cardinality')),
  array_length: byDialect(undefined, same('cardinality')),
  array_sort: arraySort,
  list_sort: byDialect(undefined, arraySort),
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
  list: byDialect(undefined, aggregate('array_agg')),
  approx_percentile: byDialect(aggregate('percentile_approx'), undefined),
  approx_quantile: byDialect(undefined, aggregate('percentile_approx')),
  quantile_cont: byDialect(undefined, aggregate('percentile')),
  median: byDialect(undefined, (args, site) => agg('percentile', [...args, { kind: 'literal', type: 'number', value: '0.5', numeric: 'decimal' }], site)),
  ...Object.fromEntries(WINDOW_FUNCTIONS.map((fn) => [fn, same(fn)])),
};
