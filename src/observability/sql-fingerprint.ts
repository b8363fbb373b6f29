import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';

/**
 * The SQL's shape without its values: comments dropped, every string and number literal replaced by
 * `?` (double-quoted text too, since Hive reads it as a string), lists of `?` folded into one, case
 * and whitespace normalized. Backquoted identifiers and `:name` parameters are kept. Works on any
 * text, valid SQL or not, so a rejected query still has a fingerprint.
 *
 * @example normalizeSql("SELECT * FROM t WHERE a = 'x' AND b IN (1, 2)") // "select * from t where a = ? and b in (?+)"
 */
export function normalizeSql(sql: string): string {
  // One pass, linear in the text: each step reads from `i` on (a sticky regex, never a slice of the
  // rest), and the output is kept as parts with its last character at hand (indexing a string being
  // built with += flattens it every time).
  const out: string[] = [];
  let last = '';
  const emit = (s: string): void => {
    out.push(s);
    last = s[s.length - 1]!;
  };
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i]!;
    if (c === '-' && sql[i + 1] === '-') {
      while (i < n && sql[i] !== '\n') i++;
      emit(' ');
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? n : end + 2;
      emit(' ');
    } else if (c === "'" || c === '"') {
      i = skipQuoted(sql, i, c);
      emit('?');
    } else if (c === '`') {
      const end = sql.indexOf('`', i + 1);
      const stop = end === -1 ? n : end + 1;
      emit(sql.slice(i, stop));
      i = stop;
    } else if (DIGIT.test(c) || (c === '.' && DIGIT.test(sql[i + 1] ?? ''))) {
      if (IDENT.test(last)) {
        emit(c); // a digit inside an identifier (t1, col_2)
        i++;
        continue;
      }
      NUMBER.lastIndex = i;
      i += NUMBER.exec(sql)![0].length;
      emit('?');
    } else {
      // A run of text with nothing to replace, copied at once.
      PLAIN.lastIndex = i + 1;
      const run = PLAIN.exec(sql);
      const stop = run ? PLAIN.lastIndex : i + 1;
      emit(sql.slice(i, stop).toLowerCase());
      i = stop;
    }
  }
  return out
    .join('')
    .replace(/\s+/g, ' ')
    .replace(/\?(\s*,\s*\?)+/g, '?+')
    .replace(/\(\s+/g, '(')
    .replace(/\s+\)/g, ')')
    .replace(/\s*,\s*/g, ', ')
    .trim();
}

const DIGIT = /[0-9]/;
/** Characters that never start a literal or a comment (sticky). */
const PLAIN = /[^-/'"`0-9.]+/y;
const IDENT = /[A-Za-z0-9_$]/;

/** A number literal at lastIndex (sticky): hex, decimal, exponent, a type suffix such as 10L or 1.5BD. */
const NUMBER = /0x[0-9a-f]+|\d*\.?\d+(?:e[+-]?\d+)?[a-z]{0,2}/iy;

/** Index just past the quoted literal opening at `start` ('' and backslash escapes; unterminated runs to the end). */
function skipQuoted(sql: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === '\\') i += 2;
    else if (sql[i] === quote && sql[i + 1] === quote) i += 2;
    else if (sql[i] === quote) return i + 1;
    else i++;
  }
  return sql.length;
}

/** Fingerprints of recent texts: BI tools and canned analytics send the same few over and over. */
const recent = new LRUCache<string, string>({ max: 1000, maxSize: 4_000_000, sizeCalculation: (_v, k) => k.length + 64 });

/** sha256 (hex) of normalizeSql(sql): equal for queries that differ only in their literal values. */
export function sqlFingerprint(sql: string): string {
  let fp = recent.get(sql);
  if (fp === undefined) {
    fp = createHash('sha256').update(normalizeSql(sql)).digest('hex');
    if (sql.length <= 100_000) recent.set(sql, fp);
  }
  return fp;
}
