/**
 * Child process for the crash test: opens the local catalog, announces when the partition change
 * (one transaction) begins, runs a repair of partitioned_transactions, and reports when it is done.
 * Usage: tsx repair-child.ts <catalogDir> <warehouse>
 */
import { DefaultCatalogService } from '../../../src/catalog/default-catalog-service.js';
import { LocalCatalogStore } from '../../../src/catalog/local/local-catalog-store.js';
import { LocalStorage } from '../../../src/storage/local/local-storage.js';

const [dir, warehouse] = process.argv.slice(2) as [string, string];
const store = await LocalCatalogStore.open({ dir, database: 'card_analytics' });
const change = store.changePartitions.bind(store);
store.changePartitions = async (...args) => {
  process.stdout.write(`CHANGING ${process.pid}\n`);
  return change(...args);
};
const catalog = new DefaultCatalogService({ store, storage: { local: new LocalStorage() }, warehouse, database: 'card_analytics' });
const result = await catalog.repair('partitioned_transactions');
process.stdout.write(`DONE ${result.added.length}\n`);
await store.close();
