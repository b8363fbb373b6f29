import type { CatalogChange, EngineSyncOutcome } from '../engines/engine.js';
import type { EngineSyncHook } from './catalog-service.js';
import path from 'node:path';
import { AppError, abortError, isAppError } from '../errors.js';
import { mapLimit } from '../storage/concurrency.js';
import { readParquetFooter } from '../storage/parquet/parquet-footer.js';
import type { Storage, StorageEntry } from '../storage/storage.js';
import type { CatalogStore } from './catalog-store.js';
import type {
  CatalogService,
  CreateTableRequest,
  PartitionView,
  RegisterReport,
  RepairOptions,
  RepairResult,
  TableSummary,
  TableView,
  ValidateResult,
} from './catalog-service.js';
import { isDdlDialect, DDL_DIALECTS } from './ddl/dialect.js';
import { isNumericType } from './ddl/hive-type.js';
import { checkLocalRoots, isS3, resolveLocation } from '../storage/location.js';
import { refreshStatements, renderTableDdl } from './ddl/render-ddl.js';
import { discoverPartitions, PartitionKeys } from './partition/partition-discovery.js';
import { isJunkName, partitionPath } from './partition/partition-path.js';
import { parquetColumns } from './schema/parquet-hive-type.js';
import { compareColumns, dedupeDifferences, spread, type SchemaDifference } from './schema/schema-compare.js';
import { dataFiles, inferPartitionKeys, sampleDataFile } from './schema/table-inference.js';
import { checkColumns, checkKeysAgainstColumns, checkName, defFromDdl } from './table-request.js';
import type { PartitionDef, TableDef } from './table-def.js';

export interface DefaultCatalogServiceOptions {
  store: CatalogStore;
  /** Local filesystem, and S3 when the gateway has AWS access. */
  storage: { local: Storage; s3?: Storage };
  /** Where relative LOCATIONs resolve (a directory or an s3:// prefix). */
  warehouse: string;
  database: string;
  /** GET /tables/:name reads footers for row counts only up to this many files (default 200). */
  statsFooterLimit?: number;
  /** validate() reads at most this many footers, spread over the table's files (default 50). */
  validateFileLimit?: number;
  /**
   * Local directories tables may live under (default: anywhere). With roots set, a local location
   * outside them is refused with LOCATION_UNREACHABLE, so the API cannot be used to walk the disk.
   */
  localRoots?: string[];
  /** Makes the query engines' own tables follow a change (src/engines/engine-sync.ts); none: nothing to follow. */
  engineSync?: EngineSyncHook;
}

const FOOTER_READS_IN_FLIGHT = 8;

/** The catalog: definitions in a CatalogStore, partitions discovered on Storage, DDL rendered per engine. */
export class DefaultCatalogService implements CatalogService {
  readonly store: CatalogStore;
  private readonly local: Storage;
  private readonly s3: Storage | undefined;
  private readonly warehouse: string;
  private readonly database: string;
  private readonly statsFooterLimit: number;
  private readonly validateFileLimit: number;
  private readonly localRoots: string[] | undefined;
  private readonly engineSync: EngineSyncHook | undefined;
  /** Repairs of one table run one at a time, so that each diffs against the previous one's result. */
  private readonly repairs = new Map<string, Promise<unknown>>();

  constructor(options: DefaultCatalogServiceOptions) {
    this.store = options.store;
    this.local = options.storage.local;
    this.s3 = options.storage.s3;
    this.warehouse = options.warehouse;
    this.database = options.database.toLowerCase();
    this.statsFooterLimit = options.statsFooterLimit ?? 200;
    this.validateFileLimit = options.validateFileLimit ?? 50;
    this.localRoots = options.localRoots?.map((r) => path.resolve(r));
    this.engineSync = options.engineSync;
  }

  async syncEngines(names: string[], reason: CatalogChange['reason'], signal?: AbortSignal): Promise<EngineSyncOutcome[]> {
    if (!this.engineSync || names.length === 0) return [];
    const changed: TableDef[] = [];
    const dropped: CatalogChange['dropped'] = [];
    for (const name of names) {
      const def = await this.store.getTable(name.toLowerCase());
      if (def) changed.push(def);
      else dropped.push({ database: this.database, name: name.toLowerCase() });
    }
    return this.engineSync({ changed, dropped, reason }, signal);
  }

