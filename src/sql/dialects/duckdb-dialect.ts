import type { DivisionKind, SqlType } from '../ir.js';
import { convertPattern } from '../patterns.js';
import {
  aggregateCall,
  argAt,
  callFromTable,
  fn,
  intLiteral,
  isIntegral,
  isNonNullLiteral,
  javaReplacementToRe2,
  nullIfZero,
  p,
  rename,
  strictVia,
  stringLiteral,
  untranslatable,
  withTextArguments,
} from '../render/helpers.js';
import type { Arg, FunctionRenderer, RenderApi, SqlDialect } from '../render/sql-dialect.js';
import { ansiDate, ansiDatePart, ansiNumber, ansiQuote, ansiString, ansiTemporal, ansiText, ansiTimestamp, ansiTypeName, checkLenientAnsiCast, SAME_NAME_AGGREGATES, SAME_NAME_FUNCTIONS, substrHive, substrSpark } from './shared.js';

const NAME = 'duckdb';

/** A day count for DATE arithmetic: DuckDB adds INTEGER days to a DATE (and refuses BIGINT). */
function days(a: Arg): string {
  return a.type.kind === 'int' && a.type.bits <= 32 ? p(a) : `CAST(${a.sql} AS INTEGER)`;
}

const pattern = (a: Arg | undefined): string => ansiString(convertPattern(stringLiteral(a, 'date pattern', NAME), 'java', 'strftime'));

const epochSeconds = (timestamp: string): string => `CAST(floor(epoch(${timestamp})) AS BIGINT)`;

/** Hive add_months: from the last day of a month to the last day of the target month. */
function addMonthsHive(d: string, n: string): string {
  const moved = `CAST(${d} + to_months(${n}) AS DATE)`;
  return `CASE WHEN last_day(${d}) = ${d} THEN last_day(${moved}) ELSE ${moved} END`;
}

const FUNCTIONS: Readonly<Record<string, FunctionRenderer>> = {
  ...SAME_NAME_FUNCTIONS,
  date_format: (args) => fn('strftime', ansiTimestamp(argAt(args, 0)), pattern(args[1])),
  to_date: (args) => ansiDate(argAt(args, 0)),
  date_add: (args) => `(${ansiDate(argAt(args, 0))} + ${days(argAt(args, 1))})`,
  date_sub: (args) => `(${ansiDate(argAt(args, 0))} - ${days(argAt(args, 1))})`,
  datediff: (args) => `CAST(date_diff('day', ${ansiDate(argAt(args, 1))}, ${ansiDate(argAt(args, 0))}) AS INTEGER)`,
  add_months: (args) => addMonthsHive(ansiDate(argAt(args, 0)), argAt(args, 1).sql),
  add_months_clamp: (args) => `CAST(${ansiDate(argAt(args, 0))} + to_months(${argAt(args, 1).sql}) AS DATE)`,
  last_day: (args) => fn('last_day', ansiDate(argAt(args, 0))),
  date_trunc: (args) => {
    const [unit, x] = [stringLiteral(args[0], 'date_trunc unit', NAME), argAt(args, 1)];
    if (x.type.kind === 'date') return `CAST(date_trunc(${ansiString(unit)}, ${x.sql}) AS DATE)`;
    return fn('date_trunc', ansiString(unit), ansiTimestamp(x));
  },
  year: ansiDatePart('year'),
  quarter: ansiDatePart('quarter'),
  month: ansiDatePart('month'),
  day: ansiDatePart('day'),
  dayofyear: ansiDatePart('dayofyear'),
  hour: ansiDatePart('hour', true),
  minute: ansiDatePart('minute', true),
  second: ansiDatePart('second', true),
  dayofweek: (args) => `(dayofweek(${ansiTemporal(argAt(args, 0))}) + 1)`,
  weekofyear: ansiDatePart('weekofyear'),
  unix_timestamp: (args) => {
    const [x, fmt] = args;
    if (!x) return epochSeconds('current_timestamp');
    if (fmt) return epochSeconds(fn('try_strptime', x.sql, pattern(fmt)));
    if (x.type.kind === 'string') return epochSeconds(fn('try_strptime', x.sql, "'%Y-%m-%d %H:%M:%S'"));
    return epochSeconds(ansiTimestamp(x));
  },
  from_unixtime: (args) => {
    const format = args[1] ? pattern(args[1]) : "'%Y-%m-%d %H:%M:%S'";
    return fn('strftime', `make_timestamp(CAST(${argAt(args, 0).sql} AS BIGINT) * 1000000)`, format);
  },
  timestamp_from_epoch: (args) => `make_timestamp(CAST(${p(argAt(args, 0))} * 1000000 AS BIGINT))`,
  parse_timestamp: (args) => fn('try_strptime', argAt(args, 0), pattern(args[1])),
  current_date: () => 'current_date',
  current_timestamp: () => 'CAST(current_timestamp AS TIMESTAMP)',
  floor: (args) => `CAST(floor(${argAt(args, 0).sql}) AS BIGINT)`,
  ceil: (args) => `CAST(ceil(${argAt(args, 0).sql}) AS BIGINT)`,
  power: rename('pow'),
  pmod: (args) => {
    const [x, y] = [argAt(args, 0), argAt(args, 1)];
    return `(((${p(x)} % ${p(y)}) + ${p(y)}) % ${p(y)})`;
  },
  greatest_strict: strictVia('greatest'),
  least_strict: strictVia('least'),
  greatest_skip: rename('greatest'),
  least_skip: rename('least'),
  concat: (args, r) => (args.length === 1 ? ansiText(argAt(args, 0), r, NAME) : `(${args.map((a) => ansiText(a, r, NAME)).join(' || ')})`),
  concat_ws: (args, r) => concatWs(args, r),
  substr: (args) => substrHive(args, 'substring', 'length'),
  substr_spark: (args) => substrSpark(args, 'substring'),
  lpad: rename('lpad'),
  rpad: rename('rpad'),
  regexp_extract: rename('regexp_extract'),
  regexp_like: rename('regexp_matches'),
  regexp_replace: (args) => {
    const rep = javaReplacementToRe2(stringLiteral(args[2], 'regexp_replace replacement', NAME), NAME);
    return fn('regexp_replace', argAt(args, 0), argAt(args, 1), ansiString(rep), "'g'");
  },
  split: rename('regexp_split_to_array'),
  instr: (args) => `CAST(instr(${argAt(args, 0).sql}, ${argAt(args, 1).sql}) AS INTEGER)`,
  length: (args) => `CAST(length(${argAt(args, 0).sql}) AS INTEGER)`,
  reverse: rename('reverse'),
  repeat: rename('repeat'),
  size: (args) => `coalesce(CAST(len(${argAt(args, 0).sql}) AS INTEGER), -1)`,
  cardinality: rename('len'),
  sort_array: (args) => {
    const [dir, nulls] = [stringLiteral(args[1], 'sort direction', NAME), stringLiteral(args[2], 'null order', NAME)];
    return fn('list_sort', argAt(args, 0), ansiString(dir), ansiString(`NULLS ${nulls}`));
  },
  array_contains: rename('list_contains'),
};

