import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance, listValue, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { AppError, abortError } from '../../errors.js';
import type { CatalogStore, PartitionBatchResult, PartitionChanges } from '../catalog-store.js';
import { PartitionKeys } from '../partition/partition-discovery.js';
import type { ColumnDef, PartitionDef, TableDef } from '../table-def.js';

export interface LocalCatalogStoreOptions {
  /** Directory that holds the catalog file (`catalog.duckdb`); created if missing. */
  dir: string;
  /** The catalog's database name (table definitions are keyed by it). */
  database: string;
}

const SCHEMA_VERSION = 1;

const DDL = [
  `CREATE TABLE IF NOT EXISTS lg_meta (key VARCHAR PRIMARY KEY, value BIGINT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS lg_tables (
     db VARCHAR NOT NULL, name VARCHAR NOT NULL, location VARCHAR NOT NULL, format VARCHAR NOT NULL,
     comment VARCHAR, properties VARCHAR NOT NULL, version BIGINT NOT NULL, PRIMARY KEY (db, name))`,
  `CREATE TABLE IF NOT EXISTS lg_columns (
     db VARCHAR NOT NULL, table_name VARCHAR NOT NULL, is_partition_key BOOLEAN NOT NULL, ordinal INTEGER NOT NULL,
     name VARCHAR NOT NULL, type VARCHAR NOT NULL, comment VARCHAR)`,
  // ident: the typed identity of the values (PartitionKeys.identity), unique per table; enforced by the
  // store's single writer rather than an index, which keeps 10,000-row appends and deletes cheap.
  `CREATE TABLE IF NOT EXISTS lg_partitions (
     db VARCHAR NOT NULL, table_name VARCHAR NOT NULL, ident VARCHAR NOT NULL, vals VARCHAR NOT NULL, location VARCHAR NOT NULL)`,
  `INSERT INTO lg_meta VALUES ('schema_version', ${SCHEMA_VERSION}), ('counter', 0) ON CONFLICT DO NOTHING`,
];

type Row = Record<string, DuckDBValue>;
const str = (v: DuckDBValue | undefined): string => (v === null || v === undefined ? '' : String(v));

/**
 * The embedded catalog: one DuckDB database file under `dir`. Every write runs in one transaction
 * behind a single in-process writer, so a crash (even SIGKILL) leaves either the old or the new state.
 * Reads use their own connection and see only committed data. Only one process may open the file.
 */
