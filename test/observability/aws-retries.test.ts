import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GlueClient } from '@aws-sdk/client-glue';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GlueCatalogStore } from '../../src/catalog/glue/glue-catalog-store.js';
import { AppError } from '../../src/errors.js';
import { S3Storage } from '../../src/storage/s3/s3-storage.js';
import { ddlTable } from '../catalog/support/lake.js';
import { transactionsFile } from '../catalog/support/catalog-fixture.js';
import { startGateway, removeDir, type TestGateway } from '../support/gateway.js';
import { usePrivateMoto } from '../support/private-moto.js';
import { apiKeysEnv, bearer, TOKENS } from '../auth/keys.js';
import { startThrottlingProxy, type ThrottlingProxy } from './support/throttling-proxy.js';

const moto = usePrivateMoto({ resetEachTest: false });
let proxy: ThrottlingProxy;
let s3: S3Client;
let glue: GlueClient;
let storage: S3Storage;
let store: GlueCatalogStore;

beforeAll(async () => {
  proxy = await startThrottlingProxy(moto.config().endpoint);
  const direct = new S3Client(moto.config());
  await direct.send(new CreateBucketCommand({ Bucket: 'lake' }));
  const data = await transactionsFile();
  for (const m of [1, 2, 3]) {
    await direct.send(new PutObjectCommand({ Bucket: 'lake', Key: `warehouse/partitioned_transactions/txn_year=2024/txn_month=${m}/part-0.parquet`, Body: data }));
  }
  direct.destroy();
  // Clients as the gateway builds them, with the SDK's default retry strategy (3 attempts), through the proxy.
  s3 = new S3Client({ ...moto.config(), endpoint: proxy.endpoint });
  glue = new GlueClient({ ...moto.config(), endpoint: proxy.endpoint });
  storage = new S3Storage({ client: s3 });
  store = new GlueCatalogStore({ client: glue, database: 'card_analytics' });
});
afterAll(async () => {
  s3?.destroy();
  glue?.destroy();
  await proxy?.close();
});
beforeEach(() => proxy.reset());

