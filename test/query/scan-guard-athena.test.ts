import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, startGateway, type TestGateway } from '../support/gateway.js';
import { usePrivateMoto } from '../support/private-moto.js';
import { bytesOf, writeScanLake, type ScanLake } from './support/scan-lake.js';

// The scan guard on engine athena, with the table on S3: the estimate comes from ListObjectsV2 sizes.
const moto = usePrivateMoto({ resetEachTest: false });
const TABLE = 'card_analytics.scan_events';
let gw: TestGateway;
let lake: ScanLake;
let budget: number;

const query = (payload: Record<string, unknown>) => gw.app.inject({ method: 'POST', url: '/query', payload: { engine: 'athena', ...payload } });

/** Queues the result moto's Athena answers the next query with (header row first, as Athena does). */
async function queueCount(n: number): Promise<void> {
  const res = await fetch(`${moto.config().endpoint}/moto-api/static/athena/query-results`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      results: [{
        rows: [{ Data: [{ VarCharValue: 'n' }] }, { Data: [{ VarCharValue: String(n) }] }],
        column_info: [{ Name: 'n', Label: 'n', Type: 'bigint', CatalogName: 'hive', SchemaName: 'card_analytics', TableName: '', Precision: 0, Scale: 0, Nullable: 'UNKNOWN', CaseSensitive: false }],
      }],
    }),
  });
  expect(res.status).toBeLessThan(300);
}

beforeAll(async () => {
  const cfg = moto.config();
  const s3 = new S3Client(cfg);
  await s3.send(new CreateBucketCommand({ Bucket: 'lake' }));
  await s3.send(new CreateBucketCommand({ Bucket: 'results' }));
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lakegate-scan-s3-'));
  lake = await writeScanLake(dir);
  // Every file, junk included, goes up as it is: the object sizes are the local files' sizes.
  for (const rel of await readdir(dir, { recursive: true })) {
    const body = await readFile(path.join(dir, rel)).catch(() => undefined);
    if (body) await s3.send(new PutObjectCommand({ Bucket: 'lake', Key: `wh/scan_events/${rel}`, Body: body }));
  }
  await removeDir(dir);
  budget = bytesOf(lake, ['dt=2024-01-02/region=eu', 'dt=2024-01-02/region=us']);
  process.env.AWS_ACCESS_KEY_ID = 'testing';
  process.env.AWS_SECRET_ACCESS_KEY = 'testing';
  gw = await startGateway({
    AWS_ENDPOINT_URL: cfg.endpoint, AWS_REGION: 'us-east-1',
    LAKEGATE_ATHENA_OUTPUT_LOCATION: 's3://results/lakegate/', LAKEGATE_MAX_SCAN_BYTES: String(budget), LAKEGATE_QUERY_CACHE_ENTRIES: '0',
  });
  const created = await gw.app.inject({
    method: 'POST', url: '/tables',
    payload: {
      name: 'scan_events', location: 's3://lake/wh/scan_events',
      columns: [{ name: 'id', type: 'bigint' }, { name: 'amount', type: 'bigint' }],
      partitionKeys: [{ name: 'dt', type: 'date' }, { name: 'region', type: 'string' }],
    },
  });
  expect(created.statusCode, created.body).toBe(201);
  expect((await gw.app.inject({ method: 'POST', url: '/tables/scan_events/repair', payload: {} })).statusCode).toBe(200);
});
afterAll(async () => {
  await gw?.close();
  if (gw) await removeDir(gw.home);
});

describe('the scan guard on athena (moto), table on S3', () => {
  it('refuses the whole table with the bytes of its S3 objects, junk and hidden objects left out', async () => {
    const res = await query({ sql: `SELECT count(*) AS n FROM ${TABLE}` });
    expect(res.statusCode, res.body).toBe(422);
    const total = [...lake.bytes.values()].reduce((a, b) => a + b, 0);
    expect(res.json()).toMatchObject({ code: 'SCAN_BUDGET_EXCEEDED', estimatedBytes: total, maxScanBytes: budget, partitionCount: 8 });
  });

  it('runs a query within the budget and reports the estimate next to what Athena says it scanned', async () => {
    await queueCount(42);
    const res = await query({ sql: `SELECT count(*) AS n FROM ${TABLE} WHERE dt = '2024-01-02'` });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.rows).toEqual([[42]]);
    // moto's Athena reports 0 bytes scanned: `actualBytes` is that figure, `dataScannedBytes` stays as it was.
    expect(body).toMatchObject({ dataScannedBytes: 0, scan: { estimatedBytes: budget, actualBytes: 0 } });
    expect(body.sql.executed).toContain(`"dt" = DATE '2024-01-02'`);
  });
});
