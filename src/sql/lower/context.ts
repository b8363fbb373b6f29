import { AppError } from '../../errors.js';
import { dialectFamily, type DialectFamily, type SqlDialectName } from '../dialect.js';
import type { TableRef } from '../ir.js';
import { sourceDialect, type SourceDialect } from '../parser/source-dialects.js';

/** State shared while one statement is parsed into the IR. */
export class LowerContext {
  readonly family: DialectFamily;
  readonly source: SourceDialect;
  readonly warnings = new Set<string>();
  readonly tables: TableRef[] = [];
  private readonly cteScopes: Array<Set<string>> = [];

  constructor(readonly dialect: SqlDialectName) {
    this.family = dialectFamily(dialect);
    this.source = sourceDialect(dialect);
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

