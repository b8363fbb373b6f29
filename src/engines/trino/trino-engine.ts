import type { TableDef } from '../../catalog/table-def.js';
import { trinoRenderer } from '../../catalog/ddl/render-trino.js';
import { dquote, sqlString } from '../../catalog/ddl/sql-text.js';
import type { TrinoConfig } from '../../config.js';
import { AppError, firstLine } from '../../errors.js';
import { isS3, realLocalPath } from '../../storage/location.js';
import type { CatalogChange, EngineStatus, EngineSyncOutcome, ExecuteOptions, QueryColumn, QueryEngine, QueryStream } from '../engine.js';
import { checkWidth } from '../engine.js';
import { TrinoClient, throwQueryError, type StatementResponse } from './trino-client.js';
import { converterFor } from './trino-values.js';
import { TableFollower, tableKey } from '../table-follower.js';

/**
 * engine "trino": a Trino cluster through its client protocol. Tables are `catalog.schema.name` with
 * the configured catalog and schema. In `managed` mode the gateway keeps Trino's tables (external
 * tables of the hive connector) in step with its catalog; in `shared` mode Trino reads the same
 * metastore and only its metadata cache is flushed after a change.
 */
export class TrinoQueryEngine implements QueryEngine {
  readonly name = 'trino' as const;
  readonly dialect = 'trino' as const;
  readonly capabilities = { executes: true, readsS3: true, billsByScan: true };
  private readonly client: TrinoClient;
  /** The DDL each managed table was last created with: unchanged tables only get their partitions synced. */
  private readonly created = new Map<string, string>();
  private readonly follower: TableFollower;

  readonly tables: 'shared' | 'managed';
  private readonly ddlOptions: { timestampPrecision: number };

  constructor(private readonly config: TrinoConfig) {
    this.client = new TrinoClient(config);
    this.tables = config.tables;
    this.ddlOptions = { timestampPrecision: config.timestampPrecision };
    this.follower = new TableFollower('trino', config.tables);
  }

  tableRef(def: TableDef): string {
    return `${dquote(this.config.catalog)}.${dquote(this.config.schema)}.${dquote(def.name)}`;
  }

  async execute(sql: string, options: ExecuteOptions): Promise<QueryStream> {
    const { signal } = options;
    let res = await this.client.submit(sql, signal);
    // Columns arrive with the first response that has them; until then the query is queued or planning.
    while (!res.columns && res.nextUri && !res.error) res = await this.client.follow(res.nextUri, signal);
    throwQueryError(res);
    const columns: QueryColumn[] = (res.columns ?? []).map((c) => ({ name: c.name, type: c.type }));
    if (options.maxColumns !== undefined) {
      try {
        checkWidth(columns.length, options.maxColumns);
      } catch (err) {
        if (res.nextUri) await this.client.cancel(res.nextUri);
        throw err;
      }
    }
    const converters = (res.columns ?? []).map((c) => converterFor(c.typeSignature));
    const convert = (row: unknown[]): unknown[] => row.map((v, i) => converters[i]!(v));
    let current: StatementResponse = res;
    let closed = false;
    let scanned: number | undefined;
    const client = this.client;
    const follow = this.client.follow.bind(this.client);
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

  async status(signal: AbortSignal): Promise<EngineStatus> {
    try {
      const info = await this.client.info(signal);
      return { reachable: info.starting !== true, ...(info.version ? { version: info.version } : {}), ...(info.starting ? { error: 'the server is starting' } : {}) };
    } catch (err) {
      return { reachable: false, error: firstLine(err) };
    }
  }

  /**
   * `shared`: Trino's metadata cache is flushed once for the change; `managed`: each table created or
   * replaced from its definition (or dropped), on its own (see TableFollower).
   */
  onCatalogChange(change: CatalogChange, signal: AbortSignal): Promise<EngineSyncOutcome> {
    const run = async (sql: string): Promise<void> => void (await this.client.run(sql, signal));
    if (this.config.tables === 'shared') {
      return this.follower.follow(change, signal, { run, begin: (r) => r('CALL system.flush_metadata_cache()'), replace: async () => undefined, drop: async () => undefined });
    }
    return this.follower.follow(change, signal, { run, replace: (def, r) => this.replace(def, r, signal), drop: (name, r) => this.drop(name, r, signal) });
  }

  /**
   * Creates the table, or replaces it when its definition or location changed (each publication moves
   * it to a new version folder): the new one is built under a temporary name with its partitions
   * registered, then takes the name, so readers never find the table missing or empty for long.
   */
  private async replace(def: TableDef, run: (sql: string) => Promise<void>, signal: AbortSignal): Promise<void> {
    const table = await this.asTrinoTable(def);
    const [schema, create] = trinoRenderer.create(table, this.ddlOptions);
    const k = tableKey(def.name);
    if (this.created.get(k) !== create) {
      // Forgotten first: a replacement that fails half-way is redone by the next change.
      this.created.delete(k);
      await run(schema!);
      const temp: TableDef = { ...table, name: `${table.name}__lakegate_next` };
      await run(`DROP TABLE IF EXISTS ${this.qualified(temp.name)}`);
      await run(trinoRenderer.create(temp, this.ddlOptions)[1]!);
      for (const sql of trinoRenderer.refresh(temp)) await run(sql);
      if (await this.exists(def.name, signal)) {
        await this.checkExternal(def.name, signal);
        await run(`DROP TABLE ${this.qualified(def.name)}`);
      }
      await run(`ALTER TABLE ${this.qualified(temp.name)} RENAME TO ${this.qualified(def.name)}`);
      this.created.set(k, create!);
    } else {
      for (const sql of trinoRenderer.refresh(table)) await run(sql);
    }
  }

  private async drop(name: string, run: (sql: string) => Promise<void>, signal: AbortSignal): Promise<void> {
    this.created.delete(tableKey(name));
    if (!(await this.exists(name, signal))) return;
    await this.checkExternal(name, signal);
    await run(`DROP TABLE ${this.qualified(name)}`);
  }

  private qualified(name: string): string {
    return `${dquote(this.config.schema)}.${dquote(name)}`;
  }

  private async exists(name: string, signal: AbortSignal): Promise<boolean> {
    const { rows } = await this.client.run(
      `SELECT 1 FROM information_schema.tables WHERE table_schema = ${sqlString(this.config.schema)} AND table_name = ${sqlString(name.toLowerCase())}`,
      signal,
    );
    return rows.length > 0;
  }

  /** The gateway only drops tables over external locations: a table holding its own data is refused. */
  private async checkExternal(name: string, signal: AbortSignal): Promise<void> {
    const { rows } = await this.client.run(`SHOW CREATE TABLE ${this.qualified(name)}`, signal);
    if (!String(rows[0]?.[0] ?? '').includes('external_location')) {
      throw new AppError('QUERY_FAILED', `Trino's table ${this.config.schema}.${name} is not an external table: the gateway does not replace or drop it`);
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

