import { thrift } from 'hive-driver';
import type { TableDef } from '../../catalog/table-def.js';
import type { HiveServer2Config } from '../../config.js';
import { abortError, firstLine } from '../../errors.js';
import { checkWidth, type CatalogChange, type EngineStatus, type EngineSyncOutcome, type ExecuteOptions, type QueryEngine, type QueryStream } from '../engine.js';
import { syncStatements } from './catalog-sync.js';
import { Hs2Operation } from './hs2-operation.js';
import { checkStatus } from './hs2-session.js';
import { SessionPool } from './session-pool.js';

const T = thrift.TCLIService_types as { TGetInfoType: Record<string, number> };

const q = (s: string): string => `\`${s.replace(/`/g, '``')}\``;

export interface HiveServer2EngineOptions {
  name: 'hive' | 'impala';
  dialect: 'hive' | 'impala';
  config: HiveServer2Config;
}

/**
 * Hive or Impala over HiveServer2 (Thrift, through hive-driver): statements run asynchronously on a
 * small pool of sessions, results are read from the raw Thrift columns (exact BIGINT and DECIMAL) in
 * pages of `fetchSize`, and an abort reaches the server as CancelOperation.
 */
export class HiveServer2QueryEngine implements QueryEngine {
  readonly name: 'hive' | 'impala';
  readonly dialect: 'hive' | 'impala';
  // Hive and Impala run on the team's own cluster: no bill by bytes scanned.
  readonly capabilities = { executes: true, readsS3: true, billsByScan: false };
  readonly tables: 'shared' | 'managed';
  private readonly pool: SessionPool;
  /** Tables this engine has seen in this process: Impala needs INVALIDATE METADATA for the others. */
  private readonly known = new Set<string>();

  constructor(private readonly o: HiveServer2EngineOptions) {
    this.name = o.name;
    this.dialect = o.dialect;
    this.tables = o.config.tables;
    this.pool = new SessionPool({ name: o.name, config: o.config });
  }

  tableRef(def: TableDef): string {
    return `${q(this.o.config.database)}.${q(def.name)}`;
  }

  async execute(sql: string, { signal, maxRows, maxColumns }: ExecuteOptions): Promise<QueryStream> {
    // close() while a page is being read aborts through this controller, as the caller's signal would.
    const local = new AbortController();
    const sig = AbortSignal.any([signal, local.signal]);
    const session = await this.pool.acquire(sig);
    const op = await Hs2Operation.run(session, this.name, sql, sig, () => this.pool.release(session));
    let iterating = false;
    try {
      const { columns, typeIds } = await op.columns();
      if (maxColumns !== undefined) checkWidth(columns.length, maxColumns);
      const fetchSize = this.o.config.fetchSize;
      async function* batches(): AsyncGenerator<unknown[][]> {
        iterating = true;
        let produced = 0;
        try {
          // One row past maxRows tells the caller the result was cut.
          while (produced <= maxRows) {
            const rows = await op.fetch(Math.min(fetchSize, maxRows + 1 - produced), typeIds);
            if (rows.length === 0) return;
            produced += rows.length;
            yield rows;
          }
        } catch (err) {
          throw sig.aborted ? abortError(sig) : err;
        } finally {
          await op.close();
        }
      }
      return { columns, batches: batches(), close: () => (iterating ? local.abort() : void op.close()) };
    } catch (err) {
      void op.close();
      throw sig.aborted ? abortError(sig) : err;
    }
  }

  /** Reachable when a session opens; the version is GetInfo(CLI_DBMS_VER). */
  async status(signal: AbortSignal): Promise<EngineStatus> {
    try {
      const session = await this.pool.acquire(signal);
      try {
        const info = await session.call((d) => d.getInfo({ sessionHandle: session.handle, infoType: T.TGetInfoType.CLI_DBMS_VER! }));
        checkStatus(info.status, this.name);
        const version = info.infoValue?.stringValue ?? undefined;
        return version ? { reachable: true, version } : { reachable: true };
      } finally {
        this.pool.release(session);
      }
    } catch (err) {
      return { reachable: false, error: firstLine(err) };
    }
  }

  /**
   * `shared`: the engine's refresh (Hive MSCK REPAIR TABLE, Impala REFRESH or INVALIDATE METADATA);
   * `managed`: the engine's external tables dropped and created again from the catalog, then their
   * partitions registered. Statements run in order and stop at the first failure, which is reported.
   */
  async onCatalogChange(change: CatalogChange, signal: AbortSignal): Promise<EngineSyncOutcome> {
    const { config } = this.o;
    const tables = [...change.changed.map((d) => d.name), ...change.dropped.map((d) => d.name)];
    const statements: string[] = [];
    const outcome = (error?: unknown): EngineSyncOutcome => ({
      engine: this.name,
      mode: config.tables,
      status: error === undefined ? 'synced' : 'failed',
      tables,
      statements,
      ...(error === undefined ? {} : { error: firstLine(error) }),
    });
    try {
      const planned = await syncStatements({
        dialect: this.dialect,
        mode: config.tables,
        database: config.database,
        change,
        isNew: (d) => change.reason === 'startup' || !this.known.has(d.name),
      });
      if (planned.length === 0) return outcome();
      const session = await this.pool.acquire(signal);
      try {
        for (const sql of planned) {
          statements.push(sql);
          const op = await Hs2Operation.run(session, this.name, sql, signal, () => undefined);
          await op.close();
        }
      } catch (err) {
        // A cancel may still be on its way over this connection: it is not reused.
        if (signal.aborted) session.discard();
        throw err;
      } finally {
        this.pool.release(session);
      }
      for (const d of change.changed) this.known.add(d.name);
      for (const d of change.dropped) this.known.delete(d.name);
      return outcome();
    } catch (err) {
      return outcome(err);
    }
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
