import type { DialectFamily, SqlDialectName } from '../dialect.js';
import type { DivisionKind, NumericKind } from '../ir.js';
import { DUCKDB_FUNCTIONS, TRINO_FUNCTIONS } from '../lower/ansi-functions.js';
import { HIVE_FUNCTIONS } from '../lower/hive-functions.js';
import type { FunctionLowering } from '../lower/lower-functions.js';

/**
 * What one source dialect accepts and means, as data: the parser and the lowering read these settings
 * and never test the dialect's name (in the manner of sqlglot's dialect classes). A construct a dialect
 * does not accept is a syntax error there, even when the parser knows it from another dialect.
 */
export interface SourceDialect {
  readonly name: SqlDialectName;
  /** Lexical rules: quotes, escapes, number suffixes (lexer.ts). */
  readonly family: DialectFamily;
  /** Where NULLs sort when ORDER BY does not say. */
  readonly nullsByDefault: { readonly ASC: 'FIRST' | 'LAST'; readonly DESC: 'FIRST' | 'LAST' };
  /** What `/` means. */
  readonly division: DivisionKind;
  /** The integer-division operator, if any (`DIV` is a word, `//` an operator). */
  readonly integerDivision?: 'DIV' | '//';
  /** How `1.5` is typed (Hive: DOUBLE; the others: DECIMAL). */
  readonly decimalPointLiteral: NumericKind;
  /** Hive/Spark `10L`, `1.5BD` suffixes (the lexer accepts them for the whole Hive family). */
  readonly typedNumberSuffixes: boolean;
  /** CAST follows Hive: failed conversions give NULL, fractions truncate. */
  readonly lenientCasts: boolean;
  /** The LIKE escape character in effect without an ESCAPE clause. */
  readonly likeEscape: string | null;
  /** Array subscripts count from 0 (Hive) or 1 (ANSI; then only positive integer literals are accepted). */
  readonly subscriptBase: 0 | 1;
  /** `a <=> b`, null-safe equality. */
  readonly nullSafeEquals: boolean;
  /** `a IS [NOT] DISTINCT FROM b`. */
  readonly isDistinctFrom: boolean;
  /** `RLIKE` / `REGEXP` operators. */
  readonly rlike: boolean;
  /** `a || b` concatenation (Impala reads it as OR or concatenation depending on a query option). */
  readonly concatOperator: boolean;
  /**
   * A doubled quote inside a Hive-family string literal is an escaped quote (Spark 4); elsewhere in the
   * family it is the boundary of two adjacent literals or unclear, so it is refused. (ANSI: always a quote.)
   */
  readonly doubledQuoteEscapes: boolean;
  /** Double-quoted text is a string literal (Hive family) rather than an identifier. */
  readonly doubleQuotedStrings: boolean;
  /** Backtick-quoted identifiers. */
  readonly backtickIdentifiers: boolean;
  readonly lateralView: boolean;
  /** `CROSS JOIN UNNEST(a) [WITH ORDINALITY] AS t(x[, n])`. */
  readonly unnest: boolean;
  readonly semiAntiJoins: boolean;
  readonly qualify: boolean;
  readonly groupByAll: boolean;
  readonly starExclude: boolean;
  /** `DISTRIBUTE BY`, `SORT BY`, `CLUSTER BY`. */
  readonly distributeSortBy: boolean;
  /** Hive's `GROUP BY a, b GROUPING SETS (...)` and `WITH ROLLUP` / `WITH CUBE`. */
  readonly hiveGroupingSets: boolean;
  readonly tryCast: boolean;
  /** `x::type`. */
  readonly doubleColonCast: boolean;
  /** Hive-family constructors `array(...)`, `map(...)`, `struct(...)`, `named_struct(...)`. */
  readonly hiveConstructors: boolean;
  /** `ARRAY[...]` (Trino, DuckDB) and `[...]` (DuckDB). */
  readonly arrayBrackets: boolean;
  /** `GROUP BY 1` is read as a column position and deserves a note (hive.groupby.position.alias). */
  readonly warnGroupByPosition: boolean;
  /** The allow-list of functions and their canonical meaning (a thunk: the tables import this module's users). */
  readonly functions: () => Readonly<Record<string, FunctionLowering>>;
}

