/**
 * The gateway's own query representation. Source dialects are lowered into it (lower/), target dialects
 * render from it (render/, dialects/). Every function in it is a canonical function with one documented
 * meaning (functions.ts), whatever the dialect it came from: differences between engines are resolved
 * when lowering (what did the source mean?) and when rendering (how does the target say it?).
 */

export type SqlType =
  | { kind: 'string'; length?: number }
  | { kind: 'int'; bits: 8 | 16 | 32 | 64 }
  | { kind: 'float' }
  | { kind: 'double' }
  | { kind: 'decimal'; precision?: number; scale?: number }
  | { kind: 'boolean' }
  | { kind: 'date' }
  | { kind: 'timestamp' }
  | { kind: 'interval' }
  | { kind: 'array'; element: SqlType }
  | { kind: 'map'; key: SqlType; value: SqlType }
  | { kind: 'struct'; fields: Array<{ name: string; type: SqlType }> }
  | { kind: 'null' }
  | { kind: 'unknown' };

export type NumericKind = 'integer' | 'decimal' | 'double';

export type Literal =
  | { kind: 'literal'; type: 'string'; value: string }
  | { kind: 'literal'; type: 'number'; value: string; numeric: NumericKind }
  | { kind: 'literal'; type: 'boolean'; value: boolean }
  | { kind: 'literal'; type: 'null' }
  | { kind: 'literal'; type: 'date' | 'timestamp'; value: string };

export interface ColumnRef {
  kind: 'column';
  table?: string;
  name: string;
}

export type ArithmeticOp = '+' | '-' | '*' | '%';
export type ComparisonOp = '=' | '<>' | '<' | '<=' | '>' | '>=';
export type BinaryOp = ArithmeticOp | ComparisonOp | 'AND' | 'OR';

/**
 * Division, by meaning:
 * - `fdiv_null`: floating division, NULL when dividing by zero (Hive, Spark, Impala `/`).
 * - `fdiv_ieee`: floating division, ±Infinity/NaN when dividing by zero (DuckDB `/`).
 * - `idiv_null`: integer division truncating toward zero, NULL for zero (Hive `DIV`, DuckDB `//`).
 * - `typed_div`: the result type follows the operands, integers divide to integers (Trino `/`).
 */
export type DivisionKind = 'fdiv_null' | 'fdiv_ieee' | 'idiv_null' | 'typed_div';

export interface WindowSpec {
  partitionBy: Expr[];
  orderBy: OrderItem[];
  frame?: WindowFrame;
}

export interface WindowFrame {
  unit: 'ROWS' | 'RANGE';
  start: FrameBound;
  end: FrameBound;
}

export type FrameBound =
  | { kind: 'unbounded_preceding' }
  | { kind: 'unbounded_following' }
  | { kind: 'current_row' }
  /** `unit`: a RANGE offset that is an interval (`INTERVAL '1' DAY PRECEDING`). */
  | { kind: 'preceding' | 'following'; offset: number; unit?: IntervalUnit };

