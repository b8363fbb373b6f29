import type { Token } from './lexer.js';

/** The function the integer-division rewrite wraps the right operand in; refused in user SQL. */
export const DIV_MARKER = '__lakegate_div';
/** The functions `x NULLS FIRST` / `x NULLS LAST` become for the Hive grammar (which lacks them). */
export const NULLS_MARKERS = { FIRST: '__lakegate_nulls_first', LAST: '__lakegate_nulls_last' } as const;

export interface Rewrite {
  sql: string;
  /** Maps an offset in the rewritten text back to the original text. */
  originalOffset(offset: number): number;
}

interface Edit {
  at: number;
  remove: number;
  insert: string;
}

/**
 * node-sql-parser's Hive grammar knows neither `a DIV b` nor `a REGEXP b`. Both are rewritten before
 * parsing into forms it knows and that lowering recognises: `a / __lakegate_div(b)` (the wrapped right
 * operand keeps `/`'s precedence and associativity, which DIV shares) and `a RLIKE b` (a synonym).
 */
export function rewriteHiveOperators(sql: string, tokens: readonly Token[]): Rewrite {
  const extra = [...nullsOrderingEdits(tokens), ...typedNumberEdits(tokens)];
  return rewriteIntegerDivision(
    sql,
    tokens,
    (t) => t.kind === 'word' && t.text.toUpperCase() === 'DIV',
    [(t) => (t.kind === 'word' && t.text.toUpperCase() === 'REGEXP' ? 'RLIKE' : undefined)],
    extra,
  );
}

/**
 * `ORDER BY x [ASC|DESC] NULLS FIRST` -> `ORDER BY __lakegate_nulls_first(x) [ASC|DESC]`: the ordering
 * item is found backwards from NULLS to the `,` or `BY` that starts it at the same nesting depth.
 */
function nullsOrderingEdits(tokens: readonly Token[]): Edit[] {
  const edits: Edit[] = [];
  tokens.forEach((t, i) => {
    const which = tokens[i + 1]?.text.toUpperCase();
    if (t.kind !== 'word' || t.text.toUpperCase() !== 'NULLS' || (which !== 'FIRST' && which !== 'LAST')) return;
    const next = tokens[i + 1] as Token;
    let end = i - 1;
    if (/^(ASC|DESC)$/i.test(tokens[end]?.text ?? '')) end--;
    const start = orderItemStart(tokens, end);
    const first = tokens[start];
    const last = tokens[end];
    if (start > end || !first || !last) return;
    edits.push({ at: first.offset, remove: 0, insert: `${NULLS_MARKERS[which]}(` });
    edits.push({ at: last.offset + last.text.length, remove: 0, insert: ')' });
    edits.push({ at: t.offset, remove: next.offset + next.text.length - t.offset, insert: '' });
  });
  return edits;
}

const SUFFIX_TYPES: Readonly<Record<string, string>> = { L: 'BIGINT', S: 'SMALLINT', Y: 'TINYINT', D: 'DOUBLE', F: 'FLOAT' };

/** Hive/Spark typed literals (`10L`, `1.5D`, `1.50BD`) become the CASTs they mean. */
function typedNumberEdits(tokens: readonly Token[]): Edit[] {
  const edits: Edit[] = [];
  for (const t of tokens) {
    const m = t.kind === 'number' ? /^([0-9.eE+-]+?)(BD|[LSYDF])$/i.exec(t.text) : null;
    if (!m?.[1] || !m[2]) continue;
    const [digits, suffix] = [m[1], m[2].toUpperCase()];
    const fraction = digits.includes('.') ? (digits.split('.')[1] ?? '').length : 0;
    const precision = Math.max(digits.replace(/[^0-9]/g, '').replace(/^0+(?=\d)/, '').length, fraction, 1);
    const type = suffix === 'BD' ? `DECIMAL(${precision}, ${fraction})` : SUFFIX_TYPES[suffix];
    edits.push({ at: t.offset, remove: t.text.length, insert: `CAST(${digits} AS ${type})` });
  }
  return edits;
}

function orderItemStart(tokens: readonly Token[], end: number): number {
  let depth = 0;
  for (let j = end; j >= 0; j--) {
    const text = tokens[j]?.text.toUpperCase();
    if (text === ')') depth++;
    else if (text === '(') {
      if (depth === 0) return j + 1;
      depth--;
    } else if (depth === 0 && (text === ',' || text === 'BY')) return j + 1;
  }
  return 0;
}

