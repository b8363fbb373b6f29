import type { CatalogStore } from './catalog-store.js';
import type { TableDef } from './table-def.js';

/**
 * What the rest of the gateway (pipeline runner, query engines, routes) asks of the catalog.
 * Implemented by DefaultCatalogService over a CatalogStore and the lake's Storage.
 */
export interface CatalogService {
  readonly store: CatalogStore;
  /** Creates or updates each definition, then discovers and registers its partitions (add and drop). */
  registerAndRepair(defs: TableDef[], options?: { signal?: AbortSignal }): Promise<void>;
}
