import { createHash } from 'node:crypto';
import { realpath } from 'node:fs/promises';
import { setImmediate } from 'node:timers/promises';
import { DuckDBInstance, DuckDBTypeId, JsonDuckDBValueConverter, StatementType, type DuckDBConnection, type DuckDBDataChunk } from '@duckdb/node-api';
import { duckdbRenderer, duckdbType } from '../../catalog/ddl/render-duckdb.js';
import { typeOf } from '../../catalog/ddl/sql-text.js';
import { isS3, isUnderRoots, realRoots } from '../../storage/location.js';
import type { TableDef } from '../../catalog/table-def.js';
import { AppError, abortError, firstLine } from '../../errors.js';
import { checkWidth, type EngineCapabilities, type ExecuteOptions, type QueryEngine, type QueryStream } from '../engine.js';
import { Interrupter } from './interrupter.js';

export interface DuckDBEngineOptions {
  /** The catalog's tables; called when a query arrives, to notice definitions that changed. */
  listTables: () => Promise<TableDef[]>;
  memoryLimit: string;
  threads?: number;
  /** Local directories tables may be read from (LAKEGATE_LOCAL_ROOTS); a table elsewhere is refused. */
  localRoots?: string[];
}

/** Values converted to JSON between two turns of the event loop (a 2,048-row chunk of 25 columns). */
const VALUES_PER_SLICE = 20_000;

const q = (s: string): string => `"${s.replace(/"/g, '""')}"`;
const lit = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/** One sandboxed DuckDB instance with a view per catalog table; replaced when the catalog changes. */
interface Generation {
  signature: string;
  instance: DuckDBInstance;
  inflight: number;
  retired: boolean;
  readsS3: boolean;
  /** Tables whose view could not be made, with DuckDB's reason (a corrupt or unreadable file, a type it lacks). */
  broken: Map<string, string>;
  /** Local tables outside LAKEGATE_LOCAL_ROOTS, by text or by real path: no view, no allowed directory. */
  fenced: Set<string>;
}

/** Where a table's files are: the directories DuckDB may read, and the real path of a local location. */
interface TablePlace {
  dirs: string[];
  real?: string;
}

const viewKey = (d: TableDef): string => `${d.database}.${d.name}`;

/** Counts one use of a generation; the returned function ends it, closing a retired generation after its last use. */
function use(gen: Generation): () => void {
  gen.inflight++;
  return () => {
    gen.inflight--;
    if (gen.retired && gen.inflight === 0) gen.instance.closeSync();
  };
}

/** A generation no new query will get: closed now if unused, else by its last user. */
function retire(gen: Generation): void {
  gen.retired = true;
  if (gen.inflight === 0) gen.instance.closeSync();
}

/** Runs `fn` on a connection of its own to `gen`, counted as a use. */
async function withConnection<T>(gen: Generation, fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
  const done = use(gen);
  let conn: DuckDBConnection | undefined;
  try {
    conn = await gen.instance.connect();
    return await fn(conn);
  } finally {
    conn?.closeSync();
    done();
  }
}

/**
 * The embedded query engine: a long-lived DuckDB, separate from the pipeline's writer. Catalog tables
 * are views over read_parquet (hive_partitioning, so partition filters prune files). The instance is
 * sandboxed at the engine: file access only under table locations, no extension loading, locked
 * configuration; and only statements DuckDB itself classifies as SELECT are executed.
 */
export class DuckDBQueryEngine implements QueryEngine {
  readonly name = 'duckdb' as const;
  readonly dialect = 'duckdb' as const;
  private gen: Generation | undefined;
  private building: Promise<Generation> | undefined;

  constructor(private readonly o: DuckDBEngineOptions) {}

  get capabilities(): EngineCapabilities {
    return { executes: true, readsS3: this.gen?.readsS3 ?? false, billsByScan: false };
  }

  tableRef(def: TableDef): string {
    return `${q(def.database)}.${q(def.name)}`;
  }

