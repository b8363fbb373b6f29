import { AppError } from '../../errors.js';
import { functionInfo } from '../functions.js';
import { isSystemName } from '../guards.js';
import type {
  BinaryOp,
  Cte,
  Expr,
  FrameBound,
  FromItem,
  IntervalUnit,
  Join,
  JoinType,
  Literal,
  NumericKind,
  OrderItem,
  Query,
  QueryBody,
  Select,
  SelectItem,
  SetOperator,
  SqlType,
  Unnest,
  WindowFrame,
  WindowSpec,
} from '../ir.js';
import type { Token } from '../lexer.js';
import { notAllowed, untranslatable, type LowerContext } from '../lower/context.js';
import { decodeStringLiteral } from '../lower/literals.js';
import { lowerCall } from '../lower/lower-functions.js';
import { lowerType } from '../lower/lower-types.js';
import type { SourceDialect } from './source-dialects.js';

/** Expressions and queries nested deeper than this (in the IR) are refused: renderers walk them recursively. */
export const MAX_IR_DEPTH = 1000;
/** Recursion of the parser itself (parentheses, CASE, subqueries, unary operators) is bounded by this. */
const MAX_NESTING = 400;

/** Words that end an expression or a clause in every dialect, so they are never read as implicit aliases or bare names. */
const RESERVED = (
  'select from where group having order limit offset union intersect except minus join inner left right full cross outer on using as and or not ' +
  'in is like rlike regexp between case when then else end with lateral window tablesample by all distinct null true false over filter exists ' +
  'values escape into fetch'
).split(' ');

/** Reserved words that are also function names: read as a call when `(` follows in an expression. */
const CALLABLE_KEYWORDS = new Set(['left', 'right']);

/** Words reserved only where the dialect has the clause they start. */
function reservedWords(src: SourceDialect): Set<string> {
  return new Set([
    ...RESERVED,
    ...(src.distributeSortBy ? ['distribute', 'sort', 'cluster'] : []),
    ...(src.semiAntiJoins ? ['semi', 'anti'] : []),
    ...(src.qualify ? ['qualify'] : []),
    ...(src.integerDivision === 'DIV' ? ['div'] : []),
  ]);
}

