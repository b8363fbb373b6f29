import type { SchemaElement, SchemaTree } from 'hyparquet';
import { formatHiveType, type HiveType, type PrimitiveName } from '../ddl/hive-type.js';

const prim = (name: PrimitiveName, params: number[] = []): HiveType => ({ kind: 'primitive', name, params });

function integerType(bitWidth: number, signed: boolean): HiveType {
  if (signed) return prim(bitWidth <= 8 ? 'TINYINT' : bitWidth <= 16 ? 'SMALLINT' : bitWidth <= 32 ? 'INT' : 'BIGINT');
  // Unsigned values need the next wider signed type; UINT64 only fits a DECIMAL.
  return bitWidth <= 8 ? prim('SMALLINT') : bitWidth <= 16 ? prim('INT') : bitWidth <= 32 ? prim('BIGINT') : prim('DECIMAL', [20, 0]);
}

const CONVERTED_INTS: Record<string, [number, boolean]> = {
  INT_8: [8, true], INT_16: [16, true], INT_32: [32, true], INT_64: [64, true],
  UINT_8: [8, false], UINT_16: [16, false], UINT_32: [32, false], UINT_64: [64, false],
};

/**
 * The Hive type of a primitive Parquet column, from its physical type and its logical (or legacy
 * converted) annotation: INT64 -> BIGINT, INT32 DATE -> DATE, INT64 TIMESTAMP(MILLIS|MICROS|NANOS) and
 * INT96 -> TIMESTAMP, BYTE_ARRAY STRING/UTF8/ENUM/JSON -> STRING, DECIMAL -> DECIMAL(p,s), other
 * BYTE_ARRAY -> BINARY. TIME has no Hive type and maps to its integer storage.
 */
export function parquetPrimitiveToHive(el: SchemaElement): HiveType {
  const logical = el.logical_type;
  const converted = el.converted_type;
  if (logical?.type === 'DECIMAL') return prim('DECIMAL', [logical.precision, logical.scale]);
  if (converted === 'DECIMAL') return prim('DECIMAL', [el.precision ?? 10, el.scale ?? 0]);
  if (logical?.type === 'TIMESTAMP' || converted === 'TIMESTAMP_MILLIS' || converted === 'TIMESTAMP_MICROS') return prim('TIMESTAMP');
  if (logical?.type === 'DATE' || converted === 'DATE') return prim('DATE');
  if (logical?.type === 'INTEGER') return integerType(logical.bitWidth, logical.isSigned);
  const conv = converted ? CONVERTED_INTS[converted] : undefined;
  if (conv) return integerType(conv[0], conv[1]);
  switch (el.type) {
    case 'BOOLEAN':
      return prim('BOOLEAN');
    case 'INT32':
      return prim('INT');
    case 'INT64':
      return prim('BIGINT');
    case 'INT96':
      return prim('TIMESTAMP');
    case 'FLOAT':
      return prim('FLOAT');
    case 'DOUBLE':
      return prim('DOUBLE');
    case 'FIXED_LEN_BYTE_ARRAY':
      if (logical?.type === 'UUID') return prim('STRING');
      if (logical?.type === 'FLOAT16') return prim('FLOAT');
      return prim('BINARY');
    default: {
      const textual = ['STRING', 'ENUM', 'JSON'].includes(logical?.type ?? '') || ['UTF8', 'ENUM', 'JSON'].includes(converted ?? '');
      return prim(textual ? 'STRING' : 'BINARY');
    }
  }
}

const annotation = (el: SchemaElement): string => el.logical_type?.type ?? el.converted_type ?? '';

/** The Hive type of a schema node, nested types included (LIST -> ARRAY, MAP -> MAP, groups -> STRUCT). */
export function parquetNodeToHive(node: SchemaTree): HiveType {
  const el = node.element;
  if (node.children.length === 0) {
    const t = parquetPrimitiveToHive(el);
    return el.repetition_type === 'REPEATED' ? { kind: 'array', element: t } : t;
  }
  const kind = annotation(el);
  if (kind === 'LIST' && node.children.length === 1) {
    const rep = node.children[0]!;
    // Three-level lists wrap the element in a one-field repeated group; the legacy two-level forms
    // (`array`, `<name>_tuple`, or several fields) make the repeated group itself the element.
    const legacy = rep.children.length !== 1 || rep.element.name === 'array' || rep.element.name === `${el.name}_tuple`;
    const element = rep.children.length === 0 ? parquetPrimitiveToHive(rep.element) : legacy ? structOf(rep) : parquetNodeToHive(rep.children[0]!);
    return { kind: 'array', element };
  }
  if ((kind === 'MAP' || kind === 'MAP_KEY_VALUE') && node.children.length === 1 && node.children[0]!.children.length === 2) {
    const [key, value] = node.children[0]!.children as [SchemaTree, SchemaTree];
    return { kind: 'map', key: parquetNodeToHive(key), value: parquetNodeToHive(value) };
  }
  const struct = structOf(node);
  return el.repetition_type === 'REPEATED' ? { kind: 'array', element: struct } : struct;
}

function structOf(node: SchemaTree): HiveType {
  return { kind: 'struct', fields: node.children.map((c) => ({ name: c.element.name.toLowerCase(), type: parquetNodeToHive(c) })) };
}

/** Top-level columns of a file: lower-cased names and canonical Hive type text. */
export function parquetColumns(schema: SchemaTree): { name: string; type: string }[] {
  return schema.children.map((c) => ({ name: c.element.name.toLowerCase(), type: formatHiveType(parquetNodeToHive(c)) }));
}
