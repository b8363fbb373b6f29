import { isSystemName } from '../guards.js';
import type { Cte, Expr, FromItem, Join, JoinType, OrderItem, Query, QueryBody, Select, SelectItem } from '../ir.js';
import { isNode, type AstNode } from '../parse.js';
import { asArray, asNode, assertOnlyKeys, isEmptyValue, nameOf, notAllowed, untranslatable, type LowerContext } from './context.js';
import { lowerExpr, lowerOrderBy } from './lower-expr.js';

const SELECT_KEYS = [
  'with',
  'type',
  'options',
  'distinct',
  'columns',
  'into',
  'from',
  'where',
  'groupby',
  'having',
  'orderby',
  'limit',
  '_next',
  'set_op',
  'parentheses_symbol',
  '_parentheses',
];

const JOINS: Readonly<Record<string, JoinType>> = {
  JOIN: 'INNER',
  'INNER JOIN': 'INNER',
  'LEFT JOIN': 'LEFT',
  'LEFT OUTER JOIN': 'LEFT',
  'RIGHT JOIN': 'RIGHT',
  'RIGHT OUTER JOIN': 'RIGHT',
  'FULL JOIN': 'FULL',
  'FULL OUTER JOIN': 'FULL',
  'CROSS JOIN': 'CROSS',
};

/**
 * Lowers a (possibly compound) SELECT. node-sql-parser chains UNION branches through `_next` and hangs
 * a trailing ORDER BY / LIMIT on the last branch; unless that branch was parenthesised they belong to
 * the whole compound query.
 */
export function lowerQuery(node: AstNode, ctx: LowerContext): Query {
  return ctx.withCteScope((scope) => {
    const ctes = lowerCtes(node.with, scope, ctx);
    const branches = collectBranches(node);
    if (branches.length === 1) {
      const only = branches[0] as AstNode;
      return { with: ctes, body: lowerSelect(only, ctx), ...lowerOrderLimit(only, ctx) };
    }
    let body: QueryBody | undefined;
    let tail: Pick<Query, 'orderBy' | 'limit' | 'offset'> = { orderBy: [] };
    branches.forEach((branch, i) => {
      const isTail = i === branches.length - 1 && branch.parentheses_symbol !== true;
      let lowered: QueryBody = lowerSelect(branch, ctx);
      const own = lowerOrderLimit(branch, ctx);
      if (isTail) tail = own;
      else if (own.orderBy.length > 0 || own.limit !== undefined) lowered = { kind: 'nested', query: { with: [], body: lowered, ...own } };
      body = body === undefined ? lowered : { kind: 'set_op', op: setOperator(branches[i - 1]), left: body, right: lowered };
    });
    return { with: ctes, body: body as QueryBody, ...tail };
  });
}

function collectBranches(node: AstNode): AstNode[] {
  const branches: AstNode[] = [];
  let current: AstNode | undefined = node;
  while (current) {
    branches.push(current);
    current = isNode(current._next) ? current._next : undefined;
  }
  branches.slice(1).forEach((b) => {
    if (!isEmptyValue(b.with)) throw untranslatable('WITH inside a UNION branch');
  });
  return branches;
}

function setOperator(previous: AstNode | undefined): 'UNION' | 'UNION ALL' {
  const op = String(previous?.set_op ?? '').toUpperCase();
  if (op === 'UNION ALL') return 'UNION ALL';
  if (op === 'UNION' || op === 'UNION DISTINCT') return 'UNION';
  throw untranslatable(`set operator ${op}`);
}

function lowerCtes(value: unknown, scope: Set<string>, ctx: LowerContext): Cte[] {
  return asArray(value).map((entry) => {
    const cte = asNode(entry, 'WITH');
    if (!isEmptyValue(cte.columns)) throw untranslatable('column lists on WITH queries');
    if (cte.recursive) throw untranslatable('WITH RECURSIVE');
    const name = nameOf(cte.name);
    const stmt = asNode(cte.stmt, 'WITH');
    const ast = isNode(stmt.ast) ? stmt.ast : stmt;
    if (!name) throw untranslatable('WITH query name');
    const query = lowerQuery(ast, ctx);
    scope.add(name.toLowerCase());
    return { name, query };
  });
}

function lowerSelect(node: AstNode, ctx: LowerContext): Select {
  assertOnlyKeys(node, SELECT_KEYS, 'SELECT');
  if (node.type !== 'select') throw notAllowed('only SELECT queries are allowed');
  if (!isEmptyValue(node.options)) throw untranslatable('SELECT options');
  const groupBy = lowerGroupBy(node.groupby, ctx);
  return {
    kind: 'select',
    distinct: isDistinct(node.distinct),
    columns: asArray(node.columns).map((c) => lowerSelectItem(c, ctx)),
    ...lowerFromClause(node.from, ctx),
    ...(isEmptyValue(node.where) ? {} : { where: lowerExpr(node.where, ctx) }),
    groupBy,
    ...(isEmptyValue(node.having) ? {} : { having: lowerExpr(node.having, ctx) }),
  };
}

function isDistinct(value: unknown): boolean {
  const text = isNode(value) ? value.type : value;
  if (text === null || text === undefined) return false;
  if (String(text).toUpperCase() === 'DISTINCT') return true;
  throw untranslatable(`SELECT ${String(text)}`);
}

