import { thrift } from 'hive-driver';
import type { TableDef } from '../../catalog/table-def.js';
import type { HiveServer2Config } from '../../config.js';
import { AppError, abortError, firstLine } from '../../errors.js';
import { backtick as q, hiveString } from '../../catalog/ddl/sql-text.js';
import { TableFollower } from '../table-follower.js';
import { checkWidth, type CatalogChange, type EngineStatus, type EngineSyncOutcome, type ExecuteOptions, type QueryEngine, type QueryStream } from '../engine.js';
import { syncSteps } from './catalog-sync.js';
import { Hs2Operation, isStaleSession } from './hs2-operation.js';
import { checkStatus, type Hs2Session } from './hs2-session.js';
import { SessionPool } from './session-pool.js';

const T = thrift.TCLIService_types as { TGetInfoType: Record<string, number> };

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
  private readonly follower: TableFollower;

  constructor(private readonly o: HiveServer2EngineOptions) {
    this.name = o.name;
    this.dialect = o.dialect;
    this.tables = o.config.tables;
    this.pool = new SessionPool({ name: o.name, config: o.config });
    this.follower = new TableFollower(o.name, o.config.tables);
  }

  tableRef(def: TableDef): string {
    return `${q(this.o.config.database)}.${q(def.name)}`;
  }

  async execute(sql: string, { signal, maxRows, maxColumns }: ExecuteOptions): Promise<QueryStream> {
    // close() while a page is being read aborts through this controller, as the caller's signal would.
    const local = new AbortController();
    const sig = AbortSignal.any([signal, local.signal]);
    const op = await this.start(sql, sig, () => this.pool.acquire(sig), (s) => this.pool.release(s));
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
   * partitions registered; a table that is not external is never dropped. Each table on its own (see
   * TableFollower), on one session held for the change.
   */
  async onCatalogChange(change: CatalogChange, signal: AbortSignal): Promise<EngineSyncOutcome> {
    const { config } = this.o;
    const steps = syncSteps({ dialect: this.dialect, mode: config.tables, database: config.database, isNew: (d) => change.reason === 'startup' || !this.known.has(d.name) });
    // One session for the change, given back at the end (or at once when it broke).
    let session: Hs2Session | undefined;
    const take = async (): Promise<Hs2Session> => (session ??= await this.pool.acquire(signal));
    // Given back exactly once: here when it broke (or the server forgot it), else at the end. A cancel
    // still on its way after an abort calls this late, for a session the end already gave back.
    const done = (s: Hs2Session): void => {
      if (s.usable || session !== s) return;
      session = undefined;
      this.pool.release(s);
    };
    const run = async (sql: string): Promise<unknown[][]> => {
      const op = await this.start(sql, signal, take, done);
      try {
        return await op.all();
      } finally {
        await op.close();
      }
    };
    const statements = (list: string[], r: (sql: string) => Promise<void>) => list.reduce((p, sql) => p.then(() => r(sql)), Promise.resolve());
    try {
      return await this.follower.follow(change, signal, {
        run: async (sql) => void (await run(sql)),
        begin: (r) => statements(steps.begin(), r),
        replace: async (def, r) => {
          if (config.tables === 'managed') await this.checkExternal(def.name, run);
          await statements(await steps.replace(def), r);
          this.known.add(def.name);
        },
        drop: async (name, r) => {
          if (config.tables === 'managed') await this.checkExternal(name, run);
          await statements(steps.drop(name), r);
          this.known.delete(name);
        },
      });
    } finally {
      const held = session;
      session = undefined;
      if (held) {
        // A cancel may still be on its way over this connection: it is not reused.
        if (signal.aborted) held.discard();
        this.pool.release(held);
      }
    }
  }

  /**
   * Starts `sql` on a session from `take` (`done` is called once it is free again). A session the
   * server no longer holds (expired while idle in the pool) is dropped and the statement, which never
   * ran, starts again on a fresh one.
   */
  private async start(sql: string, signal: AbortSignal, take: () => Promise<Hs2Session>, done: (s: Hs2Session) => void): Promise<Hs2Operation> {
    for (let attempt = 0; ; attempt++) {
      const session = await take();
      try {
        return await Hs2Operation.run(session, this.name, sql, signal, () => done(session));
      } catch (err) {
        if (!isStaleSession(err) || attempt >= this.o.config.poolSize) throw err;
      }
    }
  }

  /** The gateway drops only external tables of the engine (their files stay): a table holding its own data is refused. */
  private async checkExternal(name: string, run: (sql: string) => Promise<unknown[][]>): Promise<void> {
    const { database } = this.o.config;
    const listed = await run(`SHOW TABLES IN ${q(database)} LIKE ${hiveString(name.toLowerCase())}`);
    if (!listed.some((row) => row.some((v) => String(v).toLowerCase() === name.toLowerCase()))) return;
    const described = await run(`DESCRIBE FORMATTED ${q(database)}.${q(name)}`);
    // The table's own section follows the columns (a column may be called `type`): Hive and Impala
    // say "Table Type:" EXTERNAL_TABLE, Spark "Type" EXTERNAL.
    const marker = described.findIndex((row) => /^# Detailed Table Information/i.test(String(row[0] ?? '').trim()));
    const details = marker < 0 ? [] : described.slice(marker + 1);
    const type = details.find((row) => /^(table )?type:?$/i.test(String(row[0] ?? '').trim()));
    const refuse = (why: string): never => {
      throw new AppError('QUERY_FAILED', `${this.name}'s table ${database}.${name} ${why}: the gateway does not replace or drop it`);
    };
    if (!/EXTERNAL/i.test(String(type?.[1] ?? ''))) refuse('is not an external table');
    // Hive 3+ and Impala delete an external table's files on DROP when it is marked so.
    if (details.some((row) => /external\.table\.purge=+true/i.test(row.map((v) => String(v ?? '')).join('=').replace(/\s+/g, '')))) refuse("purges its files when dropped (external.table.purge)");
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