const COMPARISONS: Readonly<Record<string, BinaryOp>> = { '=': '=', '==': '=', '!=': '<>', '<>': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

const INTERVAL_UNITS: Readonly<Record<string, IntervalUnit>> = {
  YEAR: 'year',
  YEARS: 'year',
  MONTH: 'month',
  MONTHS: 'month',
  DAY: 'day',
  DAYS: 'day',
  HOUR: 'hour',
  HOURS: 'hour',
  MINUTE: 'minute',
  MINUTES: 'minute',
  SECOND: 'second',
  SECONDS: 'second',
};

/** Binding powers, lowest first. */
const P = { OR: 1, AND: 2, NOT: 3, COMPARE: 4, CONCAT: 5, ADD: 6, MUL: 7, UNARY: 8 } as const;

const NUMBER_SUFFIX_TYPES: Readonly<Record<string, SqlType>> = {
  L: { kind: 'int', bits: 64 },
  S: { kind: 'int', bits: 16 },
  Y: { kind: 'int', bits: 8 },
  D: { kind: 'double' },
  F: { kind: 'float' },
};

interface PendingWindow {
  name: string;
  spec: WindowSpec;
  token: Token;
}

interface WindowDef {
  base?: string;
  spec: WindowSpec;
}

/**
 * A recursive-descent parser over the lexer's tokens that produces the IR directly. Expressions are
 * parsed by precedence climbing; a chain of left-associative operators is built in a loop, so its
 * length costs no stack. What a dialect accepts and means comes from its SourceDialect.
 */
export class Parser {
  private i = 0;
  private nesting = 0;
  private readonly src: SourceDialect;
  private readonly reserved: Set<string>;
  private readonly pendingWindows: PendingWindow[][] = [];

  constructor(
    private readonly tokens: readonly Token[],
    private readonly sql: string,
    private readonly ctx: LowerContext,
  ) {
    this.src = ctx.source;
    this.reserved = reservedWords(this.src);
  }

  statement(): Query {
    const query = this.query();
    while (this.peekText(';')) this.i++;
    if (this.i < this.tokens.length) this.fail(`unexpected ${this.describe(this.peek())}`);
    return query;
  }

  // ---------------------------------------------------------------- tokens

  private peek(k = 0): Token | undefined {
    return this.tokens[this.i + k];
  }

  private peekText(text: string, k = 0): boolean {
    const t = this.peek(k);
    return t !== undefined && (t.kind === 'punct' || t.kind === 'op') && t.text === text;
  }

  private peekWord(word: string, k = 0): boolean {
    const t = this.peek(k);
    return t !== undefined && t.kind === 'word' && t.text.toUpperCase() === word;
  }

  private acceptWord(...words: string[]): boolean {
    if (!words.every((w, k) => this.peekWord(w, k))) return false;
    this.i += words.length;
    return true;
  }

  private accept(text: string): boolean {
    if (!this.peekText(text)) return false;
    this.i++;
    return true;
  }

  private expectWord(word: string): void {
    if (!this.acceptWord(word)) this.fail(`expected ${word} but found ${this.describe(this.peek())}`);
  }

  private expect(text: string): void {
    if (!this.accept(text)) this.fail(`expected '${text}' but found ${this.describe(this.peek())}`);
  }

  private describe(t: Token | undefined): string {
    return t ? `'${t.text.length > 30 ? `${t.text.slice(0, 30)}...` : t.text}'` : 'end of input';
  }

  private fail(message: string, at: Token | undefined = this.peek()): never {
    const position = at ? { line: at.line, column: at.column } : this.endPosition();
    throw new AppError('SQL_SYNTAX', `syntax error: ${message}`, { details: { position } });
  }

  private endPosition(): { line: number; column: number } {
    const last = this.tokens[this.tokens.length - 1];
    if (!last) return { line: 1, column: 1 };
    const tail = this.sql.slice(last.offset);
    const lines = tail.split('\n');
    return lines.length === 1 ? { line: last.line, column: last.column + tail.length } : { line: last.line + lines.length - 1, column: (lines[lines.length - 1] ?? '').length + 1 };
  }

  private enter(): void {
    if (++this.nesting > MAX_NESTING) throw new AppError('SQL_NOT_ALLOWED', `statement is nested more than ${MAX_NESTING} levels deep`);
  }

  private leave(): void {
    this.nesting--;
  }

  /** An identifier: a bare word that is not reserved, or a quoted name. */
  private identifier(what: string): string {
    const t = this.peek();
    if (t?.kind === 'word' && !this.reserved.has(t.text.toLowerCase())) {
      this.i++;
      return t.text;
    }
    if (t?.kind === 'ident') {
      this.i++;
      return this.unquote(t);
    }
    return this.fail(`expected ${what} but found ${this.describe(t)}`);
  }

  private isIdentifierNext(k = 0): boolean {
    const t = this.peek(k);
    return (t?.kind === 'word' && !this.reserved.has(t.text.toLowerCase())) || t?.kind === 'ident';
  }

  private unquote(t: Token): string {
    const q = t.text[0] ?? '';
    if (q === '`' && !this.src.backtickIdentifiers) throw untranslatable('backtick-quoted identifiers in this dialect');
    return t.text.slice(1, -1).split(q + q).join(q);
  }

  // ---------------------------------------------------------------- queries

  private query(): Query {
    this.enter();
    const query = this.ctx.withCteScope((scope) => {
      const ctes = this.acceptWord('WITH') ? this.ctes(scope) : [];
      const body = this.setExpression();
      const tail = this.queryTail();
      return { with: ctes, body, ...tail };
    });
    this.leave();
    return query;
  }

  private ctes(scope: Set<string>): Cte[] {
    if (this.peekWord('RECURSIVE')) throw untranslatable('WITH RECURSIVE');
    const ctes: Cte[] = [];
    do {
      const name = this.identifier('a WITH query name');
      if (this.peekText('(')) throw untranslatable('column lists on WITH queries');
      this.expectWord('AS');
      this.expect('(');
      const query = this.query();
      this.expect(')');
      scope.add(name.toLowerCase());
      ctes.push({ name, query });
    } while (this.accept(','));
    return ctes;
  }

  /** UNION and EXCEPT, left to right; INTERSECT binds tighter (standard SQL, Spark, Trino, DuckDB). */
  private setExpression(): QueryBody {
    let left = this.intersection();
    for (;;) {
      const op = this.setOperator(['UNION', 'EXCEPT', 'MINUS']);
      if (!op) return left;
      left = { kind: 'set_op', op, left, right: this.intersection() };
    }
  }

  private intersection(): QueryBody {
    let left = this.setPrimary();
    for (;;) {
      const op = this.setOperator(['INTERSECT']);
      if (!op) return left;
      left = { kind: 'set_op', op, left, right: this.setPrimary() };
    }
  }

  private setOperator(words: string[]): SetOperator | undefined {
    const word = words.find((w) => this.peekWord(w));
    if (!word) return undefined;
    const at = this.peek();
    this.i++;
    const all = this.acceptWord('ALL');
    if (!all) this.acceptWord('DISTINCT');
    if (word === 'UNION') return all ? 'UNION ALL' : 'UNION';
    if (all) throw untranslatable(`${word} ALL`);
    if (word === 'MINUS') this.fail('MINUS is not supported; use EXCEPT', at);
    return word === 'INTERSECT' ? 'INTERSECT' : 'EXCEPT';
  }

  private setPrimary(): QueryBody {
    if (this.peekText('(')) {
      this.i++;
      const inner = this.query();
      this.expect(')');
      const plain = inner.with.length === 0 && inner.orderBy.length === 0 && inner.limit === undefined && inner.offset === undefined;
      return plain ? inner.body : { kind: 'nested', query: inner };
    }
    if (!this.peekWord('SELECT')) this.fail(`expected SELECT but found ${this.describe(this.peek())}`);
    return this.select();
  }

  /** ORDER BY (or Hive's SORT BY / CLUSTER BY / DISTRIBUTE BY), LIMIT and OFFSET of a whole query. */
  private queryTail(): Pick<Query, 'orderBy' | 'limit' | 'offset'> {
    let orderBy: OrderItem[] = [];
    if (this.acceptWord('ORDER', 'BY')) orderBy = this.orderItems();
    if (this.src.distributeSortBy) orderBy = this.hiveDistribution(orderBy);
    let limit: number | undefined;
    let offset: number | undefined;
    for (;;) {
      if (limit === undefined && this.acceptWord('LIMIT')) {
        const first = this.count();
        if (this.accept(',')) {
          offset = first;
          limit = this.count();
        } else {
          limit = first;
        }
      } else if (offset === undefined && this.acceptWord('OFFSET')) {
        offset = this.count();
        if (!this.acceptWord('ROWS')) this.acceptWord('ROW');
      } else {
        break;
      }
    }
    return { orderBy, ...(limit !== undefined ? { limit } : {}), ...(offset !== undefined ? { offset } : {}) };
  }

  /**
   * Hive's DISTRIBUTE BY only chooses reducers and SORT BY orders rows within each reducer: the result
   * is the same multiset of rows as without them, in an order Hive does not define beyond one reducer.
   * The translation keeps the rows and, for SORT BY / CLUSTER BY, sorts them totally by the same keys
   * (what one reducer would give), with a warning; DISTRIBUTE BY alone is dropped with a warning.
   */
  private hiveDistribution(orderBy: OrderItem[]): OrderItem[] {
    let out = orderBy;
    for (;;) {
      const at = this.peek();
      if (this.acceptWord('DISTRIBUTE', 'BY')) {
        this.expressionList();
        this.ctx.warnings.add('DISTRIBUTE BY only spreads rows over reducers; it is dropped (the rows are the same)');
      } else if (this.acceptWord('SORT', 'BY') || this.acceptWord('CLUSTER', 'BY')) {
        if (out.length > 0) this.fail('SORT BY or CLUSTER BY together with ORDER BY', at);
        const clustered = at?.text.toUpperCase() === 'CLUSTER';
        out = clustered ? this.expressionList().map((expr) => this.orderItem(expr, 'ASC', undefined)) : this.orderItems();
        this.ctx.warnings.add(`${clustered ? 'CLUSTER' : 'SORT'} BY orders rows only within each reducer; translated to ORDER BY (a total order Hive gives with one reducer)`);
      } else {
        return out;
      }
    }
  }

  private count(): number {
    const t = this.peek();
    const n = t?.kind === 'number' ? Number(t.text) : NaN;
    if (!t || t.kind !== 'number' || !/^\d+$/.test(t.text) || !Number.isSafeInteger(n)) {
      if (t && (t.kind === 'number' || t.kind === 'param' || t.kind === 'word' || t.text === '-')) throw untranslatable('LIMIT or OFFSET that is not a non-negative integer');
      this.fail(`expected a number but found ${this.describe(t)}`);
    }
    this.i++;
    return n;
  }

  private select(): Select {
    this.expectWord('SELECT');
    this.pendingWindows.push([]);
    const distinct = this.acceptWord('DISTINCT');
    if (!distinct) this.acceptWord('ALL');
    const columns: SelectItem[] = [];
    const generators: Unnest[] = [];
    do columns.push(this.generatorItem(generators) ?? this.selectItem());
    while (this.accept(','));
    const select: Select = { kind: 'select', distinct, columns, groupBy: [] };
    if (this.acceptWord('FROM')) select.from = this.fromClause();
    if (generators.length > 0) this.joinGenerators(select, generators);
    if (this.acceptWord('WHERE')) select.where = this.expr();
    if (this.acceptWord('GROUP', 'BY')) this.groupBy(select);
    if (generators.length > 0 && (select.groupBy.length > 0 || select.columns.some((c) => containsAggregate(c.expr)))) {
      throw untranslatable('explode() in a select list with GROUP BY or aggregates');
    }
    if (this.acceptWord('HAVING')) select.having = this.expr();
    const windows = this.peekWord('WINDOW') ? this.windowClause() : new Map<string, WindowDef>();
    if (this.src.qualify && this.acceptWord('QUALIFY')) select.qualify = this.qualify(this.expr(), columns);
    this.resolveWindows(windows);
    return select;
  }

  /**
   * Hive/Spark `explode(x) [AS a]` / `posexplode(x) [AS (pos, a)]` as a select item: the same rows as
   * `LATERAL VIEW` over the select's FROM (or over one row without FROM), so it is read as that.
   */
  private generatorItem(generators: Unnest[]): SelectItem | undefined {
    const t = this.peek();
    const fn = t?.kind === 'word' ? t.text.toLowerCase() : '';
    if (!this.src.lateralView || (fn !== 'explode' && fn !== 'posexplode') || !this.peekText('(', 1)) return undefined;
    if (generators.length > 0) throw untranslatable('more than one explode() in a select list');
    this.i += 2;
    const arg = this.expr();
    this.expect(')');
    const positional = fn === 'posexplode';
    let names: string[] = positional ? ['pos', 'col'] : ['col'];
    if (this.acceptWord('AS')) {
      if (this.accept('(')) {
        names = [];
        do names.push(this.identifier('a column name'));
        while (this.accept(','));
        this.expect(')');
      } else {
        names = [this.identifier('a column name')];
      }
    }
    if (names.length !== (positional ? 2 : 1)) this.fail(`${fn}() in a select list needs ${positional ? 'two' : 'one'} column name${positional ? 's' : ''}`, t);
    const alias = `_gen${generators.length}`;
    generators.push({
      kind: 'unnest', arg, columns: names.slice(positional ? 1 : 0), map: false, alias,
      ...(positional ? { position: { name: names[0] as string, base: 0 as const, first: true } } : {}),
    });
    return { expr: { kind: 'star', table: alias } };
  }

  /** Joins the select-list generators CROSS after the FROM items (a one-row derived table without FROM). */
  private joinGenerators(select: Select, generators: Unnest[]): void {
    const joins: Join[] = generators.map((item) => ({ type: 'CROSS', item }));
    if (select.from) {
      select.from.joins.push(...joins);
      return;
    }
    const one: Query = { with: [], body: { kind: 'select', distinct: false, columns: [{ expr: { kind: 'literal', type: 'number', value: '1', numeric: 'integer' }, alias: 'one' }], groupBy: [] }, orderBy: [] };
    select.from = { first: { kind: 'derived', query: one, alias: '_one' }, joins };
  }

  private selectItem(): SelectItem {
    const start = this.peek();
    const expr = this.expr();
    if (expr.kind === 'star') {
      if (this.peekWord('EXCLUDE') || this.peekWord('EXCEPT')) {
        if (!this.src.starExclude || !this.peekWord('EXCLUDE')) this.fail(`unexpected ${this.describe(this.peek())}`);
        this.i++;
        const exclude: string[] = [];
        if (this.accept('(')) {
          do exclude.push(this.identifier('a column name'));
          while (this.accept(','));
          this.expect(')');
        } else {
          exclude.push(this.identifier('a column name'));
        }
        return { expr: { ...expr, exclude } };
      }
      if (this.peekWord('AS') || this.isIdentifierNext()) throw untranslatable('an alias on *');
      return { expr };
    }
    const alias = this.alias();
    if (expr.kind === 'param' && start?.kind === 'param' && alias === undefined) return { expr };
    return alias === undefined ? { expr } : { expr, alias };
  }

  private alias(): string | undefined {
    if (this.acceptWord('AS')) {
      const t = this.peek();
      if (t?.kind === 'string' && this.src.doubleQuotedStrings && t.text.startsWith('"')) {
        this.i++;
        return decodeStringLiteral(t.text.slice(1, -1), this.src, '"');
      }
      return this.identifier('an alias');
    }
    return this.isIdentifierNext() ? this.identifier('an alias') : undefined;
  }

  // ---------------------------------------------------------------- FROM

  private fromClause(): NonNullable<Select['from']> {
    const first = this.fromItem();
    const joins: Join[] = this.lateralViews();
    for (;;) {
      if (this.accept(',')) {
        joins.push({ type: 'CROSS', item: this.fromItem() });
        joins.push(...this.lateralViews());
        continue;
      }
      const type = this.joinType();
      if (!type) break;
      joins.push(this.join(type));
      joins.push(...this.lateralViews());
    }
    this.checkSemiJoins(joins);
    return { first, joins };
  }

  private joinType(): JoinType | undefined {
    const at = this.peek();
    const semiAnti = (word: string): JoinType | undefined => {
      if (!this.src.semiAntiJoins) this.fail(`${word} JOIN is not supported in ${this.ctx.dialect}`, at);
      return word === 'SEMI' ? 'SEMI' : 'ANTI';
    };
    if (this.acceptWord('JOIN') || this.acceptWord('INNER', 'JOIN')) return 'INNER';
    if (this.acceptWord('CROSS', 'JOIN')) return 'CROSS';
    for (const [word, type] of [['LEFT', 'LEFT'], ['RIGHT', 'RIGHT'], ['FULL', 'FULL']] as const) {
      if (!this.peekWord(word)) continue;
      for (const special of ['SEMI', 'ANTI'] as const) {
        if (word === 'LEFT' && this.acceptWord('LEFT', special, 'JOIN')) return semiAnti(special);
      }
      if (this.acceptWord(word, 'JOIN') || this.acceptWord(word, 'OUTER', 'JOIN')) return type;
    }
    for (const special of ['SEMI', 'ANTI'] as const) if (this.acceptWord(special, 'JOIN')) return semiAnti(special);
    return undefined;
  }

  private join(type: JoinType): Join {
    const item = this.fromItem();
    if (this.acceptWord('ON')) {
      if (type === 'CROSS') this.fail('CROSS JOIN with ON');
      const on = this.expr();
      if (item.kind === 'unnest') {
        if (type !== 'LEFT' || !(on.kind === 'literal' && on.type === 'boolean' && on.value)) throw untranslatable('a join with UNNEST other than CROSS JOIN or LEFT JOIN ... ON TRUE');
        return { type, item, on };
      }
      return { type, item, on };
    }
    if (this.acceptWord('USING')) {
      this.expect('(');
      const using: string[] = [];
      do using.push(this.identifier('a column name'));
      while (this.accept(','));
      this.expect(')');
      return { type, item, using };
    }
    if (type !== 'CROSS') throw untranslatable(`${type} JOIN without ON or USING`);
    return { type, item };
  }

  /** SEMI and ANTI joins are rendered as EXISTS where targets lack them: later joins must keep every left row. */
  private checkSemiJoins(joins: Join[]): void {
    const firstSemi = joins.findIndex((j) => j.type === 'SEMI' || j.type === 'ANTI');
    if (firstSemi < 0) return;
    if (joins.slice(firstSemi).some((j) => j.type === 'RIGHT' || j.type === 'FULL')) throw untranslatable('a RIGHT or FULL join after a LEFT SEMI or ANTI join');
    if (joins.some((j) => (j.type === 'SEMI' || j.type === 'ANTI') && !j.on)) throw untranslatable('a SEMI or ANTI join without ON');
  }

  private fromItem(): FromItem {
    this.enter();
    const item = this.fromPrimary();
    this.leave();
    if (this.peekWord('TABLESAMPLE')) throw untranslatable('TABLESAMPLE (engines sample differently, so the rows would not be the same)');
    return item;
  }

  private fromPrimary(): FromItem {
    if (this.peekText('(')) {
      const at = this.peek();
      this.i++;
      if (!this.peekWord('SELECT') && !this.peekWord('WITH') && !this.peekText('(')) this.fail('parenthesised joins are not supported', at);
      const query = this.query();
      this.expect(')');
      const alias = this.alias();
      if (this.peekText('(')) throw untranslatable('column lists on derived tables');
      return alias === undefined ? { kind: 'derived', query } : { kind: 'derived', query, alias };
    }
    if (this.peekWord('UNNEST') && this.peekText('(', 1)) return this.unnest();
    if (this.peekWord('LATERAL')) throw untranslatable('LATERAL subqueries');
    const start = this.peek();
    const parts = [this.tableName()];
    while (this.accept('.')) parts.push(this.tableName());
    if (this.peekText('(')) throw notAllowed('table functions are not allowed');
    if (parts.length > 2) throw untranslatable('table reference');
    const [database, name] = parts.length === 2 ? [parts[0], parts[1] as string] : [undefined, parts[0] as string];
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || (database !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(database))) {
      throw notAllowed(`'${database ? `${database}.` : ''}${name}' is not a table name (file paths and strings cannot be used as tables)`);
    }
    if (isSystemName(name) || (database && isSystemName(database))) throw notAllowed(`system catalog ${database ?? name} is not allowed`);
    const alias = this.alias();
    const withAlias = <T extends FromItem>(item: T): T => (alias === undefined ? item : { ...item, alias });
    if (start && !database && this.ctx.isCte(name)) return withAlias({ kind: 'cte_ref', name });
    const ref = database ? { database: database.toLowerCase(), name: name.toLowerCase() } : { name: name.toLowerCase() };
    this.ctx.addTable(ref);
    return withAlias({ kind: 'table', ref });
  }

  /** A part of a table name; Hive-family double-quoted text names a table there (single quotes never do). */
  private tableName(): string {
    const t = this.peek();
    if (t?.kind === 'string') {
      if (!t.text.startsWith('"')) throw notAllowed('string literals and file paths cannot be used as tables');
      this.i++;
      return this.stringValue(t);
    }
    return this.identifier('a table name');
  }

  /** Trino `UNNEST(a) [WITH ORDINALITY] [AS] t(x[, n])`: one array, 1-based ordinality. */
  private unnest(): Unnest {
    if (!this.src.unnest) throw notAllowed('table functions are not allowed');
    this.i++;
    this.expect('(');
    const arg = this.expr();
    if (this.peekText(',')) throw untranslatable('UNNEST of several arrays');
    this.expect(')');
    const ordinality = this.acceptWord('WITH', 'ORDINALITY');
    this.acceptWord('AS');
    const alias = this.identifier('an UNNEST alias');
    const names: string[] = [];
    if (this.accept('(')) {
      do names.push(this.identifier('a column name'));
      while (this.accept(','));
      this.expect(')');
    }
    const valueCount = names.length - (ordinality ? 1 : 0);
    if (valueCount < 1 || valueCount > 2) throw untranslatable('UNNEST without one (array) or two (map) column names');
    const position = ordinality ? { name: names[names.length - 1] as string, base: 1 as const, first: false } : undefined;
    return { kind: 'unnest', arg, columns: names.slice(0, valueCount), map: valueCount === 2, alias, ...(position ? { position } : {}) };
  }

  /** Hive `LATERAL VIEW [OUTER] explode(x) t AS a[, b]` and `posexplode(x) t AS pos, v`, as joins. */
  private lateralViews(): Join[] {
    const joins: Join[] = [];
    while (this.peekWord('LATERAL') && this.peekWord('VIEW', 1)) {
      if (!this.src.lateralView) this.fail(`LATERAL VIEW is not supported in ${this.ctx.dialect}`);
      this.i += 2;
      const outer = this.acceptWord('OUTER');
      const fnToken = this.peek();
      const fn = this.identifier('explode or posexplode').toLowerCase();
      if (fn === 'json_tuple') throw untranslatable("LATERAL VIEW json_tuple() (write get_json_object(json, '$.key') once per column instead)");
      if (fn !== 'explode' && fn !== 'posexplode') throw untranslatable(`LATERAL VIEW ${fn}()`);
      this.expect('(');
      const arg = this.expr();
      this.expect(')');
      const alias = this.identifier('a LATERAL VIEW alias');
      this.expectWord('AS');
      const names: string[] = [];
      do names.push(this.identifier('a column name'));
      while (this.accept(','));
      const positional = fn === 'posexplode';
      const valueCount = names.length - (positional ? 1 : 0);
      if (valueCount < 1 || valueCount > 2 || (positional && valueCount !== 1)) this.fail(`${fn}() needs ${positional ? 'two' : 'one or two'} column names`, fnToken);
      const item: Unnest = {
        kind: 'unnest',
        arg,
        columns: names.slice(positional ? 1 : 0),
        map: valueCount === 2,
        alias,
        ...(positional ? { position: { name: names[0] as string, base: 0 as const, first: true } } : {}),
      };
      const always: Expr = { kind: 'literal', type: 'boolean', value: true };
      joins.push(outer ? { type: 'LEFT', item, on: always } : { type: 'CROSS', item });
    }
    return joins;
  }

  // ---------------------------------------------------------------- GROUP BY, windows, QUALIFY

  private groupBy(select: Select): void {
    if (this.src.groupByAll && this.acceptWord('ALL')) {
      select.groupBy = select.columns.filter((c) => !containsAggregate(c.expr)).map((c) => c.expr);
      if (select.columns.some((c) => c.expr.kind === 'star')) throw untranslatable('GROUP BY ALL with *');
      return;
    }
    const elements: Expr[][][] = [];
    let explicitSets = false;
    do {
      if (this.peekWord('ROLLUP') || this.peekWord('CUBE')) {
        const cube = this.peekWord('CUBE');
        this.i++;
        this.expect('(');
        const cols = this.expressionList();
        this.expect(')');
        elements.push(cube ? cubeSets(cols) : rollupSets(cols));
        explicitSets = true;
      } else if (this.acceptWord('GROUPING', 'SETS')) {
        elements.push(this.groupingSets());
        explicitSets = true;
      } else {
        const e = this.expr();
        elements.push([[e]]);
      }
    } while (this.accept(','));
    let sets = elements.reduce<Expr[][]>((acc, options) => acc.flatMap((a) => options.map((o) => [...a, ...o])), [[]]);
    const plain = elements.flatMap((e) => (e.length === 1 && e[0]?.length === 1 ? e[0] : []));
    if (this.src.hiveGroupingSets) {
      if (this.acceptWord('WITH', 'ROLLUP')) [sets, explicitSets] = [rollupSets(plain), true];
      else if (this.acceptWord('WITH', 'CUBE')) [sets, explicitSets] = [cubeSets(plain), true];
      else if (this.acceptWord('GROUPING', 'SETS')) [sets, explicitSets] = [this.groupingSets(), true];
    }
    select.groupBy = dedupe(explicitSets ? [...plain, ...sets.flat()] : plain);
    if (explicitSets) select.groupingSets = sets.map(dedupe);
    if (this.src.warnGroupByPosition && select.groupBy.some((c) => c.kind === 'literal' && c.type === 'number')) {
      this.ctx.warnings.add('GROUP BY <position> is read as a column position (hive.groupby.position.alias=true)');
    }
    if (explicitSets && select.groupBy.some((c) => c.kind === 'literal')) throw untranslatable('GROUP BY positions with grouping sets');
  }

  private groupingSets(): Expr[][] {
    this.expect('(');
    const sets: Expr[][] = [];
    do {
      if (this.accept('(')) {
        sets.push(this.peekText(')') ? [] : this.expressionList());
        this.expect(')');
      } else {
        sets.push([this.expr()]);
      }
    } while (this.accept(','));
    this.expect(')');
    return sets;
  }

  private windowClause(): Map<string, WindowDef> {
    this.expectWord('WINDOW');
    const defs = new Map<string, WindowDef>();
    do {
      const name = this.identifier('a window name').toLowerCase();
      this.expectWord('AS');
      this.expect('(');
      const base = this.isIdentifierNext() && !this.peekWord('PARTITION') && !this.peekWord('ORDER') && !this.peekWord('ROWS') && !this.peekWord('RANGE') ? this.identifier('a window name').toLowerCase() : undefined;
      const spec = this.windowSpecBody();
      this.expect(')');
      defs.set(name, base === undefined ? { spec } : { base, spec });
    } while (this.accept(','));
    return defs;
  }

  /** Fills in `OVER w` and `OVER (w ...)` of the select just parsed from its WINDOW clause. */
  private resolveWindows(defs: Map<string, WindowDef>): void {
    const pending = this.pendingWindows.pop() ?? [];
    const resolve = (name: string, seen: Set<string>, at: Token): WindowSpec => {
      const def = defs.get(name);
      if (!def || seen.has(name)) this.fail(`window ${name} is not defined`, at);
      seen.add(name);
      return def.base === undefined ? def.spec : mergeWindow(resolve(def.base, seen, at), def.spec, () => this.fail(`window ${name} redefines its base`, at));
    };
    for (const p of pending) {
      const base = resolve(p.name, new Set(), p.token);
      Object.assign(p.spec, mergeWindow(base, p.spec, () => this.fail(`window ${p.name} is redefined`, p.token)));
    }
  }

  /**
   * QUALIFY filters on window functions after they are computed. Select aliases it names are replaced
   * by their expressions, so targets without QUALIFY can compute it in a derived table.
   */
  private qualify(cond: Expr, columns: SelectItem[]): Expr {
    const aliases = new Map(columns.filter((c) => c.alias !== undefined).map((c) => [c.alias?.toLowerCase() as string, c.expr]));
    return replaceColumns(cond, (name) => aliases.get(name.toLowerCase()));
  }

  // ---------------------------------------------------------------- ORDER BY

  private orderItems(): OrderItem[] {
    const items: OrderItem[] = [];
    do {
      const expr = this.expr();
      const direction = this.acceptWord('DESC') ? 'DESC' : (this.acceptWord('ASC'), 'ASC');
      let nulls: 'FIRST' | 'LAST' | undefined;
      if (this.acceptWord('NULLS')) {
        if (this.acceptWord('FIRST')) nulls = 'FIRST';
        else if (this.acceptWord('LAST')) nulls = 'LAST';
        else this.fail(`expected FIRST or LAST but found ${this.describe(this.peek())}`);
      }
      items.push(this.orderItem(expr, direction, nulls));
    } while (this.accept(','));
    return items;
  }

  private orderItem(expr: Expr, direction: 'ASC' | 'DESC', nulls: 'FIRST' | 'LAST' | undefined): OrderItem {
    return { expr, direction, nulls: nulls ?? this.src.nullsByDefault[direction] };
  }

  private expressionList(): Expr[] {
    const list: Expr[] = [];
    do list.push(this.expr());
    while (this.accept(','));
    return list;
  }

  // ---------------------------------------------------------------- expressions

  /** Precedence climbing: operators binding at least as tightly as `min` are folded in, in a loop. */
  expr(min: number = P.OR): Expr {
    this.enter();
    let left = this.prefix(min);
    for (;;) {
      const next = this.infix(left, min);
      if (next === undefined) break;
      left = next;
    }
    this.leave();
    return left;
  }

  private prefix(min: number): Expr {
    if (this.peekWord('NOT') && !this.peekWord('EXISTS', 1)) {
      // NOT NOT ... x is counted, not recursed into.
      let count = 0;
      while (this.peekWord('NOT') && !this.peekWord('EXISTS', 1)) {
        this.i++;
        count++;
      }
      if (min > P.NOT) this.fail('NOT here needs parentheses');
      let arg = this.expr(P.NOT + 1);
      for (let k = 0; k < count; k++) arg = { kind: 'unary', op: 'NOT', arg };
      return arg;
    }
    if (this.peekText('!') && this.src.family === 'hive') {
      this.i++;
      return { kind: 'unary', op: 'NOT', arg: this.expr(P.UNARY) };
    }
    if (this.peekText('-') || this.peekText('+')) {
      const minus = this.peekText('-');
      this.i++;
      const arg = this.expr(P.UNARY);
      if (!minus) return arg;
      if (arg.kind === 'literal' && arg.type === 'number') return { ...arg, value: arg.value.startsWith('-') ? arg.value.slice(1) : `-${arg.value}` };
      return { kind: 'unary', op: '-', arg };
    }
    if (this.peekText('~')) throw untranslatable('bitwise operators');
    return this.postfix(this.primary());
  }

  /** One infix operator applied to `left`, or undefined when the next token does not continue it. */
  private infix(left: Expr, min: number): Expr | undefined {
    const t = this.peek();
    if (!t) return undefined;
    const word = t.kind === 'word' ? t.text.toUpperCase() : '';
    const op = t.kind === 'op' ? t.text : '';
    if (word === 'OR' && min <= P.OR) return this.binaryRest('OR', left, P.OR);
    if (word === 'AND' && min <= P.AND) return this.binaryRest('AND', left, P.AND);
    if (min <= P.COMPARE) {
      const cmp = COMPARISONS[op];
      if (cmp) return this.binaryRest(cmp, left, P.COMPARE);
      if (op === '<=>') {
        if (!this.src.nullSafeEquals) this.fail(`'<=>' is not supported in ${this.ctx.dialect}`);
        this.i++;
        return { kind: 'distinct_from', left, right: this.expr(P.COMPARE + 1), negated: true };
      }
      if (word === 'IS') return this.isRest(left);
      const negated = word === 'NOT' && ['IN', 'LIKE', 'RLIKE', 'REGEXP', 'BETWEEN', 'ILIKE'].includes(this.peek(1)?.text.toUpperCase() ?? '');
      const keyword = negated ? (this.peek(1)?.text.toUpperCase() ?? '') : word;
      if (['IN', 'LIKE', 'RLIKE', 'REGEXP', 'BETWEEN', 'ILIKE'].includes(keyword)) {
        this.i += negated ? 2 : 1;
        return this.predicateRest(keyword, left, negated);
      }
    }
    if (op === '||' && min <= P.CONCAT) {
      if (!this.src.concatOperator) throw untranslatable("Impala '||' (logical OR or concatenation, by query option)");
      this.i++;
      return { kind: 'call', fn: 'concat', args: [left, this.expr(P.CONCAT + 1)] };
    }
    if ((op === '+' || op === '-') && min <= P.ADD) return this.binaryRest(op, left, P.ADD);
    if (min <= P.MUL) {
      if (op === '*' || op === '%') return this.binaryRest(op, left, P.MUL);
      if (op === '/') {
        this.i++;
        return { kind: 'divide', division: this.src.division, left, right: this.expr(P.MUL + 1) };
      }
      const intDiv = this.src.integerDivision;
      if ((intDiv === 'DIV' && word === 'DIV') || (intDiv === '//' && op === '//')) {
        this.i++;
        return { kind: 'divide', division: 'idiv_null', left, right: this.expr(P.MUL + 1) };
      }
    }
    if (['&', '|', '^', '&&'].includes(op)) throw untranslatable(`operator ${op}`);
    return undefined;
  }

  private binaryRest(op: BinaryOp, left: Expr, prec: number): Expr {
    this.i++;
    return { kind: 'binary', op, left, right: this.expr(prec + 1) };
  }

  private isRest(left: Expr): Expr {
    this.i++;
    const negated = this.acceptWord('NOT');
    if (this.acceptWord('NULL')) return { kind: 'is_null', arg: left, negated };
    if (this.peekWord('TRUE') || this.peekWord('FALSE')) {
      const value = this.peekWord('TRUE');
      this.i++;
      const test: Expr = { kind: 'binary', op: '=', left, right: { kind: 'literal', type: 'boolean', value } };
      const isValue: Expr = { kind: 'binary', op: 'AND', left: { kind: 'is_null', arg: left, negated: true }, right: test };
      return negated ? { kind: 'unary', op: 'NOT', arg: isValue } : isValue;
    }
    if (this.acceptWord('DISTINCT', 'FROM')) {
      if (!this.src.isDistinctFrom) this.fail(`IS DISTINCT FROM is not supported in ${this.ctx.dialect}`);
      return { kind: 'distinct_from', left, right: this.expr(P.COMPARE + 1), negated };
    }
    throw untranslatable('IS with anything but NULL, TRUE, FALSE or DISTINCT FROM');
  }

  private predicateRest(keyword: string, left: Expr, negated: boolean): Expr {
    switch (keyword) {
      case 'IN': {
        this.expect('(');
        if (this.peekWord('SELECT') || this.peekWord('WITH')) {
          const query = this.query();
          this.expect(')');
          return { kind: 'in_query', arg: left, query, negated };
        }
        const list = this.expressionList();
        this.expect(')');
        return { kind: 'in', arg: left, list, negated };
      }
      case 'BETWEEN': {
        const low = this.expr(P.COMPARE + 1);
        this.expectWord('AND');
        const high = this.expr(P.COMPARE + 1);
        return { kind: 'between', arg: left, low, high, negated };
      }
      case 'LIKE': {
        const pattern = this.expr(P.COMPARE + 1);
        let escape = this.src.likeEscape;
        if (this.acceptWord('ESCAPE')) {
          const e = this.expr(P.COMPARE + 1);
          if (e.kind !== 'literal' || e.type !== 'string' || e.value.length !== 1) throw untranslatable('LIKE ... ESCAPE other than one character');
          escape = e.value;
        }
        return { kind: 'like', arg: left, pattern, negated, escape };
      }
      case 'ILIKE':
        throw untranslatable('ILIKE');
      default: {
        if (!this.src.rlike) this.fail(`${keyword} is not supported in ${this.ctx.dialect}`);
        const match: Expr = { kind: 'call', fn: 'regexp_like', args: [left, this.expr(P.COMPARE + 1)] };
        return negated ? { kind: 'unary', op: 'NOT', arg: match } : match;
      }
    }
  }

  /** Subscripts, struct fields and `::` casts after any operand. */
  private postfix(base: Expr): Expr {
    let out = base;
    for (;;) {
      if (this.peekText('[')) {
        this.i++;
        const key = this.expr();
        this.expect(']');
        out = { kind: 'index', base: out, index: this.subscript(key) };
      } else if (this.peekText('.') && out.kind !== 'column' && out.kind !== 'star') {
        this.i++;
        out = { kind: 'field', base: out, name: this.identifier('a field name') };
      } else if (this.peekText('::') && this.src.doubleColonCast) {
        this.i++;
        out = { kind: 'cast', arg: out, to: this.typeName(), lenient: this.src.lenientCasts };
      } else {
        return out;
      }
    }
  }

  /** The zero-based index of an array subscript; map keys (string literals) are kept as they are. */
  private subscript(key: Expr): Expr {
    if (this.src.subscriptBase === 0) return key;
    if (key.kind === 'literal' && key.type === 'string') return key;
    if (key.kind !== 'literal' || key.type !== 'number' || key.numeric !== 'integer' || Number(key.value) < 1) {
      throw untranslatable('array subscripts other than positive integer literals');
    }
    return { ...key, value: String(Number(key.value) - 1) };
  }

  private primary(): Expr {
    const t = this.peek();
    if (!t) return this.fail('unexpected end of input');
    switch (t.kind) {
      case 'number':
        this.i++;
        return this.number(t);
      case 'string':
        this.i++;
        return this.string(t);
      case 'param':
        this.i++;
        return { kind: 'param', name: t.text.slice(1) };
      case 'ident':
        return this.name();
      case 'punct':
        if (t.text === '(') return this.parenthesised();
        break;
      case 'op':
        if (t.text === '*') {
          this.i++;
          return { kind: 'star' };
        }
        break;
      case 'word':
        return this.wordPrimary(t);
    }
    return this.fail(`unexpected ${this.describe(t)}`);
  }

  private parenthesised(): Expr {
    this.i++;
    if (this.peekWord('SELECT') || this.peekWord('WITH')) {
      const query = this.query();
      this.expect(')');
      return { kind: 'subquery', query };
    }
    const inner = this.expr();
    if (this.peekText(',')) throw untranslatable('row values');
    this.expect(')');
    return inner;
  }

  private wordPrimary(t: Token): Expr {
    const word = t.text.toUpperCase();
    const next = this.peek(1);
    switch (word) {
      case 'NULL':
        this.i++;
        return { kind: 'literal', type: 'null' };
      case 'TRUE':
      case 'FALSE':
        this.i++;
        return { kind: 'literal', type: 'boolean', value: word === 'TRUE' };
      case 'CASE':
        return this.caseExpr();
      case 'CAST':
      case 'TRY_CAST':
        if (next?.text === '(') return this.cast(word === 'TRY_CAST');
        break;
      case 'EXTRACT':
        if (next?.text === '(') return this.extract();
        break;
      case 'EXISTS':
        if (next?.text === '(') return this.exists(false);
        break;
      case 'NOT':
        if (this.peekWord('EXISTS', 1)) {
          this.i++;
          return this.exists(true);
        }
        break;
      case 'DATE':
      case 'TIMESTAMP':
        if (next?.kind === 'string') {
          this.i += 2;
          return typedLiteral(word === 'DATE' ? 'date' : 'timestamp', this.stringValue(next));
        }
        break;
      case 'INTERVAL':
        if (next?.kind === 'string' || next?.kind === 'number') return this.interval();
        break;
      case 'ARRAY':
        if (next?.text === '[' && this.src.arrayBrackets) {
          this.i += 2;
          const items = this.peekText(']') ? [] : this.expressionList();
          this.expect(']');
          return { kind: 'array', items };
        }
        break;
      case 'GROUPING__ID':
        throw untranslatable("GROUPING__ID (Hive and Spark number its bits in opposite orders); use grouping(col)");
    }
    // left(s, n) and right(s, n) are functions wherever a join keyword cannot stand.
    if (next?.text === '(' && CALLABLE_KEYWORDS.has(t.text.toLowerCase())) return this.functionCall();
    if (this.reserved.has(t.text.toLowerCase())) return this.fail(`unexpected ${this.describe(t)}`);
    if (next?.text === '(') return this.functionCall();
    if (next?.text === '.' && this.peek(2)?.kind === 'word' && this.peekText('(', 3)) throw untranslatable('qualified function names');
    const lower = t.text.toLowerCase();
    if (lower === 'current_date' || lower === 'current_timestamp') {
      this.i++;
      return lowerCall(lower, [], { parenthesesOmitted: true }, this.ctx);
    }
    return this.name();
  }

  /** A column reference `[table.]column[.field...]`, or `[table.]*`. */
  private name(): Expr {
    const parts = [this.identifier('a column name')];
    while (this.peekText('.')) {
      if (this.peekText('*', 1)) {
        this.i += 2;
        if (parts.length > 1) throw untranslatable('column reference');
        return { kind: 'star', table: parts[0] as string };
      }
      if (!this.isIdentifierNext(1)) break;
      this.i++;
      parts.push(this.identifier('a column name'));
    }
    if (parts.some((p) => p.toLowerCase() === 'grouping__id')) throw untranslatable("GROUPING__ID (Hive and Spark number its bits in opposite orders); use grouping(col)");
    const [first, second, ...fields] = parts as [string, ...string[]];
    let out: Expr = second === undefined ? { kind: 'column', name: first } : { kind: 'column', table: first, name: second };
    for (const name of fields) out = { kind: 'field', base: out, name };
    return out;
  }

  private number(t: Token): Expr {
    const m = /^([0-9.eE+-]+?)(BD|[LSYDF])$/i.exec(t.text);
    if (!m?.[1] || !m[2]) return numberLiteral(t.text, this.src.decimalPointLiteral);
    if (!this.src.typedNumberSuffixes) throw untranslatable('this numeric literal suffix is not supported; use CAST');
    const [digits, suffix] = [m[1], m[2].toUpperCase()];
    const fraction = digits.includes('.') ? (digits.split('.')[1] ?? '').length : 0;
    const precision = Math.max(digits.replace(/[^0-9]/g, '').replace(/^0+(?=\d)/, '').length, fraction, 1);
    const to: SqlType = suffix === 'BD' ? { kind: 'decimal', precision, scale: fraction } : (NUMBER_SUFFIX_TYPES[suffix] as SqlType);
    return { kind: 'cast', arg: numberLiteral(digits, this.src.decimalPointLiteral), to, lenient: this.src.lenientCasts };
  }

  private string(t: Token): Expr {
    if (t.text.startsWith('"') && !this.src.doubleQuotedStrings) return { kind: 'column', name: this.unquote(t) };
    return { kind: 'literal', type: 'string', value: this.stringValue(t) };
  }

  private stringValue(t: Token): string {
    const quote = t.text[0] === '"' ? '"' : "'";
    if (t.kind !== 'string') this.fail('expected a string literal', t);
    return decodeStringLiteral(t.text.slice(1, -1), this.src, quote);
  }

  private caseExpr(): Expr {
    this.i++;
    const operand = this.peekWord('WHEN') ? undefined : this.expr();
    const whens: Array<{ when: Expr; then: Expr }> = [];
    while (this.acceptWord('WHEN')) {
      const when = this.expr();
      this.expectWord('THEN');
      whens.push({ when, then: this.expr() });
    }
    if (whens.length === 0) this.fail(`expected WHEN but found ${this.describe(this.peek())}`);
    const otherwise = this.acceptWord('ELSE') ? this.expr() : undefined;
    this.expectWord('END');
    return { kind: 'case', ...(operand ? { operand } : {}), whens, ...(otherwise ? { else: otherwise } : {}) };
  }

  private cast(safe: boolean): Expr {
    const at = this.peek();
    if (safe && !this.src.tryCast) this.fail(`TRY_CAST is not supported in ${this.ctx.dialect}`, at);
    this.i += 2;
    const arg = this.expr();
    this.expectWord('AS');
    const to = this.typeName();
    this.expect(')');
    return safe ? { kind: 'cast', arg, to, lenient: false, safe: true } : { kind: 'cast', arg, to, lenient: this.src.lenientCasts };
  }

  private typeName(): SqlType {
    const t = this.peek();
    if (t?.kind !== 'word') return this.fail(`expected a type but found ${this.describe(t)}`);
    this.i++;
    const name = t.text.toUpperCase();
    if (this.peekText('<') || name === 'ARRAY' || name === 'MAP' || name === 'STRUCT' || name === 'ROW') throw untranslatable(`a CAST to ${name}`);
    let length: number | undefined;
    let scale: number | undefined;
    if (this.accept('(')) {
      length = this.count();
      if (this.accept(',')) scale = this.count();
      this.expect(')');
    }
    if (name === 'DOUBLE') this.acceptWord('PRECISION');
    return lowerType(name, length, scale, this.src.family);
  }

  private extract(): Expr {
    this.i += 2;
    const field = this.identifier('a date field').toLowerCase();
    this.expectWord('FROM');
    const source = this.expr();
    this.expect(')');
    if (!['year', 'quarter', 'month', 'day', 'hour', 'minute', 'second'].includes(field)) throw untranslatable(`EXTRACT(${field.toUpperCase()} ...)`);
    return { kind: 'call', fn: field, args: [source] };
  }

  private exists(negated: boolean): Expr {
    this.i++;
    this.expect('(');
    if (!this.peekWord('SELECT') && !this.peekWord('WITH')) throw untranslatable('EXISTS without a subquery');
    const query = this.query();
    this.expect(')');
    return { kind: 'exists', query, negated };
  }

  /** `INTERVAL '1' DAY`, `INTERVAL 1 DAY`, `INTERVAL '1 day'` (DuckDB): a whole number of one unit. */
  private interval(): Expr {
    this.i++;
    const t = this.peek() as Token;
    this.i++;
    let text = t.kind === 'string' ? this.stringValue(t).trim() : t.text;
    let unitWord: string | undefined;
    const inline = /^(-?\d+)\s+([A-Za-z]+)$/.exec(text);
    if (inline) [text, unitWord] = [inline[1] as string, inline[2] as string];
    else if (this.peek()?.kind === 'word') unitWord = this.peek()?.text;
    const unit = unitWord === undefined ? undefined : INTERVAL_UNITS[unitWord.toUpperCase()];
    if (!unit) throw untranslatable(`INTERVAL '${text}'${unitWord ? ` ${unitWord}` : ''}`);
    if (!inline) this.i++;
    if (!/^-?\d+$/.test(text) || this.peekWord('TO')) throw untranslatable(`INTERVAL '${text}' ${unitWord ?? ''} (only whole numbers of one unit)`);
    return { kind: 'interval', value: numberLiteral(text, 'integer'), unit };
  }

  private functionCall(): Expr {
    const nameToken = this.peek() as Token;
    const name = nameToken.text.toLowerCase();
    this.i += 2;
    const distinct = this.acceptWord('DISTINCT');
    if (!distinct) this.acceptWord('ALL');
    let args: Expr[] = [];
    let star = false;
    if (this.peekText('*') && this.peekText(')', 1)) {
      this.i++;
      star = true;
    } else if (!this.peekText(')')) {
      args = this.expressionList();
    }
    if (this.peekWord('ORDER')) throw untranslatable(`ORDER BY inside ${name}()`);
    if (this.peekWord('SEPARATOR')) throw untranslatable(`SEPARATOR in ${name}()`);
    this.expect(')');
    if (star && name !== 'count') throw untranslatable(`${name}(*)`);
    let filter: Expr | undefined;
    if (this.acceptWord('FILTER')) {
      this.expect('(');
      this.expectWord('WHERE');
      filter = this.expr();
      this.expect(')');
    }
    const special = this.specialCall(name, args, distinct, filter);
    const fn = special ?? lowerCall(name, args, { distinct, ...(filter ? { filter } : {}) }, this.ctx);
    if (this.peekWord('OVER')) return this.over(fn);
    if (fn.kind === 'call' && functionInfo(fn.fn)?.kind === 'window') throw new AppError('SQL_SYNTAX', `${fn.fn}() needs an OVER clause`);
    return fn;
  }

  /** Calls that are constructs of the IR rather than canonical functions. */
  private specialCall(name: string, args: Expr[], distinct: boolean, filter: Expr | undefined): Expr | undefined {
    if (name === 'grouping') {
      if (args.length !== 1 || distinct || filter) throw untranslatable('grouping() of several columns (the bit order differs between engines)');
      return { kind: 'grouping', arg: args[0] as Expr };
    }
    if (name === 'count' && distinct && args.length > 1) return { kind: 'agg', fn: 'count', args, distinct, ...(filter ? { filter } : {}) };
    const [keys, values] = args;
    if (name === 'map' && this.src.arrayBrackets && args.length === 2 && keys?.kind === 'array' && values?.kind === 'array') {
      if (keys.items.length !== values.items.length) throw new AppError('SQL_SYNTAX', 'MAP() needs as many keys as values');
      return { kind: 'map', keys: keys.items, values: values.items };
    }
    if (!this.src.hiveConstructors || distinct || filter) return undefined;
    switch (name) {
      case 'array':
        return { kind: 'array', items: args };
      case 'map':
        if (args.length % 2 !== 0) throw new AppError('SQL_SYNTAX', 'map() needs key, value pairs');
        return { kind: 'map', keys: args.filter((_, i) => i % 2 === 0), values: args.filter((_, i) => i % 2 === 1) };
      case 'named_struct':
        if (args.length % 2 !== 0) throw new AppError('SQL_SYNTAX', 'named_struct() needs name, value pairs');
        return {
          kind: 'struct',
          fields: args.flatMap((a, i) => {
            if (i % 2 === 1) return [];
            if (a.kind !== 'literal' || a.type !== 'string') throw untranslatable('named_struct() with a field name that is not a string literal');
            return [{ name: a.value, value: args[i + 1] as Expr }];
          }),
        };
      case 'struct':
        return { kind: 'struct', fields: args.map((value, i) => ({ name: value.kind === 'column' ? value.name : `col${i + 1}`, value })) };
      default:
        return undefined;
    }
  }

  private over(fn: Expr): Expr {
    const at = this.peek();
    this.i++;
    if ((fn.kind === 'agg' && fn.distinct) || (fn.kind === 'agg' && fn.filter)) throw untranslatable('DISTINCT or FILTER in window aggregates');
    if (fn.kind !== 'agg' && !(fn.kind === 'call' && functionInfo(fn.fn)?.kind === 'window')) throw untranslatable('OVER on a function that is not an aggregate or window function');
    const pending = this.pendingWindows[this.pendingWindows.length - 1];
    if (!this.peekText('(')) {
      const name = this.identifier('a window name or (').toLowerCase();
      const spec: WindowSpec = { partitionBy: [], orderBy: [] };
      if (!pending) this.fail('a named window outside SELECT', at);
      pending.push({ name, spec, token: at as Token });
      return { kind: 'window', fn, over: spec };
    }
    this.i++;
    let base: string | undefined;
    if (this.isIdentifierNext() && !this.peekWord('PARTITION') && !this.peekWord('ROWS') && !this.peekWord('RANGE')) base = this.identifier('a window name').toLowerCase();
    const spec = this.windowSpecBody();
    this.expect(')');
    if (base !== undefined) {
      if (!pending) this.fail('a named window outside SELECT', at);
      pending.push({ name: base, spec, token: at as Token });
    }
    return { kind: 'window', fn, over: spec };
  }

  private windowSpecBody(): WindowSpec {
    const partitionBy = this.acceptWord('PARTITION', 'BY') ? this.expressionList() : [];
    const orderBy = this.acceptWord('ORDER', 'BY') ? this.orderItems() : [];
    const frame = this.peekWord('ROWS') || this.peekWord('RANGE') ? this.frame() : undefined;
    return { partitionBy, orderBy, ...(frame ? { frame } : {}) };
  }

  private frame(): WindowFrame {
    const unit = this.peekWord('ROWS') ? 'ROWS' : 'RANGE';
    this.i++;
    if (this.acceptWord('BETWEEN')) {
      const start = this.frameBound(unit);
      this.expectWord('AND');
      return { unit, start, end: this.frameBound(unit) };
    }
    return { unit, start: this.frameBound(unit), end: { kind: 'current_row' } };
  }

  private frameBound(unit: 'ROWS' | 'RANGE'): FrameBound {
    if (this.acceptWord('UNBOUNDED', 'PRECEDING')) return { kind: 'unbounded_preceding' };
    if (this.acceptWord('UNBOUNDED', 'FOLLOWING')) return { kind: 'unbounded_following' };
    if (this.acceptWord('CURRENT', 'ROW')) return { kind: 'current_row' };
    const at = this.peek();
    let offset: number;
    let intervalUnit: IntervalUnit | undefined;
    if (this.peekWord('INTERVAL')) {
      if (unit !== 'RANGE') this.fail('an INTERVAL bound in a ROWS frame', at);
      const interval = this.interval();
      if (interval.kind !== 'interval' || interval.value.kind !== 'literal' || interval.value.type !== 'number') return this.fail('window frame bound', at);
      offset = Number(interval.value.value);
      intervalUnit = interval.unit;
    } else {
      offset = this.count();
    }
    const kind = this.acceptWord('PRECEDING') ? 'preceding' : this.acceptWord('FOLLOWING') ? 'following' : this.fail(`expected PRECEDING or FOLLOWING but found ${this.describe(this.peek())}`);
    return { kind, offset, ...(intervalUnit ? { unit: intervalUnit } : {}) };
  }
}

