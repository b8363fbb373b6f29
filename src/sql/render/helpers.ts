import { AppError } from '../../errors.js';
import type { SqlDialectName } from '../dialect.js';
import type { SqlType } from '../ir.js';
import type { Arg, FunctionRenderer, RenderApi, SqlDialect } from './sql-dialect.js';

/** Building blocks for dialect files: small, pure string builders over rendered arguments. */

export function untranslatable(what: string, target?: SqlDialectName): AppError {
  return new AppError('SQL_UNTRANSLATABLE', `cannot translate ${what}${target ? ` to ${target}` : ''}`);
}

/** The argument, parenthesised unless it is atomic. */
export function p(arg: Arg): string {
  return arg.atomic ? arg.sql : `(${arg.sql})`;
}

export function fn(name: string, ...args: Array<Arg | string>): string {
  return `${name}(${args.map((a) => (typeof a === 'string' ? a : a.sql)).join(', ')})`;
}

/** Renders a canonical function as a same-named (or renamed) function of the target. */
export function rename(name: string): FunctionRenderer {
  return (args) => fn(name, ...args);
}

/**
 * The `call` hook of a dialect whose canonical functions are a table: a function not in it is
 * untranslatable. `prepare` may rewrite the arguments before they are rendered (e.g. to text).
 */
export function callFromTable(
  table: Readonly<Record<string, FunctionRenderer>>,
  target: SqlDialectName,
  prepare: (name: string, args: Arg[], r: RenderApi) => Arg[] = (_name, args) => args,
): SqlDialect['call'] {
  return (name, args, r) => {
    const render = table[name];
    if (!render) throw untranslatable(`function ${name}`, target);
    return render(prepare(name, args, r), r);
  };
}

/** An aggregate call: `name(*)` without arguments, DISTINCT when asked, `FILTER (WHERE ...)` when given one. */
export function aggregateCall(name: string, args: readonly Arg[], distinct: boolean, filter?: string): string {
  const inner = args.length === 0 ? '*' : `${distinct ? 'DISTINCT ' : ''}${args.map((a) => a.sql).join(', ')}`;
  return `${name}(${inner})${filter ? ` FILTER (WHERE ${filter})` : ''}`;
}

export function argAt(args: readonly Arg[], i: number): Arg {
  const a = args[i];
  if (!a) throw new AppError('SQL_SYNTAX', 'missing function argument');
  return a;
}

function isNumberLiteral(arg: Arg): boolean {
  return arg.expr.kind === 'literal' && arg.expr.type === 'number';
}

/** The integer value of a literal argument, if it is an integer literal. */
export function intLiteral(arg: Arg | undefined): number | undefined {
  const e = arg?.expr;
  return e?.kind === 'literal' && e.type === 'number' && e.numeric === 'integer' ? Number(e.value) : undefined;
}

export function stringLiteral(arg: Arg | undefined, what: string, target: SqlDialectName): string {
  const e = arg?.expr;
  if (e?.kind === 'literal' && e.type === 'string') return e.value;
  throw untranslatable(`${what} that is not a string literal`, target);
}

/** `NULLIF(x, 0)`, or x itself when it is a non-zero number literal. */
export function nullIfZero(arg: Arg): string {
  if (isNumberLiteral(arg) && arg.expr.kind === 'literal' && arg.expr.type === 'number' && Number(arg.expr.value) !== 0) return p(arg);
  return `NULLIF(${arg.sql}, 0)`;
}

/** greatest/least that ignore NULLs, from one that returns NULL when any argument is NULL. */
export function skipNullsVia(name: string): FunctionRenderer {
  return (args) => fn(name, ...args.map((a, i) => fn('coalesce', a, ...args.filter((_, j) => j !== i))));
}

/** greatest/least that return NULL when any argument is NULL, from one that ignores NULLs. */
export function strictVia(name: string): FunctionRenderer {
  return (args) => {
    const nullable = args.filter((a) => !(a.expr.kind === 'literal' && a.expr.type !== 'null'));
    if (nullable.length === 0) return fn(name, ...args);
    return `CASE WHEN ${nullable.map((a) => `${p(a)} IS NULL`).join(' OR ')} THEN NULL ELSE ${fn(name, ...args)} END`;
  };
}

/** True for a literal that is not NULL. */
export function isNonNullLiteral(arg: Arg): boolean {
  return arg.expr.kind === 'literal' && arg.expr.type !== 'null';
}

export const isIntegral = (type: SqlType): boolean => type.kind === 'int';

/** Escapes a Java regex replacement for RE2 rewrite strings: `$1` -> `\1`, `\$` -> `$`, `\\` -> `\\`. */
export function javaReplacementToRe2(replacement: string, target: SqlDialectName): string {
  let out = '';
  for (let i = 0; i < replacement.length; i++) {
    const ch = replacement[i] ?? '';
    if (ch === '\\') {
      const next = replacement[i + 1] ?? '';
      out += next === '\\' ? '\\\\' : next;
      i++;
    } else if (ch === '$') {
      const digits = /^\d+/.exec(replacement.slice(i + 1))?.[0];
      if (!digits || digits.length > 1) throw untranslatable(`regexp_replace replacement '${replacement}'`, target);
      out += `\\${digits}`;
      i += digits.length;
    } else {
      out += ch;
    }
  }
  return out;
}

/** Positions of the arguments each canonical function reads as text (Hive converts other types). */
const TEXT_ARGUMENTS: Readonly<Record<string, readonly number[]>> = {
  substr: [0],
  substr_spark: [0],
  lpad: [0, 2],
  rpad: [0, 2],
  regexp_extract: [0],
  regexp_like: [0],
  regexp_replace: [0],
  split: [0],
  instr: [0, 1],
  length: [0],
  upper: [0],
  lower: [0],
  trim: [0],
  ltrim: [0],
  rtrim: [0],
  reverse: [0],
  replace: [0],
  repeat: [0],
};

/** The arguments with those read as text converted by `toText` when they are not strings already. */
export function withTextArguments(name: string, args: Arg[], toText: (a: Arg) => string): Arg[] {
  const positions = TEXT_ARGUMENTS[name] ?? [];
  return args.map((a, i) =>
    positions.includes(i) && a.type.kind !== 'string' && a.type.kind !== 'null' ? { ...a, sql: toText(a), type: { kind: 'string' }, atomic: true } : a,
  );
}

/** The text of a string literal that is a valid calendar date or timestamp, so it can be typed directly. */
export function temporalLiteral(arg: Arg): { kind: 'date' | 'timestamp'; text: string } | undefined {
  const e = arg.expr;
  if (e.kind !== 'literal' || e.type !== 'string') return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})( (\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?)?$/.exec(e.value);
  if (!m) return undefined;
  const [y, mo, d, , h = '0', mi = '0', s = '0'] = m.slice(1).map((x) => x ?? '');
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  const valid = date.getUTCFullYear() === Number(y) && date.getUTCMonth() === Number(mo) - 1 && date.getUTCDate() === Number(d);
  if (!valid || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  return { kind: m[4] ? 'timestamp' : 'date', text: e.value };
}