  async listTables(): Promise<TableSummary[]> {
    return (await this.store.listTables()).map((d) => ({ name: d.name, database: d.database, location: d.location, format: d.format, partitionKeys: d.partitionKeys }));
  }

  async getDefinition(name: string): Promise<TableDef> {
    const n = checkName(name);
    const def = await this.store.getTable(n);
    if (!def) throw new AppError('TABLE_NOT_FOUND', `no table '${n}' in ${this.database}`);
    return def;
  }

  async getTable(name: string, options: { stats?: boolean; signal?: AbortSignal } = {}): Promise<TableView> {
    const def = await this.getDefinition(name);
    const view = toView(def, await this.store.countPartitions(def.name));
    if (options.stats) view.stats = await this.stats(def, options.signal);
    return view;
  }

  async createTable(request: CreateTableRequest, options: { signal?: AbortSignal } = {}): Promise<{ table: TableView; created: boolean }> {
    let def: TableDef;
    let ifNotExists: boolean;
    if ('ddl' in request) {
      ({ def, ifNotExists } = defFromDdl(request.ddl, { warehouse: this.warehouse, database: this.database }));
      checkKeysAgainstColumns(def);
    } else {
      const name = checkName(request.name);
      ifNotExists = request.ifNotExists ?? false;
      const existing = await this.store.getTable(name);
      if (existing) return this.existing(existing, ifNotExists);
      def = await this.defFromLocation({ ...request, name }, options.signal);
    }
    await this.checkRoots(def.location);
    if (await this.store.createTable(def)) return { table: toView(def, 0), created: true };
    return this.existing((await this.store.getTable(def.name)) ?? def, ifNotExists);
  }

  async dropTable(name: string): Promise<void> {
    const n = checkName(name);
    if (!(await this.store.dropTable(n))) throw new AppError('TABLE_NOT_FOUND', `no table '${n}' in ${this.database}`);
    // The engines' own tables go too, within 30 s (the hook logs the outcome, and a failure is retried
    // with the next change). Awaited: no work of the catalog may outlive the request (and the store).
    await this.syncEngines([n], 'repair', AbortSignal.timeout(30_000)).catch(() => undefined);
  }

  async listPartitions(name: string, filter: Record<string, string> = {}): Promise<PartitionView[]> {
    const def = await this.getDefinition(name);
    const repeated = Object.entries(filter).find(([, v]) => typeof v !== 'string');
    if (repeated) throw new AppError('VALIDATION_FAILED', `partition key '${repeated[0]}' given more than once`);
    const unknown = Object.keys(filter).filter((k) => !def.partitionKeys.some((p) => p.name === k.toLowerCase()));
    if (unknown.length) {
      const keys = def.partitionKeys.map((k) => k.name).join(', ') || 'none';
      throw new AppError('VALIDATION_FAILED', `unknown partition key ${unknown.map((k) => `'${k}'`).join(', ')} for ${def.name} (keys: ${keys})`);
    }
    const parts = await this.store.listPartitions(def.name, filter);
    return parts.sort(comparePartitions(def)).map((p) => ({ values: p.values, location: p.location }));
  }

  async repair(name: string, options: RepairOptions = {}): Promise<RepairResult> {
    const def = await this.getDefinition(name);
    const result = await this.serialized(def.name, () => this.repairNow(def, options, false));
    if (result.dryRun || !this.engineSync) return result;
    return { ...result, engines: await this.syncEngines([def.name], 'repair', options.signal) };
  }

  async ddl(name: string, dialect: string): Promise<string> {
    if (!isDdlDialect(dialect)) throw new AppError('UNKNOWN_DIALECT', `unknown dialect '${dialect}'; use one of ${DDL_DIALECTS.join(', ')}`);
    return renderTableDdl(await this.getDefinition(name), dialect);
  }