/**
 * Numeric literals: digits only are integers; an exponent makes a DOUBLE; a decimal point makes what the
 * source dialect says (Hive: DOUBLE, its documented literal rule; Spark, Impala, Trino, DuckDB: DECIMAL).
 */
function numberLiteral(text: string, decimalPoint: NumericKind): Literal {
  if (!/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw untranslatable(`number ${text}`);
  let numeric: NumericKind = 'integer';
  if (/[eE]/.test(text)) numeric = 'double';
  else if (text.includes('.')) numeric = decimalPoint;
  return { kind: 'literal', type: 'number', value: text, numeric };
}

function typedLiteral(type: 'date' | 'timestamp', value: string): Literal {
  const ok = type === 'date' ? /^\d{4}-\d{2}-\d{2}$/ : /^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2}(\.\d{1,6})?)?$/;
  if (!ok.test(value)) throw untranslatable(`${type.toUpperCase()} literal '${value}'`);
  return { kind: 'literal', type, value };
}

function rollupSets(cols: Expr[]): Expr[][] {
  return cols.map((_, i) => cols.slice(0, cols.length - i)).concat([[]]);
}

const MAX_CUBE_COLUMNS = 8;

function cubeSets(cols: Expr[]): Expr[][] {
  if (cols.length > MAX_CUBE_COLUMNS) throw untranslatable(`CUBE of more than ${MAX_CUBE_COLUMNS} columns`);
  const sets: Expr[][] = [];
  for (let mask = (1 << cols.length) - 1; mask >= 0; mask--) sets.push(cols.filter((_, i) => (mask & (1 << (cols.length - 1 - i))) !== 0));
  return sets;
}

