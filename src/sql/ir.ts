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
  unit: 'ROWS';
  start: FrameBound;
  end: FrameBound;
}

export type FrameBound =
  | { kind: 'unbounded_preceding' }
  | { kind: 'unbounded_following' }
  | { kind: 'current_row' }
  | { kind: 'preceding' | 'following'; offset: number };

export type Expr =
  | ColumnRef
  | Literal
  | { kind: 'star'; table?: string }
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
  | { kind: 'cast'; arg: Expr; to: SqlType; lenient: boolean }
  | { kind: 'call'; fn: string; args: Expr[] }
  | { kind: 'agg'; fn: string; args: Expr[]; distinct: boolean; filter?: Expr }
  | { kind: 'window'; fn: Expr; over: WindowSpec }
  /** Zero-based element access, NULL when out of range (Hive `arr[i]`). */
  | { kind: 'index'; base: Expr; index: Expr }
  | { kind: 'interval'; value: Expr; unit: IntervalUnit };

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
  | { kind: 'derived'; query: Query; alias?: string };

export type JoinType = 'INNER' | 'LEFT' | 'RIGHT' | 'FULL' | 'CROSS';

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
  having?: Expr;
}

export type SetOperator = 'UNION' | 'UNION ALL';

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
