import type { DivisionKind, SqlType } from '../ir.js';
import { convertPattern, parseJavaPattern, renderPattern } from '../patterns.js';
import { aggregateCall, argAt, callFromTable, fn, intLiteral, isIntegral, nullIfZero, p, rename, skipNullsVia, stringLiteral, untranslatable, withTextArguments } from '../render/helpers.js';
import type { Arg, FunctionRenderer, RenderApi, SqlDialect } from '../render/sql-dialect.js';
import { ansiDate, ansiDatePart, ansiNumber, ansiQuote, ansiString, ansiTemporal, ansiText, ansiTimestamp, ansiTypeName, checkLenientAnsiCast, SAME_NAME_AGGREGATES, SAME_NAME_FUNCTIONS, substrHive, substrSpark } from './shared.js';

const NAME = 'trino';

/** Trino renders TIMESTAMP(3) as text with milliseconds; Hive drops a zero fraction. */
function timestampText(sql: string): string {
  return `regexp_replace(regexp_replace(CAST(${sql} AS VARCHAR), '(\\.\\d*?)0+$', '$1'), '\\.$', '')`;
}

/** The argument as VARCHAR text, with TIMESTAMP text as Hive writes it. */
function text(a: Arg, r: RenderApi): string {
  return a.type.kind === 'timestamp' ? timestampText(a.sql) : ansiText(a, r, NAME);
}

/** date_format with MySQL codes when they can say it, else format_datetime with the Java pattern. */
function formatDate(timestamp: string, patternArg: Arg | undefined): string {
  const java = stringLiteral(patternArg, 'date pattern', NAME);
  try {
    return fn('date_format', timestamp, ansiString(convertPattern(java, 'java', 'mysql')));
  } catch {
    return fn('format_datetime', timestamp, ansiString(renderPattern(parseJavaPattern(java), 'java')));
  }
}

const mysqlPattern = (a: Arg | undefined): string => ansiString(convertPattern(stringLiteral(a, 'date pattern', NAME), 'java', 'mysql'));

const epochSeconds = (timestamp: string): string => `CAST(floor(to_unixtime(${timestamp})) AS BIGINT)`;

function sortArray(args: Arg[]): string {
  const [a, dir, nulls] = [argAt(args, 0), stringLiteral(args[1], 'sort direction', NAME), stringLiteral(args[2], 'null order', NAME)];
  if (dir === 'ASC' && nulls === 'LAST') return fn('array_sort', a);
  const sorted = `array_sort(filter(${a.sql}, x -> x IS NOT NULL))`;
  const ordered = dir === 'ASC' ? sorted : `reverse(${sorted})`;
  const nullsPart = `filter(${a.sql}, x -> x IS NULL)`;
  return nulls === 'FIRST' ? `concat(${nullsPart}, ${ordered})` : `concat(${ordered}, ${nullsPart})`;
}

function concatWs(args: Arg[], r: RenderApi): string {
  const [sep, ...rest] = args;
  if (!sep) throw untranslatable('concat_ws() without arguments', NAME);
  const arrays = rest.filter((a) => a.type.kind === 'array');
  if (arrays.length > 0 && rest.length !== 1) throw untranslatable('concat_ws() mixing arrays and other arguments', NAME);
  return fn('concat_ws', sep, ...rest.map((a) => (a.type.kind === 'array' ? a.sql : text(a, r))));
}

