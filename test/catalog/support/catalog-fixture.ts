import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DefaultCatalogService } from '../../../src/catalog/default-catalog-service.js';
import { LocalCatalogStore } from '../../../src/catalog/local/local-catalog-store.js';
import { LocalStorage } from '../../../src/storage/local/local-storage.js';
import { tempDir, transactionsSelect, writeParquet } from './lake.js';

/** A local catalog (DuckDB store + filesystem) over a fresh warehouse directory. */
export async function localCatalog(): Promise<{
  dir: string;
  warehouse: string;
  store: LocalCatalogStore;
  catalog: DefaultCatalogService;
  close: () => Promise<void>;
}> {
  const { dir, cleanup } = await tempDir();
  const warehouse = path.join(dir, 'warehouse');
  const store = await LocalCatalogStore.open({ dir: path.join(dir, 'catalog'), database: 'card_analytics' });
  const catalog = new DefaultCatalogService({ store, storage: { local: new LocalStorage() }, warehouse, database: 'card_analytics' });
  return {
    dir,
    warehouse,
    store,
    catalog,
    close: async () => {
      await store.close();
      await cleanup();
    },
  };
}

let template: Promise<Uint8Array> | undefined;
/** The bytes of one small real partitioned_transactions Parquet file (5 rows), made once. */
export function transactionsFile(): Promise<Uint8Array> {
  template ??= (async () => {
    const { dir } = await tempDir('lakegate-template-');
    const file = path.join(dir, 'part-0.parquet');
    await writeParquet(file, transactionsSelect(5));
    return new Uint8Array(await readFile(file));
  })();
  return template;
}
