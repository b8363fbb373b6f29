import type { QueryColumn } from '../engines/engine.js';

/** Column types whose values the engines hand over as decimal strings, to be written as exact JSON numbers. */
const EXACT_NUMBER = /^(BIGINT|HUGEINT|UBIGINT|UHUGEINT|DECIMAL.*|bigint|decimal.*)$/;

/** Per column: how one value is written into JSON. Exact integers keep all their digits. */
export function jsonCellWriters(columns: QueryColumn[]): ((v: unknown) => string)[] {
  return columns.map((c) =>
    EXACT_NUMBER.test(c.type)
      ? (v) => (v === null || v === undefined ? 'null' : typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? v : JSON.stringify(v))
      : (v) => (v === undefined ? 'null' : JSON.stringify(v)),
  );
}

export function jsonRow(writers: ((v: unknown) => string)[], row: unknown[]): string {
  let out = '[';
  for (let i = 0; i < row.length; i++) out += (i ? ',' : '') + writers[i]!(row[i]);
  return out + ']';
}

/** An NDJSON line: one object per row, keyed by column name. */
export function ndjsonRow(columns: QueryColumn[], writers: ((v: unknown) => string)[], row: unknown[]): string {
  let out = '{';
  for (let i = 0; i < row.length; i++) out += (i ? ',' : '') + JSON.stringify(columns[i]!.name) + ':' + writers[i]!(row[i]);
  return out + '}\n';
}

/** RFC 4180 field: quoted when it holds a comma, quote or line break; NULL is an empty field. */
export function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(row: unknown[]): string {
  return row.map(csvField).join(',') + '\r\n';
}