const FUNCTIONS: Readonly<Record<string, FunctionRenderer>> = {
  ...SAME_NAME_FUNCTIONS,
  date_format: (args) => formatDate(ansiTimestamp(argAt(args, 0)), args[1]),
  to_date: (args) => ansiDate(argAt(args, 0)),
  date_add: (args) => `date_add('day', ${argAt(args, 1).sql}, ${ansiDate(argAt(args, 0))})`,
  date_sub: (args) => `date_add('day', -${p(argAt(args, 1))}, ${ansiDate(argAt(args, 0))})`,
  datediff: (args) => `CAST(date_diff('day', ${ansiDate(argAt(args, 1))}, ${ansiDate(argAt(args, 0))}) AS INTEGER)`,
  add_months: (args) => {
    const d = ansiDate(argAt(args, 0));
    const moved = `date_add('month', ${argAt(args, 1).sql}, ${d})`;
    return `CASE WHEN last_day_of_month(${d}) = ${d} THEN last_day_of_month(${moved}) ELSE ${moved} END`;
  },
  add_months_clamp: (args) => `date_add('month', ${argAt(args, 1).sql}, ${ansiDate(argAt(args, 0))})`,
  last_day: (args) => fn('last_day_of_month', ansiDate(argAt(args, 0))),
  date_trunc: (args) => {
    const [unit, x] = [stringLiteral(args[0], 'date_trunc unit', NAME), argAt(args, 1)];
    return fn('date_trunc', ansiString(unit), x.type.kind === 'date' ? x.sql : ansiTimestamp(x));
  },
  year: ansiDatePart('year'),
  quarter: ansiDatePart('quarter'),
  month: ansiDatePart('month'),
  day: ansiDatePart('day'),
  dayofyear: ansiDatePart('day_of_year'),
  hour: ansiDatePart('hour', true),
  minute: ansiDatePart('minute', true),
  second: ansiDatePart('second', true),
  dayofweek: (args) => `(day_of_week(${ansiTemporal(argAt(args, 0))}) % 7 + 1)`,
  weekofyear: ansiDatePart('week_of_year'),
  unix_timestamp: (args) => {
    const [x, fmt] = args;
    if (!x) return epochSeconds('current_timestamp');
    if (fmt) return epochSeconds(`try(date_parse(${x.sql}, ${mysqlPattern(fmt)}))`);
    if (x.type.kind === 'string') return epochSeconds(`try(date_parse(${x.sql}, '%Y-%m-%d %H:%i:%s'))`);
    return epochSeconds(ansiTimestamp(x));
  },
  from_unixtime: (args) => {
    const at = `from_unixtime(${argAt(args, 0).sql}, 'UTC')`;
    return args[1] ? formatDate(at, args[1]) : fn('date_format', at, "'%Y-%m-%d %H:%i:%s'");
  },
  timestamp_from_epoch: (args) => `CAST(from_unixtime(${argAt(args, 0).sql}, 'UTC') AS TIMESTAMP)`,
  parse_timestamp: (args) => `try(date_parse(${argAt(args, 0).sql}, ${mysqlPattern(args[1])}))`,
  current_date: () => 'current_date',
  current_timestamp: () => 'localtimestamp',
  floor: (args) => `CAST(floor(${argAt(args, 0).sql}) AS BIGINT)`,
  ceil: (args) => `CAST(ceil(${argAt(args, 0).sql}) AS BIGINT)`,
  power: rename('power'),
  pmod: (args) => {
    const [x, y] = [argAt(args, 0), argAt(args, 1)];
    return `(((${p(x)} % ${nullIfZero(y)}) + ${p(y)}) % ${nullIfZero(y)})`;
  },
  greatest_strict: rename('greatest'),
  least_strict: rename('least'),
  greatest_skip: skipNullsVia('greatest'),
  least_skip: skipNullsVia('least'),
  concat: (args, r) => (args.length === 1 ? text(argAt(args, 0), r) : fn('concat', ...args.map((a) => text(a, r)))),
  concat_ws: concatWs,
  substr: (args) => substrHive(args, 'substr'),
  substr_spark: (args) => substrSpark(args, 'substr', NAME),
  lpad: rename('lpad'),
  rpad: rename('rpad'),
  regexp_extract: (args) => {
    const s = argAt(args, 0);
    return `CASE WHEN ${p(s)} IS NULL THEN NULL ELSE coalesce(${fn('regexp_extract', ...args)}, '') END`;
  },
  regexp_like: rename('regexp_like'),
  regexp_replace: rename('regexp_replace'),
  split: rename('regexp_split'),
  instr: (args) => `CAST(strpos(${argAt(args, 0).sql}, ${argAt(args, 1).sql}) AS INTEGER)`,
  length: (args) => `CAST(length(${argAt(args, 0).sql}) AS INTEGER)`,
  reverse: rename('reverse'),
  repeat: (args) => `array_join(repeat(${argAt(args, 0).sql}, ${argAt(args, 1).sql}), '')`,
  size: (args) => `coalesce(CAST(cardinality(${argAt(args, 0).sql}) AS INTEGER), -1)`,
  cardinality: rename('cardinality'),
  sort_array: sortArray,
  array_contains: rename('contains'),
};

