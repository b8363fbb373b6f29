import { AppError } from '../errors.js';

/** Wildcards an input form may hold: `*` and `?` within a name, `**` for any number of directories. */
const WILDCARD = /[*?]/;
/** Glob syntax engines know but this matcher does not: refused rather than read literally. */
const UNSUPPORTED = /[[\]{}]/;

export function hasWildcard(text: string): boolean {
  return WILDCARD.test(text);
}

/**
 * A `/`-separated glob, compiled once. `*` matches any characters of one name but `/`, `?` one such
 * character, a `**` segment any number of directories (none included). A wildcard never matches a
 * name starting with `.` or `_` (hidden files, Hive and Spark markers such as `_SUCCESS`); a literal
 * segment does.
 * @example new PathGlob('2024-*\/**\/*.csv.gz').matches('2024-01/a/b/x.csv.gz') === true
 */
export class PathGlob {
  private readonly re: RegExp;
  /** The leading segments without a wildcard: where a listing starts. */
  readonly base: string;
  /** Whether a match may lie below the base's direct children's directories (a `**` or a wildcard directory). */
  readonly deep: boolean;
  /** Folder levels below the base a match may lie at (Infinity with `**`): a listing goes no deeper. */
  readonly depth: number;

  constructor(readonly pattern: string) {
    if (UNSUPPORTED.test(pattern)) {
      throw new AppError('VALIDATION_FAILED', `input pattern '${pattern}' uses [ ] or { }; only * ? and ** are supported`);
    }
    const segments = pattern.split('/');
    const first = segments.findIndex((s) => WILDCARD.test(s));
    this.base = segments.slice(0, first === -1 ? segments.length : first).join('/');
    // `data/**` reaches below its base as much as `data/*/x` does: a listing must not stop at one level.
    this.deep = first !== -1 && (segments.length - first > 1 || segments.includes('**'));
    this.depth = segments.includes('**') ? Infinity : first === -1 ? 0 : segments.length - first - 1;
    let re = '';
    segments.forEach((seg, i) => {
      const last = i === segments.length - 1;
      if (seg === '**') {
        re += last ? '(?:[^/._][^/]*(?:/[^/._][^/]*)*)?' : '(?:[^/._][^/]*/)*';
        return;
      }
      re += segmentRegex(seg) + (last ? '' : '/');
    });
    this.re = new RegExp(`^${re}$`);
  }

  /** Whether a path (same separators and prefix as the pattern) matches. */
  matches(p: string): boolean {
    return this.re.test(p);
  }
}

function segmentRegex(seg: string): string {
  if (seg.includes('**')) throw new AppError('VALIDATION_FAILED', `'**' must be a whole path segment (a/**/b), got '${seg}'`);
  let re = WILDCARD.test(seg[0] ?? '') ? '(?![._])' : '';
  for (const c of seg) {
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return re;
}
