import type { TableDef } from '../../catalog/table-def.js';
import { trinoRenderer } from '../../catalog/ddl/render-trino.js';
import { dquote } from '../../catalog/ddl/sql-text.js';
import type { TrinoConfig } from '../../config.js';
import { abortError, isAppError } from '../../errors.js';
import { isS3, realLocalPath } from '../../storage/location.js';
import type { CatalogChange, EngineStatus, EngineSyncOutcome, ExecuteOptions, QueryColumn, QueryEngine, QueryStream } from '../engine.js';
import { checkWidth } from '../engine.js';
import { TrinoClient, throwQueryError, type StatementResponse, type TrinoColumn } from './trino-client.js';

/**
 * engine "trino": a Trino cluster through its client protocol. Tables are `catalog.schema.name` with
 * the configured catalog and schema. In `managed` mode the gateway keeps Trino's tables (external
 * tables of the hive connector) in step with its catalog; in `shared` mode Trino reads the same
 * metastore and only its metadata cache is flushed after a change.
 */
export class TrinoQueryEngine implements QueryEngine {
  readonly name = 'trino' as const;
  readonly dialect = 'trino' as const;
  readonly capabilities = { executes: true, readsS3: true };
  private readonly client: TrinoClient;
  /** The DDL each managed table was last created with: unchanged tables only get their partitions synced. */
  private readonly created = new Map<string, string>();
  /** Tables whose last sync failed: retried with the next change. */
  private readonly pending = new Map<string, TableDef>();

  readonly tables: 'shared' | 'managed';

  constructor(private readonly config: TrinoConfig) {
    this.client = new TrinoClient(config);
    this.tables = config.tables;
  }

  tableRef(def: TableDef): string {
    return `${dquote(this.config.catalog)}.${dquote(this.config.schema)}.${dquote(def.name)}`;
  }

  async execute(sql: string, options: ExecuteOptions): Promise<QueryStream> {
    const { signal } = options;
    let res = await this.client.submit(sql, signal);
    // Columns arrive with the first response that has them; until then the query is queued or planning.
    while (!res.columns && res.nextUri && !res.error) res = await this.follow(res.nextUri, signal);
    throwQueryError(res);
    const columns: QueryColumn[] = (res.columns ?? []).map((c) => ({ name: c.name, type: c.type.toUpperCase() }));
    if (options.maxColumns !== undefined) {
      try {
        checkWidth(columns.length, options.maxColumns);
      } catch (err) {
        if (res.nextUri) await this.client.cancel(res.nextUri);
        throw err;
      }
    }
    const convert = rowConverter(res.columns ?? []);
    let current: StatementResponse = res;
    let closed = false;
    let scanned: number | undefined;
    const client = this.client;
    const follow = this.follow.bind(this);
    const close = (): void => {
      if (closed) return;
      closed = true;
      if (current.nextUri) void client.cancel(current.nextUri);
    };
    async function* batches(): AsyncGenerator<unknown[][]> {
      let produced = 0;
      try {
        for (;;) {
          throwQueryError(current);
          scanned = current.stats?.physicalInputBytes ?? scanned;
          if (current.data?.length) {
            const rows = current.data.map(convert);
            produced += rows.length;
            yield rows;
            if (produced >= options.maxRows) return;
          }
          if (!current.nextUri || closed) return;
          current = await follow(current.nextUri, signal);
        }
      } finally {
        close();
      }
    }
    return { columns, batches: batches(), dataScannedBytes: () => scanned, close };
  }

  /** The next response; on abort the statement is cancelled on the server before the error is thrown. */
  private async follow(uri: string, signal: AbortSignal): Promise<StatementResponse> {
    try {
      return await this.client.next(uri, signal);
    } catch (err) {
      if (signal.aborted) {
        await this.client.cancel(uri);
        throw abortError(signal);
      }
      throw err;
    }
  }

  async status(signal: AbortSignal): Promise<EngineStatus> {
    try {
      const info = await this.client.info(signal);
      return { reachable: info.starting !== true, ...(info.version ? { version: info.version } : {}), ...(info.starting ? { error: 'the server is starting' } : {}) };
    } catch (err) {
      return { reachable: false, error: isAppError(err) ? err.message : String(err) };
    }
  }

  async onCatalogChange(change: CatalogChange, signal: AbortSignal): Promise<EngineSyncOutcome> {
    const mode = this.config.tables;
    for (const def of change.changed) this.pending.set(key(def.name), def);
    const defs = [...this.pending.values()];
    const statements: string[] = [];
    const run = async (sql: string): Promise<void> => {
      statements.push(sql);
      await this.client.run(sql, signal);
    };
    try {
      if (mode === 'shared') {
        await run('CALL system.flush_metadata_cache()');
      } else {
        for (const dropped of change.dropped) {
          await run(`DROP TABLE IF EXISTS ${dquote(this.config.schema)}.${dquote(dropped.name)}`);
          this.created.delete(key(dropped.name));
          this.pending.delete(key(dropped.name));
        }
        for (const def of defs) {
          const [schema, create] = trinoRenderer.create(await this.asTrinoTable(def));
          if (this.created.get(key(def.name)) !== create) {
            await run(schema!);
            await run(`DROP TABLE IF EXISTS ${dquote(this.config.schema)}.${dquote(def.name)}`);
            await run(create!);
            this.created.set(key(def.name), create!);
          }
          for (const sql of trinoRenderer.refresh(await this.asTrinoTable(def))) await run(sql);
        }
      }
      this.pending.clear();
      return { engine: 'trino', mode, status: 'synced', tables: defs.map((d) => d.name), statements };
    } catch (err) {
      if (signal.aborted) throw abortError(signal);
      return { engine: 'trino', mode, status: 'failed', tables: defs.map((d) => d.name), statements, error: isAppError(err) ? err.message : String(err) };
    }
  }

  /** The definition as Trino sees it: the configured schema, and the real path of a local location. */
  private async asTrinoTable(def: TableDef): Promise<TableDef> {
    const location = isS3(def.location) ? def.location : await realLocalPath(def.location);
    return { ...def, database: this.config.schema, location };
  }

  async close(): Promise<void> {
    this.client.close();
  }
}

const key = (name: string): string => name.toLowerCase();

/** Values in the /query format: BIGINT as decimal text, timestamps without a zero fraction. */
function rowConverter(columns: TrinoColumn[]): (row: unknown[]) => unknown[] {
  const converters = columns.map((c) => valueConverter(c.type));
  return (row) => row.map((v, i) => (v === null ? null : converters[i]!(v)));
}

function valueConverter(type: string): (v: unknown) => unknown {
  if (type === 'bigint') return (v) => String(v);
  if (/^timestamp\(\d+\)$/.test(type)) return (v) => (typeof v === 'string' ? trimFraction(v) : v);
  return (v) => v;
}

/** '2024-01-01 10:00:00.000' -> '2024-01-01 10:00:00'; '...:56.780' -> '...:56.78'. */
function trimFraction(ts: string): string {
  return ts.replace(/\.(\d*?)0+$/, (_m, kept: string) => (kept ? `.${kept}` : ''));
}
