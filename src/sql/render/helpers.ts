import { AppError } from '../../errors.js';
import type { SqlDialectName } from '../dialect.js';
import type { SqlType } from '../ir.js';
import { isCanonical } from '../functions.js';
import type { AggregateRenderer, Arg, FunctionEntry, FunctionRenderer, FunctionTable, RenderApi, SqlDialect, Unsupported, Warned } from './sql-dialect.js';

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

/** A refusal: the target cannot say what the canonical function means (reason given). */
export const refuse = (reason: string): Unsupported => ({ refused: reason });

/** A refusal because the target has no function with that meaning at all. */
export const noEquivalent = (reason: string): Unsupported => ({ refused: reason, noEquivalent: true });

/** Rendered, with a warning on the translation (the result may differ in what the warning says). */
export const warned = <R>(warning: string, render: R): Warned<R> => ({ warned: warning, render });

function entryFor<R extends FunctionRenderer | AggregateRenderer>(table: FunctionTable, name: string, target: SqlDialectName, r: RenderApi): R {
  if (!isCanonical(name)) throw untranslatable(`function ${name}`, target);
  const entry = table[name] as FunctionEntry<R>;
  if (typeof entry === 'function') return entry;
  const other = entry as Unsupported | Warned<R>;
  if ('refused' in other) throw untranslatable(`${name}() (${other.refused})`, target);
  r.warn(`${name}: ${other.warned}`);
  return other.render;
}

/**
 * Characters one rendered call may have. Some renderings repeat an argument (a guard and the value), so
 * nested calls grow geometrically: past this the translation is refused instead of exhausting memory.
 */
const MAX_RENDERED_CALL = 1024 * 1024;

function boundedSize(sql: string, name: string, target: SqlDialectName): string {
  if (sql.length > MAX_RENDERED_CALL) throw untranslatable(`${name}() nested this deeply (its ${target} SQL would exceed ${MAX_RENDERED_CALL} characters)`, target);
  return sql;
}

/**
 * The `functions`, `call` and `aggregate` of a dialect whose canonical functions are the table.
 * `prepare` may rewrite the arguments of scalar functions before they are rendered (e.g. to text).
 */
export function functionHooks(
  table: FunctionTable,
  target: SqlDialectName,
  prepare: (name: string, args: Arg[], r: RenderApi) => Arg[] = (_name, args) => args,
): Pick<SqlDialect, 'functions' | 'call' | 'aggregate'> {
  return {
    functions: table,
    call: (name, args, r) => boundedSize(entryFor<FunctionRenderer>(table, name, target, r)(prepare(name, args, r), r), name, target),
    aggregate: (name, args, distinct, filter, r) => entryFor<AggregateRenderer>(table, name, target, r)(args, distinct, filter, r),
  };
}

/** The same refusal for several canonical functions, the reason naming each. */
export function refuseAll<K extends string>(names: readonly K[], refusal: (name: K) => Unsupported): Record<K, Unsupported> {
  return Object.fromEntries(names.map((name) => [name, refusal(name)])) as Record<K, Unsupported>;
}

/** Canonical functions the target spells the same way. */
export function sameNames<K extends string>(names: readonly K[]): Record<K, FunctionRenderer> {
  return Object.fromEntries(names.map((name) => [name, rename(name)])) as Record<K, FunctionRenderer>;
}

/** An aggregate rendered as the target's aggregate `name`, with DISTINCT and FILTER as given. */
export const aggregateAs =
  (name: string): AggregateRenderer =>
  (args, distinct, filter) =>
    aggregateCall(name, args, distinct, filter);

/** Canonical aggregates the target spells the same way. */
export function sameAggregates<K extends string>(names: readonly K[]): Record<K, AggregateRenderer> {
  return Object.fromEntries(names.map((name) => [name, aggregateAs(name)])) as Record<K, AggregateRenderer>;
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
  ascii: [0],
  base64: [0],
  initcap: [0],
  left: [0],
  right: [0],
  substring_index: [0],
  translate: [0],
  levenshtein: [0, 1],
  octet_length: [0],
  trim_chars: [0],
  contains: [0, 1],
  startswith: [0, 1],
  endswith: [0, 1],
  find_in_set: [0, 1],
  split_part: [0],
  regexp_extract_all: [0],
  regexp_count: [0],
  regexp_substr: [0],
  md5: [0],
  sha1: [0],
  sha2: [0],
  crc32: [0],
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
