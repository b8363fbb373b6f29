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
  let out = '';
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i]!;
    if (c === '-' && sql[i + 1] === '-') {
      while (i < n && sql[i] !== '\n') i++;
      out += ' ';
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? n : end + 2;
      out += ' ';
    } else if (c === "'" || c === '"') {
      i = skipQuoted(sql, i, c);
      out += '?';
    } else if (c === '`') {
      const end = sql.indexOf('`', i + 1);
      const stop = end === -1 ? n : end + 1;
      out += sql.slice(i, stop);
      i = stop;
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      if (/[A-Za-z0-9_$]/.test(out[out.length - 1] ?? '')) {
        out += c; // a digit inside an identifier (t1, col_2)
        i++;
        continue;
      }
      const m = /^(0x[0-9a-f]+|\d*\.?\d+(e[+-]?\d+)?[a-z]{0,2})/i.exec(sql.slice(i))!;
      i += m[0].length;
      out += '?';
    } else {
      out += c.toLowerCase();
      i++;
    }
  }
  return out
    .replace(/\s+/g, ' ')
    .replace(/\?(\s*,\s*\?)+/g, '?+')
    .replace(/\(\s+/g, '(')
    .replace(/\s+\)/g, ')')
    .replace(/\s*,\s*/g, ', ')
    .trim();
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
