import type { TableDef } from '../../catalog/table-def.js';
import { AppError } from '../../errors.js';
import type { QueryEngine, QueryStream } from '../engine.js';

const q = (s: string): string => `\`${s.replace(/`/g, '``')}\``;

/**
 * Impala without LAKEGATE_IMPALA_HOST: translation only. The query service sees `executes: false` and
 * answers 501 with the SQL Impala would run.
 */
export class ImpalaQueryEngine implements QueryEngine {
  readonly name = 'impala' as const;
  readonly dialect = 'impala' as const;
  readonly capabilities = { executes: false, readsS3: true, billsByScan: false };

  tableRef(def: TableDef): string {
    return `${q(def.database)}.${q(def.name)}`;
  }

  async execute(): Promise<QueryStream> {
    throw new AppError('NOT_IMPLEMENTED', 'engine impala is not configured: set LAKEGATE_IMPALA_HOST (HiveServer2) to run queries on Impala');
  }

  async close(): Promise<void> {}
}
