import { commonType, functionInfo } from './functions.js';
import type { DivisionKind, Expr, FromItem, Query, QueryBody, Select, SqlType, TableRef } from './ir.js';

export interface ColumnType {
  name: string;
  type: SqlType;
}

/** Column names and types of a catalog table, when the caller knows them. */
export type ColumnsOf = (ref: TableRef) => readonly ColumnType[] | undefined;

const UNKNOWN: SqlType = { kind: 'unknown' };

interface ScopeItem {
  alias: string;
  columns: readonly ColumnType[] | undefined;
}

interface Scope {
  items: ScopeItem[];
  /** Output aliases, visible to ORDER BY. */
  outputs?: readonly ColumnType[];
  parent?: Scope;
}

/**
 * Static types of IR expressions, inferred from literals, casts, function signatures and the catalog's
 * column types. Renderers ask it when a translation depends on a type (DIV on integers, CAST from a
 * DOUBLE, a DATE argument); whatever cannot be known is `unknown`, and renderers then choose the form
 * that is right for every possible type, or refuse.
 */
export class Types {
  private readonly types = new Map<Expr, SqlType>();
  private readonly stars = new Map<Expr, Array<{ table: string; name: string }> | undefined>();

  constructor(private readonly columnsOf: ColumnsOf) {}

  /** Walks a whole query, recording the type of every expression in it. */
  inferQuery(query: Query, parent?: Scope, ctes: ReadonlyMap<string, readonly ColumnType[] | undefined> = new Map()): readonly ColumnType[] | undefined {
    const env = new Map(ctes);
    for (const cte of query.with) env.set(cte.name.toLowerCase(), this.inferQuery(cte.query, parent, env));
    const { outputs, scope } = this.inferBody(query.body, parent, env);
    const orderScope: Scope = { items: scope?.items ?? [], parent: scope?.parent ?? parent, ...(outputs ? { outputs } : {}) };
    for (const o of query.orderBy) this.infer(o.expr, orderScope, env);
    return outputs;
  }

  /** The columns a `*` stands for (table alias and name), when every table's columns are known. */
  starColumns(star: Expr): ReadonlyArray<{ table: string; name: string }> | undefined {
    return this.stars.get(star);
  }

  /** The type of an expression; expressions built after inference are typed from their parts. */
  of(expr: Expr): SqlType {
    return this.types.get(expr) ?? this.compute(expr, (e) => this.of(e), { items: [] }, new Map());
  }

  private inferBody(
    body: QueryBody,
    parent: Scope | undefined,
    env: ReadonlyMap<string, readonly ColumnType[] | undefined>,
  ): { outputs: readonly ColumnType[] | undefined; scope?: Scope } {
    if (body.kind === 'select') return this.inferSelect(body, parent, env);
    if (body.kind === 'nested') return { outputs: this.inferQuery(body.query, parent, env) };
    const left = this.inferBody(body.left, parent, env);
    const right = this.inferBody(body.right, parent, env);
    if (!left.outputs || !right.outputs) return { outputs: left.outputs };
    const outputs = left.outputs.map((c, i) => ({ name: c.name, type: commonType([c.type, right.outputs?.[i]?.type ?? UNKNOWN]) }));
    return { outputs };
  }

  private inferSelect(
    select: Select,
    parent: Scope | undefined,
    env: ReadonlyMap<string, readonly ColumnType[] | undefined>,
  ): { outputs: readonly ColumnType[] | undefined; scope: Scope } {
    const scope: Scope = { items: [], ...(parent ? { parent } : {}) };
    if (select.from) {
      scope.items.push(this.scopeItem(select.from.first, parent, env, scope));
      for (const join of select.from.joins) scope.items.push(this.scopeItem(join.item, parent, env, scope));
      for (const join of select.from.joins) if (join.on) this.infer(join.on, scope, env);
    }
    for (const e of [select.where, select.having, ...select.groupBy, ...(select.groupingSets ?? []).flat()]) if (e) this.infer(e, scope, env);
    let outputs: ColumnType[] | undefined = [];
    for (const item of select.columns) {
      if (item.expr.kind === 'star') {
        const starTable = item.expr.table?.toLowerCase();
        const excluded = new Set((item.expr.exclude ?? []).map((n) => n.toLowerCase()));
        const items = scope.items.filter((s) => !starTable || s.alias.toLowerCase() === starTable);
        const known = items.every((s) => s.columns !== undefined);
        const columns = items.flatMap((s) => (s.columns ?? []).map((c) => ({ table: s.alias, column: c }))).filter((c) => !excluded.has(c.column.name.toLowerCase()));
        this.stars.set(item.expr, known ? columns.map((c) => ({ table: c.table, name: c.column.name })) : undefined);
        outputs = known && outputs ? [...outputs, ...columns.map((c) => c.column)] : undefined;
        continue;
      }
      const type = this.infer(item.expr, scope, env);
      const name = item.alias ?? (item.expr.kind === 'column' ? item.expr.name : '');
      outputs?.push({ name, type });
    }
    if (select.qualify) this.infer(select.qualify, scope, env);
    return { outputs, scope };
  }

