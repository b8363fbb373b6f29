import type { SparkValue } from '../../support/spark-sql.js';

/**
 * Engine-neutral values for comparing query results: numbers keep whether they are exact integers,
 * dates and timestamps become their ISO text, lists stay lists.
 */
export type Canon = null | boolean | string | { num: number; int?: bigint } | Canon[];

const exactInt = (text: string): Canon => ({ num: Number(text), int: BigInt(text) });

const floatOf = (v: number | string): Canon => ({ num: typeof v === 'number' ? v : Number(v) });

/** Timestamp text without a zero fraction, `T` or zone: `2024-01-05 10:00:00[.5]`. */
function tsText(text: string): string {
  const [date, time = '00:00:00'] = text.replace('T', ' ').split(' ');
  const [hms, frac] = time.split('.');
  const f = (frac ?? '').replace(/0+$/, '');
  return `${date} ${hms}${f ? `.${f}` : ''}`;
}

export function fromSpark(v: SparkValue): Canon {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(fromSpark);
  if ('int' in v) return exactInt(v.int);
  if ('dec' in v) return { num: Number(v.dec) };
  if ('float' in v) return floatOf(v.float);
  if ('date' in v) return v.date;
  if ('ts' in v) return tsText(v.ts);
  return JSON.stringify(v);
}

/** DuckDB's getRowsJson() values, read with the column's type name (`BIGINT`, `DECIMAL(10,2)`, `VARCHAR[]`). */
export function fromDuck(v: unknown, type: string): Canon {
  if (v === null || v === undefined) return null;
  if (type.endsWith('[]')) return (v as unknown[]).map((x) => fromDuck(x, type.slice(0, -2)));
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT)$/.test(type)) return exactInt(String(v));
  if (/^(DOUBLE|FLOAT|DECIMAL)/.test(type)) return floatOf(v as number | string);
  if (type === 'TIMESTAMP' || type.startsWith('TIMESTAMP')) return tsText(String(v));
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  return JSON.stringify(v);
}

/**
 * Trino REST values (see trino-server.ts), read with the column's type text (`bigint`, `decimal(10, 2)`,
 * `array(varchar)`): integers arrive as numbers or, beyond 15 digits, as text; DECIMAL and temporal values as text.
 */
export function fromTrino(v: unknown, type: string): Canon {
  if (v === null || v === undefined) return null;
  const array = /^array\((.*)\)$/.exec(type);
  if (array) return (v as unknown[]).map((x) => fromTrino(x, array[1] ?? ''));
  if (/^(tinyint|smallint|integer|bigint)$/.test(type)) return exactInt(String(v));
  if (/^(double|real|decimal)/.test(type)) return floatOf(v as number | string);
  if (type.startsWith('timestamp')) return tsText(String(v));
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  return JSON.stringify(v);
}

function isNum(c: Canon): c is { num: number; int?: bigint } {
  return typeof c === 'object' && c !== null && !Array.isArray(c);
}

export function sameValue(a: Canon, b: Canon, relTol: number): boolean {
  if (isNum(a) && isNum(b)) {
    if (a.int !== undefined && b.int !== undefined && relTol <= 1e-9) return a.int === b.int;
    if (Number.isNaN(a.num) && Number.isNaN(b.num)) return true;
    if (a.num === b.num) return true;
    const scale = Math.max(Math.abs(a.num), Math.abs(b.num));
    return Math.abs(a.num - b.num) <= Math.max(relTol * scale, 1e-12);
  }
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i] as Canon, relTol));
  return a === b;
}

/** A sort key that is stable under the last-digit noise of floating sums. */
function key(row: Canon[]): string {
  const k = (c: Canon): unknown => (isNum(c) ? Number(c.num.toPrecision(8)) : Array.isArray(c) ? c.map(k) : c);
  return JSON.stringify(row.map(k));
}

export interface CompareOptions {
  ordered: boolean;
  relTol: number;
}

/** Undefined when equal; otherwise a short description of the first difference. */
export function compareRows(expected: Canon[][], actual: Canon[][], options: CompareOptions): string | undefined {
  if (expected.length !== actual.length) return `row count ${actual.length}, expected ${expected.length}`;
  const sort = (rows: Canon[][]): Canon[][] => (options.ordered ? rows : [...rows].sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0)));
  const [e, a] = [sort(expected), sort(actual)];
  for (let i = 0; i < e.length; i++) {
    const [er, ar] = [e[i] as Canon[], a[i] as Canon[]];
    if (er.length !== ar.length) return `row ${i}: ${ar.length} columns, expected ${er.length}`;
    for (let j = 0; j < er.length; j++) {
      if (!sameValue(er[j] as Canon, ar[j] as Canon, options.relTol)) {
        return `row ${i} column ${j}: ${show(ar[j] as Canon)}, expected ${show(er[j] as Canon)} (rows ${key(ar)} vs ${key(er)})`;
      }
    }
  }
  return undefined;
}

function show(c: Canon): string {
  return JSON.stringify(c, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}
