import type { Expr } from '../ir.js';
import { untranslatable } from './context.js';
import { byDialect, sparkOnly, SPARK_BUILT_INS } from './hive-family-builtins.js';
import { boolValue, caseWhen, int, intValue, str, stringArg } from './ir-build.js';
import { agg, aggregate, call, same, type FunctionLowering } from './lower-functions.js';
import { lowersTo, refusedLowering } from './lowering-info.js';
import { WINDOW_FUNCTIONS } from '../functions.js';

const TRUNC_UNITS: Readonly<Record<string, string>> = {
  YEAR: 'year',
  YYYY: 'year',
  YY: 'year',
  QUARTER: 'quarter',
  Q: 'quarter',
  MONTH: 'month',
  MON: 'month',
  MM: 'month',
};

const SPARK_TRUNC_UNITS: Readonly<Record<string, string>> = {
  ...TRUNC_UNITS,
  WEEK: 'week',
  DAY: 'day',
  DD: 'day',
  HOUR: 'hour',
  MINUTE: 'minute',
  SECOND: 'second',
};

function truncUnit(fmt: Expr | undefined, units: Readonly<Record<string, string>>, fn: string): Expr {
  const unit = units[stringArg(fmt, `${fn} format`).toUpperCase()];
  if (!unit) throw untranslatable(`${fn} with format '${stringArg(fmt, 'format')}'`);
  return str(unit);
}

/** Hive trunc(date, fmt): the DATE at the start of the year, quarter or month. */
const trunc: FunctionLowering = lowersTo(['date_trunc', 'to_date'], ([x, fmt, ...rest], site) => {
  if (!x || rest.length > 0) throw untranslatable('trunc() with these arguments');
  if (fmt?.kind !== 'literal' || fmt.type !== 'string') throw untranslatable('numeric trunc()');
  return call('date_trunc', [truncUnit(fmt, TRUNC_UNITS, 'trunc'), call('to_date', [x], site)], site);
});

/** Spark date_trunc(fmt, ts): always a TIMESTAMP. */
const sparkDateTrunc: FunctionLowering = lowersTo(['date_trunc'], ([fmt, x], site) => {
  if (!x) throw untranslatable('date_trunc() with one argument');
  const ts: Expr = { kind: 'cast', arg: x, to: { kind: 'timestamp' }, lenient: true };
  return call('date_trunc', [truncUnit(fmt, SPARK_TRUNC_UNITS, 'date_trunc'), ts], site);
});

/** Spark substr clamps a negative start before the string's beginning; for starts >= 0 it is Hive's. */
const sparkSubstr: FunctionLowering = lowersTo(['substr', 'substr_spark'], (args, site) => {
  const pos = intValue(args[1]);
  return call(pos !== undefined && pos >= 0 ? 'substr' : 'substr_spark', args, site);
});

const regexpExtract: FunctionLowering = lowersTo(['regexp_extract'], ([s, re, group, ...rest], site) => {
  if (!s || !re || rest.length > 0) throw untranslatable('regexp_extract() with these arguments');
  return call('regexp_extract', [s, re, group ?? int(1)], site);
});

const ifFn: FunctionLowering = lowersTo([], ([c, a, b, ...rest]) => {
  if (!c || !a || !b || rest.length > 0) throw untranslatable('if() without exactly three arguments');
  return caseWhen(c, a, b);
});

const isNull = (negated: boolean): FunctionLowering =>
  lowersTo([], ([x, ...rest]) => {
    if (!x || rest.length > 0) throw untranslatable('isnull() without exactly one argument');
    return { kind: 'is_null', arg: x, negated };
  });

/** sort_array(a[, ascending]): ascending puts NULLs first (they sort lowest), descending last. */
const sortArray: FunctionLowering = lowersTo(['sort_array'], ([a, asc, ...rest], site) => {
  if (!a || rest.length > 0) throw untranslatable('sort_array() with these arguments');
  const ascending = asc === undefined ? true : boolValue(asc);
  if (ascending === undefined) throw untranslatable('sort_array() with a non-literal direction');
  return call('sort_array', [a, str(ascending ? 'ASC' : 'DESC'), str(ascending ? 'FIRST' : 'LAST')], site);
});

/** percentile_approx(x, p[, accuracy]): the accuracy only tunes the sketch; engines differ anyway. */
const percentileApprox: FunctionLowering = lowersTo(['percentile_approx'], ([x, p, accuracy, ...rest], site) => {
  if (!x || !p || rest.length > 0) throw untranslatable('percentile_approx() with these arguments');
  if (accuracy) site.ctx.warnings.add('percentile_approx: the accuracy argument is not carried over');
  return agg('percentile_approx', [x, p], site);
});

const split: FunctionLowering = lowersTo(['split'], (args, site) => {
  if (args.length !== 2) throw untranslatable('split() with a limit');
  return call('split', args, site);
});

