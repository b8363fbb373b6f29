import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { inject, describe, expect, it } from 'vitest';
import { trinoRenderer } from '../../src/catalog/ddl/render-trino.js';
import type { TableDef } from '../../src/catalog/table-def.js';
import { loadConfig } from '../../src/config.js';
import { engineSyncHook } from '../../src/engines/engine-sync.js';
import { TrinoQueryEngine } from '../../src/engines/trino/trino-engine.js';
import { isAppError } from '../../src/errors.js';
import { runTrino, trinoEndpoint } from '../support/trino-server.js';

const def: TableDef = {
  database: 'card_analytics', name: 'events', location: '/data/lake/events', format: 'parquet', properties: {}, comment: "it's",
  columns: [{ name: 'id', type: 'BIGINT' }, { name: 'tags', type: 'ARRAY<STRING>' }, { name: 'amount', type: 'DECIMAL(12,2)' }, { name: 'meta', type: 'STRUCT<a:INT,b:MAP<STRING,DOUBLE>>' }],
  partitionKeys: [{ name: 'txn_year', type: 'INT' }],
};

/** A Trino engine on the run's server, tables in `schema`. */
async function trinoEngine(schema = 'engine_test'): Promise<TrinoQueryEngine> {
  const url = await trinoEndpoint(inject('trinoState'));
  return new TrinoQueryEngine(loadConfig({ LAKEGATE_TRINO_URL: url, LAKEGATE_TRINO_TIMESTAMP_PRECISION: '6', LAKEGATE_TRINO_SCHEMA: schema }).trino!);
}

/** Runs `work` with an engine on `schema` and a temporary directory, both gone afterwards. */
async function withEngine(schema: string, work: (e: TrinoQueryEngine, dir: string) => Promise<void>): Promise<void> {
  const e = await trinoEngine(schema);
  const dir = await mkdtemp(path.join(os.tmpdir(), `lakegate-trino-${schema}-`));
  try {
    await work(e, dir);
  } finally {
    await e.close();
    await rm(dir, { recursive: true, force: true });
  }
}

describe('Trino DDL for managed tables', () => {
  it('creates an external table of the hive connector over the local:// location, partition columns last, then syncs partitions', () => {
    expect(trinoRenderer.create(def)).toEqual([
      'CREATE SCHEMA IF NOT EXISTS "card_analytics"',
      'CREATE TABLE "card_analytics"."events" (\n  "id" bigint,\n  "tags" array(varchar),\n  "amount" decimal(12,2),\n  "meta" row("a" integer, "b" map(varchar, double)),\n  "txn_year" integer\n)\n' +
        "COMMENT 'it''s'\nWITH (external_location = 'local:///data/lake/events', format = 'PARQUET', partitioned_by = ARRAY['txn_year'])",
    ]);
    expect(trinoRenderer.refresh(def)).toEqual(["CALL system.sync_partition_metadata('card_analytics', 'events', 'FULL')"]);
    expect(trinoRenderer.create({ ...def, location: 's3://bucket/events', partitionKeys: [] })[1]).toContain("external_location = 's3://bucket/events', format = 'PARQUET')");
    expect(trinoRenderer.refresh({ ...def, partitionKeys: [] })).toEqual([]);
  });
});

