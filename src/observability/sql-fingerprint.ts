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
  // One pass over character codes, linear in the text: the output is written into one buffer (a
  // string grown by += one token at a time costs an allocation per token, and reading it back
  // flattens it), with the last character written at hand. Lowercasing may lengthen text (İ): x2.
  const n = sql.length;
  const buf = new Uint16Array(2 * n + 16);
  let len = 0;
  const put = (text: string): void => {
    for (let k = 0; k < text.length; k++) buf[len++] = text.charCodeAt(k);
  };
  let last = 0;
  let i = 0;
  while (i < n) {
    const c = sql.charCodeAt(i);
    if (c === DASH && sql.charCodeAt(i + 1) === DASH) {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? n : end;
      buf[len++] = last = SPACE;
    } else if (c === SLASH && sql.charCodeAt(i + 1) === STAR) {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? n : end + 2;
      buf[len++] = last = SPACE;
    } else if (c === QUOTE || c === DQUOTE) {
      i = skipQuoted(sql, i, sql[i]!);
      buf[len++] = last = QMARK;
    } else if (c === BACKQUOTE) {
      const end = sql.indexOf('`', i + 1);
      const stop = end === -1 ? n : end + 1;
      for (let k = i; k < stop; k++) buf[len++] = sql.charCodeAt(k);
      last = sql.charCodeAt(stop - 1);
      i = stop;
    } else if (isDigit(c) || (c === DOT && isDigit(sql.charCodeAt(i + 1)))) {
      if (isIdent(last)) {
        buf[len++] = last = c; // a digit inside an identifier (t1, col_2)
        i++;
        continue;
      }
      i = numberEnd(sql, i);
      buf[len++] = last = QMARK;
    } else {
      // Text with nothing to replace, lowercased a character at a time (as the fingerprint always was).
      do {
        const code = sql.charCodeAt(i);
        if (code < 128) buf[len++] = code >= 65 && code <= 90 ? code + 32 : code;
        else put(sql[i]!.toLowerCase());
        last = buf[len - 1]!;
        i++;
      } while (i < n && !startsToken(sql.charCodeAt(i)));
    }
  }
  return UTF16.decode(buf.subarray(0, len))
    .replace(/\s+/g, ' ')
    .replace(/\?(\s*,\s*\?)+/g, '?+')
    .replace(/\(\s+/g, '(')
    .replace(/\s+\)/g, ')')
    .replace(/\s*,\s*/g, ', ')
    .trim();
}

const UTF16 = new TextDecoder('utf-16le');
const DASH = 45; // -
const SLASH = 47; // /
const STAR = 42; // *
const QUOTE = 39; // '
const DQUOTE = 34; // "
const BACKQUOTE = 96; // `
const DOT = 46; // .
const SPACE = 32;
const QMARK = 63; // ?
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isLetter = (c: number): boolean => (c | 32) >= 97 && (c | 32) <= 122;
const isHex = (c: number): boolean => isDigit(c) || ((c | 32) >= 97 && (c | 32) <= 102);
const isIdent = (c: number): boolean => isDigit(c) || isLetter(c) || c === 95 || c === 36;
/** Characters that may start a literal or a comment (or a digit inside an identifier). */
const startsToken = (c: number): boolean => isDigit(c) || c === DASH || c === SLASH || c === QUOTE || c === DQUOTE || c === BACKQUOTE || c === DOT;

/**
 * Index just past the number literal at `i`: hex (0x1F), decimal (42, 1.5, .5), an exponent (1e3),
 * up to two suffix letters (10L, 1.5BD). The same text as /0x[0-9a-f]+|\d*\.?\d+(e[+-]?\d+)?[a-z]{0,2}/i.
 */
function numberEnd(sql: string, i: number): number {
  const at = sql.charCodeAt.bind(sql);
  if (at(i) === 48 && (at(i + 1) | 32) === 120 && isHex(at(i + 2))) {
    let j = i + 2;
    while (isHex(at(j))) j++;
    return j;
  }
  let j = i;
  while (isDigit(at(j))) j++;
  if (at(j) === DOT && isDigit(at(j + 1))) {
    j++;
    while (isDigit(at(j))) j++;
  }
  if ((at(j) | 32) === 101) {
    let k = j + 1;
    if (at(k) === 43 || at(k) === 45) k++;
    if (isDigit(at(k))) {
      while (isDigit(at(k))) k++;
      j = k;
    }
  }
  if (isLetter(at(j))) j++;
  if (isLetter(at(j))) j++;
  return j;
}

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
