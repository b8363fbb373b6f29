import type { SqlDialectName } from '../dialect.js';
import type { SqlDialect } from '../render/sql-dialect.js';
import { duckdbDialect } from './duckdb-dialect.js';
import { hiveDialect } from './hive-dialect.js';
import { impalaDialect } from './impala-dialect.js';
import { sparkDialect } from './spark-dialect.js';
import { trinoDialect } from './trino-dialect.js';

const DIALECTS: Readonly<Record<SqlDialectName, SqlDialect>> = {
  duckdb: duckdbDialect,
  trino: trinoDialect,
  athena: { ...trinoDialect, name: 'athena' },
  hive: hiveDialect,
  spark: sparkDialect,
  impala: impalaDialect,
};

/** The renderer hooks of a target dialect (Athena is Trino SQL). */
export function dialectFor(name: SqlDialectName): SqlDialect {
  return DIALECTS[name];
}
