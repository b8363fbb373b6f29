// First: the dialect tables below call lowersTo while they are built.
import { lowersTo } from './lowering-info.js';
import { AppError } from '../../errors.js';
import { functionInfo } from '../functions.js';
import type { Expr } from '../ir.js';
import { notAllowed, untranslatable, type LowerContext } from './context.js';

export { describedAs, describeLowering, lowersTo, refusedLowering, type LoweringInfo } from './lowering-info.js';

/** Everything a dialect's function mapping may look at besides the lowered arguments. */
export interface CallSite {
  name: string;
  ctx: LowerContext;
  distinct: boolean;
  filter?: Expr;
}

/** Maps one source-dialect function onto IR (usually a canonical call). */
export type FunctionLowering = (args: Expr[], site: CallSite) => Expr;

const KEYWORD_FUNCTIONS = new Set(['current_date', 'current_timestamp']);

/**
 * A scalar or aggregate call of the source dialect, checked against its allow-list of functions.
 * `parenthesesOmitted`: written as a bare keyword (`current_date`).
 */
export function lowerCall(
  name: string,
  args: Expr[],
  options: { distinct?: boolean; filter?: Expr; parenthesesOmitted?: boolean },
  ctx: LowerContext,
): Expr {
  if (options.parenthesesOmitted && !KEYWORD_FUNCTIONS.has(name)) throw untranslatable(`bare keyword ${name.toUpperCase()}`);
  const site: CallSite = { name, ctx, distinct: options.distinct ?? false, ...(options.filter ? { filter: options.filter } : {}) };
  const table = ctx.source.functions();
  const lowering = Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
  if (!lowering) throw notAllowed(`function ${name} is not allowed in ${ctx.dialect} queries`);
  const expr = lowering(args, site);
  if ((site.distinct || site.filter) && expr.kind !== 'agg') throw untranslatable(`DISTINCT or FILTER with ${name}`);
  return expr;
}

/** A canonical scalar call, arity-checked. */
export function call(fn: string, args: Expr[], site: CallSite): Expr {
  checkArity(fn, args, site);
  return { kind: 'call', fn, args };
}

/** A canonical aggregate, arity-checked, carrying DISTINCT and FILTER from the call site. */
export function agg(fn: string, args: Expr[], site: CallSite): Expr {
  checkArity(fn, args, site);
  return { kind: 'agg', fn, args, distinct: site.distinct, ...(site.filter ? { filter: site.filter } : {}) };
}

/** The lowering of a source function that is the canonical scalar function `fn`, argument for argument. */
export function same(fn: string): FunctionLowering {
  return lowersTo([fn], (args, site) => call(fn, args, site));
}

/** The lowering of a source aggregate that is the canonical aggregate `fn`, argument for argument. */
export function aggregate(fn: string): FunctionLowering {
  return lowersTo([fn], (args, site) => agg(fn, args, site));
}

function checkArity(fn: string, args: Expr[], site: CallSite): void {
  const info = functionInfo(fn);
  if (!info) throw untranslatable(`function ${site.name}`);
  if (args.length < info.minArgs || args.length > info.maxArgs) {
    throw new AppError('SQL_SYNTAX', `${site.name}() does not take ${args.length} argument${args.length === 1 ? '' : 's'}`);
  }
}
