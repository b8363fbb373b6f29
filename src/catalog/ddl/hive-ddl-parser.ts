import { AppError } from '../../errors.js';
import { NAME_PATTERN, type ColumnDef } from '../table-def.js';
import { PRIMITIVE_ALIASES, formatHiveType, type HiveType } from './hive-type.js';

/** A parsed `CREATE [EXTERNAL] TABLE` statement, before its location is resolved. */
export interface ParsedDdl {
  database?: string;
  name: string;
  external: boolean;
  ifNotExists: boolean;
  columns: ColumnDef[];
  partitionKeys: ColumnDef[];
  comment?: string;
  /** Upper-cased: `PARQUET`, or the input format class for `STORED AS INPUTFORMAT '...'`. */
  storedAs?: string;
  /** The ROW FORMAT SERDE class, when given. */
  serde?: string;
  location?: string;
  properties: Record<string, string>;
}

type TokenKind = 'ident' | 'quoted' | 'string' | 'number' | 'punct' | 'eof';
interface Position {
  line: number;
  column: number;
}
interface Token extends Position {
  kind: TokenKind;
  text: string;
  /** Upper-cased text of bare identifiers (keywords are matched on it); '' for everything else. */
  upper: string;
}

function syntaxError(message: string, at: Position): AppError {
  return new AppError('DDL_SYNTAX', `${message} at line ${at.line}, column ${at.column}`, {
    details: { position: { line: at.line, column: at.column } },
  });
}

const describe = (t: Token): string => (t.kind === 'eof' ? 'end of input' : `'${t.text}'`);

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', b: '\b', Z: '\x1a' };
const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /[0-9]+/y;
const SPACE = /\s+/y;

/** Reads a quoted literal starting at `start`; returns its value and the index after the closing quote. */
function readQuoted(text: string, start: number, at: Position): { value: string; end: number } {
  const quote = text[start]!;
  let value = '';
  let j = start + 1;
  for (;;) {
    if (j >= text.length) throw syntaxError('unterminated quoted text', at);
    const c = text[j]!;
    if (c === '\\' && quote !== '`' && j + 1 < text.length) {
      const next = text[j + 1]!;
      value += ESCAPES[next] ?? next;
      j += 2;
    } else if (c === quote && text[j + 1] === quote) {
      value += quote;
      j += 2;
    } else if (c === quote) {
      return { value, end: j + 1 };
    } else {
      value += c;
      j++;
    }
  }
}