  /** Refuses (4xx) queries over s3:// tables without httpfs, and over tables whose files DuckDB could not read. */
  async checkReadable(defs: TableDef[]): Promise<void> {
    // The generation of the catalog as it is now: a table registered since the last query has its view
    // (or the reason it has none) only there. Whether httpfs loads, any generation knows.
    const gen = await this.current();
    const outside = defs.filter((d) => gen.fenced.has(viewKey(d)) || this.fencedByText(d));
    if (outside.length > 0) {
      throw new AppError('LOCATION_UNREACHABLE', `engine 'duckdb' does not read ${outside.map((d) => `${d.name} (${d.location})`).join(', ')}: outside LAKEGATE_LOCAL_ROOTS`);
    }
    const remote = gen.readsS3 ? [] : defs.filter((d) => isS3(d.location));
    if (remote.length > 0) {
      throw new AppError('ENGINE_UNSUPPORTED_LOCATION', `engine 'duckdb' cannot read ${remote.map((d) => `${d.name} (${d.location})`).join(', ')}: DuckDB's httpfs extension is not installed here; send the query with engine: "athena"`, {
        details: { suggestedEngine: 'athena' },
      });
    }
    // A broken table may have been fixed since (its files replaced under the same definition): try its view again.
    await this.retryViews(gen, defs.filter((d) => gen.broken.has(viewKey(d))));
    const broken = defs.filter((d) => gen.broken.has(viewKey(d)));
    // A view DuckDB's sandbox would not let read (a file that leads out of the allowed directories) is
    // refused as such a query is, saying nothing of what lies there.
    if (broken.some((d) => PERMISSION.test(gen.broken.get(viewKey(d))!))) throw outsideCatalog();
    if (broken.length > 0) {
      throw new AppError('QUERY_FAILED', `engine 'duckdb' cannot read ${broken.map((d) => `${d.name}: ${gen.broken.get(viewKey(d))}`).join('; ')}`);
    }
  }

