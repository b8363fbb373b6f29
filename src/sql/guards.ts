import { AppError } from '../errors.js';
import type { Token } from './lexer.js';

/** Statements above this size are refused before any parsing. */
export const MAX_STATEMENT_BYTES = 1024 * 1024;
/** Parentheses (and so subqueries) may nest this deep. */
export const MAX_PAREN_DEPTH = 100;

/**
 * Name shapes of functions that read files, reach the network, the environment or engine internals.
 * Functions are allowed by an allow-list later; this deny-list only gives the right answer
 * (SQL_NOT_ALLOWED, not SQL_SYNTAX) for statements the grammar cannot even parse.
 */
const DENIED_FUNCTION = new RegExp(
  [
    '^read_',
    '^parquet_',
    '_scan$',
    '^glob$',
    '^sniff_csv$',
    '^query$',
    '^query_table$',
    '^pragma_',
    '^duckdb_',
    '^getenv$',
    '^current_setting$',
    '^set_config$',
    '^load_extension$',
    '^pg_',
    '^system$',
    '^reflect',
    '^java_method$',
    '^url_',
    '^http',
    '^iceberg_',
    '^delta_',
    '^sqlite_',
    '^file',
    '^input_file',
    '^__lakegate',
  ].join('|'),
  'i',
);

const SYSTEM_SCHEMAS = /^(information_schema|pg_catalog|sys|system|sqlite_master|sqlite_schema|temp|main|memory|mysql|performance_schema|duckdb_.*)$/i;

export function assertStatementSize(sql: string): void {
  if (sql.length > MAX_STATEMENT_BYTES || Buffer.byteLength(sql, 'utf8') > MAX_STATEMENT_BYTES) {
    throw new AppError('SQL_NOT_ALLOWED', `statement is larger than ${MAX_STATEMENT_BYTES} bytes`);
  }
}

/** True for names of system catalogs and engine-internal schemas or tables. */
export function isSystemName(name: string): boolean {
  return SYSTEM_SCHEMAS.test(name);
}

function isDeniedFunction(name: string): boolean {
  return DENIED_FUNCTION.test(name);
}

/**
 * Checks the token stream of one request: exactly one statement, starting with SELECT or WITH, no table
 * functions, no string literals or system catalogs in FROM, nesting within bounds.
 */
export function assertQueryShape(tokens: readonly Token[], hiveFamily: boolean): void {
  if (tokens.length === 0) throw new AppError('SQL_SYNTAX', 'empty statement');
  assertSingleStatement(tokens);
  assertStartsWithSelect(tokens);
  assertNesting(tokens);
  const insideCall = callContexts(tokens);
  tokens.forEach((token, i) => {
    const next = tokens[i + 1];
    if (token.kind === 'word' && next?.text === '(' && isDeniedFunction(token.text)) {
      notAllowed(`function ${token.text} is not allowed`, token);
    }
    const clauseKeyword = /^(from|join)$/i.test(token.text) && !/^distinct$/i.test(tokens[i - 1]?.text ?? '');
    if (token.kind === 'word' && clauseKeyword && !insideCall[i] && next) assertTableSource(tokens, i + 1);
    if (hiveFamily && token.kind === 'string' && next?.kind === 'string') {
      throw new AppError('SQL_UNTRANSLATABLE', 'adjacent string literals are not supported; use concat()', {
        details: { position: { line: next.line, column: next.column } },
      });
    }
  });
}

const NOT_A_CALL = /^(in|exists|from|join|as|on|where|and|or|not|select|union|all|with|over|filter|when|then|else|case|lateral|using|values|any|some|by|having|intersect|except|distinct)$/i;

/** For every token: whether its innermost enclosing parenthesis is a function call's (`extract(year FROM d)`). */
function callContexts(tokens: readonly Token[]): boolean[] {
  const stack: boolean[] = [];
  return tokens.map((t, i) => {
    if (t.text === '(') {
      const prev = tokens[i - 1];
      stack.push(prev !== undefined && (prev.kind === 'word' || prev.kind === 'ident') && !NOT_A_CALL.test(prev.text));
    } else if (t.text === ')') {
      stack.pop();
    }
    return stack[stack.length - 1] ?? false;
  });
}

function assertSingleStatement(tokens: readonly Token[]): void {
  const semicolon = tokens.findIndex((t) => t.text === ';');
  if (semicolon < 0) return;
  const rest = tokens.slice(semicolon + 1).filter((t) => t.text !== ';');
  if (rest.length > 0 || semicolon === 0) notAllowed('only one statement per request is allowed', tokens[semicolon]);
}

function assertStartsWithSelect(tokens: readonly Token[]): void {
  const first = tokens.find((t) => t.text !== '(');
  if (!first || first.kind !== 'word' || !/^(select|with)$/i.test(first.text)) {
    notAllowed(`only SELECT queries are allowed, not ${first ? first.text.toUpperCase() : 'this statement'}`, first);
  }
}

function assertNesting(tokens: readonly Token[]): void {
  let depth = 0;
  for (const t of tokens) {
    if (t.text === '(') depth++;
    if (t.text === ')') depth--;
    if (depth > MAX_PAREN_DEPTH) notAllowed(`statement is nested more than ${MAX_PAREN_DEPTH} levels deep`, t);
  }
}

/** What follows FROM or JOIN: a name (possibly qualified) or a subquery, never a call, string or system table. */
function assertTableSource(tokens: readonly Token[], at: number): void {
  const first = tokens[at];
  if (!first) return;
  if (first.kind === 'string' && first.text.startsWith("'")) {
    notAllowed('string literals and file paths cannot be used as tables', first);
  }
  let i = at;
  while (tokens[i]?.kind === 'word' || tokens[i]?.kind === 'ident' || tokens[i]?.kind === 'string') {
    const name = unquote(tokens[i]?.text ?? '');
    if (isSystemName(name)) notAllowed(`system catalog ${name} is not allowed`, tokens[i]);
    if (/[/\\:]|\.(parquet|csv|json|txt|tsv|orc|avro|gz|zst)$/i.test(name)) notAllowed('file paths cannot be used as tables', tokens[i]);
    // UNNEST is a FROM construct of its own (Trino); the parser refuses it where the source dialect lacks it.
    if (tokens[i + 1]?.text === '(' && !/^unnest$/i.test(name)) notAllowed(`table function ${name} is not allowed`, tokens[i]);
    if (tokens[i + 1]?.text !== '.') break;
    i += 2;
  }
}

function unquote(text: string): string {
  const q = text[0];
  return q === '`' || q === '"' || q === "'" ? text.slice(1, -1) : text;
}

function notAllowed(message: string, token: Token | undefined): never {
  throw new AppError('SQL_NOT_ALLOWED', message, {
    details: token ? { position: { line: token.line, column: token.column } } : {},
  });
}