describe('Trino engine against Trino 476', () => {
  it("reports the server's version for GET /engines", async () => {
    const e = await trinoEngine();
    try {
      expect(await e.status(AbortSignal.timeout(10_000))).toEqual({ reachable: true, version: '476' });
    } finally {
      await e.close();
    }
  });

  it('cancels the statement on the server when the caller aborts (DELETE on nextUri)', async () => {
    const e = await trinoEngine();
    const marker = `lakegate_cancel_${Date.now()}`;
    const sql = `SELECT sum(a.x * b.x * c.x) AS ${marker} FROM UNNEST(sequence(1, 10000)) a(x) CROSS JOIN UNNEST(sequence(1, 10000)) b(x) CROSS JOIN UNNEST(sequence(1, 100)) c(x)`;
    const ac = new AbortController();
    const endpoint = await trinoEndpoint(inject('trinoState'));
    try {
      const pending = e.execute(sql, { signal: ac.signal, maxRows: 10 }).then(async (s) => {
        for await (const _ of s.batches);
      });
      // Running on the server before the abort.
      const state = async () => (await runTrino(endpoint, `SELECT state, error_code FROM system.runtime.queries WHERE query LIKE '%${marker}%' AND query NOT LIKE '%system.runtime%'`)).rows[0];
      for (let i = 0; i < 100 && (await state())?.[0] !== 'RUNNING'; i++) await new Promise((r) => setTimeout(r, 100));
      ac.abort();
      const err = await pending.then(() => undefined, (x: unknown) => x);
      expect(isAppError(err) && err.code).toBe('QUERY_CANCELLED');
      let last: unknown;
      for (let i = 0; i < 50; i++) {
        last = await state();
        if (Array.isArray(last) && last[0] === 'FAILED') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(last).toEqual(['FAILED', 'USER_CANCELED']);
    } finally {
      await e.close();
    }
  }, 60_000);
});

describe('Trino tables that fail to follow the catalog', () => {
  it('reports the failure and retries the table with the next change', async () => {
    const endpoint = await trinoEndpoint(inject('trinoState'));
    await withEngine('retry_test', async (e, dir) => {
      const table = (name: string): TableDef => ({ ...def, name, location: path.join(dir, name), comment: undefined, partitionKeys: [] });
      // Trino refuses an external location that is a file, not a directory.
      await writeFile(path.join(dir, 'late'), 'not a directory');
      const first = await e.onCatalogChange({ changed: [table('late')], dropped: [], reason: 'repair' }, AbortSignal.timeout(60_000));
      expect(first).toMatchObject({ engine: 'trino', mode: 'managed', status: 'failed', tables: ['late'] });
      expect(first.error).toMatch(/Trino: /);
      await rm(path.join(dir, 'late'));
      await mkdir(path.join(dir, 'late'));
      await mkdir(path.join(dir, 'other'));
      const second = await e.onCatalogChange({ changed: [table('other')], dropped: [], reason: 'repair' }, AbortSignal.timeout(60_000));
      expect(second).toMatchObject({ status: 'synced', tables: ['late', 'other'] });
      expect((await runTrino(endpoint, "SHOW TABLES FROM hive.retry_test")).rows.map((r) => r[0]).sort()).toEqual(['late', 'other']);
      // Dropped from the catalog: dropped in Trino.
      const third = await e.onCatalogChange({ changed: [], dropped: [{ database: 'card_analytics', name: 'late' }], reason: 'repair' }, AbortSignal.timeout(60_000));
      expect(third.status).toBe('synced');
      expect((await runTrino(endpoint, "SHOW TABLES FROM hive.retry_test")).rows.map((r) => r[0])).toEqual(['other']);
    });
  }, 120_000);
});

describe('Trino values in the /query format', () => {
  it('converts at any depth: BIGINT text in arrays, maps and rows; rows as objects; timestamps trimmed', async () => {
    const e = await trinoEngine();
    try {
      const stream = await e.execute(
        "SELECT ARRAY[BIGINT '1', BIGINT '9007199254740993'] AS a, MAP(ARRAY['k'], ARRAY[BIGINT '9007199254740993']) AS m, " +
          "CAST(ROW(1, BIGINT '9007199254740993') AS ROW(x integer, y bigint)) AS r, ARRAY[TIMESTAMP '2024-01-01 10:00:00.000'] AS ts",
        { signal: AbortSignal.timeout(30_000), maxRows: 10 },
      );
      const rows: unknown[][] = [];
      for await (const b of stream.batches) rows.push(...b);
      expect(rows).toEqual([[['1', '9007199254740993'], { k: '9007199254740993' }, { x: 1, y: '9007199254740993' }, ['2024-01-01 10:00:00']]]);
    } finally {
      await e.close();
    }
  });
});

describe('Trino managed tables under concurrent changes', () => {
  it('serializes overlapping syncs of one table and never drops a table that holds its own data', async () => {
    const endpoint = await trinoEndpoint(inject('trinoState'));
    await withEngine('race_test', async (e, dir) => {
      const at = (v: string): TableDef => ({ ...def, name: 't1', location: path.join(dir, v), comment: undefined, partitionKeys: [] });
      for (const v of ['v1', 'v2']) await mkdir(path.join(dir, v));
      // Through the catalog's hook, as repairs and publications reach the engine.
      const hook = engineSyncHook([e], { info: () => undefined, warn: () => undefined });
      const change = async (d: TableDef) => (await hook({ changed: [d], dropped: [], reason: 'publication' }, AbortSignal.timeout(60_000)))[0]!;
      const [a, b] = await Promise.all([change(at('v1')), change(at('v2'))]);
      expect([a.status, b.status]).toEqual(['synced', 'synced']);
      const created = String((await runTrino(endpoint, 'SHOW CREATE TABLE hive.race_test.t1')).rows[0]![0]);
      expect(created).toContain(`local://${path.join(dir, 'v2')}`);
      // A table of Trino's own (not external) under a catalog name is left alone and the sync says why.
      await runTrino(endpoint, 'CREATE TABLE hive.race_test.owned (id bigint)');
      const owned = await e.onCatalogChange({ changed: [{ ...at('v1'), name: 'owned' }], dropped: [], reason: 'repair' }, AbortSignal.timeout(60_000));
      expect(owned.status).toBe('failed');
      expect(owned.error).toMatch(/not an external table/);
      expect((await runTrino(endpoint, 'SHOW CREATE TABLE hive.race_test.owned')).rows[0]![0]).not.toContain('external_location');
    });
  }, 120_000);
});