/** Spark pmod: a % b, plus b only when that remainder is negative (Hive always adds b, then takes % b). */
const sparkPmod: FunctionLowering = lowersTo(['pmod'], ([a, b, ...rest], site) => {
  if (!a || !b || rest.length > 0) throw untranslatable('pmod() without exactly two arguments');
  const rem: Expr = { kind: 'binary', op: '%', left: a, right: b };
  const negative: Expr = { kind: 'binary', op: '<', left: rem, right: int(0) };
  return caseWhen(negative, call('pmod', [a, b], site), rem);
});

const currentTimestamp: FunctionLowering = same('current_timestamp');

/** Allow-list of Hive, Spark and Impala functions and their canonical meaning. */
export const HIVE_FUNCTIONS: Readonly<Record<string, FunctionLowering>> = {
  ...SPARK_BUILT_INS,
  date_format: same('date_format'),
  from_timestamp: byDialect({ impala: same('date_format') }, refusedLowering('from_timestamp outside Impala')),
  to_date: same('to_date'),
  date_add: same('date_add'),
  date_sub: same('date_sub'),
  datediff: same('datediff'),
  add_months: byDialect({ spark: same('add_months_clamp') }, same('add_months')),
  last_day: same('last_day'),
  trunc,
  date_trunc: sparkOnly('date_trunc', sparkDateTrunc),
  year: same('year'),
  quarter: same('quarter'),
  month: same('month'),
  day: same('day'),
  dayofmonth: same('day'),
  hour: same('hour'),
  minute: same('minute'),
  second: same('second'),
  dayofweek: same('dayofweek'),
  weekofyear: same('weekofyear'),
  dayofyear: same('dayofyear'),
  unix_timestamp: same('unix_timestamp'),
  from_unixtime: same('from_unixtime'),
  current_date: same('current_date'),
  current_timestamp: currentTimestamp,
  now: byDialect({ spark: currentTimestamp, impala: currentTimestamp }, refusedLowering('now() in Hive')),
  abs: same('abs'),
  floor: same('floor'),
  ceil: same('ceil'),
  ceiling: same('ceil'),
  round: same('round'),
  pow: same('power'),
  power: same('power'),
  sqrt: same('sqrt'),
  pmod: byDialect({ spark: sparkPmod }, same('pmod')),
  greatest: byDialect({ spark: same('greatest_skip') }, same('greatest_strict')),
  least: byDialect({ spark: same('least_skip') }, same('least_strict')),
  concat: same('concat'),
  concat_ws: same('concat_ws'),
  substr: byDialect({ spark: sparkSubstr }, same('substr')),
  substring: byDialect({ spark: sparkSubstr }, same('substr')),
  lpad: same('lpad'),
  rpad: same('rpad'),
  regexp_extract: regexpExtract,
  regexp_replace: same('regexp_replace'),
  rlike: sparkOnly('rlike', same('regexp_like')),
  regexp_like: byDialect({ spark: same('regexp_like'), impala: same('regexp_like') }, refusedLowering('regexp_like() in Hive')),
  split,
  instr: same('instr'),
  length: same('length'),
  upper: same('upper'),
  ucase: same('upper'),
  lower: same('lower'),
  lcase: same('lower'),
  trim: same('trim'),
  ltrim: same('ltrim'),
  rtrim: same('rtrim'),
  reverse: same('reverse'),
  replace: same('replace'),
  repeat: same('repeat'),
  if: ifFn,
  nvl: same('coalesce'),
  coalesce: same('coalesce'),
  nullif: same('nullif'),
  isnull: isNull(false),
  isnotnull: isNull(true),
  size: same('size'),
  sort_array: sortArray,
  array_contains: same('array_contains'),
  count: aggregate('count'),
  sum: aggregate('sum'),
  avg: aggregate('avg'),
  min: aggregate('min'),
  max: aggregate('max'),
  stddev: byDialect({ hive: aggregate('stddev_pop') }, aggregate('stddev_samp')),
  std: byDialect({ hive: aggregate('stddev_pop') }, aggregate('stddev_samp')),
  stddev_pop: aggregate('stddev_pop'),
  stddev_samp: aggregate('stddev_samp'),
  variance: byDialect({ hive: aggregate('var_pop') }, aggregate('var_samp')),
  var_pop: aggregate('var_pop'),
  var_samp: aggregate('var_samp'),
  collect_list: aggregate('collect_list'),
  collect_set: aggregate('collect_set'),
  percentile_approx: percentileApprox,
  approx_percentile: sparkOnly('approx_percentile', percentileApprox),
  percentile: aggregate('percentile'),
  ...Object.fromEntries(WINDOW_FUNCTIONS.map((fn) => [fn, same(fn)])),
};
