import type { CatalogStore, PartitionBatchResult, PartitionChanges } from './catalog-store.js';
import type { PartitionDef, TableDef } from './table-def.js';

/**
 * Keeps the table list and table versions of a CatalogStore in memory for the query path, which reads
 * them on every query. Every write through this store drops the copies at once; `maxAgeMs` bounds how
 * long a change made by another writer (Glue is shared) can go unseen. Partitions are not cached.
 */
export class CachedCatalogStore implements CatalogStore {
  /** What was read from the inner store, by key (`tables`, `version:<name>`), with when it was read. */
  private readonly held = new Map<string, { at: number; value: Promise<unknown> }>();

  constructor(
    private readonly inner: CatalogStore,
    private readonly maxAgeMs: number,
  ) {}

  get kind(): CatalogStore['kind'] {
    return this.inner.kind;
  }
  get database(): string {
    return this.inner.database;
  }
  get atomicPartitionChanges(): boolean {
    return this.inner.atomicPartitionChanges;
  }

  listTables(): Promise<TableDef[]> {
    return this.keep('tables', () => this.inner.listTables());
  }

  tableVersion(name: string): Promise<number> {
    return this.keep(`version:${name.toLowerCase()}`, () => this.inner.tableVersion(name));
  }

  listedVersion(name: string): number | undefined {
    return this.inner.listedVersion?.(name);
  }

  /** The value held under `key` while younger than maxAgeMs, else a fresh read; a failed read is not kept. */
  private keep<T>(key: string, read: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const held = this.held.get(key);
    if (held && now - held.at <= this.maxAgeMs) return held.value as Promise<T>;
    const value = read();
    this.held.set(key, { at: now, value });
    value.catch(() => {
      if (this.held.get(key)?.value === value) this.held.delete(key);
    });
    return value;
  }

  getTable(name: string): Promise<TableDef | undefined> {
    return this.inner.getTable(name);
  }

  private async write<T>(work: () => Promise<T>): Promise<T> {
    this.held.clear();
    try {
      return await work();
    } finally {
      this.held.clear();
    }
  }

  createTable(def: TableDef): Promise<boolean> {
    return this.write(() => this.inner.createTable(def));
  }
  upsertTable(def: TableDef): Promise<void> {
    return this.write(() => this.inner.upsertTable(def));
  }
  dropTable(name: string): Promise<boolean> {
    return this.write(() => this.inner.dropTable(name));
  }
  changePartitions(name: string, changes: PartitionChanges, options?: { signal?: AbortSignal }): Promise<PartitionBatchResult> {
    return this.write(() => this.inner.changePartitions(name, changes, options));
  }
  listPartitions(name: string, filter?: Record<string, string>, listed?: TableDef): Promise<PartitionDef[]> {
    return this.inner.listPartitions(name, filter, listed);
  }
  countPartitions(name: string): Promise<number> {
    return this.inner.countPartitions(name);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}
