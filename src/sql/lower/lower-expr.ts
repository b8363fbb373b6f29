import { AppError } from '../../errors.js';
import { functionInfo } from '../functions.js';
import type { BinaryOp, DivisionKind, Expr, Literal, NumericKind, OrderItem, SqlType, WindowFrame, FrameBound } from '../ir.js';
import { isNode, type AstNode } from '../parse.js';
import { DIV_MARKER, NULLS_MARKERS } from '../rewrite-operators.js';
import { asArray, asNode, assertOnlyKeys, nameOf, untranslatable, type LowerContext } from './context.js';
import { lowerAggregate, lowerFunction } from './lower-functions.js';
import { decodeStringLiteral } from './literals.js';
import { lowerQuery } from './lower-query.js';
import { lowerType } from './lower-types.js';

const COMPARISONS: Readonly<Record<string, BinaryOp>> = {
  '=': '=',
  '==': '=',
  '!=': '<>',
  '<>': '<>',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
  '+': '+',
  '-': '-',
  '*': '*',
  '%': '%',
  AND: 'AND',
  OR: 'OR',
};

/** Lowers one expression node of node-sql-parser's AST. */
export function lowerExpr(value: unknown, ctx: LowerContext): Expr {
  const node = asNode(value, 'expression');
  if (isNode(node.ast)) return { kind: 'subquery', query: lowerQuery(node.ast, ctx) };
  const lowered = lowerNode(node, ctx);
  return applyIndexes(lowered, node, ctx);
}

function lowerNode(node: AstNode, ctx: LowerContext): Expr {
  switch (node.type) {
    case 'column_ref':
      return lowerColumnRef(node, ctx);
    case 'number':
    case 'bigint':
      return numberLiteral(String(node.value), ctx);
    case 'single_quote_string':
      return { kind: 'literal', type: 'string', value: decodeStringLiteral(String(node.value), ctx.dialect, "'") };
    case 'double_quote_string':
      if (ctx.hiveFamily) return { kind: 'literal', type: 'string', value: decodeStringLiteral(String(node.value), ctx.dialect, '"') };
      return { kind: 'column', name: String(node.value) };
    case 'backticks_quote_string':
      if (!ctx.hiveFamily) throw untranslatable('backtick-quoted identifiers in this dialect');
      return { kind: 'column', name: String(node.value) };
    case 'bool':
    case 'boolean':
      return { kind: 'literal', type: 'boolean', value: node.value === true || String(node.value).toUpperCase() === 'TRUE' };
    case 'null':
      return { kind: 'literal', type: 'null' };
    case 'date':
    case 'timestamp':
      return typedLiteral(node.type, String(node.value));
    case 'param':
      return { kind: 'param', name: String(node.value) };
    case 'binary_expr':
      return lowerBinary(node, ctx);
    case 'unary_expr':
      return lowerUnary(node, ctx);
    case 'case':
      return lowerCase(node, ctx);
    case 'cast':
      return lowerCast(node, ctx);
    case 'function': {
      const fn = lowerFunctionNode(node, ctx);
      if (fn.kind === 'call' && functionInfo(fn.fn)?.kind === 'window' && !node.over) {
        throw new AppError('SQL_SYNTAX', `${fn.fn}() needs an OVER clause`);
      }
      return withWindow(fn, node, ctx);
    }
    case 'aggr_func':
      return withWindow(lowerAggregate(node, ctx), node, ctx);
    case 'extract':
      return lowerExtract(node, ctx);
    case 'interval':
      throw untranslatable('INTERVAL expressions; use date_add, date_sub or add_months');
    default:
      throw untranslatable(`expression of type ${String(node.type)}`);
  }
}

function lowerColumnRef(node: AstNode, ctx: LowerContext): Expr {
  assertOnlyKeys(node, ['type', 'table', 'column', 'collate', 'array_index'], 'column reference');
  const column = nameOf(node.column);
  const table = node.table === null || node.table === undefined ? undefined : nameOf(node.table);
  if (column === undefined || (node.table !== null && node.table !== undefined && table === undefined)) {
    throw untranslatable('column reference');
  }
  if (column === '*') return table === undefined ? { kind: 'star' } : { kind: 'star', table };
  if (!ctx.hiveFamily && isNode(node.column) && isNode(node.column.expr) && node.column.expr.type === 'backticks_quote_string') {
    throw untranslatable('backtick-quoted identifiers in this dialect');
  }
  return table === undefined ? { kind: 'column', name: column } : { kind: 'column', table, name: column };
}

/**
 * Numeric literals: digits only are integers; an exponent makes a DOUBLE; a decimal point makes a DOUBLE
 * in Hive (its documented literal rule) and a DECIMAL in Spark, Impala, Trino and DuckDB.
 */
