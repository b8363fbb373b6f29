import {
  BatchCreatePartitionCommand,
  BatchDeletePartitionCommand,
  BatchUpdatePartitionCommand,
  CreateDatabaseCommand,
  CreateTableCommand,
  DeleteTableCommand,
  GetDatabaseCommand,
  paginateGetPartitions,
  GetTableCommand,
  paginateGetTables,
  UpdateTableCommand,
  type GlueClient,
  type PartitionError,
  type Table,
} from '@aws-sdk/client-glue';
import { AppError, abortError } from '../../errors.js';
import { awsErrorName, fromAwsError } from '../../storage/aws-error.js';
import { chunk, mapLimit, sleep } from '../../storage/concurrency.js';
import type { CatalogStore, PartitionBatchResult, PartitionChanges } from '../catalog-store.js';
import { isNumericType } from '../ddl/hive-type.js';
import { PartitionKeys } from '../partition/partition-discovery.js';
import type { PartitionDef, TableDef } from '../table-def.js';
import { fromGluePartition, fromGlueTable, glueTableVersion, tableToInput, toPartitionInput, toTableInput, VERSION_PARAM } from './glue-mapping.js';

export interface GlueCatalogStoreOptions {
  client: GlueClient;
  database: string;
  /**
   * Our own retries of Batch*Partition entries that failed for a transient reason (the SDK's retry
   * strategy covers whole calls, not entries within a successful response). Defaults: 5 attempts,
   * 200 ms base delay (exponential with full jitter, at most 5 s).
   */
  retry?: { attempts?: number; baseDelayMs?: number };
  /** Batch calls in flight at once (default 4). */
  parallelBatches?: number;
}

/** Glue's limits: BatchCreatePartition takes 100 entries, BatchDeletePartition 25. */
export const CREATE_BATCH = 100;
export const DELETE_BATCH = 25;
export const UPDATE_BATCH = 100;

const TRANSIENT = new Set([
  'ThrottlingException', 'InternalServiceException', 'OperationTimeoutException', 'ConcurrentModificationException',
  'ServiceUnavailableException', 'TooManyRequestsException', 'RequestLimitExceeded',
]);

/** The AWS Glue Data Catalog, one database. Created on first use if missing. */
export class GlueCatalogStore implements CatalogStore {
  readonly kind = 'glue' as const;
  readonly atomicPartitionChanges = false;
  readonly database: string;
  private readonly client: GlueClient;
  private readonly attempts: number;
  private readonly baseDelayMs: number;
  private readonly parallel: number;
  private databaseReady: Promise<void> | undefined;

  /** Each table's version in the latest listing (see listedVersion), and when that listing started. */
  private listed: { started: number; versions: Map<string, number> } = { started: 0, versions: new Map() };
  private listings = 0;

  constructor(options: GlueCatalogStoreOptions) {
    this.client = options.client;
    this.database = options.database.toLowerCase();
    this.attempts = Math.max(1, options.retry?.attempts ?? 5);
    this.baseDelayMs = options.retry?.baseDelayMs ?? 200;
    this.parallel = Math.max(1, options.parallelBatches ?? 4);
  }

