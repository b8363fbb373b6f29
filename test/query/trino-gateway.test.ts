import { describe, expect, inject, it } from 'vitest';
import { trinoEndpoint } from '../support/trino-server.js';
import { describeManagedEngineGateway } from './support/managed-engine-gateway.js';

// A gateway with engine "trino": managed tables in the run's Trino 476.
const { gateway } = describeManagedEngineGateway(
  'trino',
  async () => ({ LAKEGATE_TRINO_URL: await trinoEndpoint(inject('trinoState')), LAKEGATE_TRINO_TIMESTAMP_PRECISION: '6', LAKEGATE_TRINO_SCHEMA: 'gateway_test' }),
  { version: /^476$/ },
);
const post = (url: string, body: unknown) => gateway().app.inject({ method: 'POST', url, payload: body as object });

describe('the scan guard on engine trino', () => {
  it('refuses a query past maxScanBytes with its estimate, and explains it without running', async () => {
    const sql = 'SELECT count(*) AS n FROM card_analytics.partitioned_transactions';
    const explain = await post('/query/explain', { sql, engine: 'trino' });
    expect(explain.statusCode, explain.body).toBe(200);
    const estimated = explain.json().estimatedBytes as number;
    expect(estimated).toBeGreaterThan(0);
    const refused = await post('/query', { sql, engine: 'trino', maxScanBytes: estimated - 1 });
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'SCAN_BUDGET_EXCEEDED', estimatedBytes: estimated, maxScanBytes: estimated - 1 });
    const ran = await post('/query', { sql, engine: 'trino', maxScanBytes: estimated });
    expect(ran.statusCode, ran.body).toBe(200);
    expect(ran.json().scan.estimatedBytes).toBe(estimated);
  });
});