function numberLiteral(text: string, ctx: LowerContext): Literal {
  if (!/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw untranslatable(`number ${text}`);
  let numeric: NumericKind = 'integer';
  if (/[eE]/.test(text)) numeric = 'double';
  else if (text.includes('.')) numeric = ctx.dialect === 'hive' ? 'double' : 'decimal';
  return { kind: 'literal', type: 'number', value: text, numeric };
}

function typedLiteral(type: 'date' | 'timestamp', value: string): Literal {
  const ok = type === 'date' ? /^\d{4}-\d{2}-\d{2}$/ : /^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2}(\.\d{1,6})?)?$/;
  if (!ok.test(value)) throw untranslatable(`${type.toUpperCase()} literal '${value}'`);
  return { kind: 'literal', type, value };
}

function lowerBinary(node: AstNode, ctx: LowerContext): Expr {
  const op = String(node.operator).toUpperCase();
  const left = (): Expr => lowerExpr(node.left, ctx);
  const right = (): Expr => lowerExpr(node.right, ctx);
  const simple = COMPARISONS[op];
  if (simple) return { kind: 'binary', op: simple, left: left(), right: right() };
  switch (op) {
    case '/':
      return lowerDivision(node, ctx);
    case '||':
      if (ctx.dialect === 'impala') throw untranslatable("Impala '||' (logical OR or concatenation, by query option)");
      return { kind: 'call', fn: 'concat', args: [left(), right()] };
    case 'IN':
    case 'NOT IN':
      return lowerIn(node, op === 'NOT IN', ctx);
    case 'BETWEEN':
    case 'NOT BETWEEN': {
      const [low, high] = listValues(node.right);
      return { kind: 'between', arg: left(), low: lowerExpr(low, ctx), high: lowerExpr(high, ctx), negated: op === 'NOT BETWEEN' };
    }
    case 'IS':
    case 'IS NOT':
      return lowerIs(node, op === 'IS NOT', ctx);
    case 'LIKE':
    case 'NOT LIKE':
      return { kind: 'like', arg: left(), pattern: right(), negated: op === 'NOT LIKE', escape: ctx.hiveFamily ? '\\' : null };
    case 'RLIKE':
    case 'NOT RLIKE': {
      if (!ctx.hiveFamily) throw untranslatable(`operator ${op} in this dialect`);
      const match: Expr = { kind: 'call', fn: 'regexp_like', args: [left(), right()] };
      return op === 'RLIKE' ? match : { kind: 'unary', op: 'NOT', arg: match };
    }
    default:
      throw untranslatable(`operator ${op}`);
  }
}

function lowerDivision(node: AstNode, ctx: LowerContext): Expr {
  const right = asNode(node.right, 'division');
  const marked = right.type === 'function' && isNode(right.name) && functionName(right) === DIV_MARKER;
  if (marked) {
    const [arg] = asArray(asNode(right.args, 'DIV').value);
    return { kind: 'divide', division: 'idiv_null', left: lowerExpr(node.left, ctx), right: lowerExpr(arg, ctx) };
  }
  const division: DivisionKind = ctx.hiveFamily ? 'fdiv_null' : ctx.dialect === 'duckdb' ? 'fdiv_ieee' : 'typed_div';
  return { kind: 'divide', division, left: lowerExpr(node.left, ctx), right: lowerExpr(node.right, ctx) };
}

function lowerIn(node: AstNode, negated: boolean, ctx: LowerContext): Expr {
  const arg = lowerExpr(node.left, ctx);
  const values = listValues(node.right);
  const [only] = values;
  if (values.length === 1 && isNode(only) && isNode(only.ast)) {
    return { kind: 'in_query', arg, query: lowerQuery(only.ast, ctx), negated };
  }
  return { kind: 'in', arg, list: values.map((v) => lowerExpr(v, ctx)), negated };
}

function lowerIs(node: AstNode, negated: boolean, ctx: LowerContext): Expr {
  const right = asNode(node.right, 'IS');
  if (right.type === 'null') return { kind: 'is_null', arg: lowerExpr(node.left, ctx), negated };
  if (right.type === 'bool' || right.type === 'boolean') {
    const value: Expr = { kind: 'literal', type: 'boolean', value: right.value === true };
    const test: Expr = { kind: 'binary', op: '=', left: lowerExpr(node.left, ctx), right: value };
    const notNull: Expr = { kind: 'is_null', arg: lowerExpr(node.left, ctx), negated: true };
    const isValue: Expr = { kind: 'binary', op: 'AND', left: notNull, right: test };
    return negated ? { kind: 'unary', op: 'NOT', arg: isValue } : isValue;
  }
  throw untranslatable('IS with anything but NULL, TRUE or FALSE');
}