/** Splits DDL text into tokens with 1-based line/column positions; comments and white space are dropped. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const advance = (to: number): void => {
    for (let k = text.indexOf('\n', i); k !== -1 && k < to; k = text.indexOf('\n', k + 1)) {
      line++;
      lineStart = k + 1;
    }
    i = to;
  };
  const match = (re: RegExp): string | undefined => {
    re.lastIndex = i;
    return re.exec(text)?.[0];
  };
  while (i < text.length) {
    const ch = text[i]!;
    const pos = { line, column: i - lineStart + 1 };
    const space = match(SPACE);
    const word = space === undefined ? match(WORD) : undefined;
    if (space !== undefined) {
      advance(i + space.length);
    } else if (text.startsWith('--', i)) {
      const end = text.indexOf('\n', i);
      advance(end === -1 ? text.length : end);
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end === -1) throw syntaxError('unterminated comment', pos);
      advance(end + 2);
    } else if (ch === "'" || ch === '"' || ch === '`') {
      const { value, end } = readQuoted(text, i, pos);
      tokens.push({ kind: ch === '`' ? 'quoted' : 'string', text: value, upper: '', ...pos });
      advance(end);
    } else if (word !== undefined) {
      tokens.push({ kind: 'ident', text: word, upper: word.toUpperCase(), ...pos });
      advance(i + word.length);
    } else if (/[0-9]/.test(ch)) {
      const num = match(NUMBER)!;
      tokens.push({ kind: 'number', text: num, upper: '', ...pos });
      advance(i + num.length);
    } else if ('(),.;<>=:'.includes(ch)) {
      tokens.push({ kind: 'punct', text: ch, upper: '', ...pos });
      advance(i + 1);
    } else {
      throw syntaxError(`unexpected character '${ch}'`, pos);
    }
  }
  tokens.push({ kind: 'eof', text: '', upper: '', line, column: i - lineStart + 1 });
  return tokens;
}

/** Recursive-descent reader over the token list. */
class Reader {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)]!;
  }
  next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }
  isKeyword(...words: string[]): boolean {
    return words.every((w, k) => this.peek(k).upper === w);
  }
  acceptKeyword(...words: string[]): boolean {
    if (!this.isKeyword(...words)) return false;
    this.pos += words.length;
    return true;
  }
  expectKeyword(...words: string[]): void {
    for (const w of words) {
      const t = this.next();
      if (t.upper !== w) throw syntaxError(`expected ${w} but found ${describe(t)}`, t);
    }
  }
  acceptPunct(p: string): boolean {
    const t = this.peek();
    if (t.kind === 'punct' && t.text === p) {
      this.pos++;
      return true;
    }
    return false;
  }
  expectPunct(p: string): Token {
    const t = this.next();
    if (t.kind !== 'punct' || t.text !== p) throw syntaxError(`expected '${p}' but found ${describe(t)}`, t);
    return t;
  }
  /** A bare or back-quoted identifier. */
  expectIdent(what: string): Token {
    const t = this.next();
    if (t.kind !== 'ident' && t.kind !== 'quoted') throw syntaxError(`expected ${what} but found ${describe(t)}`, t);
    return t;
  }
  expectString(what: string): string {
    const t = this.next();
    if (t.kind !== 'string') throw syntaxError(`expected ${what} as a quoted string but found ${describe(t)}`, t);
    return t.text;
  }
  expectNumber(what: string): number {
    const t = this.next();
    if (t.kind !== 'number') throw syntaxError(`expected ${what} but found ${describe(t)}`, t);
    return Number(t.text);
  }
}

/** A table or column name; the gateway accepts letters, digits and underscores only. */
function readName(r: Reader, what: string): { name: string; at: Token } {
  const at = r.expectIdent(what);
  if (!NAME_PATTERN.test(at.text) || at.text.length > 128) {
    throw new AppError('INVALID_NAME', `invalid ${what} '${at.text}' at line ${at.line}, column ${at.column}: use letters, digits and underscores (at most 128)`, {
      details: { position: { line: at.line, column: at.column } },
    });
  }
  return { name: at.text.toLowerCase(), at };
}

function readParams(r: Reader, type: string, min: number, max: number): number[] {
  const params: number[] = [];
  if (!r.acceptPunct('(')) return params;
  do params.push(r.expectNumber(`a number in ${type}(...)`));
  while (r.acceptPunct(','));
  const close = r.expectPunct(')');
  if (params.length < min || params.length > max) throw syntaxError(`${type} takes ${min === max ? min : `${min} to ${max}`} parameters`, close);
  return params;
}

