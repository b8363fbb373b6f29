import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadDdlDir } from '../../src/catalog/ddl/ddl-loader.js';
import { AppError } from '../../src/errors.js';
import { localCatalog } from './support/catalog-fixture.js';
import { put, repoRoot, transactionsSelect } from './support/lake.js';

describe('registerAndRepair with ddl/ as the source of truth', () => {
  let ctx: Awaited<ReturnType<typeof localCatalog>>;
  beforeEach(async () => (ctx = await localCatalog()));
  afterEach(() => ctx.close());

  it('registers all 14 tables before any data exists, then picks up what a writer produced', async () => {
    const defs = await loadDdlDir(path.join(repoRoot, 'ddl'), { warehouse: ctx.warehouse, database: 'card_analytics' });
    const first = await ctx.catalog.registerAndRepair(defs);
    expect(first).toHaveLength(14);
    expect(first.every((r) => r.action === 'created' && r.repair!.added.length === 0)).toBe(true);
    expect((await ctx.catalog.listTables()).map((t) => t.name)).toEqual(defs.map((d) => d.name).sort());

    // A real writer's layout: DuckDB's COPY ... PARTITION_BY (txn_year, txn_month).
    const duck = await DuckDBInstance.create(':memory:');
    const conn = await duck.connect();
    const target = path.join(ctx.warehouse, 'partitioned_transactions');
    await mkdir(ctx.warehouse, { recursive: true });
    await conn.run(`COPY (SELECT *, year(transaction_ts)::INT AS txn_year, month(transaction_ts)::INT AS txn_month FROM (${transactionsSelect(3 * 24 * 60 * 40)}))
      TO '${target}' (FORMAT parquet, PARTITION_BY (txn_year, txn_month))`);
    conn.closeSync();
    duck.closeSync();

    const second = await ctx.catalog.registerAndRepair(defs);
    const txn = second.find((r) => r.table === 'partitioned_transactions')!;
    expect(txn.action).toBe('unchanged');
    expect(txn.repair!.added).toEqual(['txn_year=2024/txn_month=1', 'txn_year=2024/txn_month=2', 'txn_year=2024/txn_month=3', 'txn_year=2024/txn_month=4']);
    const table = await ctx.catalog.getTable('partitioned_transactions', { stats: true });
    expect(table.partitionCount).toBe(4);
    expect(table.stats!.rows).toBe(3 * 24 * 60 * 40);
    expect(await ctx.catalog.validate('partitioned_transactions')).toMatchObject({ ok: true, differences: [] });
    const version = await ctx.catalog.tableVersion('partitioned_transactions');
    const third = await ctx.catalog.registerAndRepair(defs);
    expect(third.every((r) => r.action === 'unchanged')).toBe(true);
    expect(await ctx.catalog.tableVersion('partitioned_transactions')).toBe(version);
  });

  it('updates a changed definition and keeps going past a table that fails', async () => {
    const defs = await loadDdlDir(path.join(repoRoot, 'ddl'), { warehouse: ctx.warehouse, database: 'card_analytics' });
    await ctx.catalog.registerAndRepair(defs);
    const changed = defs.map((d) => (d.name === 'monthly_trend' ? { ...d, comment: 'now documented' } : d));
    // partitioned_transactions' location is a file: its repair fails, the rest still register.
    await put(ctx.warehouse, 'partitioned_transactions', 'not a directory');
    const err = await ctx.catalog.registerAndRepair(changed).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('LOCATION_UNREACHABLE');
    const reports = (err as AppError).details.reports as { table: string; action: string }[];
    expect(reports.find((r) => r.table === 'partitioned_transactions')!.action).toBe('failed');
    expect(reports.find((r) => r.table === 'monthly_trend')!.action).toBe('updated');
    expect(reports.filter((r) => r.action === 'unchanged')).toHaveLength(12);
    expect((await ctx.catalog.getTable('monthly_trend')).comment).toBe('now documented');
  });
});
