import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { TableDef } from '../catalog/table-def.js';
import type { TableScanFilter } from '../sql/index.js';

/** What translation produced for one request against one version of the catalog. */
export interface Translation {
  executed: string;
  warnings: string[];
  tables: TableDef[];
  filters: TableScanFilter[];
}

/**
 * Translations keyed by the version of the catalog they were made against: a fingerprint of the table
 * definitions (so a catalog read fresh for every query, as Glue's is, still hits while nothing
 * changed) and the request (engine, dialect, SQL, parameters). A new catalog version drops them all.
 */
export class TranslationMemo {
  private readonly lru = new LRUCache<string, Translation>({
    max: 1000,
    maxSize: 32 * 1024 * 1024,
    sizeCalculation: (t, key) => 2 * (key.length + t.executed.length) + 256,
  });
  private version: string | undefined;
  /** The local store hands out the same list until a table changes: its fingerprint is computed once. */
  private readonly fingerprints = new WeakMap<TableDef[], string>();

  /** The catalog version of a table list. */
  versionOf(defs: TableDef[]): string {
    let v = this.fingerprints.get(defs);
    if (v === undefined) {
      v = createHash('sha256').update(JSON.stringify(defs)).digest('hex');
      this.fingerprints.set(defs, v);
    }
    return v;
  }

  get(catalogVersion: string, request: readonly unknown[]): Translation | undefined {
    if (catalogVersion !== this.version) {
      this.lru.clear();
      this.version = catalogVersion;
      return undefined;
    }
    return this.lru.get(JSON.stringify(request));
  }

  /** Kept only while `catalogVersion` is still the current one (the catalog may change during a translation). */
  set(catalogVersion: string, request: readonly unknown[], t: Translation): void {
    if (catalogVersion === this.version) this.lru.set(JSON.stringify(request), t);
  }
}
