import type { DivisionKind, SqlType } from '../ir.js';
import { convertPattern } from '../patterns.js';
import {
  aggregateCall,
  argAt,
  aggregateAs,
  fn,
  functionHooks,
  intLiteral,
  isIntegral,
  isNonNullLiteral,
  javaReplacementToRe2,
  noEquivalent,
  nullIfZero,
  p,
  refuse,
  rename,
  sameAggregates,
  sameNames,
  strictVia,
  stringLiteral,
  untranslatable,
  warned,
  withTextArguments,
} from '../render/helpers.js';
import type { AggregateRenderer, Arg, FunctionTable, RenderApi, SqlDialect } from '../render/sql-dialect.js';
import {
  ANSI_LOGARITHMS,
  RENDERER_BUILT_INS,
  ansiDate,
  ansiDatePart,
  ansiNumber,
  ansiQuote,
  ansiString,
  ansiTemporal,
  jsonNullIsText,
  jsonText,
  ansiText,
  ansiTimestamp,
  ansiTypeName,
  bitPosition,
  checkJoinable,
  checkLenientAnsiCast,
  checkTranslate,
  isoDay,
  literalDelimiter,
  monthsBetween,
  NO_ANSI_MATH,
  partNumber,
  reciprocal,
  regionZone,
  requireArray,
  requireInt,
  requireIntegers,
  SAME_NAME_AGGREGATES,
  SAME_NAME_FUNCTIONS,
  SAME_NAME_MATH,
  SAME_NAME_STATISTICS,
  sidePart,
  sliceBounds,
  substrHive,
  substringIndexParts,
  substrSpark,
  widthBucket,
} from './shared.js';

const NAME = 'duckdb';

/** Where DuckDB's JSON reader and Spark's (Jackson, lenient) disagree on what is JSON. */
const LENIENT_JSON =
  'text that is not strict JSON is read differently: single quotes, raw control characters or more text after the value give NULL here (Spark reads them), trailing commas and NaN are read here (Spark: NULL)';

/** `then(json)` when json is valid JSON text of that type, else NULL (nested: json_type fails on invalid text). */
const jsonOfType = (json: string, type: 'ARRAY' | 'OBJECT', then: (json: string) => string): string =>
  `CASE WHEN json_valid(${json}) THEN CASE WHEN json_type(${json}) = '${type}' THEN ${then(json)} END END`;

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

/** Spark's population skewness from DuckDB's sample skewness: g1 = G1 * (n - 2) / sqrt(n (n - 1)). */
const skewness: AggregateRenderer = (args, distinct, filter) => {
  const n = aggregateCall('count', args, distinct, filter);
  return `CASE WHEN ${n} > 2 THEN ${aggregateCall('skewness', args, distinct, filter)} * (${n} - 2) / sqrt(${n} * (${n} - 1)) END`;
};

/** array_intersect/except: first occurrences in a whose position in b (NULL found as NULL) IS [NOT] NULL. */
function distinctWhere(args: Arg[], inB: 'IS NULL' | 'IS NOT NULL'): string {
  const [a, b] = [argAt(args, 0), argAt(args, 1)];
  return `CASE WHEN ${p(a)} IS NULL OR ${p(b)} IS NULL THEN NULL ELSE list_filter(${a.sql}, (x, i) -> list_position(${a.sql}, x) = i AND list_position(${b.sql}, x) ${inB}) END`;
}