/** DuckDB's `//` (integer division) is unknown to the grammar used for it; same rewrite as DIV. */
export function rewriteDuckdbOperators(sql: string, tokens: readonly Token[]): Rewrite {
  return rewriteIntegerDivision(sql, tokens, (t) => t.kind === 'op' && t.text === '//', []);
}

function rewriteIntegerDivision(
  sql: string,
  tokens: readonly Token[],
  isIntDiv: (t: Token) => boolean,
  synonyms: Array<(t: Token) => string | undefined>,
  extra: Edit[] = [],
): Rewrite {
  const edits: Edit[] = [...extra];
  tokens.forEach((t, i) => {
    for (const synonym of synonyms) {
      const replacement = synonym(t);
      if (replacement && isOperandEnd(tokens[i - 1])) edits.push({ at: t.offset, remove: t.text.length, insert: replacement });
    }
    if (!isIntDiv(t) || !isOperandEnd(tokens[i - 1])) return;
    const end = operandEnd(tokens, i + 1);
    const last = end === undefined ? undefined : tokens[end];
    const firstOfOperand = tokens[i + 1];
    if (!last || !firstOfOperand) return;
    edits.push({ at: t.offset, remove: t.text.length, insert: '/' });
    edits.push({ at: firstOfOperand.offset, remove: 0, insert: `${DIV_MARKER}(` });
    edits.push({ at: last.offset + last.text.length, remove: 0, insert: ')' });
  });
  return applyEdits(sql, edits);
}

function applyEdits(sql: string, edits: Edit[]): Rewrite {
  if (edits.length === 0) return { sql, originalOffset: (o) => o };
  const sorted = [...edits].sort((a, b) => a.at - b.at);
  let out = '';
  let cursor = 0;
  const marks: Array<{ newAt: number; delta: number }> = [];
  let delta = 0;
  for (const e of sorted) {
    out += sql.slice(cursor, e.at);
    out += e.insert;
    cursor = e.at + e.remove;
    delta += e.insert.length - e.remove;
    marks.push({ newAt: out.length, delta });
  }
  out += sql.slice(cursor);
  return {
    sql: out,
    originalOffset(offset) {
      let d = 0;
      for (const m of marks) if (m.newAt <= offset) d = m.delta;
      return Math.max(0, offset - d);
    },
  };
}

function isOperandEnd(t: Token | undefined): boolean {
  if (!t) return false;
  if (t.kind === 'number' || t.kind === 'string' || t.kind === 'ident' || t.text === ')' || t.text === ']') return true;
  return t.kind === 'word' && !/^(select|where|and|or|not|on|by|when|then|else|case|having|div|regexp|in|is|like|rlike)$/i.test(t.text);
}

/** Index of the last token of the unary-level operand starting at `i`, or undefined. */
function operandEnd(tokens: readonly Token[], start: number): number | undefined {
  let i = start;
  while (tokens[i]?.kind === 'op' && ['-', '+', '~'].includes(tokens[i]?.text ?? '')) i++;
  const t = tokens[i];
  if (!t) return undefined;
  let end: number | undefined;
  if (t.text === '(') end = matching(tokens, i, '(', ')');
  else if (t.kind === 'number' || t.kind === 'string' || t.kind === 'param') end = i;
  else if (t.kind === 'word' && /^case$/i.test(t.text)) end = matching(tokens, i, 'CASE', 'END');
  else if (t.kind === 'word' && /^(date|timestamp)$/i.test(t.text) && tokens[i + 1]?.kind === 'string') end = i + 1;
  else if (t.kind === 'word' || t.kind === 'ident') end = nameOrCallEnd(tokens, i);
  while (end !== undefined && tokens[end + 1]?.text === '[') end = matching(tokens, end + 1, '[', ']');
  return end;
}

function nameOrCallEnd(tokens: readonly Token[], start: number): number | undefined {
  let i = start;
  while (tokens[i + 1]?.text === '.' && (tokens[i + 2]?.kind === 'word' || tokens[i + 2]?.kind === 'ident')) i += 2;
  if (tokens[i + 1]?.text !== '(') return i;
  let end = matching(tokens, i + 1, '(', ')');
  if (end !== undefined && /^over$/i.test(tokens[end + 1]?.text ?? '') && tokens[end + 2]?.text === '(') {
    end = matching(tokens, end + 2, '(', ')');
  }
  return end;
}

function matching(tokens: readonly Token[], start: number, open: string, close: string): number | undefined {
  let depth = 0;
  for (let i = start; i < tokens.length; i++) {
    const text = tokens[i]?.text.toUpperCase();
    if (text === open) depth++;
    else if (text === close) depth--;
    if (depth === 0) return i;
  }
  return undefined;
}
