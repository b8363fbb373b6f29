import type { FunctionLowering } from './lower-functions.js';
import { AppError } from '../../errors.js';

/* Kept apart from lower-functions.ts and context.ts, which sit in an import cycle with the dialect
   tables: these run while those tables are built. */

/**
 * What a lowering yields, for the coverage report: the canonical functions it calls (none: only IR
 * operators such as CASE), or the reason it refuses. Each source dialect's lowering says this of itself.
 */
export type LoweringInfo = { fns: readonly string[] } | { refused: string; noEquivalent: boolean };
type Describe = (dialect: string) => LoweringInfo;

const DESCRIPTIONS = new WeakMap<FunctionLowering, Describe>();

/** Records what `lowering` yields (per source dialect when `describe` is a function). */
export function describedAs(lowering: FunctionLowering, describe: LoweringInfo | Describe): FunctionLowering {
  DESCRIPTIONS.set(lowering, typeof describe === 'function' ? describe : () => describe);
  return lowering;
}

/** A lowering that calls the canonical functions `fns` (none: only IR operators). */
export function lowersTo(fns: readonly string[], lowering: FunctionLowering): FunctionLowering {
  return describedAs(lowering, { fns });
}

/** A source function the gateway refuses, with the reason (`noEquivalent`: no target could mean the same). */
export function refusedLowering(reason: string, noEquivalent = true): FunctionLowering {
  return describedAs(() => {
    throw new AppError('SQL_UNTRANSLATABLE', `cannot translate ${reason}`);
  }, { refused: reason, noEquivalent });
}

/** What `lowering` yields from `dialect`, if it says. */
export function describeLowering(lowering: FunctionLowering, dialect: string): LoweringInfo | undefined {
  return DESCRIPTIONS.get(lowering)?.(dialect);
}