  async execute(sql: string, { signal, maxRows, maxColumns, maxValueBytes, tables }: ExecuteOptions): Promise<QueryStream> {
    if (signal.aborted) throw abortError(signal);
    const gen = await this.current(tables);
    const done = use(gen);
    let conn: DuckDBConnection | undefined;
    let interrupter: Interrupter | undefined;
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      interrupter?.stop();
      conn?.closeSync();
      conn = undefined;
      done();
    };
    try {
      conn = await gen.instance.connect();
      const c = conn;
      interrupter = new Interrupter(c, signal);
      const prepared = await c.prepare(sql);
      if (signal.aborted) throw abortError(signal);
      // Engine-level guard, independent of the validator: DuckDB's own classification must be SELECT.
      if (prepared.statementType !== StatementType.SELECT) {
        throw new AppError('SQL_NOT_ALLOWED', 'only SELECT statements are executed');
      }
      // The width is known once the statement is bound: a result too wide is refused before it runs.
      if (maxColumns !== undefined) checkWidth(prepared.columnCount, maxColumns);
      const result = await prepared.stream();
      // Names and types read once each: a column count of n costs n, not n².
      const names = result.columnNames();
      const types = result.columnTypes();
      const columns = names.map((name, i) => ({ name, type: String(types[i]) }));
      let iterating = false;
      // A chunk is up to 2,048 rows of every column: a wide one is converted a slice at a time, the
      // event loop getting a turn between slices, so that no chunk holds it for long.
      const slice = Math.max(1, Math.floor(VALUES_PER_SLICE / Math.max(1, columns.length)));
      async function* batches(): AsyncGenerator<unknown[][]> {
        iterating = true;
        let produced = 0;
        try {
          for await (const chunk of result) {
            for (let start = 0; start < chunk.rowCount && produced <= maxRows; start += slice) {
              if (start > 0) await setImmediate();
              if (signal.aborted) throw abortError(signal);
              const end = Math.min(chunk.rowCount, start + slice);
              if (maxValueBytes !== undefined) checkValueSizes(chunk, columns, start, end, maxValueBytes);
              const rows: unknown[][] = [];
              for (let r = start; r < end; r++) rows.push(chunk.convertRowValues(r, JsonDuckDBValueConverter));
              yield rows;
              produced += rows.length;
            }
            if (produced > maxRows) break;
          }
        } catch (err) {
          throw signal.aborted ? abortError(signal) : engineError(err);
        } finally {
          release();
        }
      }
      // A stream being read is released by its own `finally` (the connection may be busy fetching):
      // closing it interrupts the query; a stream never read is released at once.
      return { columns, batches: batches(), close: () => (iterating ? interrupter!.fire() : release()) };
    } catch (err) {
      release();
      if (signal.aborted) throw abortError(signal);
      throw engineError(err);
    }
  }

  /** A local table outside the configured roots as written (registered before the fence, or by another Glue writer). */
  private fencedByText(d: TableDef): boolean {
    const roots = this.o.localRoots;
    return roots !== undefined && !isS3(d.location) && !isUnderRoots(d.location, roots);
  }

  /** Also outside when its real path (a link to `/etc`) leaves the real roots. */
  private fenced(d: TableDef, place: TablePlace, roots: string[] | undefined): boolean {
    return this.fencedByText(d) || (roots !== undefined && place.real !== undefined && !isUnderRoots(place.real, roots));
  }

  private async retryViews(gen: Generation, defs: TableDef[]): Promise<void> {
    if (defs.length === 0 || gen.retired) return;
    await withConnection(gen, async (conn) => {
      for (const def of defs) {
        const ok = await createView(conn, def).then(() => true, (err: unknown) => (gen.broken.set(viewKey(def), firstLine(err)), false));
        if (ok) gen.broken.delete(viewKey(def));
      }
    });
  }

  /** duckdb_memory() of the current instance (none before the first query). */
  async memoryUsage(): Promise<{ tag: string; bytes: number }[]> {
    const gen = this.gen;
    if (!gen || gen.retired) return [];
    return withConnection(gen, async (conn) => {
      const result = await conn.runAndReadAll('SELECT tag, memory_usage_bytes FROM duckdb_memory()');
      return result.getRowObjectsJson().map((r) => ({ tag: String(r.tag), bytes: Number(r.memory_usage_bytes) }));
    });
  }

  async close(): Promise<void> {
    const gen = this.gen;
    this.gen = undefined;
    if (gen) retire(gen);
  }

  /** The generation for the catalog as it is now, building a new one when definitions changed. */
  /** The generation serving `snapshot` (the query's catalog), or the catalog as it is now. */
  private async current(snapshot?: TableDef[]): Promise<Generation> {
    const defs = snapshot ?? (await this.o.listTables());
    const places = await Promise.all(defs.map((d) => tablePlace(d.location)));
    // Definitions and the directories they resolve to: a publication swaps a location's link.
    const signature = createHash('sha256').update(JSON.stringify([defs, places])).digest('hex');
    if (this.gen?.signature === signature) return this.gen;
    if (this.building) return this.building;
    this.building = this.build(defs, places, signature).finally(() => (this.building = undefined));
    const next = await this.building;
    const old = this.gen;
    this.gen = next;
    if (old) retire(old);
    return next;
  }

  private async build(defs: TableDef[], places: TablePlace[], signature: string): Promise<Generation> {
    const roots = this.o.localRoots && (await realRoots(this.o.localRoots));
    const fenced = new Set(defs.filter((d, i) => this.fenced(d, places[i]!, roots)).map(viewKey));
    const config: Record<string, string> = { memory_limit: this.o.memoryLimit, autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' };
    if (this.o.threads) config.threads = String(this.o.threads);
    const instance = await DuckDBInstance.create(':memory:', config);
    let conn: DuckDBConnection | undefined;
    try {
      conn = await instance.connect();
      const readsS3 = await conn.run('LOAD httpfs').then(() => true, () => false);
      const broken = new Map<string, string>();
      // Tables outside the local roots get no view and no allowed directory (checkReadable says why).
      const usable = (d: TableDef): boolean => (readsS3 || !isS3(d.location)) && !fenced.has(viewKey(d));
      const readable = defs.filter(usable);
      const dirs = places.filter((_, i) => usable(defs[i]!)).flatMap((p) => p.dirs);
      await conn.run(`SET allowed_directories = [${dirs.map(lit).join(', ')}]`);
      await conn.run('SET enable_external_access = false');
      await conn.run('SET lock_configuration = true');
      // One table DuckDB cannot read must not take the others down: it is left out, and a query over
      // it is refused with DuckDB's reason.
      for (const def of readable) {
        await createView(conn, def).catch((err: unknown) => broken.set(viewKey(def), firstLine(err)));
      }
      return { signature, instance, inflight: 0, retired: false, readsS3, broken, fenced };
    } catch (err) {
      conn?.closeSync();
      conn = undefined;
      instance.closeSync();
      throw err;
    } finally {
      conn?.closeSync();
    }
  }
}

