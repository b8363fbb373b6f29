import type { DivisionKind } from '../ir.js';
import { argAt, fn, functionHooks, intLiteral, noEquivalent, nullIfZero, p, rename, sameAggregates, sameNames, stringLiteral, strictVia, untranslatable } from '../render/helpers.js';
import type { Arg, FunctionTable, NumberLiteral, RenderApi, SqlDialect } from '../render/sql-dialect.js';
import { DAY_NAMES, HIVE_FUNCTIONS, hiveCast, hiveDialect, hiveDivide, hiveLike } from './hive-dialect.js';
import { checkTranslate, isoDay, literalDelimiter, requireInt, substrHive } from './shared.js';

const NAME = 'spark';

const SPARK_TRUNC: Readonly<Record<string, string>> = { year: 'YEAR', quarter: 'QUARTER', month: 'MONTH', week: 'WEEK' };

/**
 * Spark differs from Hive where it matters here: greatest/least skip NULLs, substr clamps negative
 * starts, add_months keeps the day, size(NULL) is NULL under ANSI mode, trunc/date_trunc know more units,
 * and with ANSI mode on, division by zero and bad casts fail (so they are guarded).
 */
const SPARK_FUNCTIONS: FunctionTable = {
  ...HIVE_FUNCTIONS,
  ...sameNames(['left', 'right', 'contains', 'startswith', 'endswith', 'regexp_extract_all', 'regexp_count', 'regexp_substr', 'hex', 'cot', 'sec', 'csc']),
  ...sameNames(['sinh', 'cosh', 'tanh', 'atan2', 'isnan', 'make_date', 'array_distinct', 'array_max', 'array_min', 'array_position', 'array_remove']),
  ...sameNames(['array_compact', 'arrays_overlap', 'array_join', 'slice', 'flatten', 'sequence', 'element_at', 'months_between']),
  ...sameNames(['array_append', 'array_prepend', 'array_repeat', 'array_union', 'acosh', 'asinh', 'atanh', 'rint', 'bin', 'nth_value']),
  ...sameNames(['log1p', 'expm1', 'hypot', 'bit_count', 'getbit', 'shiftright', 'map_keys', 'map_values', 'map_from_arrays', 'array_intersect', 'array_except', 'width_bucket', 'map_entries']),
  ...sameNames(['json_array_length', 'json_object_keys', 'unix_millis', 'unix_micros', 'timestamp_millis', 'timestamp_micros', 'from_utc_timestamp', 'to_utc_timestamp']),
  ...sameAggregates(['skewness', 'kurtosis', 'count_if', 'bool_and', 'bool_or', 'max_by', 'min_by', 'approx_count_distinct', 'bit_and', 'bit_or', 'bit_xor']),
  array_agg: noEquivalent('Spark array_agg drops NULLs, as collect_list does'),
  chr: rename('chr'),
  base64: rename('base64'),
  translate: (args) => (checkTranslate(args, NAME), fn('translate', ...args)),
  trim_chars: rename('btrim'),
  sign: rename('signum'),
  split_part: (args) => (literalDelimiter(args[1], 'split_part', NAME), requireInt(args[2], 'split_part() part', NAME), fn('split_part', ...args)),
  next_day: (args) => fn('next_day', argAt(args, 0), `'${DAY_NAMES[isoDay(args[1], NAME) - 1]}'`),
  greatest_strict: strictVia('greatest'),
  least_strict: strictVia('least'),
  greatest_skip: rename('greatest'),
  least_skip: rename('least'),
  substr: (args) => {
    const pos = intLiteral(args[1]);
    const len = args[2] === undefined ? 0 : intLiteral(args[2]);
    if (pos !== undefined && pos >= 0 && len !== undefined) return fn('substr', ...args);
    return substrHive(args, 'substr');
  },
  substr_spark: rename('substr'),
  add_months: (args) => {
    const [d, n] = [argAt(args, 0), argAt(args, 1)];
    const moved = `add_months(${d.sql}, ${n.sql})`;
    return `CASE WHEN last_day(${d.sql}) = to_date(${d.sql}) THEN last_day(${moved}) ELSE ${moved} END`;
  },
  add_months_clamp: rename('add_months'),
  last_day: rename('last_day'),
  date_trunc: (args) => {
    const [unit, x] = [stringLiteral(args[0], 'date_trunc unit', NAME), argAt(args, 1)];
    if (x.type.kind === 'date' && SPARK_TRUNC[unit]) return `trunc(${x.sql}, '${SPARK_TRUNC[unit]}')`;
    return `date_trunc('${unit.toUpperCase()}', ${x.sql})`;
  },
  dayofyear: rename('dayofyear'),
  timestamp_from_epoch: rename('timestamp_seconds'),
  parse_timestamp: rename('try_to_timestamp'),
  size: (args) => `coalesce(size(${argAt(args, 0).sql}), -1)`,
  sort_array: (args) => {
    const [dir, nulls] = [stringLiteral(args[1], 'sort direction', NAME), stringLiteral(args[2], 'null order', NAME)];
    if (dir === 'ASC' && nulls === 'FIRST') return fn('sort_array', argAt(args, 0));
    if (dir === 'DESC' && nulls === 'LAST') return fn('sort_array', argAt(args, 0), 'false');
    if (dir === 'ASC' && nulls === 'LAST') return fn('array_sort', argAt(args, 0));
    throw untranslatable(`sort_array ${dir} NULLS ${nulls}`, NAME);
  },
};

/** Spark reads `1.5` as a DECIMAL; a DOUBLE literal needs the D suffix. */
function sparkNumber(lit: NumberLiteral): string {
  if (lit.numeric === 'double') return /[eE]/.test(lit.value) ? lit.value : `${lit.value}D`;
  return lit.value;
}

/** Spark SQL (3.4+): Hive syntax, plus FILTER, OFFSET, GROUP BY ordinals. */
export const sparkDialect: SqlDialect = {
  ...hiveDialect,
  name: NAME,
  supportsAggregateFilter: true,
  groupByOrdinals: true,
  numberLiteral: sparkNumber,
  cast: (a, to, lenient, r) => hiveCast(a, to, lenient, r, NAME, 'try_cast'),
  divide: (kind: DivisionKind, a: Arg, b: Arg, r: RenderApi) => hiveDivide(kind, a, b, r, NAME, nullIfZero),
  modulo: (a, b) => `(${p(a)} % ${nullIfZero(b)})`,
  like: (arg, pattern, negated, escape) => hiveLike(arg, pattern, negated, escape, NAME),
  ...functionHooks(SPARK_FUNCTIONS, NAME),
  limit: (limit, offset) => [limit === undefined ? '' : `LIMIT ${limit}`, offset === undefined ? '' : `OFFSET ${offset}`].filter(Boolean).join(' '),
};