function dedupe(exprs: Expr[]): Expr[] {
  const seen = new Set<string>();
  return exprs.filter((e) => {
    const key = JSON.stringify(e);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function mergeWindow(base: WindowSpec, own: WindowSpec, conflict: () => never): WindowSpec {
  if ((own.partitionBy.length > 0 && base.partitionBy.length > 0) || (own.orderBy.length > 0 && base.orderBy.length > 0) || (own.frame && base.frame)) conflict();
  const frame = own.frame ?? base.frame;
  return {
    partitionBy: own.partitionBy.length > 0 ? own.partitionBy : base.partitionBy,
    orderBy: own.orderBy.length > 0 ? own.orderBy : base.orderBy,
    ...(frame ? { frame } : {}),
  };
}

/** True when the expression has an aggregate outside any window or subquery. */
export function containsAggregate(e: Expr): boolean {
  const stack: Expr[] = [e];
  while (stack.length > 0) {
    const x = stack.pop() as Expr;
    if (x.kind === 'agg') return true;
    if (x.kind === 'window' || x.kind === 'subquery' || x.kind === 'exists' || x.kind === 'in_query') continue;
    stack.push(...childExprs(x));
  }
  return false;
}

function childExprs(e: Expr): Expr[] {
  switch (e.kind) {
    case 'unary':
    case 'is_null':
    case 'cast':
      return [e.arg];
    case 'binary':
    case 'divide':
    case 'distinct_from':
      return [e.left, e.right];
    case 'in':
      return [e.arg, ...e.list];
    case 'between':
      return [e.arg, e.low, e.high];
    case 'like':
      return [e.arg, e.pattern];
    case 'case':
      return [...(e.operand ? [e.operand] : []), ...e.whens.flatMap((w) => [w.when, w.then]), ...(e.else ? [e.else] : [])];
    case 'call':
    case 'agg':
      return e.args;
    case 'index':
      return [e.base, e.index];
    case 'field':
      return [e.base];
    case 'interval':
      return [e.value];
    case 'grouping':
      return [e.arg];
    case 'array':
      return e.items;
    case 'map':
      return [...e.keys, ...e.values];
    case 'struct':
      return e.fields.map((f) => f.value);
    default:
      return [];
  }
}

/** Replaces unqualified column references for which `by` has an expression (outside subqueries). */
function replaceColumns(e: Expr, by: (name: string) => Expr | undefined): Expr {
  if (e.kind === 'column' && e.table === undefined) return by(e.name) ?? e;
  if (e.kind === 'subquery' || e.kind === 'exists' || e.kind === 'in_query') return e;
  const r = (x: Expr): Expr => replaceColumns(x, by);
  switch (e.kind) {
    case 'unary':
    case 'is_null':
    case 'cast':
      return { ...e, arg: r(e.arg) };
    case 'binary':
    case 'divide':
    case 'distinct_from':
      return { ...e, left: r(e.left), right: r(e.right) };
    case 'in':
      return { ...e, arg: r(e.arg), list: e.list.map(r) };
    case 'between':
      return { ...e, arg: r(e.arg), low: r(e.low), high: r(e.high) };
    case 'like':
      return { ...e, arg: r(e.arg), pattern: r(e.pattern) };
    case 'case':
      return { ...e, ...(e.operand ? { operand: r(e.operand) } : {}), whens: e.whens.map((w) => ({ when: r(w.when), then: r(w.then) })), ...(e.else ? { else: r(e.else) } : {}) };
    case 'call':
    case 'agg':
      return { ...e, args: e.args.map(r) };
    default:
      return e;
  }
}

/** Walks any IR value without recursion and refuses one nested deeper than MAX_IR_DEPTH. */
export function assertIrDepth(root: unknown): void {
  const stack: Array<[unknown, number]> = [[root, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (depth > MAX_IR_DEPTH) throw new AppError('SQL_NOT_ALLOWED', `expression is nested more than ${MAX_IR_DEPTH} levels deep`);
    if (Array.isArray(node)) {
      for (const child of node) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    } else if (typeof node === 'object' && node !== null) {
      for (const child of Object.values(node)) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
}