  async validate(name: string, options: { signal?: AbortSignal } = {}): Promise<ValidateResult> {
    const def = await this.getDefinition(name);
    const storage = await this.storageFor(def.location);
    // Data files only: no `.`/`_` names (checksums next to Spark's files, `_SUCCESS`, `_temporary/`).
    const all = dataFiles(await storage.listRecursive(def.location, { signal: options.signal, prune: isJunkName }), def.location);
    // In a partitioned table only files inside valid partition directories belong to it.
    const files = def.partitionKeys.length ? partitionFiles(all, def) : all.filter((f) => f.location.slice(def.location.length + 1).indexOf('/') === -1);
    const sample = spread(files.sort((a, b) => (a.location < b.location ? -1 : 1)), this.validateFileLimit);
    const found = await mapLimit(sample, FOOTER_READS_IN_FLIGHT, async (f): Promise<SchemaDifference[]> => {
      if (options.signal?.aborted) throw abortError(options.signal);
      try {
        const footer = await readParquetFooter(storage, f.location, { size: f.size, signal: options.signal });
        return compareColumns(def, parquetColumns(footer.schema), f.location);
      } catch (err) {
        if (!isAppError(err) || err.code !== 'INPUT_INVALID') throw err;
        return [{ column: '*', declared: null, actual: `unreadable: ${err.message}`, file: f.location }];
      }
    });
    const differences = dedupeDifferences(found.flat());
    return { ok: differences.length === 0, filesChecked: sample.length, differences };
  }

  async tableVersion(name: string): Promise<number> {
    return this.store.tableVersion(checkName(name));
  }

  async registerAndRepair(defs: TableDef[], options: { signal?: AbortSignal } = {}): Promise<RegisterReport[]> {
    const reports: RegisterReport[] = [];
    let firstError: unknown;
    for (const input of defs) {
      if (options.signal?.aborted) throw abortError(options.signal);
      const def: TableDef = { ...input, database: this.database, name: input.name.toLowerCase() };
      try {
        checkName(def.name);
        checkKeysAgainstColumns(def);
        const old = await this.store.getTable(def.name);
        const action = !old ? 'created' : sameDefinition(old, def) ? 'unchanged' : 'updated';
        if (action !== 'unchanged') await this.store.upsertTable(def);
        const repair = await this.serialized(def.name, () => this.repairNow(def, { dropMissing: true, signal: options.signal }, action === 'created'));
        // A writer registering what it published needs every partition in: a partial repair is a failure.
        if (repair.failed?.length) {
          throw new AppError('UPSTREAM_FAILED', `${repair.failed.length} partition change(s) of ${def.name} failed; first: ${repair.failed[0]!.partition}: ${repair.failed[0]!.reason}`, { retryable: true });
        }
        reports.push({ table: def.name, action, repair });
      } catch (err) {
        firstError ??= err;
        const e = isAppError(err) ? err : new AppError('INTERNAL', 'registration failed', { cause: err });
        reports.push({ table: def.name, action: 'failed', error: { code: e.code, message: e.message } });
      }
    }
    if (firstError !== undefined) {
      const failed = reports.filter((r) => r.action === 'failed');
      const first = isAppError(firstError) ? firstError : new AppError('INTERNAL', 'registration failed', { cause: firstError });
      throw new AppError(first.code, `${failed.length} of ${reports.length} tables failed to register; first: ${failed[0]!.table}: ${first.message}`, {
        cause: firstError,
        details: { reports },
        retryable: first.retryable,
      });
    }
    return reports;
  }

  /** Runs `fn` after every earlier repair of the same table has finished. */
  private async serialized<T>(table: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.repairs.get(table) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(fn);
    this.repairs.set(table, run);
    try {
      return await run;
    } finally {
      if (this.repairs.get(table) === run) this.repairs.delete(table);
    }
  }

