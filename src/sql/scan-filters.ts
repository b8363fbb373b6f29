import type { Expr, FromItem, Literal, Query, QueryBody, Select, TableRef } from './ir.js';

/** A literal a column is compared with, as written (numbers as their decimal text). */
export type FilterValue =
  | { type: 'string'; value: string }
  | { type: 'integer'; value: string }
  | { type: 'date'; value: string };

/** One conjunct of a WHERE clause that bounds a column of a table with literals. */
export type ColumnFilter =
  | { column: string; op: '=' | '<' | '<=' | '>' | '>='; value: FilterValue }
  | { column: string; op: 'in'; values: FilterValue[] };

/**
 * One reference to a catalog table (a table read twice, in a self-join or a subquery, has two) and
 * the WHERE conjuncts of its own SELECT that bound its columns. Every row the query uses from that
 * reference satisfies all of them: the comparisons are false on NULL, so even a null-supplying side
 * of an outer join only loses rows the WHERE would drop. Columns are lower-cased.
 */
export interface TableScanFilter {
  table: TableRef;
  filters: ColumnFilter[];
}

/**
 * The tables a query reads with the literal bounds on their columns, for partition pruning: the
 * top-level AND conjuncts of each SELECT's WHERE of the form `col op literal` (`=`, `<`, `<=`, `>`,
 * `>=`, either side), `col IN (literals)` and `col BETWEEN literal AND literal`. Anything else (OR,
 * NOT, a function of the column, a subquery, NULL) bounds nothing, so nothing is pruned wrongly. A
 * column counts for a table when it is qualified with the table's alias (or name without one), or
 * unqualified in a SELECT whose FROM is that table alone.
 */
export function scanFilters(query: Query): TableScanFilter[] {
  const out: TableScanFilter[] = [];
  visitQuery(query, (s, inherited) => out.push(...selectFilters(s, inherited)));
  return out;
}

/** The top-level conjuncts of a SELECT's WHERE, BETWEEN split in two, with those a query around it passed down. */
function conjunctsOf(s: Select, inherited: readonly Expr[]): Expr[] {
  return [...(s.where ? splitAnd(s.where).flatMap(expandBetween) : []), ...inherited];
}

/**
 * The conjuncts of the outer SELECT `s` that bound a column of the derived table `item` (a view
 * expanded in place, a subquery in FROM), restated on the column of the one table the derived
 * SELECT reads that the column passes through unchanged. Only where that cannot change which rows
 * of that table count: a plain SELECT of one table, with no LIMIT, window or grouping sets, the
 * column a plain column of it (a GROUP BY key at most). Anything else passes nothing down.
 */
function pushedDown(s: Select, inherited: readonly Expr[], item: Extract<FromItem, { kind: 'derived' }>): Expr[] {
  const q = item.query;
  const inner = q.body;
  if (q.with.length > 0 || q.limit !== undefined || q.offset !== undefined || inner.kind !== 'select') return [];
  if (!inner.from || inner.from.joins.length > 0 || inner.from.first.kind !== 'table' || inner.groupingSets || inner.qualify) return [];
  if (inner.columns.some((c) => containsWindow(c.expr))) return [];
  const alias = item.alias?.toLowerCase();
  const alone = s.from !== undefined && s.from.joins.length === 0;
  const mine = (c: { table?: string }): boolean => (c.table === undefined ? alone : alias !== undefined && c.table.toLowerCase() === alias);
  const source = (name: string): Expr | undefined => {
    const found = inner.columns.filter((c) => (c.alias ?? (c.expr.kind === 'column' ? c.expr.name : undefined))?.toLowerCase() === name);
    return found.length === 1 && found[0]!.expr.kind === 'column' ? found[0]!.expr : undefined;
  };
  const out: Expr[] = [];
  for (const c of conjunctsOf(s, inherited)) {
    const filter = columnFilter(c, mine);
    const column = filter && source(filter.column);
    if (!filter || !column) continue;
    const restated = (e: Expr): Expr => (e.kind === 'column' && mine(e) && e.name.toLowerCase() === filter.column ? column : e);
    if (c.kind === 'binary') out.push({ ...c, left: restated(c.left), right: restated(c.right) });
    else if (c.kind === 'in') out.push({ ...c, arg: restated(c.arg) });
  }
  return out;
}

function containsWindow(e: Expr): boolean {
  return e.kind === 'window' || children(e).some(containsWindow);
}

function selectFilters(s: Select, inherited: readonly Expr[]): TableScanFilter[] {
  if (!s.from) return [];
  // SEMI and ANTI joins read their right side too (the WHERE cannot name it, so it keeps every partition).
  const items = [s.from.first, ...s.from.joins.map((j) => j.item)];
  const alone = s.from.joins.length === 0;
  const conjuncts = conjunctsOf(s, inherited);
  return items
    .filter((i): i is Extract<FromItem, { kind: 'table' }> => i.kind === 'table')
    .map((item) => {
      const name = (item.alias ?? item.ref.name).toLowerCase();
      const mine = (c: { table?: string }): boolean => (c.table === undefined ? alone : c.table.toLowerCase() === name);
      return { table: item.ref, filters: conjuncts.map((c) => columnFilter(c, mine)).filter((f): f is ColumnFilter => f !== undefined) };
    });
}

