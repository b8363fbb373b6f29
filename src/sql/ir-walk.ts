import type { Expr, FromItem, OrderItem, Query, QueryBody, Select, WindowSpec } from './ir.js';

/** A table in FROM or JOIN. */
export type TableItem = Extract<FromItem, { kind: 'table' }>;

/**
 * Rebuilds a query with every expression passed through `fn`, children first (nested queries
 * included), and every table of a FROM or JOIN through `table` when it is given. `fn` returns its
 * argument unchanged to keep a node.
 */
export function mapQuery(query: Query, fn: (e: Expr) => Expr, table?: (item: TableItem) => FromItem): Query {
  const q = (x: Query): Query => mapQuery(x, fn, table);
  const e = (x: Expr): Expr => mapExpr(x, fn, table);
  const order = (items: OrderItem[]): OrderItem[] => items.map((o) => ({ ...o, expr: e(o.expr) }));
  const from = (item: FromItem): FromItem => {
    if (item.kind === 'derived') return { ...item, query: q(item.query) };
    if (item.kind === 'unnest') return { ...item, arg: e(item.arg) };
    if (item.kind === 'table' && table) return table(item);
    return item;
  };
  const select = (s: Select): Select => ({
    ...s,
    columns: s.columns.map((c) => ({ ...c, expr: e(c.expr) })),
    ...(s.from
      ? { from: { first: from(s.from.first), joins: s.from.joins.map((j) => ({ ...j, item: from(j.item), ...(j.on ? { on: e(j.on) } : {}) })) } }
      : {}),
    ...(s.where ? { where: e(s.where) } : {}),
    groupBy: s.groupBy.map(e),
    ...(s.groupingSets ? { groupingSets: s.groupingSets.map((set) => set.map(e)) } : {}),
    ...(s.having ? { having: e(s.having) } : {}),
    ...(s.qualify ? { qualify: e(s.qualify) } : {}),
  });
  const body = (b: QueryBody): QueryBody => {
    if (b.kind === 'select') return select(b);
    if (b.kind === 'nested') return { kind: 'nested', query: q(b.query) };
    return { ...b, left: body(b.left), right: body(b.right) };
  };
  return {
    ...query,
    with: query.with.map((c) => ({ ...c, query: q(c.query) })),
    body: body(query.body),
    orderBy: order(query.orderBy),
  };
}

export function mapExpr(expr: Expr, fn: (e: Expr) => Expr, table?: (item: TableItem) => FromItem): Expr {
  const e = (x: Expr): Expr => mapExpr(x, fn, table);
  const q = (x: Query): Query => mapQuery(x, fn, table);
  const spec = (w: WindowSpec): WindowSpec => ({ ...w, partitionBy: w.partitionBy.map(e), orderBy: w.orderBy.map((o) => ({ ...o, expr: e(o.expr) })) });
  switch (expr.kind) {
    case 'column':
    case 'literal':
    case 'star':
    case 'param':
      return fn(expr);
    case 'unary':
      return fn({ ...expr, arg: e(expr.arg) });
    case 'binary':
    case 'divide':
      return fn({ ...expr, left: e(expr.left), right: e(expr.right) });
    case 'in':
      return fn({ ...expr, arg: e(expr.arg), list: expr.list.map(e) });
    case 'in_query':
      return fn({ ...expr, arg: e(expr.arg), query: q(expr.query) });
    case 'exists':
    case 'subquery':
      return fn({ ...expr, query: q(expr.query) });
    case 'between':
      return fn({ ...expr, arg: e(expr.arg), low: e(expr.low), high: e(expr.high) });
    case 'is_null':
      return fn({ ...expr, arg: e(expr.arg) });
    case 'like':
      return fn({ ...expr, arg: e(expr.arg), pattern: e(expr.pattern) });
    case 'case':
      return fn({
        ...expr,
        ...(expr.operand ? { operand: e(expr.operand) } : {}),
        whens: expr.whens.map((w) => ({ when: e(w.when), then: e(w.then) })),
        ...(expr.else ? { else: e(expr.else) } : {}),
      });
    case 'cast':
      return fn({ ...expr, arg: e(expr.arg) });
    case 'call':
      return fn({ ...expr, args: expr.args.map(e) });
    case 'agg':
      return fn({ ...expr, args: expr.args.map(e), ...(expr.filter ? { filter: e(expr.filter) } : {}) });
    case 'window':
      return fn({ ...expr, fn: e(expr.fn), over: spec(expr.over) });
    case 'index':
      return fn({ ...expr, base: e(expr.base), index: e(expr.index) });
    case 'interval':
      return fn({ ...expr, value: e(expr.value) });
    case 'field':
      return fn({ ...expr, base: e(expr.base) });
    case 'distinct_from':
      return fn({ ...expr, left: e(expr.left), right: e(expr.right) });
    case 'grouping':
      return fn({ ...expr, arg: e(expr.arg) });
    case 'array':
      return fn({ ...expr, items: expr.items.map(e) });
    case 'map':
      return fn({ ...expr, keys: expr.keys.map(e), values: expr.values.map(e) });
    case 'struct':
      return fn({ ...expr, fields: expr.fields.map((f) => ({ name: f.name, value: e(f.value) })) });
  }
}
