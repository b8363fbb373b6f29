import { AppError } from '../../errors.js';
import type { SourceDialect } from '../parser/source-dialects.js';

/**
 * The value of a quoted string literal as the engine sees it, from the raw text
 * between the quotes. Hive family: backslash escapes (`\'`, `\\`, `\n`, `\t`, `\uXXXX`; `\%` and `\_`
 * keep their backslash for LIKE). A doubled quote is an escaped quote in Spark 4 but the boundary of two
 * adjacent literals in Hive's lexer (and unclear in Impala), so there it is refused. ANSI family: only
 * `''` (a quote).
 */
export function decodeStringLiteral(raw: string, source: SourceDialect, quote: "'" | '"'): string {
  if (source.family === 'ansi') return raw.split(quote + quote).join(quote);
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i] ?? '';
    if (ch === quote && raw[i + 1] === quote) {
      if (!source.doubledQuoteEscapes) throw new AppError('SQL_UNTRANSLATABLE', `a doubled quote inside a ${source.name} string literal is ambiguous; write \\${quote} instead`);
      out += quote;
      i++;
      continue;
    }
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = raw[i + 1] ?? '';
    i++;
    if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(raw.slice(i + 1, i + 5))) {
      out += String.fromCharCode(parseInt(raw.slice(i + 1, i + 5), 16));
      i += 4;
      continue;
    }
    if (/[0-7]/.test(next) && /^[0-7]{3}$/.test(raw.slice(i, i + 3)) && next !== '0') {
      throw new AppError('SQL_UNTRANSLATABLE', 'octal escapes in string literals are not supported');
    }
    out += ESCAPES[next] ?? next;
  }
  return out;
}

const ESCAPES: Readonly<Record<string, string>> = {
  '0': '\u0000',
  b: '\b',
  n: '\n',
  r: '\r',
  t: '\t',
  Z: '\u001a',
  '%': '\\%',
  _: '\\_',
};