async function failure(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('S3 storage behind throttling and 503s', () => {
  it('retries SlowDown and 503 answers and succeeds', async () => {
    proxy.failNext(2, 'throttle');
    const files = await storage.listRecursive('s3://lake/warehouse/partitioned_transactions/');
    expect(files.map((f) => f.name)).toEqual(['part-0.parquet', 'part-0.parquet', 'part-0.parquet']);
    expect(proxy.counts).toEqual({ failed: 2, forwarded: 1 });

    proxy.failNext(2, 'unavailable');
    const footer = await storage.readRange('s3://lake/warehouse/partitioned_transactions/txn_year=2024/txn_month=1/part-0.parquet', -4);
    expect(new TextDecoder().decode(footer)).toBe('PAR1');
    expect(proxy.counts.failed).toBe(4);
  });

  it('surfaces a persistent failure as a retryable UPSTREAM_FAILED after the SDK gave up', async () => {
    proxy.failAlways('unavailable');
    const err = await failure(storage.listRecursive('s3://lake/warehouse/partitioned_transactions/'));
    expect(err).toMatchObject({ code: 'UPSTREAM_FAILED', status: 502, retryable: true });
    expect(proxy.counts).toEqual({ failed: 3, forwarded: 0 });
  });
});

describe('Glue catalog store behind throttling and 503s', () => {
  it('retries ThrottlingException and ServiceUnavailableException and succeeds', async () => {
    const def = await ddlTable('partitioned_transactions', 's3://lake/warehouse');
    proxy.failNext(2, 'throttle');
    expect(await store.createTable(def)).toBe(true);
    expect(proxy.counts.failed).toBe(2);
    proxy.failNext(2, 'unavailable');
    expect((await store.listTables()).map((t) => t.name)).toEqual(['partitioned_transactions']);
    proxy.failNext(2, 'throttle');
    await store.changePartitions('partitioned_transactions', { add: [{ values: { txn_year: '2024', txn_month: '1' }, location: 's3://lake/warehouse/partitioned_transactions/txn_year=2024/txn_month=1' }] });
    expect(await store.countPartitions('partitioned_transactions')).toBe(1);
    expect(proxy.counts.failed).toBe(6);
  });

  it('surfaces persistent throttling as UPSTREAM_FAILED', async () => {
    proxy.failAlways('throttle');
    const err = await failure(store.listTables());
    expect(err).toMatchObject({ code: 'UPSTREAM_FAILED', retryable: true });
    expect(err.message).toContain('ThrottlingException');
  });
});

describe('a gateway on Glue and S3 whose AWS side fails', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    // The SDK reads credentials from the environment, as in production.
    process.env.AWS_ACCESS_KEY_ID = 'testing';
    process.env.AWS_SECRET_ACCESS_KEY = 'testing';
    proxy.reset();
    gw = await startGateway({
      LAKEGATE_API_KEYS: apiKeysEnv(),
      LAKEGATE_CATALOG: 'glue',
      LAKEGATE_GLUE_DATABASE: 'faulty',
      LAKEGATE_WAREHOUSE: 's3://lake/warehouse',
      AWS_ENDPOINT_URL: proxy.endpoint,
      AWS_REGION: 'us-east-1',
      LAKEGATE_ATHENA_OUTPUT_LOCATION: 's3://lake/athena-results/',
    });
  }, 120_000);
  afterAll(async () => {
    await gw?.close();
    if (gw) await removeDir(gw.home);
  });

  const get = (url: string) => gw.app.inject({ method: 'GET', url, headers: bearer(TOKENS.admin) });

  it('reads the table list for a query, never each table on its own (the listing carries the versions the result cache needs)', async () => {
    const count = (target: string): number => proxy.targets.filter((t) => t === target).length;
    for (const round of [1, 2]) {
      proxy.reset();
      const res = await gw.app.inject({ method: 'POST', url: '/query', headers: bearer(TOKENS.admin), payload: { engine: 'athena', sql: 'SELECT count(*) AS n FROM partitioned_transactions' } });
      expect(res.statusCode, res.body).toBe(200);
      expect(count('AWSGlue.GetTable'), `round ${round}: ${proxy.targets.join(', ')}`).toBe(0);
      // One listing to prepare the query; the first round lists again after the run, to cache its result only if nothing changed.
      expect(count('AWSGlue.GetTables'), `round ${round}: ${proxy.targets.join(', ')}`).toBe(round === 1 ? 2 : 1);
      expect(count('AmazonAthena.StartQueryExecution')).toBe(round === 1 ? 1 : 0);
    }
    // A partition lands and is repaired: only its version changes (the definition does not), and the
    // cached answer is not served any more.
    await s3.send(new PutObjectCommand({ Bucket: 'lake', Key: 'warehouse/partitioned_transactions/txn_year=2024/txn_month=4/part-0.parquet', Body: await transactionsFile() }));
    const repaired = await gw.app.inject({ method: 'POST', url: '/tables/partitioned_transactions/repair', headers: bearer(TOKENS.catalog), payload: {} });
    expect(repaired.statusCode, repaired.body).toBe(200);
    proxy.reset();
    const again = await gw.app.inject({ method: 'POST', url: '/query', headers: bearer(TOKENS.admin), payload: { engine: 'athena', sql: 'SELECT count(*) AS n FROM partitioned_transactions' } });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().cache).toEqual({ hit: false });
    expect(count('AmazonAthena.StartQueryExecution')).toBe(1);
    expect(count('AWSGlue.GetTable')).toBe(0);
  });

  it('rides out throttling: the routes answer 200', async () => {
    proxy.failNext(2, 'throttle');
    const res = await get('/tables');
    expect(res.statusCode).toBe(200);
    expect(res.json().tables.map((t: { name: string }) => t.name)).toContain('partitioned_transactions');
    expect(proxy.counts.failed).toBe(2);
    proxy.failNext(2, 'unavailable');
    expect((await get('/tables/partitioned_transactions/partitions')).statusCode).toBe(200);
  });

  it('answers 502 UPSTREAM_FAILED problem+json while AWS keeps failing, without leaking internals, and recovers', async () => {
    proxy.failAlways('unavailable');
    const routes = [
      () => get('/tables'),
      () => get('/tables/partitioned_transactions'),
      () => gw.app.inject({ method: 'POST', url: '/tables/partitioned_transactions/repair', headers: bearer(TOKENS.catalog), payload: {} }),
    ];
    for (const route of routes) {
      const res = await route();
      expect(res.statusCode).toBe(502);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const body = res.json();
      expect(body).toMatchObject({ status: 502, code: 'UPSTREAM_FAILED' });
      expect(body.detail).not.toMatch(/127\.0\.0\.1|stack|\n\s+at /);
    }
    proxy.failAlways(undefined);
    expect((await get('/tables')).statusCode).toBe(200);
  });
});