function concatWs(args: Arg[], r: RenderApi): string {
  const [sep, ...rest] = args;
  const arrays = rest.filter((a) => a.type.kind === 'array');
  if (arrays.length === 0) return fn('concat_ws', argAt(args, 0), ...rest.map((a) => ansiText(a, r, NAME)));
  const [only] = rest;
  if (rest.length !== 1 || !only || !sep) throw untranslatable('concat_ws() mixing arrays and other arguments', NAME);
  const joined = `array_to_string(${only.sql}, ${sep.sql})`;
  return isNonNullLiteral(sep) ? joined : `CASE WHEN ${p(sep)} IS NULL THEN NULL ELSE ${joined} END`;
}

/** Hive collect_list/collect_set keep no NULLs and give [] (not NULL) when nothing is collected. */
function collect(distinct: boolean, args: Arg[], filter: string | undefined): string {
  const x = argAt(args, 0);
  const keep = filter ? `(${filter}) AND ${p(x)} IS NOT NULL` : `${p(x)} IS NOT NULL`;
  return `coalesce(list(${distinct ? 'DISTINCT ' : ''}${x.sql}) FILTER (WHERE ${keep}), [])`;
}

const AGGREGATES: Readonly<Record<string, string>> = {
  ...SAME_NAME_AGGREGATES,
  array_agg: 'array_agg',
  percentile: 'quantile_cont',
  percentile_approx: 'approx_quantile',
};

