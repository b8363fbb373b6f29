import path from 'node:path';
import { Ajv } from 'ajv';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openapiSpec } from '../../src/api/openapi-schema.js';
import { buildCatalogApp } from './catalog-app.js';
import { localCatalog, transactionsFile } from './support/catalog-fixture.js';
import { put, repoRoot, transactionsSelect, writeParquet } from './support/lake.js';
import { readFile } from 'node:fs/promises';

/** Validates a response body against a schema of openapi.yaml (refs resolved against the spec). */
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addSchema({ ...(openapiSpec() as object), $id: 'openapi' });
function conforms(schema: string, body: unknown): void {
  const validate = ajv.getSchema(`openapi#/components/schemas/${schema}`)!;
  expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
}

describe('tables routes', () => {
  let ctx: Awaited<ReturnType<typeof localCatalog>>;
  let app: FastifyInstance;
  let txnDdl: string;

  beforeAll(async () => {
    ctx = await localCatalog();
    app = await buildCatalogApp(ctx.catalog);
    txnDdl = await readFile(path.join(repoRoot, 'ddl/partitioned_transactions.sql'), 'utf8');
    const data = await transactionsFile();
    for (const m of [1, 2, 3]) await put(path.join(ctx.warehouse, 'partitioned_transactions'), `txn_year=2024/txn_month=${m}/part-0.parquet`, data);
    await put(path.join(ctx.warehouse, 'partitioned_transactions'), '_SUCCESS', '');
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  it('creates from DDL: 201, then 200 with IF NOT EXISTS, 409 without', async () => {
    const created = await app.inject({ method: 'POST', url: '/tables', payload: { ddl: txnDdl } });
    expect(created.statusCode).toBe(201);
    conforms('Table', created.json());
    expect(created.json()).toMatchObject({ name: 'partitioned_transactions', database: 'card_analytics', partitionCount: 0, location: path.join(ctx.warehouse, 'partitioned_transactions') });
    const again = await app.inject({ method: 'POST', url: '/tables', payload: { ddl: txnDdl } });
    expect(again.statusCode).toBe(200);
    const conflict = await app.inject({ method: 'POST', url: '/tables', payload: { ddl: txnDdl.replace('IF NOT EXISTS ', '') } });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.headers['content-type']).toContain('application/problem+json');
    expect(conflict.json()).toMatchObject({ status: 409, code: 'TABLE_EXISTS' });
  });

  it('lists tables', async () => {
    const res = await app.inject({ method: 'GET', url: '/tables' });
    expect(res.statusCode).toBe(200);
    conforms('TableList', res.json());
    expect(res.json().tables.map((t: { name: string }) => t.name)).toContain('partitioned_transactions');
  });

  it('repairs, then lists partitions with filters', async () => {
    const dry = await app.inject({ method: 'POST', url: '/tables/partitioned_transactions/repair', payload: { dryRun: true } });
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({ added: ['txn_year=2024/txn_month=1', 'txn_year=2024/txn_month=2', 'txn_year=2024/txn_month=3'], dryRun: true });
    const res = await app.inject({ method: 'POST', url: '/tables/partitioned_transactions/repair' });
    expect(res.statusCode).toBe(200);
    conforms('RepairResult', res.json());
    expect(res.json()).toMatchObject({ added: ['txn_year=2024/txn_month=1', 'txn_year=2024/txn_month=2', 'txn_year=2024/txn_month=3'], removed: [], unchanged: 0, dryRun: false });

    const all = await app.inject({ method: 'GET', url: '/tables/partitioned_transactions/partitions' });
    conforms('PartitionList', all.json());
    expect(all.json().partitions).toHaveLength(3);
    const one = await app.inject({ method: 'GET', url: '/tables/partitioned_transactions/partitions?txn_month=2&txn_year=2024' });
    expect(one.json()).toEqual({ partitions: [{ values: { txn_year: '2024', txn_month: '2' }, location: path.join(ctx.warehouse, 'partitioned_transactions/txn_year=2024/txn_month=2') }] });
    const unknown = await app.inject({ method: 'GET', url: '/tables/partitioned_transactions/partitions?region=x' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().code).toBe('VALIDATION_FAILED');
    expect(unknown.json().detail).toContain("unknown partition key 'region'");
    const bad = await app.inject({ method: 'POST', url: '/tables/partitioned_transactions/repair', payload: { dryRun: 'yes please' } });
    expect(bad.statusCode).toBe(400);
  });

  it('shows one table with partition count and footer statistics', async () => {
    const res = await app.inject({ method: 'GET', url: '/tables/PARTITIONED_TRANSACTIONS' });
    expect(res.statusCode).toBe(200);
    conforms('Table', res.json());
    const data = await transactionsFile();
    expect(res.json()).toMatchObject({ partitionCount: 3, stats: { files: 3, bytes: 3 * data.length, rows: 15 }, comment: 'card transactions' });
    expect(res.json().partitionKeys).toEqual([
      { name: 'txn_year', type: 'INT', comment: 'year of transaction_ts' },
      { name: 'txn_month', type: 'INT', comment: 'month 1-12' },
    ]);
  });

  it('renders DDL as text per dialect; an unknown dialect is UNKNOWN_DIALECT', async () => {
    const hive = await app.inject({ method: 'GET', url: '/tables/partitioned_transactions/ddl' });
    expect(hive.statusCode).toBe(200);
    expect(hive.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(hive.body).toMatch(/^CREATE EXTERNAL TABLE IF NOT EXISTS `card_analytics`\.`partitioned_transactions`/);
    expect(hive.body).toContain('MSCK REPAIR TABLE');
    const impala = await app.inject({ method: 'GET', url: '/tables/partitioned_transactions/ddl?dialect=impala' });
    expect(impala.body).toContain('RECOVER PARTITIONS');
    const duck = await app.inject({ method: 'GET', url: '/tables/partitioned_transactions/ddl?dialect=duckdb' });
    expect(duck.body).toContain('read_parquet(');
    const oracle = await app.inject({ method: 'GET', url: '/tables/partitioned_transactions/ddl?dialect=oracle' });
    expect(oracle.statusCode).toBe(400);
    expect(oracle.json()).toMatchObject({ code: 'UNKNOWN_DIALECT' });
  });

  it('validates the declared schema against the footers', async () => {
    const good = await app.inject({ method: 'GET', url: '/tables/partitioned_transactions/validate' });
    expect(good.statusCode).toBe(200);
    conforms('ValidateResult', good.json());
    expect(good.json()).toEqual({ ok: true, filesChecked: 3, differences: [] });

    // The original batch's defect: DDL names that do not match what the ETL wrote.
    const drift = path.join(ctx.warehouse, 'drifted');
    await writeParquet(path.join(drift, 'part-0.parquet'), `SELECT card_no AS card_number, amount, CAST(txn_hour AS BIGINT) AS txn_hour FROM (${transactionsSelect(3)})`);
    const created = await app.inject({
      method: 'POST', url: '/tables',
      payload: { name: 'drifted', location: 'drifted', columns: [{ name: 'card_no', type: 'string' }, { name: 'amount', type: 'bigint' }, { name: 'txn_hour', type: 'int' }] },
    });
    expect(created.statusCode).toBe(201);
    const res = await app.inject({ method: 'GET', url: '/tables/drifted/validate' });
    conforms('ValidateResult', res.json());
    expect(res.json()).toEqual({
      ok: false,
      filesChecked: 1,
      differences: [
        { column: 'card_no', declared: 'STRING', actual: null, file: path.join(drift, 'part-0.parquet') },
        { column: 'txn_hour', declared: 'INT', actual: 'BIGINT', file: path.join(drift, 'part-0.parquet') },
        { column: 'card_number', declared: null, actual: 'STRING', file: path.join(drift, 'part-0.parquet') },
      ],
    });
  });

  it('creates from a location by reading the footers', async () => {
    const res = await app.inject({ method: 'POST', url: '/tables', payload: { name: 'copy_of_txn', location: path.join(ctx.warehouse, 'partitioned_transactions') } });
    expect(res.statusCode).toBe(201);
    expect(res.json().partitionKeys).toEqual([{ name: 'txn_year', type: 'INT' }, { name: 'txn_month', type: 'INT' }]);
    expect(res.json().columns).toHaveLength(13);
    const again = await app.inject({ method: 'POST', url: '/tables', payload: { name: 'copy_of_txn', location: 'x', ifNotExists: true } });
    expect(again.statusCode).toBe(200);
    const missing = await app.inject({ method: 'POST', url: '/tables', payload: { name: 'nothing_here', location: '/nonexistent/dir' } });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().code).toBe('LOCATION_UNREACHABLE');
  });

  it('refuses bad names, malformed DDL and bad bodies with precise codes', async () => {
    for (const url of ['/tables/..%2F..%2Fetc%2Fpasswd', '/tables/a-b', '/tables/.', '/tables/a%2F..', '/tables/1abc', `/tables/${'x'.repeat(200)}`, '/tables/a%00b']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().code, url).toBe('INVALID_NAME');
    }
    const del = await app.inject({ method: 'DELETE', url: '/tables/a.b' });
    expect(del.json().code).toBe('INVALID_NAME');
    const body = await app.inject({ method: 'POST', url: '/tables', payload: { name: '../../x', location: '/tmp' } });
    expect(body.json().code).toBe('INVALID_NAME');
    const ddlName = await app.inject({ method: 'POST', url: '/tables', payload: { ddl: 'CREATE TABLE `a/b` (x INT)' } });
    expect(ddlName.json()).toMatchObject({ code: 'INVALID_NAME', position: { line: 1, column: 14 } });
    const syntax = await app.inject({ method: 'POST', url: '/tables', payload: { ddl: 'CREATE TABLE t (\n  a INT,\n  b WRONG\n)' } });
    expect(syntax.statusCode).toBe(400);
    expect(syntax.json()).toMatchObject({ code: 'DDL_SYNTAX', position: { line: 3, column: 5 } });
    for (const payload of [{ location: '/tmp/t' }, { ddl: 'CREATE TABLE t (a INT)', extra: 1 }, { name: 't', location: '/x', format: 'orc' }]) {
      const res = await app.inject({ method: 'POST', url: '/tables', payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().code).toBe('VALIDATION_FAILED');
    }
    const extraRepair = await app.inject({ method: 'POST', url: '/tables/partitioned_transactions/repair', payload: { force: true } });
    expect(extraRepair.json().code).toBe('VALIDATION_FAILED');
    const badType = await app.inject({ method: 'POST', url: '/tables', payload: { name: 't', location: '/tmp/t', columns: [{ name: 'a', type: 'NOPE' }] } });
    expect(badType.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    for (const ddl of ['CREATE TABLE t (a INT) STORED AS ORC', "CREATE TABLE t (a INT) ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe'"]) {
      const res = await app.inject({ method: 'POST', url: '/tables', payload: { ddl } });
      expect(res.json(), ddl).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    }
    const foreign = await app.inject({ method: 'POST', url: '/tables', payload: { ddl: 'CREATE TABLE other_db.t (a INT)' } });
    expect(foreign.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    const notJson = await app.inject({ method: 'POST', url: '/tables', headers: { 'content-type': 'application/json' }, payload: '{' });
    expect(notJson.statusCode).toBe(400);
  });

  it('answers 404 for unknown tables on every route', async () => {
    for (const [method, url] of [
      ['GET', '/tables/nope'], ['DELETE', '/tables/nope'], ['GET', '/tables/nope/partitions'], ['POST', '/tables/nope/repair'],
      ['GET', '/tables/nope/ddl'], ['GET', '/tables/nope/validate'],
    ] as const) {
      const res = await app.inject({ method, url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json(), url).toMatchObject({ code: 'TABLE_NOT_FOUND', status: 404 });
    }
  });

  it('deletes metadata only: 204, then 404, and the files stay', async () => {
    const res = await app.inject({ method: 'DELETE', url: '/tables/copy_of_txn' });
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect((await app.inject({ method: 'GET', url: '/tables/copy_of_txn' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'DELETE', url: '/tables/copy_of_txn' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/tables/partitioned_transactions/validate' })).json().filesChecked).toBe(3);
  });
});
