import { AppError } from '../../errors.js';
import type { SqlDialectName } from '../dialect.js';
import type { Expr, FrameBound, FromItem, Join, OrderItem, Query, QueryBody, Select, SelectItem, TableRef, WindowSpec } from '../ir.js';
import type { Types } from '../typing.js';
import { untranslatable } from './helpers.js';
import type { Arg, RenderApi, SqlDialect } from './sql-dialect.js';

/** Operator precedence of rendered SQL, lowest first; ATOM needs no parentheses anywhere. */
const PREC = { OR: 1, AND: 2, NOT: 3, COMPARE: 4, ADD: 6, MUL: 7, NEG: 8, ATOM: 9 } as const;

interface Piece {
  sql: string;
  prec: number;
}

export interface RenderOptions {
  dialect: SqlDialect;
  source: SqlDialectName;
  types: Types;
  /** Rendered target reference of a catalog table (already resolved and validated). */
  tableSql: (ref: TableRef) => string;
  warnings: Set<string>;
}

/** Renders IR queries as SQL text of one target dialect. */
export class Renderer implements RenderApi {
  private readonly d: SqlDialect;
  private derivedCounter = 0;

  constructor(private readonly options: RenderOptions) {
    this.d = options.dialect;
  }

  get source(): SqlDialectName {
    return this.options.source;
  }

  warn(message: string): void {
    this.options.warnings.add(message);
  }

  render(expr: Expr): Arg {
    const piece = this.expr(expr);
    return { expr, sql: piece.sql, type: this.options.types.of(expr), atomic: piece.prec >= PREC.ATOM };
  }

