import type { SqlDialectName } from '../dialect.js';
import type { IntervalUnit } from '../ir.js';
import { p } from './helpers.js';
import type { Arg } from './sql-dialect.js';

/**
 * How each target spells the query structures that are not functions: lateral unnesting, SEMI/ANTI
 * joins, grouping sets, QUALIFY, `* EXCLUDE`, null-safe equality, TRY_CAST, constructors. Data per
 * target, read by the renderer; `null` means the target has no faithful spelling and the renderer
 * either rewrites the construct (EXISTS for SEMI joins, a derived table for QUALIFY, expanded columns
 * for EXCLUDE) or refuses it naming the construct and the target.
 */
export interface StructureSyntax {
  /** `LATERAL VIEW explode` (Hive, Spark), `CROSS JOIN UNNEST` (Trino), lateral `unnest()` subqueries (DuckDB). */
  readonly unnest: 'lateral_view' | 'unnest' | 'duckdb' | null;
  readonly semiJoin: string | null;
  readonly antiJoin: string | null;
  readonly qualify: boolean;
  readonly starExclude: boolean;
  /** `GROUP BY a, b GROUPING SETS (...)` (Hive) or `GROUP BY GROUPING SETS (...)`. */
  readonly groupingSets: 'hive' | 'standard' | null;
  /** Grouping sets may hold only column references (Trino), not expressions such as quarter(d). */
  readonly groupingSetsOfColumnsOnly: boolean;
  readonly nullSafeEquals: 'operator' | 'distinct_from';
  readonly tryCast: string | null;
  /** TRY_CAST('12.7' AS INT) is NULL (ANSI rules) rather than a rounded number. */
  readonly tryCastTextToInteger: boolean;
  readonly intersectExcept: boolean;
  /** RANGE frames with INTERVAL offsets. */
  readonly rangeIntervals: boolean;
  /** `count(DISTINCT a, b)` (rows with a NULL are skipped): native, via ROW values, or not at all. */
  readonly countDistinctTuples: 'native' | 'row' | null;
  readonly constructors: 'hive' | 'trino' | 'duckdb' | null;
  /** The value of a map for a key, NULL when absent. */
  readonly mapGet: ((map: Arg, key: Arg) => string) | null;
  readonly interval: (value: number, unit: IntervalUnit) => string;
}

const quotedInterval = (value: number, unit: IntervalUnit): string => `INTERVAL '${value}' ${unit.toUpperCase()}`;

const HIVE: StructureSyntax = {
  unnest: 'lateral_view',
  semiJoin: 'LEFT SEMI JOIN',
  antiJoin: null,
  qualify: false,
  starExclude: false,
  groupingSets: 'hive',
  groupingSetsOfColumnsOnly: false,
  nullSafeEquals: 'operator',
  tryCast: null,
  tryCastTextToInteger: true,
  intersectExcept: true,
  rangeIntervals: false,
  countDistinctTuples: 'native',
  constructors: 'hive',
  mapGet: (m, k) => `${p(m)}[${k.sql}]`,
  interval: quotedInterval,
};

const TRINO: StructureSyntax = {
  unnest: 'unnest',
  semiJoin: null,
  antiJoin: null,
  qualify: false,
  starExclude: false,
  groupingSets: 'standard',
  groupingSetsOfColumnsOnly: true,
  nullSafeEquals: 'distinct_from',
  tryCast: 'TRY_CAST',
  tryCastTextToInteger: true,
  intersectExcept: true,
  rangeIntervals: true,
  countDistinctTuples: 'row',
  constructors: 'trino',
  mapGet: (m, k) => `element_at(${m.sql}, ${k.sql})`,
  interval: quotedInterval,
};

const STRUCTURE: Readonly<Record<SqlDialectName, StructureSyntax>> = {
  hive: HIVE,
  spark: { ...HIVE, antiJoin: 'LEFT ANTI JOIN', groupingSets: 'standard', tryCast: 'try_cast', rangeIntervals: true },
  impala: {
    ...HIVE,
    unnest: null,
    antiJoin: 'LEFT ANTI JOIN',
    groupingSets: null,
    nullSafeEquals: 'distinct_from',
    intersectExcept: false,
    countDistinctTuples: null,
    constructors: null,
    mapGet: null,
    interval: (value, unit) => `INTERVAL ${value} ${unit.toUpperCase()}S`,
  },
  trino: TRINO,
  athena: TRINO,
  duckdb: {
    unnest: 'duckdb',
    semiJoin: 'SEMI JOIN',
    antiJoin: 'ANTI JOIN',
    qualify: true,
    starExclude: true,
    groupingSets: 'standard',
    groupingSetsOfColumnsOnly: false,
    nullSafeEquals: 'distinct_from',
    tryCast: 'TRY_CAST',
    tryCastTextToInteger: false,
    intersectExcept: true,
    rangeIntervals: true,
    countDistinctTuples: 'row',
    constructors: 'duckdb',
    mapGet: (m, k) => `${p(m)}[${k.sql}]`,
    interval: quotedInterval,
  },
};

export function structureOf(target: SqlDialectName): StructureSyntax {
  return STRUCTURE[target];
}