export type Expr =
  | ColumnRef
  | Literal
  /** `exclude`: `* EXCLUDE (a, b)` (DuckDB), the named columns left out. */
  | { kind: 'star'; table?: string; exclude?: string[] }
  | { kind: 'param'; name: string }
  | { kind: 'unary'; op: '-' | 'NOT'; arg: Expr }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr }
  | { kind: 'divide'; division: DivisionKind; left: Expr; right: Expr }
  | { kind: 'in'; arg: Expr; list: Expr[]; negated: boolean }
  | { kind: 'in_query'; arg: Expr; query: Query; negated: boolean }
  | { kind: 'exists'; query: Query; negated: boolean }
  | { kind: 'subquery'; query: Query }
  | { kind: 'between'; arg: Expr; low: Expr; high: Expr; negated: boolean }
  | { kind: 'is_null'; arg: Expr; negated: boolean }
  /** `escape` is the LIKE escape character in effect (Hive's is always a backslash; ANSI has none). */
  | { kind: 'like'; arg: Expr; pattern: Expr; negated: boolean; escape: string | null }
  | { kind: 'case'; operand?: Expr; whens: Array<{ when: Expr; then: Expr }>; else?: Expr }
  /** `lenient`: failed conversions give NULL and fractions truncate toward zero (Hive semantics). */
  /** `safe`: TRY_CAST, NULL when the conversion fails (ANSI rules otherwise). */
  | { kind: 'cast'; arg: Expr; to: SqlType; lenient: boolean; safe?: boolean }
  | { kind: 'call'; fn: string; args: Expr[] }
  | { kind: 'agg'; fn: string; args: Expr[]; distinct: boolean; filter?: Expr }
  | { kind: 'window'; fn: Expr; over: WindowSpec }
  /** Zero-based element access, NULL when out of range (Hive `arr[i]`); on a map, the value for a key (NULL when absent). */
  | { kind: 'index'; base: Expr; index: Expr }
  /** Field of a struct value (`s.f`). */
  | { kind: 'field'; base: Expr; name: string }
  /** `value` is an integer literal; only as an operand of `+`/`-` next to a DATE or TIMESTAMP, or a RANGE bound. */
  | { kind: 'interval'; value: Expr; unit: IntervalUnit }
  /** `a IS [NOT] DISTINCT FROM b`; `negated` (IS NOT DISTINCT FROM) is Hive's null-safe `a <=> b`. */
  | { kind: 'distinct_from'; left: Expr; right: Expr; negated: boolean }
  /** `grouping(col)`: 1 when col is aggregated away in the current grouping set, else 0. */
  | { kind: 'grouping'; arg: Expr }
  | { kind: 'array'; items: Expr[] }
  | { kind: 'map'; keys: Expr[]; values: Expr[] }
  | { kind: 'struct'; fields: Array<{ name: string; value: Expr }> };

export type IntervalUnit = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second';

export interface OrderItem {
  expr: Expr;
  direction: 'ASC' | 'DESC';
  /** Always explicit: lowering fills in the source dialect's default. */
  nulls: 'FIRST' | 'LAST';
}

export interface SelectItem {
  expr: Expr;
  alias?: string;
}

export interface TableRef {
  database?: string;
  name: string;
}

export type FromItem =
  | { kind: 'table'; ref: TableRef; alias?: string }
  | { kind: 'cte_ref'; name: string; alias?: string }
  | { kind: 'derived'; query: Query; alias?: string }
  | Unnest;

/**
 * One row per element of an array (or entry of a map), correlated with the items before it: Hive's
 * `LATERAL VIEW [OUTER] explode/posexplode`, Trino's `CROSS JOIN UNNEST(...) [WITH ORDINALITY]`. Joined
 * CROSS (no row for an empty or NULL array) or LEFT ... ON TRUE (OUTER: one row of NULLs instead).
 */
export interface Unnest {
  kind: 'unnest';
  arg: Expr;
  /** The element column, or the key and value columns of a map. */
  columns: string[];
  /** The position column: `base` 0 (posexplode) or 1 (WITH ORDINALITY); `first`: listed before the values. */
  position?: { name: string; base: 0 | 1; first: boolean };
  map: boolean;
  alias?: string;
}

/** SEMI and ANTI: rows of the left side with (without) a match on the right (Hive/Spark `LEFT SEMI JOIN`). */
export type JoinType = 'INNER' | 'LEFT' | 'RIGHT' | 'FULL' | 'CROSS' | 'SEMI' | 'ANTI';

export interface Join {
  type: JoinType;
  item: FromItem;
  on?: Expr;
  using?: string[];
}

export interface Select {
  kind: 'select';
  distinct: boolean;
  columns: SelectItem[];
  from?: { first: FromItem; joins: Join[] };
  where?: Expr;
  groupBy: Expr[];
  /** GROUPING SETS (ROLLUP and CUBE expanded); every expression in them is also in groupBy. */
  groupingSets?: Expr[][];
  having?: Expr;
  /** DuckDB QUALIFY: a filter over window functions, applied after them. */
  qualify?: Expr;
}

export type SetOperator = 'UNION' | 'UNION ALL' | 'INTERSECT' | 'EXCEPT';

export type QueryBody = Select | { kind: 'set_op'; op: SetOperator; left: QueryBody; right: QueryBody } | { kind: 'nested'; query: Query };

export interface Cte {
  name: string;
  query: Query;
}

export interface Query {
  with: Cte[];
  body: QueryBody;
  orderBy: OrderItem[];
  limit?: number;
  offset?: number;
}