  query(q: Query): string {
    const parts: string[] = [];
    if (q.with.length > 0) {
      // Plain names stay bare: node-sql-parser's Hive grammar (our own input side) rejects `quoted` CTE names.
      const name = (n: string): string => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(n) ? n : this.d.quote(n));
      parts.push(`WITH ${q.with.map((c) => `${name(c.name)} AS (${this.query(c.query)})`).join(', ')}`);
    }
    parts.push(this.body(q.body));
    if (q.orderBy.length > 0) parts.push(`ORDER BY ${this.orderItems(q.orderBy)}`);
    const limit = this.d.limit(q.limit, q.offset);
    if (limit) parts.push(limit);
    return parts.join(' ');
  }

  private body(body: QueryBody): string {
    switch (body.kind) {
      case 'select':
        return this.select(body);
      case 'nested':
        return `(${this.query(body.query)})`;
      case 'set_op': {
        const right = body.right.kind === 'set_op' ? `(${this.body(body.right)})` : this.body(body.right);
        return `${this.body(body.left)} ${body.op} ${right}`;
      }
    }
  }

  private select(s: Select): string {
    const parts = [`SELECT ${s.distinct ? 'DISTINCT ' : ''}${s.columns.map((c) => this.selectItem(c)).join(', ')}`];
    if (s.from) parts.push(`FROM ${this.fromItem(s.from.first)}${s.from.joins.map((j) => this.join(j)).join('')}`);
    if (s.where) parts.push(`WHERE ${this.expr(s.where).sql}`);
    if (s.groupBy.length > 0) parts.push(`GROUP BY ${s.groupBy.map((g) => this.groupItem(g, s)).join(', ')}`);
    if (s.having) parts.push(`HAVING ${this.expr(s.having).sql}`);
    return parts.join(' ');
  }

  private selectItem(item: SelectItem): string {
    const sql = this.expr(item.expr).sql;
    return item.alias === undefined ? sql : `${sql} AS ${this.d.quote(item.alias)}`;
  }

  private groupItem(g: Expr, s: Select): string {
    const ordinal = g.kind === 'literal' && g.type === 'number' && g.numeric === 'integer' ? Number(g.value) : undefined;
    if (ordinal === undefined || this.d.groupByOrdinals) return this.expr(g).sql;
    const item = s.columns[ordinal - 1];
    if (!item || item.expr.kind === 'star') throw untranslatable(`GROUP BY ${ordinal}`, this.d.name);
    return this.expr(item.expr).sql;
  }

  private fromItem(item: FromItem): string {
    const alias = item.alias === undefined ? '' : ` AS ${this.d.quote(item.alias)}`;
    if (item.kind === 'cte_ref') return `${this.d.quote(item.name)}${alias}`;
    if (item.kind === 'table') {
      const implicit = item.alias === undefined ? ` AS ${this.d.quote(item.ref.name)}` : alias;
      return `${this.options.tableSql(item.ref)}${implicit}`;
    }
    const needed = item.alias === undefined && this.d.derivedTablesNeedAlias;
    return `(${this.query(item.query)})${needed ? ` AS ${this.d.quote(`_lg_subquery_${++this.derivedCounter}`)}` : alias}`;
  }

  private join(j: Join): string {
    const head = j.type === 'CROSS' ? ' CROSS JOIN ' : ` ${j.type === 'INNER' ? 'INNER' : `${j.type} OUTER`} JOIN `;
    const on = j.on ? ` ON ${this.expr(j.on).sql}` : '';
    const using = j.using ? ` USING (${j.using.map((u) => this.d.quote(u)).join(', ')})` : '';
    return `${head}${this.fromItem(j.item)}${on}${using}`;
  }

  private orderItems(items: OrderItem[]): string {
    return items.map((o) => `${this.expr(o.expr).sql} ${o.direction} NULLS ${o.nulls}`).join(', ');
  }

  private expr(e: Expr): Piece {
    switch (e.kind) {
      case 'column':
        return atom(e.table === undefined ? this.d.quote(e.name) : `${this.d.quote(e.table)}.${this.d.quote(e.name)}`);
      case 'star':
        return atom(e.table === undefined ? '*' : `${this.d.quote(e.table)}.*`);
      case 'literal':
        return atom(this.literal(e));
      case 'param':
        throw new AppError('VALIDATION_FAILED', `parameter :${e.name} has no value`);
      case 'unary':
        return e.op === 'NOT'
          ? { sql: `NOT ${this.wrap(e.arg, PREC.ATOM)}`, prec: PREC.NOT }
          : { sql: `-${this.wrap(e.arg, PREC.ATOM)}`, prec: PREC.NEG };
      case 'binary':
        return this.binary(e);
      case 'divide':
        return atom(this.d.divide(e.division, this.render(e.left), this.render(e.right), this));
      case 'in':
        return this.compare(`${this.wrap(e.arg, PREC.COMPARE + 1)} ${e.negated ? 'NOT IN' : 'IN'} (${e.list.map((x) => this.comparand(x, e.arg, 0)).join(', ')})`);
      case 'in_query':
        return this.compare(`${this.wrap(e.arg, PREC.COMPARE + 1)} ${e.negated ? 'NOT IN' : 'IN'} (${this.query(e.query)})`);
      case 'exists':
        return e.negated ? { sql: `NOT EXISTS (${this.query(e.query)})`, prec: PREC.NOT } : atom(`EXISTS (${this.query(e.query)})`);
      case 'subquery':
        return atom(`(${this.query(e.query)})`);
      case 'between': {
        const [a, lo, hi] = [this.wrap(e.arg, PREC.COMPARE + 1), this.comparand(e.low, e.arg, PREC.COMPARE + 1), this.comparand(e.high, e.arg, PREC.COMPARE + 1)];
        return this.compare(`${a} ${e.negated ? 'NOT BETWEEN' : 'BETWEEN'} ${lo} AND ${hi}`);
      }
      case 'is_null':
        return this.compare(`${this.wrap(e.arg, PREC.COMPARE + 1)} IS ${e.negated ? 'NOT ' : ''}NULL`);
      case 'like':
        return this.compare(this.d.like(this.render(e.arg), this.render(e.pattern), e.negated, e.escape, this));
      case 'case':
        return atom(this.caseExpr(e));
      case 'cast':
        return atom(this.d.cast(this.render(e.arg), e.to, e.lenient, this));
      case 'call':
        if (e.fn === 'assert_date') return this.assertDate(e.args[0]);
        return atom(this.d.call(e.fn, e.args.map((a) => this.render(a)), this));
      case 'agg':
        return atom(this.aggregate(e));
      case 'window':
        return atom(`${this.expr(e.fn).sql} OVER (${this.window(e.over)})`);
      case 'index':
        return atom(this.d.index(this.render(e.base), this.render(e.index), this));
      case 'interval':
        throw untranslatable('INTERVAL expressions', this.d.name);
    }
  }

  /** Source functions that mean the canonical one only for DATE arguments (Trino date_add, date_diff). */
  private assertDate(arg: Expr | undefined): Piece {
    if (!arg || this.options.types.of(arg).kind !== 'date') {
      throw untranslatable('a date function of the source dialect on a value that is not a DATE (it would keep the time of day); cast it to DATE', this.d.name);
    }
    return this.expr(arg);
  }

  private literal(e: Extract<Expr, { kind: 'literal' }>): string {
    switch (e.type) {
      case 'string':
        return this.d.stringLiteral(e.value);
      case 'number':
        return this.d.numberLiteral(e);
      case 'boolean':
        return e.value ? 'TRUE' : 'FALSE';
      case 'null':
        return 'NULL';
      case 'date':
        return `DATE '${e.value}'`;
      case 'timestamp':
        return `TIMESTAMP '${e.value}'`;
    }
  }

  private binary(e: Extract<Expr, { kind: 'binary' }>): Piece {
    if (e.op === '%') return atom(this.d.modulo(this.render(e.left), this.render(e.right), this));
    const typesOk = [e.left, e.right].every((x) => !['date', 'timestamp'].includes(this.options.types.of(x).kind));
    if (['+', '-', '*'].includes(e.op) && !typesOk) throw untranslatable(`'${e.op}' on DATE or TIMESTAMP values (use date_add, datediff)`, this.d.name);
    if (e.op === 'AND' || e.op === 'OR') {
      const prec = PREC[e.op];
      return { sql: `${this.wrap(e.left, prec)} ${e.op} ${this.wrap(e.right, prec)}`, prec };
    }
    if (e.op === '+' || e.op === '-') return { sql: `${this.wrap(e.left, PREC.ADD)} ${e.op} ${this.wrap(e.right, PREC.ADD + 1)}`, prec: PREC.ADD };
    if (e.op === '*') return { sql: `${this.wrap(e.left, PREC.MUL)} * ${this.wrap(e.right, PREC.MUL + 1)}`, prec: PREC.MUL };
    return this.compare(`${this.comparand(e.left, e.right, PREC.COMPARE + 1)} ${e.op} ${this.comparand(e.right, e.left, PREC.COMPARE + 1)}`);
  }

  /** `e` as compared with `other`: a string compared with a DATE or TIMESTAMP goes through the dialect's temporalComparand. */
  private comparand(e: Expr, other: Expr, min: number): string {
    const to = this.options.types.of(other);
    if (this.d.temporalComparand && (to.kind === 'date' || to.kind === 'timestamp') && this.options.types.of(e).kind === 'string') {
      return this.d.temporalComparand(this.render(e), to, this);
    }
    return this.wrap(e, min);
  }

  private compare(sql: string): Piece {
    return { sql, prec: PREC.COMPARE };
  }

  /** The expression, parenthesised when it binds less tightly than `min`. */
  private wrap(e: Expr, min: number): string {
    const piece = this.expr(e);
    return piece.prec < min ? `(${piece.sql})` : piece.sql;
  }

  private caseExpr(e: Extract<Expr, { kind: 'case' }>): string {
    const operand = e.operand ? ` ${this.expr(e.operand).sql}` : '';
    const whens = e.whens.map((w) => ` WHEN ${this.expr(w.when).sql} THEN ${this.expr(w.then).sql}`).join('');
    const otherwise = e.else ? ` ELSE ${this.expr(e.else).sql}` : '';
    return `CASE${operand}${whens}${otherwise} END`;
  }

  private aggregate(e: Extract<Expr, { kind: 'agg' }>): string {
    let args = e.args;
    let filter: string | undefined;
    if (e.filter && this.d.supportsAggregateFilter) {
      filter = this.expr(e.filter).sql;
    } else if (e.filter) {
      const cond = e.filter;
      const [first, ...rest] = args;
      const guarded: Expr = { kind: 'case', whens: [{ when: cond, then: first ?? { kind: 'literal', type: 'number', value: '1', numeric: 'integer' } }] };
      args = [guarded, ...rest];
    }
    return this.d.aggregate(e.fn, args.map((a) => this.render(a)), e.distinct, filter, this);
  }

  private window(w: WindowSpec): string {
    const parts: string[] = [];
    if (w.partitionBy.length > 0) parts.push(`PARTITION BY ${w.partitionBy.map((x) => this.expr(x).sql).join(', ')}`);
    if (w.orderBy.length > 0) parts.push(`ORDER BY ${this.orderItems(w.orderBy)}`);
    if (w.frame) parts.push(`ROWS BETWEEN ${bound(w.frame.start)} AND ${bound(w.frame.end)}`);
    return parts.join(' ');
  }
}

function atom(sql: string): Piece {
  return { sql, prec: PREC.ATOM };
}

function bound(b: FrameBound): string {
  switch (b.kind) {
    case 'unbounded_preceding':
      return 'UNBOUNDED PRECEDING';
    case 'unbounded_following':
      return 'UNBOUNDED FOLLOWING';
    case 'current_row':
      return 'CURRENT ROW';
    case 'preceding':
      return `${b.offset} PRECEDING`;
    case 'following':
      return `${b.offset} FOLLOWING`;
  }
}

