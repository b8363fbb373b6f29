import type { DivisionKind, SqlType } from '../ir.js';
import { convertPattern, parseJavaPattern, renderPattern } from '../patterns.js';
import {
  aggregateAs,
  aggregateCall,
  argAt,
  fn,
  functionHooks,
  intLiteral,
  isIntegral,
  noEquivalent,
  nullIfZero,
  p,
  refuse,
  refuseAll,
  rename,
  sameAggregates,
  skipNullsVia,
  stringLiteral,
  untranslatable,
  warned,
  withTextArguments,
} from '../render/helpers.js';
import type { AggregateRenderer, Arg, FunctionRenderer, FunctionTable, RenderApi, SqlDialect } from '../render/sql-dialect.js';
import {
  ANSI_LOGARITHMS,
  ansiDate,
  ansiDatePart,
  ansiNumber,
  ansiQuote,
  ansiString,
  ansiTemporal,
  ansiText,
  ansiTimestamp,
  ansiTypeName,
  bitPosition,
  checkJoinable,
  checkLenientAnsiCast,
  checkTranslate,
  isoDay,
  jsonNullIsText,
  jsonText,
  literalDelimiter,
  monthsBetween,
  NO_ANSI_MATH,
  partNumber,
  reciprocal,
  regionZone,
  RENDERER_BUILT_INS,
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

const NAME = 'trino';

/** Spark's JSON reader (Jackson, lenient) also reads what strict JSON readers refuse. */
const NOT_STRICT_JSON = 'text that is not strict JSON (single quotes, raw control characters in strings) may give NULL here where Spark reads it';

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

/** Hex digests as Spark writes them: lower-case hex of the hash of the UTF-8 bytes. */
const hexDigest = (name: string, s: Arg): string => `lower(to_hex(${name}(to_utf8(${s.sql}))))`;
const digest =
  (name: string): FunctionRenderer =>
  (args) =>
    hexDigest(name, argAt(args, 0));

/** Spark's population excess kurtosis from Trino's sample estimate G2: g2 = (G2 (n-2)(n-3) / (n-1) - 6) / (n + 1). */
const kurtosis: AggregateRenderer = (args, distinct, filter) => {
  const n = aggregateCall('count', args, distinct, filter);
  return `((${aggregateCall('kurtosis', args, distinct, filter)} * (${n} - 2) * (${n} - 3) / (${n} - 1) - 6) / (${n} + 1))`;
};

/** `name(args)` over the rows where neither y nor x is NULL. */
function pairCall(name: string, args: Arg[], filter: string | undefined, ...of: string[]): string {
  const [y, x] = [argAt(args, 0), argAt(args, 1)];
  const pair = `${p(y)} IS NOT NULL AND ${p(x)} IS NOT NULL`;
  return `${name}(${of.join(', ')}) FILTER (WHERE ${filter ? `(${filter}) AND ` : ''}${pair})`;
}

/** regr_count/avgx/avgy(y, x): `name` of argument `which` over the rows where neither y nor x is NULL. */
const pairAggregate =
  (name: string, which: 0 | 1): AggregateRenderer =>
  (args, distinct, filter) => {
    if (distinct) throw untranslatable('DISTINCT in a regression aggregate', NAME);
    return pairCall(name, args, filter, argAt(args, which).sql);
  };

/**
 * regr_sxx/syy/sxy/r2(y, x) from count, var_pop, covar_pop and corr over the complete pairs (Spark:
 * sxx = count * var_pop(x), sxy = count * covar_pop(y, x); r2 is NULL when y is constant, 1 when x is, else corr²).
 */
const regression =
  (which: 'sxx' | 'syy' | 'sxy' | 'r2'): AggregateRenderer =>
  (args, distinct, filter) => {
    if (distinct) throw untranslatable('DISTINCT in a regression aggregate', NAME);
    const [y, x] = [argAt(args, 0).sql, argAt(args, 1).sql];
    const n = pairCall('count', args, filter, x);
    switch (which) {
      case 'sxx':
        return `(${n} * ${pairCall('var_pop', args, filter, x)})`;
      case 'syy':
        return `(${n} * ${pairCall('var_pop', args, filter, y)})`;
      case 'sxy':
        return `(${n} * ${pairCall('covar_pop', args, filter, y, x)})`;
      case 'r2': {
        const corr = pairCall('corr', args, filter, y, x);
        return `CASE WHEN ${pairCall('var_pop', args, filter, y)} = 0 THEN NULL WHEN ${pairCall('var_pop', args, filter, x)} = 0 THEN 1E0 ELSE ${corr} * ${corr} END`;
      }
    }
  };

/** The argument as DOUBLE (so x * x cannot overflow an integer type). */
const asDouble = (a: Arg): string => (a.type.kind === 'double' ? p(a) : `CAST(${a.sql} AS DOUBLE)`);

const hasNull = (a: Arg): string => `any_match(${a.sql}, x -> x IS NULL)`;

/** array_intersect/except: the distinct elements of a (in order) that are / are not in b, NULL matching NULL. */
function distinctWhere(args: Arg[], inB: boolean): string {
  const [a, b] = [argAt(args, 0), argAt(args, 1)];
  const found = `any_match(${b.sql}, y -> y IS NOT DISTINCT FROM x)`;
  return `CASE WHEN ${p(a)} IS NULL OR ${p(b)} IS NULL THEN NULL ELSE filter(array_distinct(${a.sql}), x -> ${inB ? found : `NOT ${found}`}) END`;
}

/** Epoch milliseconds from exact integer parts: whole days since 1970 plus the time of day (floor, as Spark). */
const epochMillis = (ts: string): string =>
  `(date_diff('day', DATE '1970-01-01', CAST(${ts} AS DATE)) * 86400000 + hour(${ts}) * 3600000 + minute(${ts}) * 60000 + second(${ts}) * 1000 + millisecond(${ts}))`;

const FUNCTIONS: FunctionTable = {
  ...RENDERER_BUILT_INS,
  ...SAME_NAME_FUNCTIONS,
  ...SAME_NAME_AGGREGATES,
  ...SAME_NAME_MATH,
  ...SAME_NAME_STATISTICS,
  ...ANSI_LOGARITHMS,
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
  ascii: (args) => {
    const s = argAt(args, 0);
    return `CASE WHEN ${p(s)} = '' THEN 0 ELSE codepoint(CAST(substr(${s.sql}, 1, 1) AS VARCHAR(1))) END`;
  },
  chr: (args) => {
    const n = argAt(args, 0);
    return `CASE WHEN ${p(n)} < 0 THEN '' ELSE chr(${p(n)} % 256) END`;
  },
  base64: (args) => `to_base64(to_utf8(${argAt(args, 0).sql}))`,
  initcap: (args) => `array_join(transform(split(lower(${argAt(args, 0).sql}), ' '), w -> upper(substr(w, 1, 1)) || substr(w, 2)), ' ')`,
  left: (args) => sidePart(args, (s, n) => fn('substr', s, '1', n)),
  right: (args) => sidePart(args, (s, n) => `substr(${s.sql}, greatest(length(${s.sql}) - ${p(n)} + 1, 1))`),
  substring_index: (args) => {
    const { s, delim, count, empty } = substringIndexParts(args, NAME);
    if (count === 0) return empty;
    if (count > 0) return `array_join(slice(split(${s.sql}, ${delim}), 1, ${count}), ${delim})`;
    return `array_join(reverse(slice(reverse(split(${s.sql}, ${delim})), 1, ${-count})), ${delim})`;
  },
  translate: (args) => (checkTranslate(args, NAME), fn('translate', ...args)),
  levenshtein: (args) => `CAST(${fn('levenshtein_distance', ...args)} AS INTEGER)`,
  octet_length: (args) => `CAST(length(to_utf8(${argAt(args, 0).sql})) AS INTEGER)`,
  trim_chars: rename('trim'),
  contains: (args) => `(strpos(${argAt(args, 0).sql}, ${argAt(args, 1).sql}) > 0)`,
  startswith: rename('starts_with'),
  endswith: (args) => {
    const [s, t] = [argAt(args, 0), argAt(args, 1)];
    return `(length(${s.sql}) >= length(${t.sql}) AND substr(${s.sql}, length(${s.sql}) - length(${t.sql}) + 1) = ${p(t)})`;
  },
  find_in_set: (args) => {
    const [s, list] = [argAt(args, 0), argAt(args, 1)];
    return `CASE WHEN ${p(s)} IS NULL OR ${p(list)} IS NULL THEN NULL WHEN strpos(${s.sql}, ',') > 0 THEN 0 ELSE CAST(array_position(split(${list.sql}, ','), ${s.sql}) AS INTEGER) END`;
  },
  split_part: (args) => {
    const [s, d, n] = [argAt(args, 0), ansiString(literalDelimiter(args[1], 'split_part', NAME)), partNumber(args[2], NAME)];
    return `CASE WHEN ${p(s)} IS NULL THEN NULL ELSE coalesce(split_part(${s.sql}, ${d}, ${n}), '') END`;
  },
  regexp_extract_all: rename('regexp_extract_all'),
  regexp_count: (args) => `CAST(${fn('regexp_count', ...args)} AS INTEGER)`,
  regexp_substr: rename('regexp_extract'),
  hex: (args) => {
    const x = argAt(args, 0);
    if (x.type.kind === 'string') return `to_hex(to_utf8(${x.sql}))`;
    if (x.type.kind !== 'int') throw untranslatable('hex() of a value that is not an integer or text', NAME);
    return `CASE WHEN ${p(x)} = 0 THEN '0' ELSE ltrim(to_hex(to_big_endian_64(CAST(${x.sql} AS BIGINT))), '0') END`;
  },
  md5: digest('md5'),
  // json_extract_scalar answers NULL for objects and arrays and keeps numbers as written (1.50, 1e2);
  // json_format writes them as Spark does, and unquoted strings come from json_extract_scalar.
  // JSON null: NULL after a .key step, the text 'null' at the root or after an index (Spark).
  get_json_object: warned(NOT_STRICT_JSON, (args) => {
    const [json, path] = [jsonText(argAt(args, 0), 'get_json_object', NAME), argAt(args, 1)];
    const text = `json_format(json_extract(${json}, ${path.sql}))`;
    const jsonNull = jsonNullIsText(path) ? '' : `WHEN ${text} = 'null' THEN NULL `;
    return `CASE ${jsonNull}WHEN ${text} LIKE '"%' THEN json_extract_scalar(${json}, ${path.sql}) ELSE ${text} END`;
  }),
  json_array_length: warned(NOT_STRICT_JSON, (args) => `CAST(json_array_length(${jsonText(argAt(args, 0), 'json_array_length', NAME)}) AS INTEGER)`),
  json_object_keys: refuse('Trino has no function giving JSON object keys in document order'),
  sha1: digest('sha1'),
  sha2: (args) => {
    const bits = requireInt(args[1], 'sha2() bit length', NAME);
    if (bits !== 0 && bits !== 256 && bits !== 512) throw untranslatable(`sha2() with ${bits} bits`, NAME);
    return hexDigest(bits === 512 ? 'sha512' : 'sha256', argAt(args, 0));
  },
  crc32: (args) => `crc32(to_utf8(${argAt(args, 0).sql}))`,
  cot: reciprocal('tan'),
  sec: reciprocal('cos'),
  csc: reciprocal('sin'),
  asin: rename('asin'),
  acos: rename('acos'),
  sinh: rename('sinh'),
  sign: (args) => `CAST(sign(${argAt(args, 0).sql}) AS DOUBLE)`,
  e: () => 'e()',
  bround: noEquivalent('Trino has no half-to-even rounding'),
  factorial: (args) => {
    const n = argAt(args, 0);
    return `CASE WHEN ${p(n)} BETWEEN 0 AND 20 THEN reduce(sequence(1, greatest(${n.sql}, 1)), BIGINT '1', (s, x) -> s * x, s -> s) END`;
  },
  isnan: (args) => `coalesce(is_nan(CAST(${argAt(args, 0).sql} AS DOUBLE)), false)`,
  months_between: (args) => monthsBetween(args, 'last_day_of_month', NAME),
  next_day: (args) => {
    const d = ansiDate(argAt(args, 0));
    return `date_add('day', (${isoDay(args[1], NAME)} - day_of_week(${d}) + 6) % 7 + 1, ${d})`;
  },
  make_date: (args) => {
    const [y, m, d] = [argAt(args, 0), argAt(args, 1), argAt(args, 2)];
    const first = `date_add('month', ${p(m)} - 1, date_add('year', ${p(y)} - 1970, DATE '1970-01-01'))`;
    return `CASE WHEN ${p(m)} BETWEEN 1 AND 12 AND ${p(d)} BETWEEN 1 AND day(last_day_of_month(${first})) THEN date_add('day', ${p(d)} - 1, ${first}) END`;
  },
  array: (args) => `ARRAY[${args.map((a) => a.sql).join(', ')}]`,
  array_distinct: rename('array_distinct'),
  array_max: (args) => `array_max(filter(${argAt(args, 0).sql}, x -> x IS NOT NULL))`,
  array_min: (args) => `array_min(filter(${argAt(args, 0).sql}, x -> x IS NOT NULL))`,
  array_position: (args) => {
    const [a, v] = [argAt(args, 0), argAt(args, 1)];
    return `CASE WHEN ${p(a)} IS NULL OR ${p(v)} IS NULL THEN NULL ELSE array_position(${a.sql}, ${v.sql}) END`;
  },
  array_remove: (args) => {
    const [a, v] = [argAt(args, 0), argAt(args, 1)];
    return `CASE WHEN ${p(v)} IS NULL THEN NULL ELSE filter(${a.sql}, x -> x IS NULL OR x <> ${p(v)}) END`;
  },
  array_compact: (args) => `filter(${argAt(args, 0).sql}, x -> x IS NOT NULL)`,
  arrays_overlap: (args) => {
    const [a, b] = [argAt(args, 0), argAt(args, 1)];
    const common = `cardinality(array_intersect(filter(${a.sql}, x -> x IS NOT NULL), filter(${b.sql}, x -> x IS NOT NULL))) > 0`;
    return `CASE WHEN ${p(a)} IS NULL OR ${p(b)} IS NULL THEN NULL WHEN ${common} THEN true WHEN cardinality(${a.sql}) > 0 AND cardinality(${b.sql}) > 0 AND (${hasNull(a)} OR ${hasNull(b)}) THEN NULL ELSE false END`;
  },
  array_join: (args) => {
    const [a, d] = [argAt(args, 0), ansiString(literalDelimiter(args[1], 'array_join', NAME))];
    checkJoinable(a, NAME);
    return args[2] ? `array_join(${a.sql}, ${d}, ${args[2].sql})` : `array_join(${a.sql}, ${d})`;
  },
  slice: (args) => (sliceBounds(args, NAME), fn('slice', ...args)),
  flatten: (args) => `CASE WHEN ${hasNull(argAt(args, 0))} THEN NULL ELSE flatten(${argAt(args, 0).sql}) END`,
  sequence: (args) => fn('sequence', ...requireIntegers(args, 'sequence', NAME)),
  width_bucket: (args) => widthBucket(args, 'is_nan', 'is_infinite'),
  array_intersect: (args) => distinctWhere(args, true),
  array_except: (args) => distinctWhere(args, false),
  map_keys: rename('map_keys'),
  // Trino's entries are anonymous ROW(K, V): cast to Spark's field names.
  map_entries: (args) => {
    const m = argAt(args, 0);
    if (m.type.kind !== 'map' || [m.type.key.kind, m.type.value.kind].some((k) => k === 'unknown' || k === 'null')) {
      throw untranslatable('map_entries() of a map whose key and value types are not known', NAME);
    }
    return `CAST(map_entries(${m.sql}) AS ARRAY(ROW("key" ${ansiTypeName(m.type.key, NAME)}, "value" ${ansiTypeName(m.type.value, NAME)})))`;
  },
  map_values: rename('map_values'),
  map_from_arrays: (args) => {
    const [k, v] = [argAt(args, 0), argAt(args, 1)];
    return `CASE WHEN ${p(k)} IS NULL OR ${p(v)} IS NULL THEN NULL ELSE map(${k.sql}, ${v.sql}) END`;
  },
  element_at: (args) => (requireArray(argAt(args, 0), 'element_at', NAME), fn('element_at', ...args)),
  array_append: (args) => `CASE WHEN ${p(argAt(args, 0))} IS NULL THEN NULL ELSE concat(${argAt(args, 0).sql}, ARRAY[${argAt(args, 1).sql}]) END`,
  array_prepend: (args) => `CASE WHEN ${p(argAt(args, 0))} IS NULL THEN NULL ELSE concat(ARRAY[${argAt(args, 1).sql}], ${argAt(args, 0).sql}) END`,
  array_repeat: (args) => `repeat(${argAt(args, 0).sql}, greatest(${argAt(args, 1).sql}, 0))`,
  array_union: rename('array_union'),
  // Spark's own formulas: acosh(x) = ln(x + sqrt(x² - 1)), asinh(x) = ln(x + sqrt(x² + 1)) (-Infinity at -Infinity).
  acosh: (args) => {
    const x = asDouble(argAt(args, 0));
    return `ln(${x} + sqrt(${x} * ${x} - 1))`;
  },
  asinh: (args) => {
    const x = asDouble(argAt(args, 0));
    return `CASE WHEN ${x} = -infinity() THEN -infinity() ELSE ln(${x} + sqrt(${x} * ${x} + 1)) END`;
  },
  atanh: noEquivalent('Trino has no log1p(); Spark computes atanh from it and ln(1 + x) loses precision'),
  rint: noEquivalent('Trino has no half-to-even rounding'),
  bin: noEquivalent("Trino's to_base writes negative numbers with a sign, not in two's complement"),
  from_utc_timestamp: (args) => `CAST(with_timezone(${ansiTimestamp(argAt(args, 0))}, 'UTC') AT TIME ZONE ${regionZone(args[1], NAME)} AS TIMESTAMP)`,
  to_utc_timestamp: (args) => `CAST(with_timezone(${ansiTimestamp(argAt(args, 0))}, ${regionZone(args[1], NAME)}) AT TIME ZONE 'UTC' AS TIMESTAMP)`,
  ...NO_ANSI_MATH,
  bit_count: (args) => `CAST(bit_count(${argAt(args, 0).sql}, 64) AS INTEGER)`,
  getbit: (args) => `CAST(bitwise_and(bitwise_right_shift_arithmetic(${argAt(args, 0).sql}, ${bitPosition(args, 'getbit', NAME)}), 1) AS TINYINT)`,
  shiftright: (args) => `bitwise_right_shift_arithmetic(${argAt(args, 0).sql}, ${bitPosition(args, 'shiftright', NAME)})`,
  unix_millis: (args) => epochMillis(ansiTimestamp(argAt(args, 0))),
  unix_micros: refuse("unix_micros() (Trino has no microsecond field; to_unixtime's DOUBLE seconds lose precision)"),
  timestamp_millis: (args) => `date_add('millisecond', ${argAt(args, 0).sql}, TIMESTAMP '1970-01-01 00:00:00.000')`,
  timestamp_micros: (args) => `CAST(from_unixtime_nanos(CAST(${argAt(args, 0).sql} AS BIGINT) * 1000) AT TIME ZONE 'UTC' AS TIMESTAMP(6))`,
  array_agg: aggregateAs('array_agg'),
  collect_list: (args, distinct, filter) => collect(distinct, args, filter),
  collect_set: (args, _distinct, filter) => collect(true, args, filter),
  percentile: noEquivalent('Trino has no exact percentile, only approx_percentile'),
  percentile_approx: warned('Trino approx_percentile uses a different sketch; values may differ slightly', aggregateAs('approx_percentile')),
  ...sameAggregates(['regr_slope', 'regr_intercept', 'count_if', 'bool_and', 'bool_or', 'max_by', 'min_by']),
  regr_count: pairAggregate('count', 1),
  regr_avgx: pairAggregate('avg', 1),
  regr_avgy: pairAggregate('avg', 0),
  regr_sxx: regression('sxx'),
  regr_syy: regression('syy'),
  regr_sxy: regression('sxy'),
  regr_r2: regression('r2'),
  skewness: aggregateAs('skewness'),
  kurtosis: warned("computed from Trino's sample kurtosis: may differ in the last digits, and is NULL for fewer than 4 values", kurtosis),
  approx_count_distinct: warned('Trino approx_distinct uses a different HyperLogLog; estimates may differ', aggregateAs('approx_distinct')),
  bit_and: aggregateAs('bitwise_and_agg'),
  bit_or: aggregateAs('bitwise_or_agg'),
  bit_xor: noEquivalent('Trino has no bitwise XOR aggregate'),
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
  ...functionHooks(FUNCTIONS, NAME, (name, args, r) => withTextArguments(name, args, (a) => text(a, r))),
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