  async listTables(): Promise<TableDef[]> {
    await this.ensureDatabase();
    const started = ++this.listings;
    const defs = await this.call('listing tables', async () => {
      const out: TableDef[] = [];
      const versions = new Map<string, number>();
      for await (const page of paginateGetTables({ client: this.client }, { DatabaseName: this.database })) {
        for (const t of page.TableList ?? []) {
          const def = fromGlueTable(t, this.database);
          versions.set(def.name, glueTableVersion(t));
          out.push(def);
        }
      }
      // A listing that started before the one kept does not replace it.
      if (started > this.listed.started) this.listed = { started, versions };
      return out;
    });
    return defs.sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  listedVersion(name: string): number | undefined {
    return this.listed.versions.get(name.toLowerCase());
  }

  async getTable(name: string): Promise<TableDef | undefined> {
    const t = await this.glueTable(name);
    return t && fromGlueTable(t, this.database);
  }

  async createTable(def: TableDef): Promise<boolean> {
    await this.ensureDatabase();
    try {
      await this.client.send(new CreateTableCommand({ DatabaseName: this.database, TableInput: toTableInput(def, Date.now()) }));
      return true;
    } catch (err) {
      if (awsErrorName(err) === 'AlreadyExistsException') return false;
      throw fromAwsError(err, `creating table ${def.name}`);
    }
  }

  async upsertTable(def: TableDef): Promise<void> {
    const old = await this.glueTable(def.name);
    if (!old) {
      if (await this.createTable(def)) return;
      return this.upsertTable(def);
    }
    const oldDef = fromGlueTable(old, this.database);
    const keysChanged = oldDef.partitionKeys.map((k) => `${k.name} ${k.type}`).join() !== def.partitionKeys.map((k) => `${k.name.toLowerCase()} ${k.type}`).join();
    if (keysChanged) {
      const all = await this.listPartitions(def.name);
      await this.changePartitions(def.name, { drop: all.map((p) => p.values) });
    }
    const input = toTableInput(def, nextVersion(glueTableVersion(old)));
    await this.call(`updating table ${def.name}`, () => this.client.send(new UpdateTableCommand({ DatabaseName: this.database, TableInput: input, SkipArchive: true })));
  }

  async dropTable(name: string): Promise<boolean> {
    await this.ensureDatabase();
    try {
      await this.client.send(new DeleteTableCommand({ DatabaseName: this.database, Name: name.toLowerCase() }));
      return true;
    } catch (err) {
      if (awsErrorName(err) === 'EntityNotFoundException') return false;
      throw fromAwsError(err, `dropping table ${name}`);
    }
  }

  async listPartitions(name: string, filter: Record<string, string> = {}, listed?: TableDef): Promise<PartitionDef[]> {
    const def = listed && listed.name === name.toLowerCase() ? listed : await this.requireTable(name);
    const keys = new PartitionKeys(def.partitionKeys);
    const expression = this.expression(keys, filter);
    const parts = await this.call(`listing partitions of ${name}`, async () => {
      const out: PartitionDef[] = [];
      const input = { DatabaseName: this.database, TableName: def.name, Expression: expression, ExcludeColumnSchema: true };
      for await (const page of paginateGetPartitions({ client: this.client }, input)) {
        for (const p of page.Partitions ?? []) out.push(fromGluePartition(def.partitionKeys, p));
      }
      return out;
    });
    // The expression narrows server-side; typed equality decides, exactly as in the local store.
    return keys.filter(parts, filter);
  }

  async countPartitions(name: string): Promise<number> {
    return (await this.listPartitions(name)).length;
  }

  async changePartitions(name: string, changes: PartitionChanges, options: { signal?: AbortSignal } = {}): Promise<PartitionBatchResult> {
    const def = await this.requireTable(name);
    const result: PartitionBatchResult = { added: 0, dropped: 0, moved: 0, failed: [] };
    const keysOf = (v: Record<string, string>): string[] => def.partitionKeys.map((k) => v[k.name] ?? '');
    const base = { DatabaseName: this.database, TableName: def.name };
    const dropFailures = await this.inBatches(changes.drop ?? [], DELETE_BATCH, options.signal, keysOf, 'EntityNotFoundException', async (entries) =>
      (await this.client.send(new BatchDeletePartitionCommand({ ...base, PartitionsToDelete: entries.map((v) => ({ Values: keysOf(v) })) }), { abortSignal: options.signal })).Errors,
    );
    const addFailures = await this.inBatches(changes.add ?? [], CREATE_BATCH, options.signal, (p) => keysOf(p.values), 'AlreadyExistsException', async (entries) =>
      (await this.client.send(new BatchCreatePartitionCommand({ ...base, PartitionInputList: entries.map((p) => toPartitionInput(def, p)) }), { abortSignal: options.signal })).Errors,
    );
    // Moves are updates in place (BatchUpdatePartition): Athena never sees the partition missing.
    const moveFailures = await this.inBatches(changes.move ?? [], UPDATE_BATCH, options.signal, (p) => keysOf(p.values), undefined, async (entries) =>
      (
        await this.client.send(
          new BatchUpdatePartitionCommand({ ...base, Entries: entries.map((p) => ({ PartitionValueList: keysOf(p.values), PartitionInput: toPartitionInput(def, p) })) }),
          { abortSignal: options.signal },
        )
      ).Errors?.map((e) => ({ PartitionValues: e.PartitionValueList, ErrorDetail: e.ErrorDetail })),
    );
    result.failed.push(...dropFailures.map((f) => ({ op: 'drop' as const, values: f.entry, reason: f.reason })));
    result.failed.push(...addFailures.map((f) => ({ op: 'add' as const, values: f.entry.values, reason: f.reason })));
    result.failed.push(...moveFailures.map((f) => ({ op: 'move' as const, values: f.entry.values, reason: f.reason })));
    result.dropped = (changes.drop?.length ?? 0) - dropFailures.length;
    result.added = (changes.add?.length ?? 0) - addFailures.length;
    result.moved = (changes.move?.length ?? 0) - moveFailures.length;
    if (result.added > 0 || result.dropped > 0 || result.moved > 0) await this.bumpVersion(def.name);
    return result;
  }

  async tableVersion(name: string): Promise<number> {
    const t = await this.glueTable(name);
    if (!t) throw new AppError('TABLE_NOT_FOUND', `no table ${name} in ${this.database}`);
    return glueTableVersion(t);
  }

  async close(): Promise<void> {
    // The client belongs to the caller (services.ts), which destroys it.
  }

  /** Sends `items` in batches of `size` (a few batches in flight), each with sendWithRetry; returns every failure in input order. */
  private async inBatches<T>(
    items: T[],
    size: number,
    signal: AbortSignal | undefined,
    valuesOf: (entry: T) => string[],
    benign: string | undefined,
    send: (entries: T[]) => Promise<PartitionError[] | undefined>,
  ): Promise<{ entry: T; reason: string }[]> {
    const results = await mapLimit(chunk(items, size), this.parallel, (batch) =>
      this.sendWithRetry(batch, signal, async (entries) => (await send(entries)) ?? [], valuesOf, benign),
    );
    return results.flat();
  }

  /**
   * Runs one batch call, then retries the entries that failed transiently (or all of them when the
   * whole call failed transiently) with exponential backoff and full jitter. Entries failing with
   * `benign` count as done (already there / already gone). Returns the entries that still failed.
   */
  private async sendWithRetry<T>(
    batch: T[],
    signal: AbortSignal | undefined,
    send: (entries: T[]) => Promise<PartitionError[]>,
    valuesOf: (entry: T) => string[],
    benign: string | undefined,
  ): Promise<{ entry: T; reason: string }[]> {
    const failed: { entry: T; reason: string }[] = [];
    let pending = batch;
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw abortError(signal);
      let transient: { entry: T; reason: string }[] = [];
      try {
        const errors = await send(pending);
        const byValues = new Map(pending.map((e) => [valuesOf(e).join('\u0000'), e]));
        for (const e of errors) {
          const entry = byValues.get((e.PartitionValues ?? []).join('\u0000'));
          const code = e.ErrorDetail?.ErrorCode ?? 'UnknownError';
          if (entry === undefined || code === benign) continue;
          const failure = { entry, reason: `${code}: ${e.ErrorDetail?.ErrorMessage ?? ''}`.replace(/:\s*$/, '') };
          (TRANSIENT.has(code) ? transient : failed).push(failure);
        }
      } catch (err) {
        if (signal?.aborted) throw abortError(signal);
        const name = awsErrorName(err);
        if (name === 'EntityNotFoundException') throw new AppError('TABLE_NOT_FOUND', 'the table vanished while its partitions were being changed', { cause: err });
        const appErr = fromAwsError(err, 'changing partitions');
        if (!TRANSIENT.has(name) && !appErr.retryable) throw appErr;
        transient = pending.map((entry) => ({ entry, reason: name || appErr.message }));
      }
      if (transient.length === 0) return failed;
      if (attempt >= this.attempts) return [...failed, ...transient];
      pending = transient.map((t) => t.entry);
      await sleep(Math.random() * Math.min(5000, this.baseDelayMs * 2 ** attempt), signal);
    }
  }