export class LocalCatalogStore implements CatalogStore {
  readonly kind = 'local' as const;
  readonly atomicPartitionChanges = true;
  private writeChain: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly database: string,
    private readonly instance: DuckDBInstance,
    private readonly writer: DuckDBConnection,
    private readonly reader: DuckDBConnection,
  ) {}

  /** Opens (creating if needed) `<dir>/catalog.duckdb`. */
  static async open(options: LocalCatalogStoreOptions): Promise<LocalCatalogStore> {
    await mkdir(options.dir, { recursive: true });
    const file = path.join(options.dir, 'catalog.duckdb');
    let instance: DuckDBInstance;
    try {
      // The catalog is small: one thread and a modest memory cap leave the machine to the query engines.
      instance = await DuckDBInstance.create(file, { threads: '1', memory_limit: '256MB' });
    } catch (err) {
      throw new AppError('INTERNAL', `cannot open the catalog at ${file} (is another gateway using it?)`, { cause: err });
    }
    const writer = await instance.connect();
    for (const sql of DDL) await writer.run(sql);
    const version = await writer.runAndReadAll(`SELECT value FROM lg_meta WHERE key = 'schema_version'`);
    if (Number(version.getRows()[0]?.[0] ?? 0) !== SCHEMA_VERSION) {
      throw new AppError('INTERNAL', `catalog ${file} has an unknown schema version`);
    }
    return new LocalCatalogStore(options.database.toLowerCase(), instance, writer, await instance.connect());
  }

  async listTables(): Promise<TableDef[]> {
    const tables = await this.rows(this.reader, `SELECT * FROM lg_tables WHERE db = $1 ORDER BY name`, [this.database]);
    const columns = await this.rows(this.reader, `SELECT * FROM lg_columns WHERE db = $1 ORDER BY table_name, is_partition_key, ordinal`, [this.database]);
    return tables.map((t) => toDef(t, columns.filter((c) => c.table_name === t.name)));
  }

  async getTable(name: string): Promise<TableDef | undefined> {
    return this.readTable(this.reader, name.toLowerCase());
  }

  async createTable(def: TableDef): Promise<boolean> {
    return this.write(async (c) => {
      if (await this.readTable(c, def.name.toLowerCase())) return false;
      await this.insertTable(c, def, await this.nextVersion(c));
      return true;
    });
  }

  async upsertTable(def: TableDef): Promise<void> {
    await this.write(async (c) => {
      const name = def.name.toLowerCase();
      const old = await this.readTable(c, name);
      if (old) {
        await c.run(`DELETE FROM lg_tables WHERE db = $1 AND name = $2`, [this.database, name]);
        await c.run(`DELETE FROM lg_columns WHERE db = $1 AND table_name = $2`, [this.database, name]);
        if (!sameKeys(old.partitionKeys, def.partitionKeys)) {
          await c.run(`DELETE FROM lg_partitions WHERE db = $1 AND table_name = $2`, [this.database, name]);
        }
      }
      await this.insertTable(c, def, await this.nextVersion(c));
    });
  }

  async dropTable(name: string): Promise<boolean> {
    const n = name.toLowerCase();
    return this.write(async (c) => {
      if (!(await this.readTable(c, n))) return false;
      for (const t of ['lg_tables', 'lg_columns', 'lg_partitions']) {
        await c.run(`DELETE FROM ${t} WHERE db = $1 AND ${t === 'lg_tables' ? 'name' : 'table_name'} = $2`, [this.database, n]);
      }
      await this.nextVersion(c);
      return true;
    });
  }

  async listPartitions(name: string, filter: Record<string, string> = {}): Promise<PartitionDef[]> {
    const def = await this.requireTable(this.reader, name.toLowerCase());
    const rows = await this.rows(this.reader, `SELECT vals, location FROM lg_partitions WHERE db = $1 AND table_name = $2 ORDER BY ident`, [this.database, def.name]);
    const all = rows.map((r) => ({ values: fromVals(def.partitionKeys, str(r.vals)), location: str(r.location) }));
    return new PartitionKeys(def.partitionKeys).filter(all, filter);
  }

  async countPartitions(name: string): Promise<number> {
    const def = await this.requireTable(this.reader, name.toLowerCase());
    const rows = await this.rows(this.reader, `SELECT count(*) AS n FROM lg_partitions WHERE db = $1 AND table_name = $2`, [this.database, def.name]);
    return Number(rows[0]?.n ?? 0);
  }

  async changePartitions(name: string, changes: PartitionChanges, options: { signal?: AbortSignal } = {}): Promise<PartitionBatchResult> {
    const n = name.toLowerCase();
    return this.write(async (c) => {
      if (options.signal?.aborted) throw abortError(options.signal);
      const def = await this.requireTable(c, n);
      const keys = new PartitionKeys(def.partitionKeys);
      // In one transaction a move is a drop and an add that no reader can see apart.
      const moves = changes.move ?? [];
      const drop = [...(changes.drop ?? []), ...moves.map((p) => p.values)].map((v) => keys.identity(v));
      if (drop.length) {
        await c.run(`DELETE FROM lg_partitions WHERE db = $1 AND table_name = $2 AND ident IN (SELECT unnest($3::VARCHAR[]))`, [this.database, n, listValue(drop)]);
      }
      const existing = new Set((await this.rows(c, `SELECT ident FROM lg_partitions WHERE db = $1 AND table_name = $2`, [this.database, n])).map((r) => str(r.ident)));
      const appender = await c.createAppender('lg_partitions');
      for (const p of [...(changes.add ?? []), ...moves]) {
        const ident = keys.identity(p.values);
        if (existing.has(ident)) continue;
        existing.add(ident);
        for (const v of [this.database, n, ident, JSON.stringify(def.partitionKeys.map((k) => p.values[k.name] ?? '')), p.location]) appender.appendVarchar(v);
        appender.endRow();
      }
      appender.closeSync();
      if (options.signal?.aborted) throw abortError(options.signal);
      await this.bump(c, n);
      return { added: changes.add?.length ?? 0, dropped: changes.drop?.length ?? 0, moved: moves.length, failed: [] };
    });
  }

  async tableVersion(name: string): Promise<number> {
    const rows = await this.rows(this.reader, `SELECT version FROM lg_tables WHERE db = $1 AND name = $2`, [this.database, name.toLowerCase()]);
    if (!rows[0]) throw new AppError('TABLE_NOT_FOUND', `no table ${name}`);
    return Number(rows[0].version);
  }

  async close(): Promise<void> {
    await this.writeChain.catch(() => undefined);
    await this.writer.run('CHECKPOINT').catch(() => undefined);
    this.reader.closeSync();
    this.writer.closeSync();
    this.instance.closeSync();
  }

  /** Runs `fn` in one transaction on the writer connection, after every earlier write has finished. */
  private write<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      await this.writer.run('BEGIN TRANSACTION');
      try {
        const out = await fn(this.writer);
        await this.writer.run('COMMIT');
        return out;
      } catch (err) {
        await this.writer.run('ROLLBACK').catch(() => undefined);
        throw err;
      }
    };
    const result = this.writeChain.then(run, run);
    this.writeChain = result.catch(() => undefined);
    return result;
  }

  private async rows(c: DuckDBConnection, sql: string, params: DuckDBValue[]): Promise<Row[]> {
    return (await c.runAndReadAll(sql, params)).getRowObjects();
  }

  private async readTable(c: DuckDBConnection, name: string): Promise<TableDef | undefined> {
    const t = (await this.rows(c, `SELECT * FROM lg_tables WHERE db = $1 AND name = $2`, [this.database, name]))[0];
    if (!t) return undefined;
    const cols = await this.rows(c, `SELECT * FROM lg_columns WHERE db = $1 AND table_name = $2 ORDER BY is_partition_key, ordinal`, [this.database, name]);
    return toDef(t, cols);
  }

  private async requireTable(c: DuckDBConnection, name: string): Promise<TableDef> {
    const def = await this.readTable(c, name);
    if (!def) throw new AppError('TABLE_NOT_FOUND', `no table ${name} in ${this.database}`);
    return def;
  }

  private async insertTable(c: DuckDBConnection, def: TableDef, version: number): Promise<void> {
    const name = def.name.toLowerCase();
    await c.run(`INSERT INTO lg_tables VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
      this.database, name, def.location, def.format, def.comment ?? null, JSON.stringify(def.properties), BigInt(version),
    ]);
    const cols: [ColumnDef, boolean, number][] = [
      ...def.columns.map((col, i): [ColumnDef, boolean, number] => [col, false, i]),
      ...def.partitionKeys.map((col, i): [ColumnDef, boolean, number] => [col, true, i]),
    ];
    for (const [col, isKey, i] of cols) {
      await c.run(`INSERT INTO lg_columns VALUES ($1, $2, $3, $4, $5, $6, $7)`, [this.database, name, isKey, i, col.name.toLowerCase(), col.type, col.comment ?? null]);
    }
  }

  /** The next value of the store-wide counter: versions never repeat, even across drop and re-create. */
  private async nextVersion(c: DuckDBConnection): Promise<number> {
    const rows = await this.rows(c, `UPDATE lg_meta SET value = value + 1 WHERE key = 'counter' RETURNING value`, []);
    return Number(rows[0]?.value);
  }

  private async bump(c: DuckDBConnection, name: string): Promise<void> {
    const v = await this.nextVersion(c);
    await c.run(`UPDATE lg_tables SET version = $1 WHERE db = $2 AND name = $3`, [BigInt(v), this.database, name]);
  }
}

function toDef(t: Row, cols: Row[]): TableDef {
  const col = (r: Row): ColumnDef => {
    const c: ColumnDef = { name: str(r.name), type: str(r.type) };
    if (r.comment !== null && r.comment !== undefined) c.comment = str(r.comment);
    return c;
  };
  const def: TableDef = {
    database: str(t.db),
    name: str(t.name),
    columns: cols.filter((c) => c.is_partition_key === false).map(col),
    partitionKeys: cols.filter((c) => c.is_partition_key === true).map(col),
    location: str(t.location),
    format: 'parquet',
    properties: JSON.parse(str(t.properties)) as Record<string, string>,
  };
  if (t.comment !== null && t.comment !== undefined) def.comment = str(t.comment);
  return def;
}

function fromVals(keys: readonly ColumnDef[], json: string): Record<string, string> {
  const vals = JSON.parse(json) as string[];
  return Object.fromEntries(keys.map((k, i) => [k.name, vals[i] ?? '']));
}

function sameKeys(a: readonly ColumnDef[], b: readonly ColumnDef[]): boolean {
  return a.length === b.length && a.every((k, i) => k.name === b[i]!.name.toLowerCase() && k.type === b[i]!.type);
}
