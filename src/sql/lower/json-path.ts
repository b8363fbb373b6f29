import type { Expr } from '../ir.js';
import { untranslatable } from './context.js';
import { str, stringArg } from './ir-build.js';

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const STEP = /^(?:\.([^.[]+)|\['([^']*)'\]|\[(\d+)\])/;

/**
 * A Hive/Spark JSON path (`$`, then `.key`, `['key']` or `[index]` steps) in the canonical form every
 * target reads alike: `$` followed by `.key` and `[index]` steps, keys of letters, digits and `_`.
 * Wildcards (`[*]`, `.*`), quoted keys with other characters and anything Spark would answer NULL for
 * (a path not starting with `$`) are refused rather than guessed.
 */
export function canonicalJsonPath(arg: Expr | undefined, fn: string): Expr {
  const path = stringArg(arg, `${fn}() path`);
  const refuse = (why: string) => untranslatable(`${fn}() with the path '${path}' (${why}); write $ followed by .key and [index] steps`);
  if (!path.startsWith('$')) throw refuse('it does not start with $');
  let rest = path.slice(1);
  let canonical = '$';
  while (rest.length > 0) {
    const m = STEP.exec(rest);
    if (!m) throw refuse('wildcards and other steps are not translated');
    const [, dotted, quoted, index] = m;
    if (index !== undefined) {
      if (index.length > 9) throw refuse(`the index ${index} is too large`);
      canonical += `[${Number(index)}]`;
    } else {
      const key = dotted ?? quoted ?? '';
      if (dotted === '*') throw refuse('wildcards and other steps are not translated');
      if (!KEY.test(key)) throw refuse(`the key '${key}' is not letters, digits and _`);
      canonical += `.${key}`;
    }
    rest = rest.slice(m[0].length);
  }
  return str(canonical);
}
