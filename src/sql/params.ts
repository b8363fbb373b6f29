import { AppError } from '../errors.js';
import type { Expr, Literal, Query } from './ir.js';
import { mapQuery } from './ir-walk.js';

/**
 * A parameter value. Written `:name` in the SQL (letters, digits, underscore); bound as a typed literal
 * in the IR, so it is rendered (and escaped) by the target dialect like any literal, never pasted.
 * Strings become string literals, integers (number or bigint) integer literals, other numbers DOUBLE
 * literals; booleans and null as such.
 */
export type ParamValue = string | number | bigint | boolean | null;

export type Params = Readonly<Record<string, ParamValue>>;

/** Replaces every `:name` with the literal of its value; a missing value is VALIDATION_FAILED. */
export function bindParams(query: Query, params: Params): Query {
  return mapQuery(query, (e: Expr): Expr => {
    if (e.kind !== 'param') return e;
    if (!Object.prototype.hasOwnProperty.call(params, e.name)) {
      throw new AppError('VALIDATION_FAILED', `no value for parameter :${e.name}`, { details: { parameter: e.name } });
    }
    return toLiteral(e.name, params[e.name] as ParamValue);
  });
}

function toLiteral(name: string, value: ParamValue): Literal {
  if (value === null) return { kind: 'literal', type: 'null' };
  switch (typeof value) {
    case 'string':
      return { kind: 'literal', type: 'string', value };
    case 'boolean':
      return { kind: 'literal', type: 'boolean', value };
    case 'bigint':
      return { kind: 'literal', type: 'number', value: value.toString(), numeric: 'integer' };
    case 'number':
      if (!Number.isFinite(value)) throw invalid(name, 'is not a finite number');
      if (Number.isInteger(value)) {
        if (!Number.isSafeInteger(value)) throw invalid(name, 'is an integer beyond 2^53; pass it as a bigint or a string');
        return { kind: 'literal', type: 'number', value: String(value), numeric: 'integer' };
      }
      return { kind: 'literal', type: 'number', value: String(value), numeric: 'double' };
    default:
      throw invalid(name, 'has an unsupported type');
  }
}

function invalid(name: string, what: string): AppError {
  return new AppError('VALIDATION_FAILED', `parameter :${name} ${what}`, { details: { parameter: name } });
}