/** Top-level AND conjuncts of an expression. */
function splitAnd(e: Expr): Expr[] {
  return e.kind === 'binary' && e.op === 'AND' ? [...splitAnd(e.left), ...splitAnd(e.right)] : [e];
}

const FLIPPED = { '=': '=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as const;
type RangeOp = keyof typeof FLIPPED;
const isRangeOp = (op: string): op is RangeOp => op in FLIPPED;

function columnFilter(e: Expr, mine: (c: { table?: string }) => boolean): ColumnFilter | undefined {
  const col = (x: Expr): string | undefined => (x.kind === 'column' && mine(x) ? x.name.toLowerCase() : undefined);
  if (e.kind === 'binary' && isRangeOp(e.op)) {
    const [column, other, op] = col(e.left) !== undefined ? [col(e.left), e.right, e.op] : [col(e.right), e.left, FLIPPED[e.op]];
    const value = filterValue(other);
    return column !== undefined && value ? { column, op, value } : undefined;
  }
  if (e.kind === 'in' && !e.negated) {
    const column = col(e.arg);
    const values = e.list.map(filterValue);
    return column !== undefined && values.every((v) => v !== undefined) ? { column, op: 'in', values: values as FilterValue[] } : undefined;
  }
  return undefined;
}

/** BETWEEN is its two bounds; other conjuncts as they are. */
function expandBetween(e: Expr): Expr[] {
  if (e.kind !== 'between' || e.negated) return [e];
  return [
    { kind: 'binary', op: '>=', left: e.arg, right: e.low },
    { kind: 'binary', op: '<=', left: e.arg, right: e.high },
  ];
}

/** A literal (or a literal cast to DATE) as a filter value; anything else bounds nothing. */
function filterValue(e: Expr): FilterValue | undefined {
  if (e.kind === 'cast' && e.to.kind === 'date' && e.arg.kind === 'literal' && e.arg.type === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(e.arg.value)) {
    return { type: 'date', value: e.arg.value };
  }
  return e.kind === 'literal' ? literalValue(e) : undefined;
}

function literalValue(l: Literal): FilterValue | undefined {
  if (l.type === 'string') return { type: 'string', value: l.value };
  if (l.type === 'date') return { type: 'date', value: l.value };
  if (l.type === 'number' && l.numeric === 'integer') return { type: 'integer', value: l.value };
  return undefined;
}

/** What is called on each SELECT: with the conjuncts a query around it passed down (see pushedDown). */
type SelectVisitor = (s: Select, inherited: readonly Expr[]) => void;

/** Calls `fn` on every SELECT of a query: CTEs, set operations, derived tables and subqueries included. */
function visitQuery(q: Query, fn: SelectVisitor, inherited: readonly Expr[] = []): void {
  for (const c of q.with) visitQuery(c.query, fn);
  visitBody(q.body, fn, inherited);
  for (const o of q.orderBy) visitExpr(o.expr, fn);
}

function visitBody(b: QueryBody, fn: SelectVisitor, inherited: readonly Expr[] = []): void {
  if (b.kind === 'nested') return visitQuery(b.query, fn);
  if (b.kind === 'set_op') {
    visitBody(b.left, fn);
    return visitBody(b.right, fn);
  }
  fn(b, inherited);
  const items = b.from ? [b.from.first, ...b.from.joins.map((j) => j.item)] : [];
  for (const i of items) {
    if (i.kind === 'derived') visitQuery(i.query, fn, pushedDown(b, inherited, i));
    else if (i.kind === 'unnest') visitExpr(i.arg, fn);
  }
  const exprs = [...b.columns.map((c) => c.expr), ...(b.from?.joins.flatMap((j) => (j.on ? [j.on] : [])) ?? []), b.where, ...b.groupBy, b.having, b.qualify];
  for (const e of exprs) if (e) visitExpr(e, fn);
}

/** Finds the subqueries inside an expression. */
function visitExpr(e: Expr, fn: SelectVisitor): void {
  if (e.kind === 'in_query' || e.kind === 'exists' || e.kind === 'subquery') {
    visitQuery(e.query, fn);
    if (e.kind === 'in_query') visitExpr(e.arg, fn);
    return;
  }
  for (const child of children(e)) visitExpr(child, fn);
}

function children(e: Expr): Expr[] {
  const out: Expr[] = [];
  for (const v of Object.values(e)) {
    if (Array.isArray(v)) for (const x of v) collect(x, out);
    else collect(v, out);
  }
  return out;
}

/**
 * Expressions among a node's fields, also inside `{ when, then }`, window specs and struct fields.
 * Typed parts (a cast's type, a frame bound) are taken too: they hold no query, and are passed over.
 */
function collect(v: unknown, out: Expr[]): void {
  if (typeof v !== 'object' || v === null) return;
  if ('kind' in v && typeof (v as { kind: unknown }).kind === 'string') {
    out.push(v as Expr);
    return;
  }
  for (const x of Object.values(v)) {
    if (Array.isArray(x)) for (const y of x) collect(y, out);
    else collect(x, out);
  }
}
