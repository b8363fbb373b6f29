import { AppError } from '../../errors.js';
import type { SqlDialectName } from '../dialect.js';
import type { Expr, FrameBound, FromItem, Join, OrderItem, Query, QueryBody, Select, SelectItem, TableRef, Unnest, WindowSpec } from '../ir.js';
import type { Types } from '../typing.js';
import { p, untranslatable } from './helpers.js';
import type { Arg, RenderApi, SqlDialect } from './sql-dialect.js';
import { structureOf, type StructureSyntax } from './structure.js';

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
  private readonly st: StructureSyntax;
  private derivedCounter = 0;

  constructor(private readonly options: RenderOptions) {
    this.d = options.dialect;
    this.st = structureOf(options.dialect.name);
  }

  private refuse(what: string): never {
    throw untranslatable(what, this.d.name);
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
      // Plain names stay bare (as analysts write them); others are quoted.
      const name = (n: string): string => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(n) ? n : this.d.quote(n));
      parts.push(`WITH ${q.with.map((c) => `${name(c.name)} AS (${this.query(c.query)})`).join(', ')}`);
    }
    if (q.body.kind === 'select' && q.body.qualify && !this.st.qualify && q.orderBy.some((o) => o.expr.kind !== 'column' || o.expr.table !== undefined)) {
      this.refuse('QUALIFY with an ORDER BY on anything but output column names');
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
        if ((body.op === 'INTERSECT' || body.op === 'EXCEPT') && !this.st.intersectExcept) this.refuse(body.op);
        // INTERSECT binds tighter than UNION and EXCEPT: a looser set operation under it is parenthesised.
        const looser = (child: QueryBody): boolean => child.kind === 'set_op' && body.op === 'INTERSECT' && child.op !== 'INTERSECT';
        const left = looser(body.left) ? `(${this.body(body.left)})` : this.body(body.left);
        const right = body.right.kind === 'set_op' ? `(${this.body(body.right)})` : this.body(body.right);
        return `${left} ${body.op} ${right}`;
      }
    }
  }

  private select(s: Select): string {
    if (s.qualify && !this.st.qualify) return this.qualifiedSelect(s);
    const { joins, where } = this.semiJoins(s);
    const parts = [`SELECT ${s.distinct ? 'DISTINCT ' : ''}${s.columns.map((c) => this.selectItem(c)).join(', ')}`];
    if (s.from) parts.push(`FROM ${this.fromItem(s.from.first)}${joins.map((j) => this.join(j)).join('')}`);
    if (where) parts.push(`WHERE ${this.expr(where).sql}`);
    if (s.groupingSets) parts.push(this.groupingSets(s.groupBy, s.groupingSets));
    else if (s.groupBy.length > 0) parts.push(`GROUP BY ${s.groupBy.map((g) => this.groupItem(g, s)).join(', ')}`);
    if (s.having) parts.push(`HAVING ${this.expr(s.having).sql}`);
    if (s.qualify) parts.push(`QUALIFY ${this.expr(s.qualify).sql}`);
    return parts.join(' ');
  }

  /**
   * QUALIFY where the target has none: the filter is computed as an extra column of a derived table and
   * applied by the outer query, which lists the original output columns by name.
   */
  private qualifiedSelect(s: Select): string {
    const names = s.columns.map((c) => c.alias ?? (c.expr.kind === 'column' ? c.expr.name : undefined));
    if (names.some((n) => n === undefined) || new Set(names.map((n) => n?.toLowerCase())).size !== names.length) {
      this.refuse('QUALIFY with output columns that have no distinct name (give every column an alias)');
    }
    const flag = '_lg_qualify';
    const inner: Select = { ...s, distinct: false, columns: [...s.columns, { expr: s.qualify as Expr, alias: flag }] };
    delete inner.qualify;
    const outer = names.map((n) => this.d.quote(n as string)).join(', ');
    return `SELECT ${s.distinct ? 'DISTINCT ' : ''}${outer} FROM (${this.select(inner)}) AS ${this.d.quote('_lg_qualified')} WHERE ${this.d.quote(flag)}`;
  }

  /** SEMI and ANTI joins the target lacks become [NOT] EXISTS conditions in WHERE (the parser checked they may). */
  private semiJoins(s: Select): { joins: Join[]; where: Expr | undefined } {
    const joins: Join[] = [];
    let where = s.where;
    for (const j of s.from?.joins ?? []) {
      const native = j.type === 'SEMI' ? this.st.semiJoin : j.type === 'ANTI' ? this.st.antiJoin : 'native';
      if (native !== null) {
        joins.push(j);
        continue;
      }
      const query: Query = {
        with: [],
        body: { kind: 'select', distinct: false, columns: [{ expr: { kind: 'literal', type: 'number', value: '1', numeric: 'integer' } }], from: { first: j.item, joins: [] }, ...(j.on ? { where: j.on } : {}), groupBy: [] },
        orderBy: [],
      };
      const exists: Expr = { kind: 'exists', query, negated: j.type === 'ANTI' };
      where = where ? { kind: 'binary', op: 'AND', left: where, right: exists } : exists;
    }
    return { joins, where };
  }

  private groupingSets(columns: Expr[], sets: Expr[][]): string {
    if (this.st.groupingSets === null) this.refuse('GROUPING SETS, ROLLUP or CUBE');
    if (this.st.groupingSetsOfColumnsOnly && sets.some((set) => set.some((e) => e.kind !== 'column'))) {
      this.refuse('GROUPING SETS, ROLLUP or CUBE over expressions (only column references may be grouped in sets; group a derived table\'s column instead)');
    }
    const list = `GROUPING SETS (${sets.map((set) => `(${set.map((e) => this.expr(e).sql).join(', ')})`).join(', ')})`;
    return this.st.groupingSets === 'hive' ? `GROUP BY ${columns.map((e) => this.expr(e).sql).join(', ')} ${list}` : `GROUP BY ${list}`;
  }

  private selectItem(item: SelectItem): string {
    if (item.expr.kind === 'star' && item.expr.exclude) return this.starExclude(item.expr);
    const sql = this.expr(item.expr).sql;
    return item.alias === undefined ? sql : `${sql} AS ${this.d.quote(item.alias)}`;
  }

  /** `* EXCLUDE (...)`, or the remaining columns listed when the target has no EXCLUDE and they are known. */
  private starExclude(star: Extract<Expr, { kind: 'star' }>): string {
    const exclude = star.exclude ?? [];
    if (this.st.starExclude) {
      const base = star.table === undefined ? '*' : `${this.d.quote(star.table)}.*`;
      return `${base} EXCLUDE (${exclude.map((c) => this.d.quote(c)).join(', ')})`;
    }
    const columns = this.options.types.starColumns(star);
    if (!columns) this.refuse('* EXCLUDE over tables whose columns are not known');
    if (columns.length === 0) this.refuse('* EXCLUDE that leaves no column');
    return columns.map((c) => `${this.d.quote(c.table)}.${this.d.quote(c.name)}`).join(', ');
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
    if (item.kind === 'unnest') this.refuse('UNNEST as the first table of FROM');
    if (item.kind === 'cte_ref') return `${this.d.quote(item.name)}${alias}`;
    if (item.kind === 'table') {
      const implicit = item.alias === undefined ? ` AS ${this.d.quote(item.ref.name)}` : alias;
      return `${this.options.tableSql(item.ref)}${implicit}`;
    }
    const needed = item.alias === undefined && this.d.derivedTablesNeedAlias;
    return `(${this.query(item.query)})${needed ? ` AS ${this.d.quote(`_lg_subquery_${++this.derivedCounter}`)}` : alias}`;
  }

  private join(j: Join): string {
    if (j.item.kind === 'unnest') return this.unnest(j.item, j.type === 'LEFT');
    if (j.type === 'SEMI' || j.type === 'ANTI') return ` ${j.type === 'SEMI' ? this.st.semiJoin : this.st.antiJoin} ${this.fromItem(j.item)} ON ${this.expr(j.on as Expr).sql}`;
    const head = j.type === 'CROSS' ? ' CROSS JOIN ' : ` ${j.type === 'INNER' ? 'INNER' : `${j.type} OUTER`} JOIN `;
    const on = j.on ? ` ON ${this.expr(j.on).sql}` : '';
    const using = j.using ? ` USING (${j.using.map((u) => this.d.quote(u)).join(', ')})` : '';
    return `${head}${this.fromItem(j.item)}${on}${using}`;
  }

  /**
   * One row per array element (or map entry), correlated with the tables before it; `outer` keeps a row
   * of NULLs for an empty or NULL array. Positions are 0-based (posexplode) or 1-based (WITH ORDINALITY).
   */
  private unnest(u: Unnest, outer: boolean): string {
    const q = (n: string): string => this.d.quote(n);
    const alias = q(u.alias ?? '_lg_unnest');
    const arg = this.render(u.arg);
    const pos = u.position;
    switch (this.st.unnest) {
      case 'lateral_view': {
        if (pos && (pos.base !== 0 || !pos.first)) this.refuse('UNNEST ... WITH ORDINALITY (1-based positions)');
        const fn = pos ? 'posexplode' : 'explode';
        const names = [...(pos ? [pos.name] : []), ...u.columns].map(q).join(', ');
        return ` LATERAL VIEW ${outer ? 'OUTER ' : ''}${fn}(${arg.sql}) ${alias} AS ${names}`;
      }
      case 'unnest': {
        const head = outer ? ' LEFT JOIN' : ' CROSS JOIN';
        const on = outer ? ' ON TRUE' : '';
        if (!pos || (pos.base === 1 && !pos.first)) {
          const names = [...u.columns, ...(pos ? [pos.name] : [])].map(q).join(', ');
          return `${head} UNNEST(${arg.sql})${pos ? ' WITH ORDINALITY' : ''} AS ${alias}(${names})${on}`;
        }
        const values = u.columns.map((c, i) => `${q(`_lg_v${i}`)} AS ${q(c)}`);
        const position = `${q('_lg_n')}${pos.base === 0 ? ' - 1' : ''} AS ${q(pos.name)}`;
        const inner = u.columns.map((_, i) => q(`_lg_v${i}`)).join(', ');
        const list = (pos.first ? [position, ...values] : [...values, position]).join(', ');
        return `${head} LATERAL (SELECT ${list} FROM UNNEST(${arg.sql}) WITH ORDINALITY AS ${q('_lg_u')}(${inner}, ${q('_lg_n')})) AS ${alias}${on}`;
      }
      case 'duckdb': {
        const values = u.map ? [`unnest(map_keys(${arg.sql}))`, `unnest(map_values(${arg.sql}))`] : [`unnest(${arg.sql})`];
        const named = u.columns.map((c, i) => `${values[i]} AS ${q(c)}`);
        const length = u.map ? `cardinality(${arg.sql})` : `len(${arg.sql})`;
        const position = pos ? `CAST(unnest(range(CAST(${length} AS BIGINT))) AS INTEGER)${pos.base === 1 ? ' + 1' : ''} AS ${q(pos.name)}` : undefined;
        const list = (position === undefined ? named : pos?.first ? [position, ...named] : [...named, position]).join(', ');
        return `${outer ? ' LEFT JOIN' : ' CROSS JOIN'} LATERAL (SELECT ${list}) AS ${alias}${outer ? ' ON TRUE' : ''}`;
      }
      default:
        return this.refuse('LATERAL VIEW or UNNEST');
    }
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
        if (e.safe) {
          if (this.st.tryCast === null) this.refuse('TRY_CAST');
          const from = this.options.types.of(e.arg).kind;
          if (!this.st.tryCastTextToInteger && (e.to.kind === 'int' || e.to.kind === 'decimal') && (from === 'string' || from === 'unknown')) {
            this.refuse('TRY_CAST of text to a number (this target rounds text like 12.7 instead of giving NULL)');
          }
          return atom(`${this.st.tryCast}(${this.expr(e.arg).sql} AS ${this.d.typeName(e.to)})`);
        }
        return atom(this.d.cast(this.render(e.arg), e.to, e.lenient, this));
      case 'call':
        if (e.fn === 'assert_date') return this.assertDate(e.args[0]);
        return atom(this.d.call(e.fn, e.args.map((a) => this.render(a)), this));
      case 'agg':
        return atom(this.aggregate(e));
      case 'window':
        return atom(`${this.expr(e.fn).sql} OVER (${this.window(e.over)})`);
      case 'index': {
        const [base, index] = [this.render(e.base), this.render(e.index)];
        const onMap = base.type.kind === 'map' || (base.type.kind !== 'array' && index.type.kind === 'string');
        if (!onMap) return atom(this.d.index(base, index, this));
        if (this.st.mapGet === null) this.refuse('map access');
        return atom(this.st.mapGet(base, index));
      }
      case 'field':
        return atom(this.field(e.base, e.name));
      case 'interval':
        return this.refuse('INTERVAL outside date arithmetic');
      case 'distinct_from': {
        const [l, r] = [this.wrap(e.left, PREC.COMPARE + 1), this.wrap(e.right, PREC.COMPARE + 1)];
        if (this.st.nullSafeEquals === 'distinct_from') return this.compare(`${l} IS ${e.negated ? 'NOT ' : ''}DISTINCT FROM ${r}`);
        return e.negated ? this.compare(`${l} <=> ${r}`) : { sql: `NOT (${l} <=> ${r})`, prec: PREC.NOT };
      }
      case 'grouping':
        return atom(`grouping(${this.expr(e.arg).sql})`);
      case 'array':
      case 'map':
      case 'struct':
        return atom(this.constructor_(e));
    }
  }

  private field(base: Expr, name: string): string {
    const b = this.render(base);
    if (this.st.constructors === 'duckdb') return `struct_extract(${b.sql}, ${this.d.stringLiteral(name)})`;
    if (this.st.constructors === null) this.refuse('struct field access');
    return `${b.sql.endsWith(')') && b.atomic ? b.sql : `(${b.sql})`}.${this.d.quote(name)}`;
  }

  private constructor_(e: Extract<Expr, { kind: 'array' | 'map' | 'struct' }>): string {
    const list = (xs: Expr[]): string => xs.map((x) => this.expr(x).sql).join(', ');
    const style = this.st.constructors;
    if (style === null) return this.refuse(`${e.kind} values`);
    if (e.kind === 'array') return style === 'hive' ? `array(${list(e.items)})` : style === 'trino' ? `ARRAY[${list(e.items)}]` : `[${list(e.items)}]`;
    if (e.kind === 'map') {
      if (style === 'hive') return `map(${e.keys.map((k, i) => `${this.expr(k).sql}, ${this.expr(e.values[i] as Expr).sql}`).join(', ')})`;
      return style === 'trino' ? `MAP(ARRAY[${list(e.keys)}], ARRAY[${list(e.values)}])` : `MAP([${list(e.keys)}], [${list(e.values)}])`;
    }
    if (style === 'hive') return `named_struct(${e.fields.map((f) => `${this.d.stringLiteral(f.name)}, ${this.expr(f.value).sql}`).join(', ')})`;
    if (style === 'duckdb') return `struct_pack(${e.fields.map((f) => `${this.d.quote(f.name)} := ${this.expr(f.value).sql}`).join(', ')})`;
    const types = e.fields.map((f) => this.options.types.of(f.value));
    if (types.some((t) => t.kind === 'unknown' || t.kind === 'null')) this.refuse('a struct value whose field types are not known');
    return `CAST(ROW(${list(e.fields.map((f) => f.value))}) AS ROW(${e.fields.map((f, i) => `${this.d.quote(f.name)} ${this.d.typeName(types[i] as never)}`).join(', ')}))`;
  }

  /** DATE or TIMESTAMP plus or minus an INTERVAL; a DATE moved by days, months or years stays a DATE. */
  private intervalArithmetic(op: '+' | '-', value: Expr, interval: Extract<Expr, { kind: 'interval' }>): Piece {
    const type = this.options.types.of(value).kind;
    const asWritten = type === 'unknown' && this.source === this.d.name;
    if (type !== 'date' && type !== 'timestamp' && !asWritten) this.refuse('INTERVAL arithmetic on a value that is not known to be a DATE or TIMESTAMP');
    const n = interval.value.kind === 'literal' && interval.value.type === 'number' ? Number(interval.value.value) : NaN;
    if (!Number.isSafeInteger(n)) this.refuse('INTERVAL with a value that is not an integer literal');
    const sign = (op === '-') !== n < 0 ? '-' : '+';
    const sql = `${this.wrap(value, PREC.ADD)} ${sign} ${this.st.interval(Math.abs(n), interval.unit)}`;
    const staysDate = type === 'date' && ['year', 'month', 'day'].includes(interval.unit);
    return staysDate ? atom(`CAST(${sql} AS DATE)`) : { sql, prec: PREC.ADD };
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
    if ((e.op === '+' || e.op === '-') && e.right.kind === 'interval') return this.intervalArithmetic(e.op, e.left, e.right);
    if (e.op === '+' && e.left.kind === 'interval') return this.intervalArithmetic('+', e.right, e.left);
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
    if (e.fn === 'count' && e.distinct && e.args.length > 1 && this.st.countDistinctTuples !== 'native') return this.countDistinctTuples(e);
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

  /** Hive's count(DISTINCT a, b) skips rows where any of a, b is NULL: counted as distinct ROW values of the complete rows. */
  private countDistinctTuples(e: Extract<Expr, { kind: 'agg' }>): string {
    if (this.st.countDistinctTuples === null) this.refuse('count(DISTINCT) of several columns');
    const args = e.args.map((a) => this.render(a));
    const complete = args.map((a) => `${p(a)} IS NOT NULL`).join(' AND ');
    const row: Arg = { expr: e, sql: `CASE WHEN ${complete} THEN ROW(${args.map((a) => a.sql).join(', ')}) END`, type: { kind: 'unknown' }, atomic: true };
    const filter = e.filter ? this.expr(e.filter).sql : undefined;
    if (filter && !this.d.supportsAggregateFilter) this.refuse('count(DISTINCT) of several columns with FILTER');
    return this.d.aggregate('count', [row], true, filter, this);
  }

  private window(w: WindowSpec): string {
    const parts: string[] = [];
    if (w.partitionBy.length > 0) parts.push(`PARTITION BY ${w.partitionBy.map((x) => this.expr(x).sql).join(', ')}`);
    if (w.orderBy.length > 0) parts.push(`ORDER BY ${this.orderItems(w.orderBy)}`);
    if (w.frame) {
      const intervals = [w.frame.start, w.frame.end].some((b) => 'unit' in b && b.unit !== undefined);
      if (intervals && !this.st.rangeIntervals) this.refuse('a RANGE frame with INTERVAL offsets');
      const b = (x: FrameBound): string => ('unit' in x && x.unit !== undefined ? `${this.st.interval(x.offset, x.unit)} ${x.kind.toUpperCase()}` : bound(x));
      parts.push(`${w.frame.unit} BETWEEN ${b(w.frame.start)} AND ${b(w.frame.end)}`);
    }
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

