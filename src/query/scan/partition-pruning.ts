import { checkPartitionValue, HIVE_DEFAULT_PARTITION, type HiveType } from '../../catalog/ddl/hive-type.js';
import { parseHiveType } from '../../catalog/ddl/hive-ddl-parser.js';
import type { ColumnDef, PartitionDef } from '../../catalog/table-def.js';
import type { ColumnFilter, FilterValue } from '../../sql/index.js';

/** A partition value made comparable with a filter value of the key's type; `null` is SQL NULL. */
type Comparable = bigint | string | Buffer;

/** How one key type compares: its partition values and the filter values it can judge (others: undefined). */
interface KeyOrder {
  value(canonical: string): Comparable;
  literal(v: FilterValue): Comparable | undefined;
}

const INTEGER: KeyOrder = {
  value: (c) => BigInt(c),
  literal: (v) => (v.type === 'integer' ? BigInt(v.value) : undefined),
};
// Engines order strings by UTF-8 bytes (code points), which JavaScript's UTF-16 comparison is not.
const TEXT: KeyOrder = {
  value: (c) => Buffer.from(c, 'utf8'),
  literal: (v) => (v.type === 'string' ? Buffer.from(v.value, 'utf8') : undefined),
};
// YYYY-MM-DD texts order as the dates do; a string literal counts when it is such a date.
const DATE: KeyOrder = {
  value: (c) => c,
  literal: (v) => (v.type === 'date' || checkPartitionValue(DATE_TYPE, v.value).ok ? v.value : undefined),
};
const DATE_TYPE: HiveType = { kind: 'primitive', name: 'DATE', params: [] };

/** The order of a key type, when pruning on it is safe: integers, STRING/VARCHAR and DATE. CHAR pads, others are not judged. */
function keyOrder(t: HiveType): KeyOrder | undefined {
  if (t.kind !== 'primitive') return undefined;
  if (['TINYINT', 'SMALLINT', 'INT', 'BIGINT'].includes(t.name)) return INTEGER;
  if (t.name === 'STRING' || t.name === 'VARCHAR') return TEXT;
  return t.name === 'DATE' ? DATE : undefined;
}

function compare(a: Comparable, b: Comparable): number {
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return Buffer.compare(a, b);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A test on one key's canonical partition value (NULL fails every comparison). */
type ValueTest = (value: Comparable | null) => boolean;

function valueTest(f: ColumnFilter, order: KeyOrder): ValueTest | undefined {
  if (f.op === 'in') {
    const values = f.values.map((v) => order.literal(v));
    if (values.some((v) => v === undefined)) return undefined;
    return (x) => x !== null && values.some((v) => compare(x, v!) === 0);
  }
  const v = order.literal(f.value);
  if (v === undefined) return undefined;
  const holds = { '=': (c: number) => c === 0, '<': (c: number) => c < 0, '<=': (c: number) => c <= 0, '>': (c: number) => c > 0, '>=': (c: number) => c >= 0 }[f.op];
  return (x) => x !== null && holds(compare(x, v));
}

/**
 * The partitions whose key values satisfy every filter on a partition key. Filters on other columns,
 * and filters whose literal the key's type cannot be compared with exactly (a string against an INT
 * key, any filter on a DOUBLE or TIMESTAMP key), keep every partition: pruning is never a guess.
 * Hive's default partition holds NULL, which no comparison selects.
 */
export function prunePartitions<P extends PartitionDef>(keys: readonly ColumnDef[], partitions: readonly P[], filters: readonly ColumnFilter[]): P[] {
  const tests: Array<{ key: ColumnDef; type: HiveType; order: KeyOrder; test: ValueTest }> = [];
  for (const f of filters) {
    const key = keys.find((k) => k.name.toLowerCase() === f.column);
    if (!key) continue;
    const type = parseHiveType(key.type);
    const order = keyOrder(type);
    const test = order && valueTest(f, order);
    if (order && test) tests.push({ key, type, order, test });
  }
  if (tests.length === 0) return [...partitions];
  return partitions.filter((p) =>
    tests.every(({ key, type, order, test }) => {
      const raw = p.values[key.name] ?? '';
      if (raw === '' || raw === HIVE_DEFAULT_PARTITION) return test(null);
      const check = checkPartitionValue(type, raw);
      // A value that does not cast is not judged: the partition is kept.
      return !check.ok || test(order.value(check.canonical));
    }),
  );
}