/** Reads one type: a primitive with optional parameters, or ARRAY<...>, MAP<...,...>, STRUCT<name:type,...>. */
function readType(r: Reader): HiveType {
  const at = r.expectIdent('a column type');
  const word = at.kind === 'ident' ? at.upper : '';
  if (word === 'ARRAY') {
    r.expectPunct('<');
    const element = readType(r);
    r.expectPunct('>');
    return { kind: 'array', element };
  }
  if (word === 'MAP') {
    r.expectPunct('<');
    const key = readType(r);
    if (key.kind !== 'primitive') throw syntaxError('MAP keys must have a primitive type', at);
    r.expectPunct(',');
    const value = readType(r);
    r.expectPunct('>');
    return { kind: 'map', key, value };
  }
  if (word === 'STRUCT') {
    r.expectPunct('<');
    const fields: { name: string; type: HiveType }[] = [];
    do {
      const { name, at: fieldAt } = readName(r, 'a struct field name');
      if (fields.some((f) => f.name === name)) throw syntaxError(`duplicate struct field '${name}'`, fieldAt);
      r.expectPunct(':');
      fields.push({ name, type: readType(r) });
      if (r.acceptKeyword('COMMENT')) r.expectString('a field comment');
    } while (r.acceptPunct(','));
    r.expectPunct('>');
    return { kind: 'struct', fields };
  }
  const name = PRIMITIVE_ALIASES[word];
  if (name === undefined) throw syntaxError(`unknown type ${describe(at)}`, at);
  if (name === 'DOUBLE') r.acceptKeyword('PRECISION');
  if (name === 'DECIMAL') {
    const [precision = 10, scale = 0] = readParams(r, 'DECIMAL', 1, 2);
    if (precision < 1 || precision > 38 || scale > precision) throw syntaxError(`DECIMAL(${precision},${scale}) needs 1 <= precision <= 38 and scale <= precision`, at);
    return { kind: 'primitive', name, params: [precision, scale] };
  }
  if (name === 'VARCHAR' || name === 'CHAR') {
    const [length] = readParams(r, name, 1, 1);
    const max = name === 'VARCHAR' ? 65535 : 255;
    if (length === undefined || length < 1 || length > max) throw syntaxError(`${name} needs a length from 1 to ${max}`, at);
    return { kind: 'primitive', name, params: [length] };
  }
  return { kind: 'primitive', name, params: [] };
}

function readColumns(r: Reader, role: 'column' | 'partition key'): (ColumnDef & { at: Token })[] {
  const columns: (ColumnDef & { at: Token })[] = [];
  const seen = new Set<string>();
  r.expectPunct('(');
  do {
    const { name, at } = readName(r, `a ${role} name`);
    if (seen.has(name)) throw syntaxError(`duplicate ${role} '${name}'`, at);
    seen.add(name);
    const typeAt = r.peek();
    const type = readType(r);
    if (role === 'partition key' && type.kind !== 'primitive') throw syntaxError(`partition key '${name}' must have a primitive type`, typeAt);
    const col: ColumnDef & { at: Token } = { name, type: formatHiveType(type), at };
    if (r.acceptKeyword('COMMENT')) col.comment = r.expectString(`a ${role} comment`);
    columns.push(col);
  } while (r.acceptPunct(','));
  r.expectPunct(')');
  return columns;
}

const strip = (cols: (ColumnDef & { at: Token })[]): ColumnDef[] => cols.map(({ at: _at, ...c }) => c);

function readProperties(r: Reader): Record<string, string> {
  const props: Record<string, string> = {};
  r.expectPunct('(');
  if (r.acceptPunct(')')) return props;
  do {
    const key = r.expectString('a property name');
    r.expectPunct('=');
    props[key] = r.expectString('a property value');
  } while (r.acceptPunct(','));
  r.expectPunct(')');
  return props;
}

const CLAUSES = 'COMMENT, PARTITIONED BY, ROW FORMAT SERDE, STORED AS, LOCATION, TBLPROPERTIES';
const UNSUPPORTED = ['CLUSTERED', 'SKEWED', 'SORTED', 'ROW FORMAT DELIMITED', 'AS', 'LIKE'];

