import type { CatalogStore, PartitionBatchResult, PartitionChanges } from './catalog-store.js';
import type { PartitionDef, TableDef } from './table-def.js';

/**
 * Keeps the table list and table versions of a CatalogStore in memory for the query path, which reads
 * them on every query. Every write through this store drops the copies at once; `maxAgeMs` bounds how
 * long a change made by another writer (Glue is shared) can go unseen. Partitions are not cached.
 */
export class CachedCatalogStore implements CatalogStore {
  private tables: { at: number; value: Promise<TableDef[]> } | undefined;
  private versions = new Map<string, { at: number; value: Promise<number> }>();

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
    const now = Date.now();
    if (!this.tables || now - this.tables.at > this.maxAgeMs) {
      const value = this.inner.listTables();
      this.tables = { at: now, value };
      value.catch(() => {
        if (this.tables?.value === value) this.tables = undefined;
      });
    }
    return this.tables.value;
  }

  tableVersion(name: string): Promise<number> {
    const now = Date.now();
    const key = name.toLowerCase();
    const held = this.versions.get(key);
    if (held && now - held.at <= this.maxAgeMs) return held.value;
    const value = this.inner.tableVersion(name);
    this.versions.set(key, { at: now, value });
    value.catch(() => {
      if (this.versions.get(key)?.value === value) this.versions.delete(key);
    });
    return value;
  }

  getTable(name: string): Promise<TableDef | undefined> {
    return this.inner.getTable(name);
  }

  private async write<T>(work: () => Promise<T>): Promise<T> {
    this.forget();
    try {
      return await work();
    } finally {
      this.forget();
    }
  }

  private forget(): void {
    this.tables = undefined;
    this.versions.clear();
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
  listPartitions(name: string, filter?: Record<string, string>): Promise<PartitionDef[]> {
    return this.inner.listPartitions(name, filter);
  }
  countPartitions(name: string): Promise<number> {
    return this.inner.countPartitions(name);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}
