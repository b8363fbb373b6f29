import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DefaultCatalogService } from '../../src/catalog/default-catalog-service.js';
import { LocalCatalogStore } from '../../src/catalog/local/local-catalog-store.js';
import { LocalStorage } from '../../src/storage/local/local-storage.js';
import { transactionsFile } from './support/catalog-fixture.js';
import { ddlTable, layOutPartitions, repoRoot, tempDir } from './support/lake.js';

const PARTITIONS = 10_000;

/**
 * Runs the child repair and SIGKILLs it `delayMs` after it starts its transaction (or lets it finish
 * when delayMs is undefined). The child runs in its own process group, which the test kills whole
 * (npx -> tsx -> node), so nothing it started outlives it.
 */
function runChild(catalogDir: string, warehouse: string, delayMs: number | undefined): Promise<{ killed: boolean; done: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', path.join(repoRoot, 'test/catalog/support/repair-child.ts'), catalogDir, warehouse], {
      cwd: repoRoot,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let killed = false;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (delayMs !== undefined && !killed && out.includes('CHANGING')) {
        killed = true;
        setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), delayMs);
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (!killed && code !== 0) return reject(new Error(`child failed (${code ?? signal}): ${err}`));
      // npx may exit before the node process below it is reaped (and its file lock released).
      groupGone(child.pid!).then(() => resolve({ killed, done: out.includes('DONE') }), reject);
    });
  });
}

/** Resolves once no process of the group is left. */
async function groupGone(pgid: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`process group ${pgid} still alive`);
}

async function countRows(catalogDir: string): Promise<{ partitions: number; distinct: number; table: boolean }> {
  const store = await LocalCatalogStore.open({ dir: catalogDir, database: 'card_analytics' });
  try {
    const parts = await store.listPartitions('partitioned_transactions');
    const distinct = new Set(parts.map((p) => `${p.values.txn_year}/${p.values.txn_month}`)).size;
    return { partitions: parts.length, distinct, table: (await store.getTable('partitioned_transactions')) !== undefined };
  } finally {
    await store.close();
  }
}

describe('a repair killed halfway', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let warehouse: string;
  let catalogDir: string;

  /** A catalog with the table and none of its partitions. */
  async function freshCatalog(): Promise<void> {
    await rm(catalogDir, { recursive: true, force: true });
    const store = await LocalCatalogStore.open({ dir: catalogDir, database: 'card_analytics' });
    await store.createTable(await ddlTable('partitioned_transactions', warehouse));
    await store.close();
  }

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    warehouse = path.join(dir, 'warehouse');
    catalogDir = path.join(dir, 'catalog');
    await layOutPartitions((await ddlTable('partitioned_transactions', warehouse)).location, PARTITIONS, await transactionsFile());
    await freshCatalog();
  });
  afterAll(() => cleanup());

  it('leaves all or nothing, whenever SIGKILL lands', async () => {
    const seen = new Set<number>();
    const delays = [0, 15, 40, 120];
    let attempts = 0;
    for (let delayMs = delays.shift(); delayMs !== undefined; delayMs = delays.shift()) {
      const before = await countRows(catalogDir);
      const run = await runChild(catalogDir, warehouse, delayMs);
      expect(run.killed).toBe(true);
      const after = await countRows(catalogDir);
      expect(after.table).toBe(true);
      expect(after.partitions).toBe(after.distinct);
      // The transaction either committed whole or not at all.
      expect([before.partitions, PARTITIONS]).toContain(after.partitions);
      seen.add(after.partitions);
      // Killed right as its transaction began, the child should not have committed 10,000 rows; on
      // a loaded machine the kill may still land after the commit: then start again from an empty
      // catalog, a few times, until one kill is seen to land before it.
      if (delayMs === 0 && after.partitions === PARTITIONS && attempts++ < 5) {
        await freshCatalog();
        delays.unshift(0);
        continue;
      }
      if (after.partitions === PARTITIONS) break;
    }
    expect(seen.has(0)).toBe(true);
    // A repair that runs to the end afterwards converges to the full set.
    const finished = await runChild(catalogDir, warehouse, undefined);
    expect(finished.done).toBe(true);
    expect(await countRows(catalogDir)).toEqual({ partitions: PARTITIONS, distinct: PARTITIONS, table: true });
  }, 180_000);

  it('reopens cleanly in this process and keeps serving', async () => {
    const store = await LocalCatalogStore.open({ dir: catalogDir, database: 'card_analytics' });
    try {
      const catalog = new DefaultCatalogService({ store, storage: { local: new LocalStorage() }, warehouse, database: 'card_analytics' });
      const again = await catalog.repair('partitioned_transactions', { dropMissing: true });
      expect(again).toMatchObject({ added: [], removed: [], unchanged: PARTITIONS });
    } finally {
      await store.close();
    }
  });
});