/** DuckDB: double-quoted identifiers, `//` for integer division, strftime patterns, 1-based lists. */
export const duckdbDialect: SqlDialect = {
  name: NAME,
  derivedTablesNeedAlias: false,
  supportsAggregateFilter: true,
  groupByOrdinals: true,
  quote: ansiQuote,
  stringLiteral: ansiString,
  numberLiteral: ansiNumber,
  typeName: (type: SqlType) => ansiTypeName(type, NAME),
  cast: duckdbCast,
  divide: (kind: DivisionKind, a: Arg, b: Arg, r: RenderApi) => {
    switch (kind) {
      case 'fdiv_null':
        return `(${p(a)} / ${nullIfZero(b)})`;
      case 'fdiv_ieee':
        return `(${p(a)} / ${p(b)})`;
      case 'idiv_null':
      case 'typed_div':
        if (isIntegral(a.type) && isIntegral(b.type)) return `(${p(a)} // ${p(b)})`;
        if (kind === 'typed_div' && [a, b].some((x) => x.type.kind === 'double' || x.type.kind === 'float')) return `(${p(a)} / ${p(b)})`;
        if (kind === 'typed_div' && [a, b].every((x) => x.type.kind === 'decimal' || x.type.kind === 'int')) {
          r.warn('DECIMAL division: the result scale may differ between engines');
          return `(${p(a)} / ${p(b)})`;
        }
        throw untranslatable('integer division of values that are not known to be integers', NAME);
    }
  },
  modulo: (a, b) => `(${p(a)} % ${p(b)})`,
  like: (arg, pattern, negated, escape) => {
    const escapeClause = escape !== null && (pattern.expr.kind !== 'literal' || stringHasBackslash(pattern)) ? ` ESCAPE ${ansiString(escape)}` : '';
    return `${p(arg)} ${negated ? 'NOT LIKE' : 'LIKE'} ${p(pattern)}${escapeClause}`;
  },
  index: (base, index) => {
    const i = intLiteral(index);
    if (i !== undefined) return i < 0 ? 'NULL' : `${p(base)}[${i + 1}]`;
    return `CASE WHEN ${p(index)} >= 0 THEN ${p(base)}[${p(index)} + 1] END`;
  },
  call: callFromTable(FUNCTIONS, NAME, (name, args, r) => withTextArguments(name, args, (a) => ansiText(a, r, NAME))),
  aggregate: (name, args, distinct, filter, r) => {
    if (name === 'collect_list' || name === 'collect_set') return collect(name === 'collect_set' || distinct, args, filter);
    const target = AGGREGATES[name];
    if (!target) throw untranslatable(`aggregate ${name}`, NAME);
    if (name === 'percentile_approx') r.warn('percentile_approx: DuckDB approx_quantile uses a different sketch; values may differ slightly');
    const rendered = name === 'percentile_approx' ? [argAt(args, 0), floatArg(argAt(args, 1))] : args;
    return aggregateCall(target, rendered, distinct, filter);
  },
  limit: (limit, offset) => [limit === undefined ? '' : `LIMIT ${limit}`, offset === undefined ? '' : `OFFSET ${offset}`].filter(Boolean).join(' '),
};

/** approx_quantile takes its fraction as FLOAT: a literal is written plainly, anything else cast. */
function floatArg(a: Arg): Arg {
  const e = a.expr;
  if (e.kind === 'literal' && e.type === 'number') return { ...a, sql: e.value };
  return { ...a, sql: `CAST(${a.sql} AS FLOAT)` };
}

function stringHasBackslash(arg: Arg): boolean {
  return arg.expr.kind === 'literal' && arg.expr.type === 'string' && arg.expr.value.includes('\\');
}

/** CAST with Hive's meaning when `lenient`: unparseable text gives NULL, fractions truncate. */
function duckdbCast(a: Arg, to: SqlType, lenient: boolean, r: RenderApi): string {
  const target = ansiTypeName(to, NAME);
  const from = a.type.kind;
  if (to.kind === 'string') {
    const asText = ansiText(a, r, NAME);
    return to.length === undefined ? asText : `left(${asText}, ${to.length})`;
  }
  if (!lenient) return `CAST(${a.sql} AS ${target})`;
  checkLenientAnsiCast(a, to, target, NAME);
  switch (to.kind) {
    case 'int':
      if (from === 'double' || from === 'float' || from === 'decimal') return `CAST(trunc(${a.sql}) AS ${target})`;
      if (from === 'string') return `TRY_CAST(trunc(TRY_CAST(${a.sql} AS DECIMAL(38, 9))) AS ${target})`;
      return `CAST(${a.sql} AS ${target})`;
    case 'boolean':
      if (from === 'string') throw untranslatable('CAST of text to BOOLEAN (Hive: any non-empty text is true)', NAME);
      return `CAST(${a.sql} AS BOOLEAN)`;
    case 'date':
      return from === 'string' || from === 'unknown' ? `TRY_CAST(${a.sql} AS DATE)` : `CAST(${a.sql} AS DATE)`;
    case 'timestamp':
      if (from === 'int' || from === 'double' || from === 'decimal') throw untranslatable(`CAST of a number to TIMESTAMP`, NAME);
      return from === 'string' || from === 'unknown' ? `TRY_CAST(${a.sql} AS TIMESTAMP)` : `CAST(${a.sql} AS TIMESTAMP)`;
    default:
      return `TRY_CAST(${a.sql} AS ${target})`;
  }
}