function lowerSelectItem(value: unknown, ctx: LowerContext): SelectItem {
  const item = asNode(value, 'select item');
  const expr = lowerExpr(item.expr, ctx);
  const alias = item.as === null || item.as === undefined ? undefined : nameOf(item.as);
  if (item.as !== null && item.as !== undefined && alias === undefined) throw untranslatable('column alias');
  if (expr.kind === 'star' && alias) throw untranslatable('an alias on *');
  return alias === undefined ? { expr } : { expr, alias };
}

function lowerGroupBy(value: unknown, ctx: LowerContext): Expr[] {
  if (isEmptyValue(value)) return [];
  const node = isNode(value) ? value : { columns: value };
  if (!isEmptyValue(node.modifiers)) throw untranslatable('GROUP BY modifiers (ROLLUP, CUBE, GROUPING SETS)');
  const columns = asArray(node.columns).map((c) => lowerExpr(c, ctx));
  if (ctx.dialect === 'hive' && columns.some((c) => c.kind === 'literal' && c.type === 'number')) {
    ctx.warnings.add('GROUP BY <position> is read as a column position (hive.groupby.position.alias=true)');
  }
  return columns;
}

function lowerOrderLimit(node: AstNode, ctx: LowerContext): Pick<Query, 'orderBy' | 'limit' | 'offset'> {
  const orderBy: OrderItem[] = lowerOrderBy(node.orderby, ctx);
  const limit = isNode(node.limit) ? node.limit : undefined;
  const values = asArray(limit?.value).map((v) => limitNumber(v));
  if (values.length === 0) return { orderBy };
  const separator = String(limit?.seperator ?? '').toLowerCase();
  if (values.length === 1) return { orderBy, limit: values[0] };
  if (separator === ',') return { orderBy, offset: values[0], limit: values[1] };
  if (separator === 'offset') return { orderBy, limit: values[0], offset: values[1] };
  throw untranslatable('LIMIT');
}

function limitNumber(value: unknown): number {
  const node = asNode(value, 'LIMIT');
  const n = Number(node.value);
  if (node.type !== 'number' || !Number.isSafeInteger(n) || n < 0) throw untranslatable('LIMIT or OFFSET that is not a non-negative integer');
  return n;
}

function lowerFromClause(value: unknown, ctx: LowerContext): Pick<Select, 'from'> {
  if (isEmptyValue(value)) return {};
  if (!Array.isArray(value)) throw untranslatable('FROM clause');
  const [first, ...rest] = value.map((v) => asNode(v, 'FROM item'));
  if (!first) return {};
  if (first.join !== undefined && first.join !== null) throw untranslatable('FROM clause');
  const joins: Join[] = rest.map((item) => lowerJoin(item, ctx));
  return { from: { first: lowerFromItem(first, ctx), joins } };
}

function lowerJoin(node: AstNode, ctx: LowerContext): Join {
  const item = lowerFromItem(node, ctx);
  if (node.join === undefined || node.join === null) return { type: 'CROSS', item };
  const type = JOINS[String(node.join).toUpperCase()];
  if (!type) throw untranslatable(`${String(node.join).toUpperCase()}`);
  const using = asArray(node.using).map((u) => {
    const name = nameOf(u);
    if (!name) throw untranslatable('USING');
    return name;
  });
  const on = isEmptyValue(node.on) ? undefined : lowerExpr(node.on, ctx);
  if (type !== 'CROSS' && !on && using.length === 0) throw untranslatable(`${type} JOIN without ON or USING`);
  return { type, item, ...(on ? { on } : {}), ...(using.length > 0 ? { using } : {}) };
}

function lowerFromItem(node: AstNode, ctx: LowerContext): FromItem {
  assertOnlyKeys(node, ['db', 'table', 'as', 'join', 'on', 'using', 'expr', 'schema', 'prefix', 'type'], 'FROM item');
  const alias = node.as === null || node.as === undefined ? undefined : nameOf(node.as);
  const withAlias = <T extends FromItem>(item: T): T => (alias ? { ...item, alias } : item);
  if (isNode(node.expr)) {
    if (!isNode(node.expr.ast)) throw notAllowed('table functions are not allowed');
    return withAlias({ kind: 'derived', query: lowerQuery(node.expr.ast, ctx) });
  }
  if (node.type !== undefined && node.type !== null) throw notAllowed('only catalog tables and subqueries may appear in FROM');
  const name = nameOf(node.table);
  const database = node.db === null || node.db === undefined ? undefined : nameOf(node.db);
  if (!name || (node.db !== null && node.db !== undefined && !database) || !isEmptyValue(node.schema)) {
    throw untranslatable('table reference');
  }
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || (database && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(database))) {
    throw notAllowed(`'${database ? `${database}.` : ''}${name}' is not a table name (file paths and strings cannot be used as tables)`);
  }
  if (isSystemName(name) || (database && isSystemName(database))) throw notAllowed(`system catalog ${database ?? name} is not allowed`);
  if (!database && ctx.isCte(name)) return withAlias({ kind: 'cte_ref', name });
  const ref = database ? { database: database.toLowerCase(), name: name.toLowerCase() } : { name: name.toLowerCase() };
  ctx.addTable(ref);
  return withAlias({ kind: 'table', ref });
}