/**
 * Directories DuckDB may read for a table location: the location and its real path, never a parent.
 * DuckDB resolves symlinks when it checks access, so a published table (a link to
 * `.versions/<table>/<version>`) needs the live version's directory; the next publication swaps the
 * link, which changes the real path and so the generation's signature, and the next generation
 * allows the new version's directory instead.
 */
async function tablePlace(location: string): Promise<TablePlace> {
  if (isS3(location)) return { dirs: [location] };
  const dirs = [location.replace(/\/?$/, '/')];
  const real = await realpath(location).catch(() => undefined);
  if (real !== undefined && real !== location) dirs.push(real.replace(/\/?$/, '/'));
  return real === undefined ? { dirs } : { dirs, real };
}


/**
 * A view over the table's files; a table with no files yet is an empty view of its declared columns.
 * Any other failure (a file that is not Parquet, one DuckDB may not read) is thrown: an empty view
 * would answer wrong results without a word.
 */
async function createView(conn: DuckDBConnection, def: TableDef): Promise<void> {
  const [schema, view] = duckdbRenderer.create(def);
  await conn.run(schema!);
  try {
    await conn.run(view!);
  } catch (err) {
    if (!/No files found/i.test(firstLine(err))) throw err;
    const cols = [...def.columns, ...def.partitionKeys].map((c) => `CAST(NULL AS ${duckdbType(typeOf(c))}) AS ${q(c.name)}`);
    await conn.run(`CREATE OR REPLACE VIEW ${q(def.database)}.${q(def.name)} AS SELECT ${cols.join(', ')} WHERE false`);
  }
}

const PERMISSION = /^Permission Error/i;

/** What a query is told when DuckDB's sandbox refused a file: nothing of the file itself. */
function outsideCatalog(cause?: unknown): AppError {
  return new AppError('SQL_NOT_ALLOWED', 'the query tried to access something outside the catalog', { cause });
}

function engineError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  if (PERMISSION.test(msg)) return outsideCatalog(err);
  if (/^(Parser|Binder|Catalog) Error/i.test(msg)) return new AppError('QUERY_FAILED', msg.split('\n')[0]!, { cause: err });
  if (/Out of Memory/i.test(msg)) return new AppError('QUERY_FAILED', 'the query exceeded the engine memory limit', { cause: err });
  return new AppError('QUERY_FAILED', msg.split('\n')[0]!, { cause: err });
}

/**
 * Refuses a slice holding a text or binary value longer than `max` bytes, before it is converted:
 * the client turns one value into a JS string in one piece on the event loop (300 MB take half a
 * second). The length is the first 4 bytes of each 16-byte duckdb_string_t in the vector's data; the
 * client keeps that view private, so a client without it leaves the check to the result cap (the
 * test of this check fails then, rather than the gateway).
 */
function checkValueSizes(chunk: DuckDBDataChunk, columns: { name: string }[], start: number, end: number, max: number): void {
  for (let c = 0; c < columns.length; c++) {
    const vector = chunk.getColumnVector(c);
    const id = vector.type.typeId;
    if (id !== DuckDBTypeId.VARCHAR && id !== DuckDBTypeId.BLOB) continue;
    const { dataView: data, validity } = vector as unknown as { dataView?: unknown; validity?: { itemValid?: (i: number) => boolean } };
    // A NULL's 16 bytes are not a length: without the validity mask the check cannot tell, so it is skipped.
    if (!(data instanceof DataView) || typeof validity?.itemValid !== 'function') continue;
    for (let r = start; r < end; r++) {
      if (r * 16 + 4 > data.byteLength) break;
      const bytes = data.getUint32(r * 16, true);
      if (bytes > max && validity.itemValid(r)) {
        const mb = (n: number): string => `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;
        throw new AppError('RESULT_TOO_LARGE', `column ${columns[c]!.name} holds a value of ${mb(bytes)}, more than the ${mb(max)} one value may have (LAKEGATE_QUERY_MAX_VALUE_MB); select a part of it (substr) instead`, {
          details: { column: columns[c]!.name, valueBytes: bytes, maxValueBytes: max },
        });
      }
    }
  }
}
