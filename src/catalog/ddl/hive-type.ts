/**
 * Hive column types as a small tree, their canonical text, and the checks partition values need.
 * Pure: no I/O. Parsing type text lives in hive-ddl-parser.ts (it shares the tokenizer).
 */

export type PrimitiveName =
  | 'TINYINT' | 'SMALLINT' | 'INT' | 'BIGINT' | 'FLOAT' | 'DOUBLE' | 'DECIMAL'
  | 'STRING' | 'VARCHAR' | 'CHAR' | 'BOOLEAN' | 'DATE' | 'TIMESTAMP' | 'BINARY';

export type HiveType =
  | { kind: 'primitive'; name: PrimitiveName; params: number[] }
  | { kind: 'array'; element: HiveType }
  | { kind: 'map'; key: HiveType; value: HiveType }
  | { kind: 'struct'; fields: { name: string; type: HiveType }[] };

/** Aliases Hive accepts, folded onto one canonical name. */
export const PRIMITIVE_ALIASES: Record<string, PrimitiveName> = {
  TINYINT: 'TINYINT', SMALLINT: 'SMALLINT', INT: 'INT', INTEGER: 'INT', BIGINT: 'BIGINT',
  FLOAT: 'FLOAT', REAL: 'FLOAT', DOUBLE: 'DOUBLE', DECIMAL: 'DECIMAL', DEC: 'DECIMAL', NUMERIC: 'DECIMAL',
  STRING: 'STRING', VARCHAR: 'VARCHAR', CHAR: 'CHAR', BOOLEAN: 'BOOLEAN', DATE: 'DATE',
  TIMESTAMP: 'TIMESTAMP', BINARY: 'BINARY',
};

/** Canonical text: `DECIMAL(10,2)`, `ARRAY<STRING>`, `STRUCT<a:INT,b:MAP<STRING,BIGINT>>` (field names as given). */
export function formatHiveType(t: HiveType): string {
  switch (t.kind) {
    case 'primitive':
      return t.params.length ? `${t.name}(${t.params.join(',')})` : t.name;
    case 'array':
      return `ARRAY<${formatHiveType(t.element)}>`;
    case 'map':
      return `MAP<${formatHiveType(t.key)},${formatHiveType(t.value)}>`;
    case 'struct':
      return `STRUCT<${t.fields.map((f) => `${f.name}:${formatHiveType(f.type)}`).join(',')}>`;
  }
}

/** Renders a type tree with a per-primitive mapping (dialects use it: STRING -> VARCHAR, ...). */
export function mapHiveType(
  t: HiveType,
  primitive: (p: Extract<HiveType, { kind: 'primitive' }>) => string,
  shape: { array: (e: string) => string; map: (k: string, v: string) => string; struct: (fields: [string, string][]) => string },
): string {
  switch (t.kind) {
    case 'primitive':
      return primitive(t);
    case 'array':
      return shape.array(mapHiveType(t.element, primitive, shape));
    case 'map':
      return shape.map(mapHiveType(t.key, primitive, shape), mapHiveType(t.value, primitive, shape));
    case 'struct':
      return shape.struct(t.fields.map((f) => [f.name, mapHiveType(f.type, primitive, shape)]));
  }
}

/** Hive's marker for a NULL partition value. */
export const HIVE_DEFAULT_PARTITION = '__HIVE_DEFAULT_PARTITION__';

const INT_RANGES: Partial<Record<PrimitiveName, bigint>> = {
  TINYINT: 2n ** 7n, SMALLINT: 2n ** 15n, INT: 2n ** 31n, BIGINT: 2n ** 63n,
};

function validDate(y: number, m: number, d: number): boolean {
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

export type ValueCheck = { ok: true; canonical: string } | { ok: false; reason: string };

/**
 * Whether `raw` (an unescaped partition value) casts to the primitive type, and its canonical text
 * (so that `01` and `1` compare equal for an INT key). `__HIVE_DEFAULT_PARTITION__` fits every type.
 */
export function checkPartitionValue(t: HiveType, raw: string): ValueCheck {
  if (raw === HIVE_DEFAULT_PARTITION) return { ok: true, canonical: raw };
  if (t.kind !== 'primitive') return { ok: false, reason: `partition keys must have a primitive type, not ${formatHiveType(t)}` };
  const bad = (): ValueCheck => ({ ok: false, reason: `'${raw}' is not a valid ${formatHiveType(t)}` });
  const range = INT_RANGES[t.name];
  if (range !== undefined) {
    if (!/^[+-]?\d{1,20}$/.test(raw)) return bad();
    const n = BigInt(raw);
    return n < -range || n >= range ? bad() : { ok: true, canonical: n.toString() };
  }
  switch (t.name) {
    case 'FLOAT':
    case 'DOUBLE': {
      if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw)) return bad();
      const n = Number(raw);
      return Number.isFinite(n) ? { ok: true, canonical: String(n) } : bad();
    }
    case 'DECIMAL': {
      const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(raw);
      if (!m || (m[2] === '' && (m[3] ?? '') === '')) return bad();
      const [precision = 10, scale = 0] = t.params;
      const intDigits = m[2]!.replace(/^0+/, '');
      const frac = (m[3] ?? '').replace(/0+$/, '');
      if (intDigits.length > precision - scale || frac.length > scale) return bad();
      const sign = m[1] === '-' && (intDigits !== '' || frac !== '') ? '-' : '';
      return { ok: true, canonical: `${sign}${intDigits || '0'}${frac ? `.${frac}` : ''}` };
    }
    case 'BOOLEAN':
      return /^(true|false)$/i.test(raw) ? { ok: true, canonical: raw.toLowerCase() } : bad();
    case 'DATE': {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
      return m && validDate(+m[1]!, +m[2]!, +m[3]!) ? { ok: true, canonical: raw } : bad();
    }
    case 'TIMESTAMP': {
      const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?$/.exec(raw);
      if (!m || !validDate(+m[1]!, +m[2]!, +m[3]!) || +m[4]! > 23 || +m[5]! > 59 || +m[6]! > 59) return bad();
      return { ok: true, canonical: raw.replace('T', ' ') };
    }
    case 'VARCHAR':
    case 'CHAR': {
      const max = t.params[0];
      return max !== undefined && [...raw].length > max ? bad() : { ok: true, canonical: raw };
    }
    default:
      return { ok: true, canonical: raw };
  }
}

/** Whether values of this type are written without quotes in SQL (partition specs, DuckDB hive_types). */
export function isNumericType(t: HiveType): boolean {
  return t.kind === 'primitive' && ['TINYINT', 'SMALLINT', 'INT', 'BIGINT', 'FLOAT', 'DOUBLE', 'DECIMAL'].includes(t.name);
}

/** Loosens a type for schema comparison: VARCHAR(n)/CHAR(n) read as STRING from Parquet. */
export function comparableType(t: HiveType): string {
  return mapHiveType(
    t,
    (p) => (p.name === 'VARCHAR' || p.name === 'CHAR' ? 'STRING' : formatHiveType(p)),
    { array: (e) => `ARRAY<${e}>`, map: (k, v) => `MAP<${k},${v}>`, struct: (f) => `STRUCT<${f.map(([n, x]) => `${n.toLowerCase()}:${x}`).join(',')}>` },
  );
}
