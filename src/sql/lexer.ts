import { AppError } from '../errors.js';
import type { DialectFamily } from './dialect.js';

export type TokenKind = 'word' | 'ident' | 'string' | 'number' | 'param' | 'punct' | 'op';

/** One lexical token; `text` is the raw source text, `line`/`column` are 1-based. */
export interface Token {
  kind: TokenKind;
  text: string;
  offset: number;
  line: number;
  column: number;
  /** Whitespace or a comment separates this token from the previous one. */
  spaced: boolean;
}

export interface Position {
  line: number;
  column: number;
}

const WORD_START = /[A-Za-z_\p{L}]/u;
const WORD_PART = /[A-Za-z0-9_$\p{L}\p{N}]/u;
const OPERATORS = ['<=>', '<>', '!=', '>=', '<=', '==', '||', '::', '//', '&&', '->', '=', '<', '>', '+', '-', '*', '/', '%', '~', '!', '&', '|', '^', '[', ']', '{', '}', '?', ':', '@'];

/**
 * A small SQL scanner: the tokens the guards check (statement boundaries, nesting depth, table sources)
 * and the parser (parser/parser.ts) reads, split the way the engines split them (which quotes open
 * strings, what is a comment, which number suffixes exist).
 */
export function tokenize(sql: string, family: DialectFamily): Token[] {
  return new Lexer(sql, family).run();
}

export function positionAt(sql: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < sql.length; i++) {
    if (sql[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

class Lexer {
  private pos = 0;
  private spaced = true;
  private readonly tokens: Token[] = [];
  private readonly lineStarts: number[] = [0];

  constructor(
    private readonly sql: string,
    private readonly family: DialectFamily,
  ) {
    for (let i = 0; i < sql.length; i++) if (sql[i] === '\n') this.lineStarts.push(i + 1);
  }

  run(): Token[] {
    while (this.pos < this.sql.length) {
      if (this.skipTrivia()) continue;
      this.readToken();
    }
    return this.tokens;
  }

  private skipTrivia(): boolean {
    const c = this.sql[this.pos] ?? '';
    if (/\s/.test(c)) {
      this.pos++;
      this.spaced = true;
      return true;
    }
    if (this.sql.startsWith('--', this.pos)) {
      const end = this.sql.indexOf('\n', this.pos);
      this.pos = end < 0 ? this.sql.length : end + 1;
      this.spaced = true;
      return true;
    }
    if (this.sql.startsWith('/*', this.pos)) {
      const end = this.sql.indexOf('*/', this.pos + 2);
      if (end < 0) this.fail('unterminated comment', this.pos);
      this.pos = end + 2;
      this.spaced = true;
      return true;
    }
    return false;
  }

  private readToken(): void {
    const start = this.pos;
    const c = this.sql[start] ?? '';
    if (c === "'") return this.push('string', this.readQuoted("'", this.family === 'hive'), start);
    if (c === '"') {
      return this.family === 'hive'
        ? this.push('string', this.readQuoted('"', true), start)
        : this.push('ident', this.readQuoted('"', false), start);
    }
    if (c === '`') return this.push('ident', this.readQuoted('`', false), start);
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(this.sql[start + 1] ?? ''))) return this.readNumber(start);
    if (WORD_START.test(c)) return this.push('word', this.readWhile(WORD_PART), start);
    if (c === ':' && WORD_START.test(this.sql[start + 1] ?? '') && this.sql[start - 1] !== ':') {
      this.pos++;
      return this.push('param', ':' + this.readWhile(WORD_PART), start);
    }
    if ('(),;.'.includes(c)) {
      this.pos++;
      return this.push('punct', c, start);
    }
    if (c === '#' || c === '$') this.fail(`unexpected character '${c}'`, start);
    const op = OPERATORS.find((o) => this.sql.startsWith(o, start));
    if (!op) this.fail(`unexpected character '${c}'`, start);
    this.pos += op.length;
    this.push('op', op, start);
  }

  /**
   * Reads a quoted run. A doubled quote continues the run in every dialect. With backslash escapes
   * (Hive family) a backslash protects the next character. Without them (Trino, DuckDB) a backslash is
   * an ordinary character, so `'C:\'` is the text `C:\`.
   */
  private readQuoted(quote: string, backslashEscapes: boolean): string {
    const start = this.pos;
    this.pos++;
    while (this.pos < this.sql.length) {
      const ch = this.sql[this.pos];
      // Engines end a literal at a NUL (DuckDB: "unterminated quoted string"): refused here as bad input.
      if (ch === '\0' || (ch === '\\' && backslashEscapes && this.sql[this.pos + 1] === '\0')) {
        this.fail('a NUL character is not allowed in quoted text; use CHR(0)', this.pos);
      }
      if (ch === '\\' && backslashEscapes) {
        this.pos += 2;
        continue;
      }
      if (ch === quote) {
        if (this.sql[this.pos + 1] === quote) {
          this.pos += 2;
          continue;
        }
        this.pos++;
        return this.sql.slice(start, this.pos);
      }
      this.pos++;
    }
    return this.fail(`unterminated quoted text starting with ${quote}`, start);
  }

  private readNumber(start: number): void {
    this.readWhile(/[0-9]/);
    if (this.sql[this.pos] === '.' && /[0-9]/.test(this.sql[this.pos + 1] ?? '')) {
      this.pos++;
      this.readWhile(/[0-9]/);
    } else if (this.sql[this.pos] === '.' && !WORD_START.test(this.sql[this.pos + 1] ?? '')) {
      this.pos++;
    }
    if (/[eE]/.test(this.sql[this.pos] ?? '') && /[-+0-9]/.test(this.sql[this.pos + 1] ?? '')) {
      this.pos += 2;
      this.readWhile(/[0-9]/);
    }
    const suffix = /^(BD|[LSYDF])(?![A-Za-z0-9_$])/i.exec(this.sql.slice(this.pos, this.pos + 3))?.[1];
    if (suffix && this.family === 'hive') this.pos += suffix.length;
    else if (WORD_PART.test(this.sql[this.pos] ?? '')) {
      throw new AppError('SQL_UNTRANSLATABLE', 'this numeric literal suffix is not supported; use CAST', {
        details: { position: positionAt(this.sql, start) },
      });
    }
    this.push('number', this.sql.slice(start, this.pos), start);
  }

  private readWhile(re: RegExp): string {
    const start = this.pos;
    while (this.pos < this.sql.length && re.test(this.sql[this.pos] ?? '')) this.pos++;
    return this.sql.slice(start, this.pos);
  }

  private push(kind: TokenKind, text: string, offset: number): void {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    const line = lo + 1;
    const column = offset - (this.lineStarts[lo] ?? 0) + 1;
    this.tokens.push({ kind, text, offset, line, column, spaced: this.spaced });
    this.spaced = false;
  }

  private fail(message: string, offset: number): never {
    throw new AppError('SQL_SYNTAX', message, { details: { position: positionAt(this.sql, offset) } });
  }
}
