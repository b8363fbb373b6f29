import type { SqlDialectName } from '../dialect.js';
import type { DivisionKind, Expr, Literal, SqlType } from '../ir.js';

/** A rendered expression together with what the dialect code may need to know about it. */
export interface Arg {
  expr: Expr;
  sql: string;
  type: SqlType;
  /** Needs no parentheses when embedded in an operator expression. */
  atomic: boolean;
}

/** What dialect code may ask of the renderer while it renders one construct. */
export interface RenderApi {
  readonly source: SqlDialectName;
  /** Renders IR built by the dialect code itself (e.g. a rewritten sub-expression). */
  render(expr: Expr): Arg;
  warn(message: string): void;
}

export type NumberLiteral = Extract<Literal, { type: 'number' }>;

/** Renders one canonical function; returns self-contained SQL (parenthesised when composite). */
export type FunctionRenderer = (args: Arg[], r: RenderApi) => string;

/**
 * One target dialect: how it spells what the IR says. Implementations are pure (IR in, SQL text out)
 * and live in `dialects/<name>-dialect.ts`; differences are capability flags and hooks, never
 * `if (dialect === ...)` in the shared renderer.
 */
export interface SqlDialect {
  readonly name: SqlDialectName;
  /** Hive, Spark and Impala reject derived tables without an alias. */
  readonly derivedTablesNeedAlias: boolean;
  /** `agg(x) FILTER (WHERE c)`; otherwise the renderer rewrites it to `agg(CASE WHEN c THEN x END)`. */
  readonly supportsAggregateFilter: boolean;
  /** `GROUP BY 1` means the first select item; otherwise ordinals are replaced by the expressions. */
  readonly groupByOrdinals: boolean;
  quote(identifier: string): string;
  stringLiteral(value: string): string;
  numberLiteral(literal: NumberLiteral): string;
  typeName(type: SqlType): string;
  cast(arg: Arg, to: SqlType, lenient: boolean, r: RenderApi): string;
  divide(kind: DivisionKind, left: Arg, right: Arg, r: RenderApi): string;
  /** Remainder with the dividend's sign, NULL for a zero divisor. */
  modulo(left: Arg, right: Arg, r: RenderApi): string;
  like(arg: Arg, pattern: Arg, negated: boolean, escape: string | null, r: RenderApi): string;
  /**
   * A string compared with a DATE or TIMESTAMP value (`=`, `<`..., BETWEEN, IN): Hive and Spark convert
   * the string to the temporal type. Absent: the string is written as is (the target converts it as
   * well); present: the self-contained SQL of the string side, as a value of type `to`.
   */
  temporalComparand?(text: Arg, to: SqlType, r: RenderApi): string;
  /** Zero-based element access, NULL out of range. */
  index(base: Arg, index: Arg, r: RenderApi): string;
  /** A canonical scalar or window function (see functions.ts). */
  call(fn: string, args: Arg[], r: RenderApi): string;
  aggregate(fn: string, args: Arg[], distinct: boolean, filter: string | undefined, r: RenderApi): string;
  limit(limit: number | undefined, offset: number | undefined): string;
}
