import type { Expr, Literal } from '../ir.js';
import { untranslatable } from './context.js';

/** Small constructors for IR built by lowering and rendering. */
export const str = (value: string): Literal => ({ kind: 'literal', type: 'string', value });
export const int = (value: number): Literal => ({ kind: 'literal', type: 'number', value: String(value), numeric: 'integer' });
export const bool = (value: boolean): Literal => ({ kind: 'literal', type: 'boolean', value });
export const NULL: Literal = { kind: 'literal', type: 'null' };

export function caseWhen(when: Expr, then: Expr, otherwise?: Expr): Expr {
  return { kind: 'case', whens: [{ when, then }], ...(otherwise ? { else: otherwise } : {}) };
}

/** The value of a string literal argument, or an error naming what needed to be literal. */
export function stringArg(expr: Expr | undefined, what: string): string {
  if (expr?.kind === 'literal' && expr.type === 'string') return expr.value;
  throw untranslatable(`${what} that is not a string literal`);
}

/** The value of an integer literal argument, if it is one. */
export function intValue(expr: Expr | undefined): number | undefined {
  if (expr?.kind === 'literal' && expr.type === 'number' && expr.numeric === 'integer') return Number(expr.value);
  return undefined;
}

export function boolValue(expr: Expr | undefined): boolean | undefined {
  return expr?.kind === 'literal' && expr.type === 'boolean' ? expr.value : undefined;
}
