import type { QueryColumn } from '../engine.js';
import { parseExactJson } from '../exact-json.js';
import { trimFraction } from '../temporal-text.js';

/**
 * HiveServer2 result columns as they arrive on the wire (TRowSet.columns, protocol V6+), before any
 * conversion: hive-driver's own conversion turns BIGINT beyond 2^53 into Infinity and rounds DECIMAL,
 * so the engine reads these instead.
 */
interface WireValues<T> {
  values: T[];
  /** Bit i (least significant first) set: row i is NULL. Empty when no row is. */
  nulls: Buffer;
}

/** thrift's node-int64: eight big-endian bytes of a two's-complement integer. */
interface WireInt64 {
  buffer: Buffer;
  offset: number;
}

export interface WireColumn {
  boolVal?: WireValues<boolean> | null;
  byteVal?: WireValues<number> | null;
  i16Val?: WireValues<number> | null;
  i32Val?: WireValues<number> | null;
  i64Val?: WireValues<WireInt64> | null;
  doubleVal?: WireValues<number> | null;
  stringVal?: WireValues<string> | null;
  binaryVal?: WireValues<Buffer> | null;
}

export interface WireRowSet {
  columns?: WireColumn[] | null;
}

interface WirePrimitive {
  type: number;
  typeQualifiers?: { qualifiers?: Record<string, { i32Value?: number | null } | undefined> | null } | null;
}

export interface WireColumnDesc {
  columnName: string;
  typeDesc: { types: Array<{ primitiveEntry?: WirePrimitive | null }> };
}

/** TTypeId (TCLIService.thrift) -> the type name reported in QueryColumn.type. */
const TYPE_NAMES: Record<number, string> = {
  0: 'BOOLEAN',
  1: 'TINYINT',
  2: 'SMALLINT',
  3: 'INT',
  4: 'BIGINT',
  5: 'FLOAT',
  6: 'DOUBLE',
  7: 'STRING',
  8: 'TIMESTAMP',
  9: 'BINARY',
  10: 'ARRAY',
  11: 'MAP',
  12: 'STRUCT',
  13: 'UNIONTYPE',
  14: 'USER_DEFINED',
  15: 'DECIMAL',
  16: 'NULL',
  17: 'DATE',
  18: 'VARCHAR',
  19: 'CHAR',
  20: 'INTERVAL_YEAR_MONTH',
  21: 'INTERVAL_DAY_TIME',
  22: 'TIMESTAMP WITH LOCAL TIME ZONE',
};
const TIMESTAMP = 8;
const TIMESTAMP_LTZ = 22;
/** ARRAY, MAP, STRUCT: sent as JSON text (nested types are not described on the wire). */
const COMPLEX = new Set([10, 11, 12]);

/** A complex value as JSON (integers of 16+ digits kept exact as text); text that is not JSON stays text. */
function complexValue(s: string): unknown {
  try {
    return parseExactJson(s);
  } catch {
    return s;
  }
}

/** Name and type of each result column, with DECIMAL(p,s) and VARCHAR(n) qualifiers. */
export function columnsOf(desc: readonly WireColumnDesc[]): QueryColumn[] {
  return desc.map((c) => {
    const p = c.typeDesc.types[0]?.primitiveEntry;
    if (!p) return { name: c.columnName, type: 'STRING' };
    const name = TYPE_NAMES[p.type] ?? 'STRING';
    const q = p.typeQualifiers?.qualifiers ?? {};
    if (name === 'DECIMAL' && q.precision?.i32Value != null) return { name: c.columnName, type: `DECIMAL(${q.precision.i32Value},${q.scale?.i32Value ?? 0})` };
    const length = q.characterMaximumLength?.i32Value;
    return { name: c.columnName, type: length != null && (name === 'VARCHAR' || name === 'CHAR') ? `${name}(${length})` : name };
  });
}

/** The type ids of the columns, for conversions that depend on more than the wire field (timestamps). */
export function typeIdsOf(desc: readonly WireColumnDesc[]): number[] {
  return desc.map((c) => c.typeDesc.types[0]?.primitiveEntry?.type ?? 7);
}

const isNull = (nulls: Buffer, i: number): boolean => (i >> 3) < nulls.length && (nulls[i >> 3]! & (1 << (i & 7))) !== 0;

/** The JSON values of one wire column: BIGINT as exact decimal text, NULLs from the bitmap. */
function valuesOf(col: WireColumn, typeId: number): unknown[] {
  const pick = <T>(w: WireValues<T>, f: (v: T) => unknown): unknown[] => w.values.map((v, i) => (isNull(w.nulls, i) ? null : f(v)));
  if (col.i64Val) return pick(col.i64Val, (v) => v.buffer.readBigInt64BE(v.offset).toString());
  if (col.stringVal) return pick(col.stringVal, typeId === TIMESTAMP || typeId === TIMESTAMP_LTZ ? trimFraction : COMPLEX.has(typeId) ? complexValue : (v) => v);
  if (col.boolVal) return pick(col.boolVal, (v) => v);
  if (col.doubleVal) return pick(col.doubleVal, (v) => v);
  if (col.i32Val) return pick(col.i32Val, (v) => v);
  if (col.i16Val) return pick(col.i16Val, (v) => v);
  if (col.byteVal) return pick(col.byteVal, (v) => v);
  // BINARY has no JSON form: base64 text.
  if (col.binaryVal) return pick(col.binaryVal, (v) => Buffer.from(v).toString('base64'));
  return [];
}

/** Rows (in column order) of one fetched TRowSet. */
export function rowsOf(rowSet: WireRowSet | null | undefined, typeIds: readonly number[]): unknown[][] {
  const cols = (rowSet?.columns ?? []).map((c, i) => valuesOf(c, typeIds[i] ?? 7));
  // Every column holds the page's rows; the longest is taken so that one unreadable column cannot hide them.
  const count = Math.max(0, ...cols.map((c) => c.length));
  const rows: unknown[][] = new Array(count);
  for (let r = 0; r < count; r++) rows[r] = cols.map((c) => c[r]);
  return rows;
}