  private async bumpVersion(name: string): Promise<void> {
    for (let attempt = 0; attempt < this.attempts; attempt++) {
      const t = await this.glueTable(name);
      if (!t) return;
      const input = tableToInput(t);
      input.Parameters = { ...input.Parameters, [VERSION_PARAM]: String(nextVersion(glueTableVersion(t))) };
      try {
        await this.client.send(new UpdateTableCommand({ DatabaseName: this.database, TableInput: input, SkipArchive: true, VersionId: t.VersionId }));
        return;
      } catch (err) {
        if (awsErrorName(err) !== 'ConcurrentModificationException') throw fromAwsError(err, `updating table ${name}`);
      }
    }
  }

  /** A GetPartitions expression narrowing by the filter's keys (values that do not cast are left to the client-side filter). */
  private expression(keys: PartitionKeys, filter: Record<string, string>): string | undefined {
    const parts: string[] = [];
    for (const [k, v] of Object.entries(filter)) {
      const i = keys.keys.findIndex((key) => key.name === k.toLowerCase());
      if (i === -1) continue;
      const numeric = isNumericType(keys.types[i]!);
      if (numeric && !/^[+-]?\d+(\.\d+)?$/.test(v)) continue;
      parts.push(`${keys.keys[i]!.name} = ${numeric ? v : `'${v.replace(/'/g, "''")}'`}`);
    }
    return parts.length ? parts.join(' AND ') : undefined;
  }

  private async glueTable(name: string): Promise<Table | undefined> {
    await this.ensureDatabase();
    try {
      return (await this.client.send(new GetTableCommand({ DatabaseName: this.database, Name: name.toLowerCase() }))).Table;
    } catch (err) {
      if (awsErrorName(err) === 'EntityNotFoundException') return undefined;
      throw fromAwsError(err, `reading table ${name}`);
    }
  }

  private async requireTable(name: string): Promise<TableDef> {
    const def = await this.getTable(name);
    if (!def) throw new AppError('TABLE_NOT_FOUND', `no table ${name} in ${this.database}`);
    return def;
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (awsErrorName(err) === 'EntityNotFoundException') throw new AppError('TABLE_NOT_FOUND', `${what}: not found`, { cause: err });
      throw fromAwsError(err, what);
    }
  }

  private ensureDatabase(): Promise<void> {
    this.databaseReady ??= this.createDatabaseIfMissing().catch((err: unknown) => {
      this.databaseReady = undefined;
      throw err;
    });
    return this.databaseReady;
  }

  private async createDatabaseIfMissing(): Promise<void> {
    try {
      await this.client.send(new GetDatabaseCommand({ Name: this.database }));
      return;
    } catch (err) {
      if (awsErrorName(err) !== 'EntityNotFoundException') throw fromAwsError(err, `reading Glue database ${this.database}`);
    }
    try {
      await this.client.send(new CreateDatabaseCommand({ DatabaseInput: { Name: this.database, Description: 'tables registered by lakegate' } }));
    } catch (err) {
      if (awsErrorName(err) !== 'AlreadyExistsException') throw fromAwsError(err, `creating Glue database ${this.database}`);
    }
  }
}

/** Versions only grow: the next is after both the last one and the clock (so re-created tables never reuse one). */
function nextVersion(current: number): number {
  return Math.max(current + 1, Date.now());
}