const AGGREGATES: Readonly<Record<string, string>> = {
  ...SAME_NAME_AGGREGATES,
  array_agg: 'array_agg',
  percentile_approx: 'approx_percentile',
};

function collect(distinct: boolean, args: Arg[], filter: string | undefined): string {
  const x = argAt(args, 0);
  const keep = filter ? `(${filter}) AND ${p(x)} IS NOT NULL` : `${p(x)} IS NOT NULL`;
  return `coalesce(array_agg(${distinct ? 'DISTINCT ' : ''}${x.sql}) FILTER (WHERE ${keep}), ARRAY[])`;
}

/** Trino (and Athena engine v3): double-quoted identifiers, 1-based arrays, MySQL date patterns. */
export const trinoDialect: SqlDialect = {
  name: NAME,
  derivedTablesNeedAlias: false,
  supportsAggregateFilter: true,
  groupByOrdinals: true,
  quote: ansiQuote,
  stringLiteral: ansiString,
  numberLiteral: ansiNumber,
  typeName: (type: SqlType) => ansiTypeName(type, NAME),
  cast: trinoCast,
  divide: (kind: DivisionKind, a: Arg, b: Arg, r: RenderApi) => {
    const dbl = (x: Arg): string => (x.type.kind === 'double' ? p(x) : `CAST(${x.sql} AS DOUBLE)`);
    switch (kind) {
      case 'fdiv_null':
        return `(${dbl(a)} / ${nonZeroDouble(b) ?? `NULLIF(${dbl(b)}, 0)`})`;
      case 'fdiv_ieee':
        return `(${dbl(a)} / ${dbl(b)})`;
      case 'typed_div':
        return `(${p(a)} / ${p(b)})`;
      case 'idiv_null':
        // Hive: the operands as BIGINT, then a division truncating toward zero (Trino's integer `/`).
        return `(${isIntegral(a.type) ? p(a) : bigintOperand(a, r)} / ${isIntegral(b.type) ? nullIfZero(b) : `NULLIF(${bigintOperand(b, r)}, 0)`})`;
    }
  },
  temporalComparand,
  modulo: (a, b) => `(${p(a)} % ${nullIfZero(b)})`,
  like: (arg, pattern, negated, escape) => {
    const escapeClause = escape !== null && (pattern.expr.kind !== 'literal' || pattern.sql.includes('\\')) ? ` ESCAPE ${ansiString(escape)}` : '';
    return `${p(arg)} ${negated ? 'NOT LIKE' : 'LIKE'} ${p(pattern)}${escapeClause}`;
  },
  index: (base, index) => {
    const i = intLiteral(index);
    if (i !== undefined) return i < 0 ? 'NULL' : `element_at(${base.sql}, ${i + 1})`;
    return `CASE WHEN ${p(index)} >= 0 THEN element_at(${base.sql}, ${p(index)} + 1) END`;
  },
  call: callFromTable(FUNCTIONS, NAME, (name, args, r) => withTextArguments(name, args, (a) => text(a, r))),
  aggregate: (name, args, distinct, filter, r) => {
    if (name === 'collect_list' || name === 'collect_set') return collect(name === 'collect_set' || distinct, args, filter);
    const target = AGGREGATES[name];
    if (!target) throw untranslatable(`aggregate ${name}`, NAME);
    if (name === 'percentile_approx') r.warn('percentile_approx: Trino approx_percentile uses a different sketch; values may differ slightly');
    return aggregateCall(target, args, distinct, filter);
  },
  limit: (limit, offset) => [offset === undefined ? '' : `OFFSET ${offset}`, limit === undefined ? '' : `LIMIT ${limit}`].filter(Boolean).join(' '),
};