  private scopeItem(item: FromItem, parent: Scope | undefined, env: ReadonlyMap<string, readonly ColumnType[] | undefined>, lateral: Scope): ScopeItem {
    if (item.kind === 'table') return { alias: item.alias ?? item.ref.name, columns: this.columnsOf(item.ref) };
    if (item.kind === 'cte_ref') return { alias: item.alias ?? item.name, columns: env.get(item.name.toLowerCase()) };
    if (item.kind === 'unnest') {
      const arg = this.infer(item.arg, lateral, env);
      const values: SqlType[] = arg.kind === 'map' ? [arg.key, arg.value] : [arg.kind === 'array' ? arg.element : UNKNOWN];
      const columns: ColumnType[] = item.columns.map((name, i) => ({ name, type: values[i] ?? UNKNOWN }));
      const position: ColumnType[] = item.position ? [{ name: item.position.name, type: { kind: 'int', bits: 32 } }] : [];
      return { alias: item.alias ?? '', columns: item.position?.first ? [...position, ...columns] : [...columns, ...position] };
    }
    return { alias: item.alias ?? '', columns: this.inferQuery(item.query, parent, env) };
  }

  private infer(expr: Expr, scope: Scope, env: ReadonlyMap<string, readonly ColumnType[] | undefined>): SqlType {
    const type = this.compute(expr, (e) => this.infer(e, scope, env), scope, env);
    this.types.set(expr, type);
    return type;
  }

  private compute(
    expr: Expr,
    sub: (e: Expr) => SqlType,
    scope: Scope,
    env: ReadonlyMap<string, readonly ColumnType[] | undefined>,
  ): SqlType {
    switch (expr.kind) {
      case 'column':
        return lookup(scope, expr.table, expr.name);
      case 'literal':
        return literalType(expr);
      case 'star':
      case 'param':
        return UNKNOWN;
      case 'unary':
        return expr.op === 'NOT' ? (sub(expr.arg), { kind: 'boolean' }) : sub(expr.arg);
      case 'binary': {
        const types = [sub(expr.left), sub(expr.right)];
        if (expr.op === '+' || expr.op === '-') {
          if (expr.right.kind === 'interval') return intervalArithmeticType(expr.right, types[0] ?? UNKNOWN);
          if (expr.left.kind === 'interval') return intervalArithmeticType(expr.left, types[1] ?? UNKNOWN);
        }
        if (['+', '-', '*', '%'].includes(expr.op)) return types.some((t) => t.kind === 'date' || t.kind === 'timestamp') ? UNKNOWN : commonType(types);
        return { kind: 'boolean' };
      }
      case 'divide':
        return divisionType(expr.division, sub(expr.left), sub(expr.right));
      case 'in':
        [expr.arg, ...expr.list].forEach(sub);
        return { kind: 'boolean' };
      case 'in_query':
        sub(expr.arg);
        this.inferQuery(expr.query, scope, env);
        return { kind: 'boolean' };
      case 'exists':
        this.inferQuery(expr.query, scope, env);
        return { kind: 'boolean' };
      case 'subquery':
        return this.inferQuery(expr.query, scope, env)?.[0]?.type ?? UNKNOWN;
      case 'between':
        [expr.arg, expr.low, expr.high].forEach(sub);
        return { kind: 'boolean' };
      case 'is_null':
        sub(expr.arg);
        return { kind: 'boolean' };
      case 'like':
        sub(expr.arg);
        sub(expr.pattern);
        return { kind: 'boolean' };
      case 'case': {
        if (expr.operand) sub(expr.operand);
        const results = expr.whens.map((w) => (sub(w.when), sub(w.then)));
        if (expr.else) results.push(sub(expr.else));
        return commonType(results);
      }
      case 'cast':
        sub(expr.arg);
        return expr.to;
      case 'call':
      case 'agg': {
        const args = expr.args.map(sub);
        if (expr.kind === 'agg' && expr.filter) sub(expr.filter);
        return functionInfo(expr.fn)?.returns(args) ?? UNKNOWN;
      }
      case 'window':
        expr.over.partitionBy.forEach(sub);
        expr.over.orderBy.forEach((o) => sub(o.expr));
        return sub(expr.fn);
      case 'index': {
        const base = sub(expr.base);
        sub(expr.index);
        return base.kind === 'array' ? base.element : base.kind === 'map' ? base.value : UNKNOWN;
      }
      case 'interval':
        sub(expr.value);
        return { kind: 'interval' };
      case 'field': {
        const base = sub(expr.base);
        return base.kind === 'struct' ? (base.fields.find((f) => f.name.toLowerCase() === expr.name.toLowerCase())?.type ?? UNKNOWN) : UNKNOWN;
      }
      case 'distinct_from':
        sub(expr.left);
        sub(expr.right);
        return { kind: 'boolean' };
      case 'grouping':
        sub(expr.arg);
        return { kind: 'int', bits: 32 };
      case 'array':
        return { kind: 'array', element: commonType(expr.items.map(sub)) };
      case 'map':
        return { kind: 'map', key: commonType(expr.keys.map(sub)), value: commonType(expr.values.map(sub)) };
      case 'struct':
        return { kind: 'struct', fields: expr.fields.map((f) => ({ name: f.name, type: sub(f.value) })) };
    }
  }
}

