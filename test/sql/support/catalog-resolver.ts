import type { SqlDialectName, TableResolver } from '../../../src/sql/index.js';
import { ddlColumns } from './ddl-columns.js';

const columns = ddlColumns();

/** Catalog tables of ddl/*.sql, rendered as the bare quoted name in the target's quoting. */
export const catalogResolver =
  (target: SqlDialectName): TableResolver =>
  (ref) => {
    if (ref.database !== undefined && ref.database !== 'card_analytics') return undefined;
    const cols = columns.get(ref.name);
    if (!cols) return undefined;
    const q = target === 'duckdb' || target === 'trino' || target === 'athena' ? '"' : '`';
    return { sql: `${q}${ref.name}${q}`, columns: cols };
  };