function lowerUnary(node: AstNode, ctx: LowerContext): Expr {
  const op = String(node.operator).toUpperCase();
  const arg = lowerExpr(node.expr, ctx);
  if (op === '+') return arg;
  if (op === 'NOT' || op === '!') return { kind: 'unary', op: 'NOT', arg };
  if (op === '-') {
    if (arg.kind === 'literal' && arg.type === 'number') {
      return { ...arg, value: arg.value.startsWith('-') ? arg.value.slice(1) : `-${arg.value}` };
    }
    return { kind: 'unary', op: '-', arg };
  }
  throw untranslatable(`unary operator ${op}`);
}

function lowerCase(node: AstNode, ctx: LowerContext): Expr {
  const whens: Array<{ when: Expr; then: Expr }> = [];
  let elseExpr: Expr | undefined;
  for (const arm of asArray(node.args)) {
    const a = asNode(arm, 'CASE');
    if (a.type === 'when') whens.push({ when: lowerExpr(a.cond, ctx), then: lowerExpr(a.result, ctx) });
    else if (a.type === 'else') elseExpr = lowerExpr(a.result, ctx);
    else throw untranslatable('CASE');
  }
  const operand = node.expr === null || node.expr === undefined ? undefined : lowerExpr(node.expr, ctx);
  return { kind: 'case', ...(operand ? { operand } : {}), whens, ...(elseExpr ? { else: elseExpr } : {}) };
}

function lowerCast(node: AstNode, ctx: LowerContext): Expr {
  assertOnlyKeys(node, ['type', 'keyword', 'expr', 'symbol', 'target', 'parentheses'], 'CAST');
  if (String(node.keyword).toLowerCase() !== 'cast') throw untranslatable(String(node.keyword).toUpperCase());
  let expr = lowerExpr(node.expr, ctx);
  for (const target of asArray(node.target)) {
    const to: SqlType = lowerType(asNode(target, 'CAST type'), ctx.family);
    expr = { kind: 'cast', arg: expr, to, lenient: ctx.hiveFamily };
  }
  return expr;
}

function lowerExtract(node: AstNode, ctx: LowerContext): Expr {
  const args = asNode(node.args, 'EXTRACT');
  const field = String(args.field).toLowerCase();
  if (!['year', 'quarter', 'month', 'day', 'hour', 'minute', 'second'].includes(field)) {
    throw untranslatable(`EXTRACT(${field.toUpperCase()} ...)`);
  }
  return { kind: 'call', fn: field, args: [lowerExpr(args.source, ctx)] };
}

function lowerFunctionNode(node: AstNode, ctx: LowerContext): Expr {
  const name = functionName(node);
  const args = asArray(isNode(node.args) ? node.args.value : undefined);
  if (name === 'not' && args.length === 1) return { kind: 'unary', op: 'NOT', arg: lowerExpr(args[0], ctx) };
  if (name === 'exists' && args.length === 1) {
    const sub = asNode(args[0], 'EXISTS');
    if (!isNode(sub.ast)) throw untranslatable('EXISTS without a subquery');
    return { kind: 'exists', query: lowerQuery(sub.ast, ctx), negated: false };
  }
  const parenthesesOmitted = node.args_parentheses === false || node.args === undefined;
  return lowerFunction(name, args, { parenthesesOmitted, node }, ctx);
}

/** The function's lower-case name; qualified names (db.fn) are refused. */
export function functionName(node: AstNode): string {
  const name = asNode(node.name, 'function name');
  if (name.schema !== undefined && name.schema !== null) throw untranslatable('qualified function names');
  const parts = asArray(name.name).map(nameOf);
  const [only] = parts;
  if (parts.length !== 1 || only === undefined) throw untranslatable('function name');
  return only.toLowerCase();
}

function withWindow(expr: Expr, node: AstNode, ctx: LowerContext): Expr {
  if (node.over === null || node.over === undefined) return expr;
  const over = asNode(node.over, 'OVER');
  const spec = isNode(over.as_window_specification) ? over.as_window_specification.window_specification : undefined;
  if (!isNode(spec)) throw untranslatable('named windows');
  assertOnlyKeys(spec, ['name', 'partitionby', 'orderby', 'window_frame_clause'], 'window');
  const partitionBy = asArray(spec.partitionby).map((p) => lowerExpr(asNode(p, 'PARTITION BY').expr, ctx));
  const orderBy = lowerOrderBy(spec.orderby, ctx);
  const frame = spec.window_frame_clause ? lowerFrame(asNode(spec.window_frame_clause, 'frame')) : undefined;
  if ((expr.kind === 'agg' && expr.distinct) || (expr.kind === 'agg' && expr.filter)) throw untranslatable('DISTINCT or FILTER in window aggregates');
  return { kind: 'window', fn: expr, over: { partitionBy, orderBy, ...(frame ? { frame } : {}) } };
}