  /** Lists the location, diffs the partitions found against the registered ones, applies the difference. */
  private async repairNow(def: TableDef, options: RepairOptions, newTable: boolean): Promise<RepairResult> {
    const dryRun = options.dryRun ?? false;
    if (def.partitionKeys.length === 0) {
      return { added: [], removed: [], unchanged: 0, skipped: [], dryRun, statements: refreshStatements(def, { newTable }) };
    }
    const keys = new PartitionKeys(def.partitionKeys);
    const files = await (await this.storageFor(def.location)).listRecursive(def.location, { signal: options.signal, prune: isJunkName });
    const { partitions, skipped } = discoverPartitions(files, def.location, keys);
    const existing = await this.store.listPartitions(def.name);
    const registered = new Map(existing.map((p) => [keys.identity(p.values), p.location]));
    const found = new Set(partitions.map((p) => p.identity));
    // A partition found at another location than the registered one (a table republished under a new
    // version prefix) is moved: re-pointed in place. It is reported with the added ones.
    const toDef = (p: { values: Record<string, string>; location: string }): PartitionDef => ({ values: p.values, location: p.location });
    const add = partitions.filter((p) => !registered.has(p.identity)).map(toDef);
    const move = partitions.filter((p) => registered.has(p.identity) && registered.get(p.identity) !== p.location).map(toDef);
    const missing = options.dropMissing ? existing.filter((p) => !found.has(keys.identity(p.values))) : [];
    const failedKeys = new Set<string>();
    const failed: { partition: string; reason: string }[] = [];
    if (!dryRun && (add.length || move.length || missing.length)) {
      const result = await this.store.changePartitions(def.name, { add, move, drop: missing.map((p) => p.values) }, { signal: options.signal });
      for (const f of result.failed) {
        failedKeys.add(`${f.op}:${keys.identity(f.values)}`);
        failed.push({ partition: partitionPath(def.partitionKeys, f.values), reason: `${f.op}: ${f.reason}` });
      }
    }
    const order = comparePartitions(def);
    const spec = (p: PartitionDef): string => partitionPath(def.partitionKeys, p.values);
    const added = [
      ...add.filter((p) => !failedKeys.has(`add:${keys.identity(p.values)}`)),
      ...move.filter((p) => !failedKeys.has(`move:${keys.identity(p.values)}`)),
    ].sort(order);
    const removed = missing.filter((p) => !failedKeys.has(`drop:${keys.identity(p.values)}`)).sort(order);
    const result: RepairResult = {
      added: added.map(spec),
      removed: removed.map(spec),
      unchanged: partitions.length - add.length - move.length,
      skipped,
      dryRun,
      statements: refreshStatements(def, { newTable, removed: removed.map((p) => p.values) }),
    };
    if (failed.length) result.failed = failed;
    return result;
  }

  /** files/bytes from a listing; rows from footers when there are few enough files. Never fails the request. */
  private async stats(def: TableDef, signal?: AbortSignal): Promise<TableView['stats']> {
    try {
      const storage = await this.storageFor(def.location);
      const files = dataFiles(await storage.listRecursive(def.location, { signal, prune: isJunkName }), def.location);
      const bytes = files.reduce((n, f) => n + (f.size ?? 0), 0);
      let rows: number | null = null;
      if (files.length <= this.statsFooterLimit) {
        const counts = await mapLimit(files, FOOTER_READS_IN_FLIGHT, (f) => readParquetFooter(storage, f.location, { size: f.size, signal }).then((m) => m.rows));
        rows = counts.reduce((n, c) => n + c, 0);
      }
      return { files: files.length, bytes, rows };
    } catch (err) {
      if (signal?.aborted) throw err;
      return null;
    }
  }

  private existing(def: TableDef, ifNotExists: boolean): Promise<{ table: TableView; created: boolean }> {
    if (!ifNotExists) throw new AppError('TABLE_EXISTS', `table '${def.name}' already exists in ${this.database}`);
    return this.store.countPartitions(def.name).then((n) => ({ table: toView(def, n), created: false }));
  }