/** Reads the optional clauses after the column list, in any order, each at most once. */
function readClauses(r: Reader, ddl: ParsedDdl): void {
  const seen = new Set<string>();
  const once = (clause: string, at: Token): void => {
    if (seen.has(clause)) throw syntaxError(`${clause} given twice`, at);
    seen.add(clause);
  };
  for (;;) {
    const at = r.peek();
    if (r.acceptKeyword('COMMENT')) {
      once('COMMENT', at);
      ddl.comment = r.expectString('a table comment');
    } else if (r.acceptKeyword('PARTITIONED', 'BY')) {
      once('PARTITIONED BY', at);
      const keys = readColumns(r, 'partition key');
      const clash = keys.find((k) => ddl.columns.some((c) => c.name === k.name));
      if (clash) throw syntaxError(`partition key '${clash.name}' is also a column`, clash.at);
      ddl.partitionKeys = strip(keys);
    } else if (r.acceptKeyword('STORED', 'AS')) {
      once('STORED AS', at);
      if (r.acceptKeyword('INPUTFORMAT')) {
        const input = r.expectString('an input format class');
        r.expectKeyword('OUTPUTFORMAT');
        r.expectString('an output format class');
        ddl.storedAs = /parquet/i.test(input) ? 'PARQUET' : input.toUpperCase();
      } else {
        ddl.storedAs = r.expectIdent('a storage format').text.toUpperCase();
      }
    } else if (r.acceptKeyword('ROW', 'FORMAT', 'SERDE')) {
      once('ROW FORMAT', at);
      ddl.serde = r.expectString('a SerDe class');
      if (r.acceptKeyword('WITH', 'SERDEPROPERTIES')) readProperties(r);
    } else if (r.acceptKeyword('LOCATION')) {
      once('LOCATION', at);
      ddl.location = r.expectString('a location');
      if (ddl.location.trim() === '') throw syntaxError('LOCATION must not be empty', at);
    } else if (r.acceptKeyword('TBLPROPERTIES')) {
      once('TBLPROPERTIES', at);
      Object.assign(ddl.properties, readProperties(r));
    } else {
      const unsupported = UNSUPPORTED.find((u) => r.isKeyword(...u.split(' ')));
      if (unsupported) throw syntaxError(`${unsupported} is not supported`, at);
      return;
    }
  }
}

/**
 * Parses one Hive `CREATE [EXTERNAL] TABLE` statement (the family used in ddl/).
 * Errors are AppError('DDL_SYNTAX') (or 'INVALID_NAME' for a name outside `[A-Za-z0-9_]`) with
 * `details.position` = {line, column}, both 1-based. Names are lower-cased; types are canonical
 * upper-case text (`INTEGER` -> `INT`, `DECIMAL` -> `DECIMAL(10,0)`).
 * @example parseHiveDdl("CREATE EXTERNAL TABLE t (a INT) STORED AS PARQUET LOCATION 's3://b/t'")
 */
export function parseHiveDdl(text: string): ParsedDdl {
  const r = new Reader(tokenize(text));
  r.expectKeyword('CREATE');
  const external = r.acceptKeyword('EXTERNAL');
  r.expectKeyword('TABLE');
  const ifNotExists = r.acceptKeyword('IF', 'NOT', 'EXISTS');
  let { name } = readName(r, 'table name');
  let database: string | undefined;
  if (r.acceptPunct('.')) {
    database = name;
    ({ name } = readName(r, 'table name'));
  }
  const ddl: ParsedDdl = { name, external, ifNotExists, columns: [], partitionKeys: [], properties: {} };
  if (database !== undefined) ddl.database = database;
  ddl.columns = strip(readColumns(r, 'column'));
  readClauses(r, ddl);
  r.acceptPunct(';');
  const end = r.peek();
  if (end.kind !== 'eof') throw syntaxError(`expected ${CLAUSES} or the end of the statement but found ${describe(end)}`, end);
  return ddl;
}

/**
 * Parses a type on its own (`bigint`, `decimal(10, 2)`, `array<struct<a:int>>`), e.g. from Glue or a
 * request body. Throws DDL_SYNTAX with a position inside `text`.
 */
export function parseHiveType(text: string): HiveType {
  const r = new Reader(tokenize(text));
  const type = readType(r);
  const end = r.peek();
  if (end.kind !== 'eof') throw syntaxError(`unexpected ${describe(end)} after the type`, end);
  return type;
}

/** Canonical text of a type (`decimal(10, 2)` -> `DECIMAL(10,2)`); throws DDL_SYNTAX for an invalid one. */
export function normalizeHiveType(text: string): string {
  return formatHiveType(parseHiveType(text));
}