function lowerFrame(node: AstNode): WindowFrame {
  if (node.type === 'rows') return { unit: 'ROWS', start: frameBound(node.expr), end: { kind: 'current_row' } };
  const unit = isNode(node.left) ? String(node.left.value).toLowerCase() : '';
  if (node.operator !== 'BETWEEN' || unit !== 'rows') throw untranslatable('window frame other than ROWS');
  const [start, end] = listValues(node.right);
  return { unit: 'ROWS', start: frameBound(start), end: frameBound(end) };
}

function frameBound(value: unknown): FrameBound {
  const text = isNode(value) ? String(value.value).trim().toUpperCase() : '';
  if (text === 'UNBOUNDED PRECEDING') return { kind: 'unbounded_preceding' };
  if (text === 'UNBOUNDED FOLLOWING') return { kind: 'unbounded_following' };
  if (text === 'CURRENT ROW') return { kind: 'current_row' };
  const m = /^(\d+) (PRECEDING|FOLLOWING)$/.exec(text);
  if (!m) throw untranslatable(`window frame bound ${text}`);
  return { kind: m[2] === 'PRECEDING' ? 'preceding' : 'following', offset: Number(m[1]) };
}

/** ORDER BY items with the null ordering made explicit from the source dialect's default. */
export function lowerOrderBy(value: unknown, ctx: LowerContext): OrderItem[] {
  return asArray(value).map((item) => {
    const node = asNode(item, 'ORDER BY');
    const direction = String(node.type ?? 'ASC').toUpperCase() === 'DESC' ? 'DESC' : 'ASC';
    const { expr, marked } = unwrapNullsMarker(asNode(node.expr, 'ORDER BY'));
    const explicit = marked ?? (typeof node.nulls === 'string' ? node.nulls.toUpperCase() : '');
    const nulls = explicit.includes('FIRST') ? 'FIRST' : explicit.includes('LAST') ? 'LAST' : defaultNulls(direction, ctx);
    return { expr: lowerExpr(expr, ctx), direction, nulls };
  });
}

/** The NULLS FIRST/LAST rewrite (rewrite-operators.ts) wraps the ordering expression in a marker call. */
function unwrapNullsMarker(node: AstNode): { expr: unknown; marked?: string } {
  if (node.type !== 'function' || !isNode(node.name)) return { expr: node };
  const name = functionName(node);
  const args = asArray(isNode(node.args) ? node.args.value : undefined);
  if (name === NULLS_MARKERS.FIRST && args.length === 1) return { expr: args[0], marked: 'FIRST' };
  if (name === NULLS_MARKERS.LAST && args.length === 1) return { expr: args[0], marked: 'LAST' };
  return { expr: node };
}

/** Hive and Spark sort NULLs as the smallest value, Impala as the largest, Trino and DuckDB always last. */
function defaultNulls(direction: 'ASC' | 'DESC', ctx: LowerContext): 'FIRST' | 'LAST' {
  if (ctx.dialect === 'hive' || ctx.dialect === 'spark') return direction === 'ASC' ? 'FIRST' : 'LAST';
  if (ctx.dialect === 'impala') return direction === 'ASC' ? 'LAST' : 'FIRST';
  return 'LAST';
}

/** Array subscripts: zero-based in Hive, one-based in Trino and DuckDB (literal positive indexes only). */
function applyIndexes(expr: Expr, node: AstNode, ctx: LowerContext): Expr {
  let out = expr;
  for (const entry of asArray(node.array_index)) {
    const e = asNode(entry, 'subscript');
    if (e.brackets !== true) throw untranslatable('subscript');
    const index = lowerExpr(e.index, ctx);
    if (ctx.hiveFamily) {
      out = { kind: 'index', base: out, index };
      continue;
    }
    if (index.kind !== 'literal' || index.type !== 'number' || index.numeric !== 'integer' || Number(index.value) < 1) {
      throw untranslatable('array subscripts other than positive integer literals');
    }
    out = { kind: 'index', base: out, index: { ...index, value: String(Number(index.value) - 1) } };
  }
  return out;
}

function listValues(value: unknown): unknown[] {
  const node = asNode(value, 'list');
  if (node.type !== 'expr_list') throw untranslatable('list');
  return asArray(node.value);
}
