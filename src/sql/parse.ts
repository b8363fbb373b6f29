import nodeSqlParser from 'node-sql-parser';
import { AppError } from '../errors.js';
import { dialectFamily, parserDatabase, type SqlDialectName } from './dialect.js';
import { assertQueryShape, assertStatementSize } from './guards.js';
import { positionAt, tokenize, type Token } from './lexer.js';
import { rewriteDuckdbOperators, rewriteHiveOperators, type Rewrite } from './rewrite-operators.js';

/** A node of node-sql-parser's AST, read field by field (its published types are incomplete). */
export type AstNode = { readonly [key: string]: unknown };

/** Deeper ASTs (long `a + b + ...` chains) are refused rather than walked recursively. */
export const MAX_AST_DEPTH = 1000;

export interface ParsedSql {
  dialect: SqlDialectName;
  /** The single SELECT statement as node-sql-parser produced it. */
  ast: AstNode;
  tokens: Token[];
}

const parser = new nodeSqlParser.Parser();

/**
 * Parses one query in a source dialect. Refuses (SQL_NOT_ALLOWED) statements over 1 MB, nested more than
 * 100 parentheses deep, several statements, anything but SELECT/WITH, table functions and string paths
 * in FROM. Syntax errors are SQL_SYNTAX with `details.position` ({ line, column }, 1-based).
 *
 * @example parseSql('SELECT 1', 'hive').ast.type === 'select'
 */
export function parseSql(sql: string, dialect: SqlDialectName): ParsedSql {
  assertStatementSize(sql);
  const family = dialectFamily(dialect);
  const tokens = tokenize(sql, family);
  assertQueryShape(tokens, family === 'hive');
  const rewrite: Rewrite =
    family === 'hive' ? rewriteHiveOperators(sql, tokens) : dialect === 'duckdb' ? rewriteDuckdbOperators(sql, tokens) : { sql, originalOffset: (o) => o };
  const ast = runGrammar(rewrite, dialect, sql);
  assertAstDepth(ast);
  return { dialect, ast, tokens };
}

function runGrammar(rewrite: Rewrite, dialect: SqlDialectName, original: string): AstNode {
  let result: unknown;
  try {
    result = parser.astify(rewrite.sql, { database: parserDatabase(dialect) });
  } catch (err) {
    throw grammarError(err, (offset) => positionAt(original, rewrite.originalOffset(offset)));
  }
  const statements = Array.isArray(result) ? result : [result];
  const [first] = statements;
  if (statements.length !== 1 || !isNode(first)) {
    throw new AppError('SQL_NOT_ALLOWED', 'only one statement per request is allowed');
  }
  if (first.type !== 'select') {
    throw new AppError('SQL_NOT_ALLOWED', `only SELECT queries are allowed, not ${String(first.type).toUpperCase()}`);
  }
  return first;
}

function grammarError(err: unknown, toPosition: (offset: number) => { line: number; column: number }): AppError {
  if (err instanceof RangeError) {
    return new AppError('SQL_NOT_ALLOWED', 'statement is nested too deeply', { cause: err });
  }
  const message = err instanceof Error ? err.message : String(err);
  const location = isNode(err) && isNode(err.location) && isNode(err.location.start) ? err.location.start : undefined;
  const position = location && typeof location.offset === 'number' ? toPosition(location.offset) : undefined;
  return new AppError('SQL_SYNTAX', `syntax error: ${message}`, {
    cause: err,
    details: position ? { position } : {},
  });
}

/** Iterative walk, so a pathological AST cannot overflow the stack here. */
function assertAstDepth(root: AstNode): void {
  const stack: Array<[unknown, number]> = [[root, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (depth > MAX_AST_DEPTH) {
      throw new AppError('SQL_NOT_ALLOWED', `expression is nested more than ${MAX_AST_DEPTH} levels deep`);
    }
    if (Array.isArray(node)) {
      for (const child of node) stack.push([child, depth + 1]);
    } else if (isNode(node)) {
      for (const child of Object.values(node)) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
}

export function isNode(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
