import type { TableDef } from '../../src/catalog/table-def.js';
import { DuckDBQueryEngine } from '../../src/engines/duckdb/duckdb-engine.js';
import { describeQueryEngine } from './support/conformance.js';

describeQueryEngine(
  'duckdb',
  async () => {
    let defs: TableDef[] = [];
    return {
      engine: new DuckDBQueryEngine({ listTables: async () => defs, memoryLimit: '512MB' }),
      publish: async (d) => void (defs = d),
      slowSql: 'SELECT sum(a.range * b.range) FROM range(1000000) a, range(1000000) b',
    };
  },
  { hasServer: false },
);
