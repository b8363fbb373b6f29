import type { SqlDialectName } from '../dialect.js';
import type { AggregateFunction, CanonicalFunction } from '../functions.js';
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

/** Renders one canonical aggregate; `filter` is the rendered FILTER condition, if any. */
export type AggregateRenderer = (args: Arg[], distinct: boolean, filter: string | undefined, r: RenderApi) => string;

/**
 * What a target says about a canonical function it does not simply render: `refused` (translation fails
 * with SQL_UNTRANSLATABLE naming the function, the target and this reason; `noEquivalent` when the target
 * has nothing with that meaning), or `warned` (rendered by `render`, with this warning on the translation).
 */
export type Unsupported = { readonly refused: string; readonly noEquivalent?: boolean };
export type Warned<R> = { readonly warned: string; readonly render: R };
export type FunctionEntry<R> = R | Unsupported | Warned<R>;

/** A target's word on every canonical function: a missing entry is a compile error. */
export type FunctionTable = {
  readonly [F in CanonicalFunction]: FunctionEntry<F extends AggregateFunction ? AggregateRenderer : FunctionRenderer>;
};

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
  /** The one identifier quoting of this dialect (also used for DDL). */
  quote(identifier: string): string;
  /** The one string literal quoting of this dialect (also used for DDL). */
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
  /** Every canonical function: how this target renders it, or why it does not. */
  readonly functions: FunctionTable;
  /** A canonical scalar or window function (see functions.ts), from `functions`. */
  call(fn: string, args: Arg[], r: RenderApi): string;
  aggregate(fn: string, args: Arg[], distinct: boolean, filter: string | undefined, r: RenderApi): string;
  limit(limit: number | undefined, offset: number | undefined): string;
}