/**
 * A DIV operand not known to be an integer, as Hive converts it to BIGINT: by its own CAST translation
 * when the type is known (doubles and decimals truncated, text parsed or NULL), else as a DECIMAL
 * truncated, which is exact for every integer and decimal (doubles: to 9 fraction digits) and NULL for
 * text that is no number.
 */
function bigintOperand(a: Arg, r: RenderApi): string {
  if (a.type.kind !== 'unknown') return trinoCast(a, { kind: 'int', bits: 64 }, true, r);
  return `TRY_CAST(truncate(TRY_CAST(${a.sql} AS DECIMAL(38, 9))) AS BIGINT)`;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})/;

/** True when the text begins with a calendar date that exists (`2024-02-30` does not). */
function realDate(text: string): boolean {
  const m = ISO_DATE.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/**
 * Trino compares DATE or TIMESTAMP with VARCHAR not at all: the string side becomes a typed literal when
 * it is one in ISO form, else goes through the lenient (Hive) cast, NULL when it is no date.
 */
function temporalComparand(text: Arg, to: SqlType, r: RenderApi): string {
  const e = text.expr;
  if (e.kind === 'literal' && e.type === 'string' && realDate(e.value)) {
    const v = e.value;
    if (to.kind === 'date' && /^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2}(\.\d{1,9})?)?$/.test(v)) return `DATE ${ansiString(v.slice(0, 10))}`;
    if (to.kind === 'timestamp' && /^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2}(\.\d{1,9})?)?$/.test(v)) return `TIMESTAMP ${ansiString(v)}`;
  }
  return trinoCast(text, to, true, r);
}

/** A non-zero number literal written as a DOUBLE literal (so the division is floating and needs no NULLIF). */
function nonZeroDouble(b: Arg): string | undefined {
  const e = b.expr;
  if (e.kind !== 'literal' || e.type !== 'number' || Number(e.value) === 0) return undefined;
  return /[eE]/.test(e.value) ? e.value : `${e.value}E0`;
}

function trinoCast(a: Arg, to: SqlType, lenient: boolean, r: RenderApi): string {
  const target = ansiTypeName(to, NAME);
  const from = a.type.kind;
  if (to.kind === 'string') {
    const asText = text(a, r);
    return to.length === undefined ? asText : `CAST(${asText} AS ${target})`;
  }
  if (!lenient) return `CAST(${a.sql} AS ${target})`;
  checkLenientAnsiCast(a, to, target, NAME);
  switch (to.kind) {
    case 'int':
      if (from === 'double' || from === 'float' || from === 'decimal') return `CAST(truncate(${a.sql}) AS ${target})`;
      if (from === 'string') return `TRY_CAST(truncate(TRY_CAST(trim(${a.sql}) AS DECIMAL(38, 9))) AS ${target})`;
      return `CAST(${a.sql} AS ${target})`;
    case 'boolean':
      if (from === 'string') throw untranslatable('CAST of text to BOOLEAN (Hive: any non-empty text is true)', NAME);
      return `CAST(${a.sql} AS BOOLEAN)`;
    case 'date':
      if (from === 'timestamp') return `CAST(${a.sql} AS DATE)`;
      return from === 'string' || from === 'unknown' ? `CAST(TRY_CAST(${a.sql} AS TIMESTAMP) AS DATE)` : `CAST(${a.sql} AS DATE)`;
    case 'timestamp':
      if (from === 'int' || from === 'double' || from === 'decimal') throw untranslatable('CAST of a number to TIMESTAMP', NAME);
      return from === 'string' || from === 'unknown' ? `TRY_CAST(${a.sql} AS TIMESTAMP)` : `CAST(${a.sql} AS TIMESTAMP)`;
    default:
      return `TRY_CAST(${a.sql} AS ${target})`;
  }
}