function lookup(scope: Scope | undefined, table: string | undefined, name: string): SqlType {
  const lower = name.toLowerCase();
  for (let s = scope; s; s = s.parent) {
    if (table) {
      const item = s.items.find((i) => i.alias.toLowerCase() === table.toLowerCase());
      if (item) return item.columns?.find((c) => c.name.toLowerCase() === lower)?.type ?? UNKNOWN;
      continue;
    }
    const matches = s.items.filter((i) => i.columns?.some((c) => c.name.toLowerCase() === lower));
    if (matches.length === 1 && s.items.every((i) => i.columns !== undefined)) {
      return matches[0]?.columns?.find((c) => c.name.toLowerCase() === lower)?.type ?? UNKNOWN;
    }
    if (matches.length > 0 || s.items.some((i) => i.columns === undefined)) return UNKNOWN;
    const output = s.outputs?.find((c) => c.name.toLowerCase() === lower);
    if (output) return output.type;
  }
  return UNKNOWN;
}

function literalType(expr: Extract<Expr, { kind: 'literal' }>): SqlType {
  switch (expr.type) {
    case 'string':
      return { kind: 'string' };
    case 'boolean':
      return { kind: 'boolean' };
    case 'null':
      return { kind: 'null' };
    case 'date':
      return { kind: 'date' };
    case 'timestamp':
      return { kind: 'timestamp' };
    case 'number': {
      if (expr.numeric === 'double') return { kind: 'double' };
      if (expr.numeric === 'decimal') return { kind: 'decimal' };
      const n = BigInt(expr.value);
      if (n >= -2147483648n && n <= 2147483647n) return { kind: 'int', bits: 32 };
      if (n >= -9223372036854775808n && n <= 9223372036854775807n) return { kind: 'int', bits: 64 };
      return { kind: 'decimal', precision: 38, scale: 0 };
    }
  }
}

/** DATE ± days, months or years stays a DATE; anything with a time of day is a TIMESTAMP. */
function intervalArithmeticType(interval: Extract<Expr, { kind: 'interval' }>, other: SqlType): SqlType {
  if (other.kind === 'date') return ['year', 'month', 'day'].includes(interval.unit) ? other : { kind: 'timestamp' };
  if (other.kind === 'timestamp') return other;
  return UNKNOWN;
}

function divisionType(division: DivisionKind, left: SqlType, right: SqlType): SqlType {
  if (division === 'idiv_null') return { kind: 'int', bits: 64 };
  if (division === 'typed_div') return commonType([left, right]);
  return { kind: 'double' };
}

/** Hive type text from DDL (`BIGINT`, `DECIMAL(10,2)`, `ARRAY<STRING>`) as an IR type. */
export function parseHiveType(text: string): SqlType {
  const t = text.trim().toUpperCase();
  const array = /^ARRAY\s*<(.*)>$/.exec(t);
  if (array) return { kind: 'array', element: parseHiveType(array[1] ?? '') };
  const decimal = /^(?:DECIMAL|NUMERIC)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?$/.exec(t);
  if (decimal) return { kind: 'decimal', precision: Number(decimal[1] ?? 10), scale: Number(decimal[2] ?? 0) };
  const varchar = /^(?:VARCHAR|CHAR)\s*\(\s*(\d+)\s*\)$/.exec(t);
  if (varchar) return { kind: 'string', length: Number(varchar[1]) };
  const simple: Readonly<Record<string, SqlType>> = {
    STRING: { kind: 'string' },
    VARCHAR: { kind: 'string' },
    TINYINT: { kind: 'int', bits: 8 },
    SMALLINT: { kind: 'int', bits: 16 },
    INT: { kind: 'int', bits: 32 },
    INTEGER: { kind: 'int', bits: 32 },
    BIGINT: { kind: 'int', bits: 64 },
    FLOAT: { kind: 'float' },
    DOUBLE: { kind: 'double' },
    BOOLEAN: { kind: 'boolean' },
    DATE: { kind: 'date' },
    TIMESTAMP: { kind: 'timestamp' },
  };
  return simple[t] ?? UNKNOWN;
}