const FUNCTIONS: FunctionTable = {
  ...RENDERER_BUILT_INS,
  ...SAME_NAME_FUNCTIONS,
  ...SAME_NAME_AGGREGATES,
  ...SAME_NAME_MATH,
  ...SAME_NAME_STATISTICS,
  ...ANSI_LOGARITHMS,
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
  timestamp_from_epoch: (args) => {
    const n = argAt(args, 0);
    return n.type.kind === 'int' ? `make_timestamp(CAST(${n.sql} AS BIGINT) * 1000000)` : `make_timestamp(CAST(${p(n)} * 1000000 AS BIGINT))`;
  },
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
  ascii: (args) => `CAST(ascii(${argAt(args, 0).sql}) AS INTEGER)`,
  chr: (args) => {
    const n = argAt(args, 0);
    return `CASE WHEN ${p(n)} < 0 THEN '' ELSE chr(CAST(${p(n)} % 256 AS INTEGER)) END`;
  },
  base64: (args) => `to_base64(encode(${argAt(args, 0).sql}))`,
  initcap: (args) => `array_to_string(list_transform(string_split(lower(${argAt(args, 0).sql}), ' '), w -> upper(left(w, 1)) || substring(w, 2)), ' ')`,
  left: (args) => sidePart(args, (s, n) => fn('left', s, n)),
  right: (args) => sidePart(args, (s, n) => fn('right', s, n)),
  substring_index: (args) => {
    const { s, delim, count, empty } = substringIndexParts(args, NAME);
    if (count === 0) return empty;
    return `array_to_string(string_split(${s.sql}, ${delim})[${count > 0 ? `1:${count}` : `${count}:`}], ${delim})`;
  },
  translate: (args) => (checkTranslate(args, NAME), fn('translate', ...args)),
  levenshtein: noEquivalent('DuckDB levenshtein counts bytes, Spark counts characters'),
  octet_length: (args) => `CAST(octet_length(encode(${argAt(args, 0).sql})) AS INTEGER)`,
  trim_chars: rename('trim'),
  contains: rename('contains'),
  startswith: rename('starts_with'),
  endswith: rename('ends_with'),
  find_in_set: (args) => {
    const [s, list] = [argAt(args, 0), argAt(args, 1)];
    const found = `coalesce(CAST(list_position(string_split(${list.sql}, ','), ${s.sql}) AS INTEGER), 0)`;
    return `CASE WHEN ${p(s)} IS NULL OR ${p(list)} IS NULL THEN NULL WHEN contains(${s.sql}, ',') THEN 0 ELSE ${found} END`;
  },
  split_part: (args) => fn('split_part', argAt(args, 0), ansiString(literalDelimiter(args[1], 'split_part', NAME)), String(partNumber(args[2], NAME))),
  regexp_extract_all: rename('regexp_extract_all'),
  regexp_count: (args) => `CAST(len(regexp_extract_all(${argAt(args, 0).sql}, ${argAt(args, 1).sql})) AS INTEGER)`,
  regexp_substr: (args) => `CASE WHEN ${fn('regexp_matches', ...args)} THEN ${fn('regexp_extract', ...args)} END`,
  hex: (args) => {
    const x = argAt(args, 0);
    if (x.type.kind === 'int') return `hex(CAST(${x.sql} AS BIGINT))`;
    if (x.type.kind === 'string') return fn('hex', x);
    throw untranslatable('hex() of a value that is not an integer or text', NAME);
  },
  md5: rename('md5'),
  sha1: rename('sha1'),
  sha2: (args) => {
    const bits = requireInt(args[1], 'sha2() bit length', NAME);
    if (bits !== 0 && bits !== 256) throw untranslatable(`sha2() with ${bits} bits`, NAME);
    return fn('sha256', argAt(args, 0));
  },
  crc32: noEquivalent('DuckDB has no CRC-32'),
  // DuckDB's JSON functions fail on text that is not JSON, where Spark's answer NULL: json_valid guards them.
  get_json_object: warned(`${LENIENT_JSON}; numbers below 0.001 or from 10^7 up are written without Spark's exponent (10000000.0, Spark 1.0E7)`, (args) => {
    const [json, path] = [jsonText(argAt(args, 0), 'get_json_object', NAME), argAt(args, 1)];
    const value = `json_extract_string(${json}, ${path.sql})`;
    // JSON null: NULL after a .key step, the text 'null' at the root or after an index (Spark).
    const read = jsonNullIsText(path) ? `CASE WHEN json_type(${json}, ${path.sql}) = 'NULL' THEN 'null' ELSE ${value} END` : value;
    return `CASE WHEN json_valid(${json}) THEN ${read} END`;
  }),
  json_array_length: warned(LENIENT_JSON, (args) =>
    jsonOfType(jsonText(argAt(args, 0), 'json_array_length', NAME), 'ARRAY', (json) => `CAST(json_array_length(${json}) AS INTEGER)`),
  ),
  json_object_keys: warned(LENIENT_JSON, (args) => jsonOfType(jsonText(argAt(args, 0), 'json_object_keys', NAME), 'OBJECT', (json) => `json_keys(${json})`)),
  cot: rename('cot'),
  sec: reciprocal('cos'),
  csc: reciprocal('sin'),
  asin: (args) => `CASE WHEN abs(${argAt(args, 0).sql}) > 1 THEN CAST('NaN' AS DOUBLE) ELSE asin(${argAt(args, 0).sql}) END`,
  acos: (args) => `CASE WHEN abs(${argAt(args, 0).sql}) > 1 THEN CAST('NaN' AS DOUBLE) ELSE acos(${argAt(args, 0).sql}) END`,
  sinh: rename('sinh'),
  sign: (args) => `CAST(sign(${argAt(args, 0).sql}) AS DOUBLE)`,
  e: () => 'exp(1)',
  bround: (args) => {
    const x = argAt(args, 0);
    if (x.type.kind !== 'int' && x.type.kind !== 'decimal') throw untranslatable('bround() of a value that is not an integer or DECIMAL (binary fractions round differently)', NAME);
    return fn('round_even', x, String(requireInt(args[1], 'bround() scale', NAME)));
  },
  factorial: (args) => `CASE WHEN ${p(argAt(args, 0))} BETWEEN 0 AND 20 THEN CAST(factorial(${argAt(args, 0).sql}) AS BIGINT) END`,
  isnan: (args) => `coalesce(isnan(CAST(${argAt(args, 0).sql} AS DOUBLE)), false)`,
  months_between: (args) => monthsBetween(args, 'last_day', NAME),
  next_day: (args) => {
    const d = ansiDate(argAt(args, 0));
    return `(${d} + CAST((${isoDay(args[1], NAME)} - isodow(${d}) + 6) % 7 + 1 AS INTEGER))`;
  },
  make_date: (args) => `try(${fn('make_date', ...args)})`,
  array: (args) => `[${args.map((a) => a.sql).join(', ')}]`,
  array_distinct: (args) => `list_filter(${argAt(args, 0).sql}, (x, i) -> list_position(${argAt(args, 0).sql}, x) = i)`,
  array_max: rename('list_max'),
  array_min: rename('list_min'),
  array_position: (args) => {
    const [a, v] = [argAt(args, 0), argAt(args, 1)];
    return `CASE WHEN ${p(a)} IS NULL OR ${p(v)} IS NULL THEN NULL ELSE coalesce(list_position(${a.sql}, ${v.sql}), 0) END`;
  },
  array_remove: (args) => {
    const [a, v] = [argAt(args, 0), argAt(args, 1)];
    return `CASE WHEN ${p(v)} IS NULL THEN NULL ELSE list_filter(${a.sql}, x -> x IS NULL OR x <> ${p(v)}) END`;
  },
  array_compact: (args) => `list_filter(${argAt(args, 0).sql}, x -> x IS NOT NULL)`,
  arrays_overlap: (args) => {
    const [a, b] = [argAt(args, 0), argAt(args, 1)];
    const hasNull = (x: Arg): string => `list_contains(list_transform(${x.sql}, x -> x IS NULL), true)`;
    return `CASE WHEN ${p(a)} IS NULL OR ${p(b)} IS NULL THEN NULL WHEN list_has_any(${a.sql}, ${b.sql}) THEN true WHEN len(${a.sql}) > 0 AND len(${b.sql}) > 0 AND (${hasNull(a)} OR ${hasNull(b)}) THEN NULL ELSE false END`;
  },
  array_join: (args) => {
    const [a, d, nullText] = [argAt(args, 0), ansiString(literalDelimiter(args[1], 'array_join', NAME)), args[2]];
    checkJoinable(a, NAME);
    if (!nullText) return `array_to_string(${a.sql}, ${d})`;
    return `array_to_string(list_transform(${a.sql}, x -> coalesce(CAST(x AS VARCHAR), ${nullText.sql})), ${d})`;
  },
  slice: (args) => {
    const [start, n] = sliceBounds(args, NAME);
    return `list_slice(${argAt(args, 0).sql}, ${start}, ${start + n - 1})`;
  },
  flatten: (args) => {
    const a = argAt(args, 0);
    return `CASE WHEN list_contains(list_transform(${a.sql}, x -> x IS NULL), true) THEN NULL ELSE flatten(${a.sql}) END`;
  },
  sequence: (args) => fn('generate_series', ...requireIntegers(args, 'sequence', NAME)),
  width_bucket: (args) => widthBucket(args, 'isnan', 'isinf'),
  array_intersect: (args) => distinctWhere(args, 'IS NOT NULL'),
  array_except: (args) => distinctWhere(args, 'IS NULL'),
  map_keys: rename('map_keys'),
  map_entries: rename('map_entries'),
  map_values: rename('map_values'),
  map_from_arrays: (args) => {
    const [k, v] = [argAt(args, 0), argAt(args, 1)];
    return `CASE WHEN ${p(k)} IS NULL OR ${p(v)} IS NULL THEN NULL ELSE map(${k.sql}, ${v.sql}) END`;
  },
  element_at: (args) => (requireArray(argAt(args, 0), 'element_at', NAME), fn('list_extract', ...args)),
  array_append: (args) => `CASE WHEN ${p(argAt(args, 0))} IS NULL THEN NULL ELSE list_append(${argAt(args, 0).sql}, ${argAt(args, 1).sql}) END`,
  array_prepend: (args) => `CASE WHEN ${p(argAt(args, 0))} IS NULL THEN NULL ELSE list_prepend(${argAt(args, 1).sql}, ${argAt(args, 0).sql}) END`,
  array_repeat: (args) => `list_transform(range(greatest(${argAt(args, 1).sql}, 0)), i -> ${argAt(args, 0).sql})`,
  array_union: (args) => {
    const [a, b] = [argAt(args, 0), argAt(args, 1)];
    const both = `list_concat(${a.sql}, ${b.sql})`;
    return `CASE WHEN ${p(a)} IS NULL OR ${p(b)} IS NULL THEN NULL ELSE list_filter(${both}, (x, i) -> list_position(${both}, x) = i) END`;
  },
  acosh: rename('acosh'),
  asinh: rename('asinh'),
  atanh: rename('atanh'),
  rint: (args) => `round_even(CAST(${argAt(args, 0).sql} AS DOUBLE), 0)`,
  bin: (args) => {
    if (argAt(args, 0).type.kind !== 'int') throw untranslatable('bin() of a value that is not an integer', NAME);
    return `bin(CAST(${argAt(args, 0).sql} AS BIGINT))`;
  },
  from_utc_timestamp: (args) => `timezone(${regionZone(args[1], NAME)}, timezone('UTC', ${ansiTimestamp(argAt(args, 0))}))`,
  to_utc_timestamp: (args) => `timezone('UTC', timezone(${regionZone(args[1], NAME)}, ${ansiTimestamp(argAt(args, 0))}))`,
  ...NO_ANSI_MATH,
  bit_count: (args) => `CAST(bit_count(CAST(${argAt(args, 0).sql} AS BIGINT)) AS INTEGER)`,
  getbit: (args) => `CAST((${p(argAt(args, 0))} >> ${bitPosition(args, 'getbit', NAME)}) & 1 AS TINYINT)`,
  shiftright: (args) => `(${p(argAt(args, 0))} >> ${bitPosition(args, 'shiftright', NAME)})`,
  unix_millis: (args) => fn('epoch_ms', ansiTimestamp(argAt(args, 0))),
  unix_micros: (args) => fn('epoch_us', ansiTimestamp(argAt(args, 0))),
  timestamp_millis: (args) => `make_timestamp(CAST(${argAt(args, 0).sql} AS BIGINT) * 1000)`,
  timestamp_micros: (args) => `make_timestamp(CAST(${argAt(args, 0).sql} AS BIGINT))`,
  array_agg: aggregateAs('array_agg'),
  collect_list: (args, distinct, filter) => collect(distinct, args, filter),
  collect_set: (args, _distinct, filter) => collect(true, args, filter),
  percentile: aggregateAs('quantile_cont'),
  percentile_approx: warned('DuckDB approx_quantile uses a different sketch; values may differ slightly', (args, distinct, filter) =>
    aggregateCall('approx_quantile', [argAt(args, 0), floatArg(argAt(args, 1))], distinct, filter),
  ),
  ...sameAggregates(['regr_slope', 'regr_intercept', 'regr_count', 'regr_r2', 'regr_avgx', 'regr_avgy', 'regr_sxx', 'regr_syy', 'regr_sxy']),
  ...sameAggregates(['count_if', 'bool_and', 'bool_or', 'bit_and', 'bit_or', 'bit_xor']),
  skewness: warned('computed from DuckDB\'s sample skewness: may differ in the last digits, and is NULL for fewer than 3 values', skewness),
  kurtosis: aggregateAs('kurtosis_pop'),
  max_by: warned('ties on the ordering value may pick another row', aggregateAs('arg_max_null')),
  min_by: warned('ties on the ordering value may pick another row', aggregateAs('arg_min_null')),
  approx_count_distinct: warned('DuckDB uses a different HyperLogLog; estimates may differ', aggregateAs('approx_count_distinct')),
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
  ...functionHooks(FUNCTIONS, NAME, (name, args, r) => withTextArguments(name, args, (a) => ansiText(a, r, NAME))),
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