const HIVE_BASE: SourceDialect = {
  name: 'hive',
  family: 'hive',
  nullsByDefault: { ASC: 'FIRST', DESC: 'LAST' },
  division: 'fdiv_null',
  integerDivision: 'DIV',
  decimalPointLiteral: 'double',
  typedNumberSuffixes: true,
  lenientCasts: true,
  likeEscape: '\\',
  subscriptBase: 0,
  nullSafeEquals: true,
  isDistinctFrom: false,
  rlike: true,
  concatOperator: true,
  doubledQuoteEscapes: false,
  doubleQuotedStrings: true,
  backtickIdentifiers: true,
  lateralView: true,
  unnest: false,
  semiAntiJoins: true,
  qualify: false,
  groupByAll: false,
  starExclude: false,
  distributeSortBy: true,
  hiveGroupingSets: true,
  tryCast: false,
  doubleColonCast: false,
  hiveConstructors: true,
  arrayBrackets: false,
  warnGroupByPosition: true,
  functions: () => HIVE_FUNCTIONS,
};

const HIVE: SourceDialect = HIVE_BASE;

const SPARK: SourceDialect = {
  ...HIVE_BASE,
  name: 'spark',
  decimalPointLiteral: 'decimal',
  doubledQuoteEscapes: true,
  isDistinctFrom: true,
  tryCast: true,
  doubleColonCast: true,
  warnGroupByPosition: false,
};

const IMPALA: SourceDialect = {
  ...HIVE_BASE,
  name: 'impala',
  nullsByDefault: { ASC: 'LAST', DESC: 'FIRST' },
  decimalPointLiteral: 'decimal',
  typedNumberSuffixes: false,
  concatOperator: false,
  isDistinctFrom: true,
  lateralView: false,
  hiveGroupingSets: false,
  distributeSortBy: false,
  hiveConstructors: false,
  warnGroupByPosition: false,
};

const TRINO: SourceDialect = {
  name: 'trino',
  family: 'ansi',
  nullsByDefault: { ASC: 'LAST', DESC: 'LAST' },
  division: 'typed_div',
  decimalPointLiteral: 'decimal',
  typedNumberSuffixes: false,
  lenientCasts: false,
  likeEscape: null,
  subscriptBase: 1,
  nullSafeEquals: false,
  isDistinctFrom: true,
  rlike: false,
  concatOperator: true,
  doubledQuoteEscapes: true,
  doubleQuotedStrings: false,
  backtickIdentifiers: false,
  lateralView: false,
  unnest: true,
  semiAntiJoins: false,
  qualify: false,
  groupByAll: false,
  starExclude: false,
  distributeSortBy: false,
  hiveGroupingSets: false,
  tryCast: true,
  doubleColonCast: false,
  hiveConstructors: false,
  arrayBrackets: true,
  warnGroupByPosition: false,
  functions: () => TRINO_FUNCTIONS,
};

const DUCKDB: SourceDialect = {
  ...TRINO,
  name: 'duckdb',
  division: 'fdiv_ieee',
  integerDivision: '//',
  unnest: false,
  semiAntiJoins: true,
  qualify: true,
  groupByAll: true,
  starExclude: true,
  doubleColonCast: true,
  functions: () => DUCKDB_FUNCTIONS,
};

const SOURCES: Readonly<Record<SqlDialectName, SourceDialect>> = {
  hive: HIVE,
  spark: SPARK,
  impala: IMPALA,
  trino: TRINO,
  athena: { ...TRINO, name: 'athena' },
  duckdb: DUCKDB,
};

export function sourceDialect(name: SqlDialectName): SourceDialect {
  return SOURCES[name];
}
