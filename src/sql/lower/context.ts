import { AppError } from '../../errors.js';
import { dialectFamily, type DialectFamily, type SqlDialectName } from '../dialect.js';
import type { TableRef } from '../ir.js';
import { isNode, type AstNode } from '../parse.js';

/** State shared while one statement is lowered from node-sql-parser's AST into the IR. */
export class LowerContext {
  readonly family: DialectFamily;
  readonly warnings = new Set<string>();
  readonly tables: TableRef[] = [];
  private readonly cteScopes: Array<Set<string>> = [];

  constructor(readonly dialect: SqlDialectName) {
    this.family = dialectFamily(dialect);
  }

  get hiveFamily(): boolean {
    return this.family === 'hive';
  }

  withCteScope<T>(fn: (scope: Set<string>) => T): T {
    const scope = new Set<string>();
    this.cteScopes.push(scope);
    try {
      return fn(scope);
    } finally {
      this.cteScopes.pop();
    }
  }

  isCte(name: string): boolean {
    const lower = name.toLowerCase();
    return this.cteScopes.some((s) => s.has(lower));
  }

  addTable(ref: TableRef): void {
    const key = (r: TableRef) => `${r.database?.toLowerCase() ?? ''}.${r.name.toLowerCase()}`;
    if (!this.tables.some((t) => key(t) === key(ref))) this.tables.push(ref);
  }
}

/** A construct the IR (and so every target) cannot express faithfully. */
export function untranslatable(what: string): AppError {
  return new AppError('SQL_UNTRANSLATABLE', `cannot translate ${what}`);
}

export function notAllowed(what: string): AppError {
  return new AppError('SQL_NOT_ALLOWED', what);
}

/** Values the grammar uses for "absent": null, undefined, false, '', [], or `{ position: null }`. */
export function isEmptyValue(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isNode(value)) return Object.values(value).every((v) => v === null || v === undefined);
  return false;
}

/**
 * Refuses AST nodes carrying anything this lowering does not read, so that no clause is ever dropped
 * silently (node-sql-parser accepts more syntax than is lowered here).
 */
export function assertOnlyKeys(node: AstNode, known: readonly string[], what: string): void {
  for (const [key, value] of Object.entries(node)) {
    if (key === 'loc' || key === 'parentheses' || known.includes(key) || isEmptyValue(value)) continue;
    throw untranslatable(`${what}: unsupported ${key.replace(/_/g, ' ')}`);
  }
}

export function asNode(value: unknown, what: string): AstNode {
  if (!isNode(value)) throw untranslatable(what);
  return value;
}

export function asArray(value: unknown): unknown[] {
  if (value === null || value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** A name that the grammar gives either as a string or as `{ type, value }` / `{ expr: { value } }`. */
export function nameOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (!isNode(value)) return undefined;
  if (typeof value.value === 'string') return value.value;
  if (isNode(value.expr) && typeof value.expr.value === 'string') return value.expr.value;
  return undefined;
}