  /** A definition from {name, location, columns?, partitionKeys?}: what is not given is read from the files. */
  private async defFromLocation(request: Extract<CreateTableRequest, { location: string }>, signal?: AbortSignal): Promise<TableDef> {
    const location = resolveLocation(request.location, this.warehouse);
    let partitionKeys = request.partitionKeys ? checkColumns(request.partitionKeys, 'partitionKeys') : undefined;
    let columns = request.columns ? checkColumns(request.columns, 'columns') : undefined;
    if (!partitionKeys || !columns) {
      const storage = await this.storageFor(location);
      const files = await storage.listRecursive(location, { signal, prune: isJunkName });
      partitionKeys ??= inferPartitionKeys(files, location);
      if (!columns) {
        const sample = sampleDataFile(files, location, partitionKeys);
        if (!sample) {
          throw new AppError('LOCATION_UNREACHABLE', `no Parquet data files under ${location} to infer columns from; give 'columns'`);
        }
        const footer = await readParquetFooter(storage, sample.location, { size: sample.size, signal });
        const keyNames = new Set(partitionKeys.map((k) => k.name));
        const inferred = parquetColumns(footer.schema).filter((c) => !keyNames.has(c.name));
        try {
          columns = checkColumns(inferred, 'columns');
        } catch (err) {
          throw new AppError('INPUT_INVALID', `cannot register ${sample.location}'s columns: ${(err as Error).message}`, { cause: err });
        }
      }
    }
    const def: TableDef = { database: this.database, name: request.name, columns, partitionKeys, location, format: 'parquet', properties: {} };
    checkKeysAgainstColumns(def);
    return def;
  }

  /** A local location must really (symlinks resolved) lie under the roots; the real path is returned. */
  private async checkRoots(location: string): Promise<string> {
    return location.startsWith('/') ? checkLocalRoots(location, this.localRoots, 'table location') : location;
  }

  async storageFor(location: string): Promise<Storage> {
    if (isS3(location)) {
      if (!this.s3) throw new AppError('LOCATION_UNREACHABLE', `${location}: the gateway has no S3 access configured`);
      return this.s3;
    }
    if (location.startsWith('/')) {
      await this.checkRoots(location);
      return this.local;
    }
    throw new AppError('LOCATION_UNREACHABLE', `${location}: only local paths and s3:// locations can be read`);
  }
}

function toView(def: TableDef, partitionCount: number): TableView {
  const view: TableView = {
    name: def.name,
    database: def.database,
    location: def.location,
    format: def.format,
    columns: def.columns,
    partitionKeys: def.partitionKeys,
    partitionCount,
    properties: def.properties,
  };
  if (def.comment !== undefined) view.comment = def.comment;
  return view;
}

/** Files inside valid partition directories (the same rule repair applies). */
function partitionFiles(files: StorageEntry[], def: TableDef): StorageEntry[] {
  const { partitions } = discoverPartitions(files, def.location, new PartitionKeys(def.partitionKeys));
  const dirs = new Set(partitions.map((p) => p.location));
  return files.filter((f) => dirs.has(f.location.slice(0, f.location.lastIndexOf('/'))));
}

/** Orders partitions by key values: numerically for numeric keys, as text otherwise. */
function comparePartitions(def: TableDef): (a: PartitionDef, b: PartitionDef) => number {
  const keys = new PartitionKeys(def.partitionKeys);
  const numeric = keys.types.map(isNumericType);
  return (a, b) => {
    for (let i = 0; i < def.partitionKeys.length; i++) {
      const k = def.partitionKeys[i]!.name;
      const x = a.values[k] ?? '';
      const y = b.values[k] ?? '';
      if (x === y) continue;
      if (numeric[i]) {
        const d = Number(x) - Number(y);
        if (Number.isFinite(d) && d !== 0) return d;
      }
      return x < y ? -1 : 1;
    }
    return 0;
  };
}

function sameDefinition(a: TableDef, b: TableDef): boolean {
  const norm = (d: TableDef): string =>
    JSON.stringify([d.columns.map((c) => [c.name, c.type, c.comment ?? null]), d.partitionKeys.map((c) => [c.name, c.type, c.comment ?? null]), d.location, d.comment ?? null, Object.entries(d.properties).sort()]);
  return norm(a) === norm(b);
}
