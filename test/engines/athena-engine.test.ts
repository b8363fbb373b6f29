import { AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, ListQueryExecutionsCommand } from '@aws-sdk/client-athena';
import { afterEach, describe, expect, it } from 'vitest';
import { AthenaQueryEngine } from '../../src/engines/athena/athena-engine.js';
import { AppError } from '../../src/errors.js';
import { usePrivateMoto } from '../support/private-moto.js';

// A private moto server: this file changes moto's state-manager settings, which are server-wide.
const moto = usePrivateMoto();
const endpoint = (): string => moto.config().endpoint;
const client = (): AthenaClient => new AthenaClient(moto.config());
const engine = (c = client()): AthenaQueryEngine =>
  new AthenaQueryEngine({ client: c, workgroup: 'primary', outputLocation: 's3://results/lakegate/', database: 'card_analytics', pollInitialMs: 5, pollMaxMs: 20 });

async function motoApi(path: string, body: unknown): Promise<void> {
  const res = await fetch(`${endpoint()}${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  expect(res.status).toBeLessThan(300);
}

/** Queues one result set the way Athena returns it: the header row first, every cell as text. */
async function queueResult(columns: [string, string][], rows: (string | null)[][]): Promise<void> {
  const cell = (v: string | null): Record<string, string> => (v === null ? {} : { VarCharValue: v });
  await motoApi('/moto-api/static/athena/query-results', {
    results: [{
      rows: [{ Data: columns.map(([n]) => ({ VarCharValue: n })) }, ...rows.map((r) => ({ Data: r.map(cell) }))],
      column_info: columns.map(([Name, Type]) => ({ Name, Label: Name, Type, CatalogName: 'hive', SchemaName: 'card_analytics', TableName: '', Precision: 0, Scale: 0, Nullable: 'UNKNOWN', CaseSensitive: false })),
    }],
  });
}

/** The execution's state once it is `want` (StopQueryExecution is sent without waiting), or after 2 s of polling. */
async function stateOf(c: AthenaClient, id: string, want: string): Promise<string | undefined> {
  let state: string | undefined;
  for (let i = 0; i < 100 && state !== want; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, 20));
    state = (await c.send(new GetQueryExecutionCommand({ QueryExecutionId: id }))).QueryExecution!.Status?.State;
  }
  return state;
}

async function drain(stream: Awaited<ReturnType<AthenaQueryEngine['execute']>>): Promise<unknown[][]> {
  const out: unknown[][] = [];
  for await (const b of stream.batches) out.push(...b);
  return out;
}

afterEach(async () => motoApi('/moto-api/state-manager/unset-transition', { model_name: 'athena::execution' }));

describe('Athena engine against moto', () => {
  it('starts the query in the workgroup and database, skips the header row and maps types', async () => {
    await queueResult(
      [['category', 'varchar'], ['total_amount', 'bigint'], ['avg_amount', 'double'], ['txn_date', 'date'], ['n', 'integer'], ['ok', 'boolean']],
      [['식비', '9007199254740993', '1234.5', '2024-03-01', '7', 'true'], ['교통', null, '1.0', '2024-03-02', '8', 'false']],
    );
    const c = client();
    const s = await engine(c).execute('SELECT 1', { signal: new AbortController().signal, maxRows: 100 });
    expect(s.columns.map((x) => x.type)).toEqual(['varchar', 'bigint', 'double', 'date', 'integer', 'boolean']);
    expect(await drain(s)).toEqual([
      ['식비', '9007199254740993', 1234.5, '2024-03-01', 7, true],
      ['교통', null, 1, '2024-03-02', 8, false],
    ]);
    const ids = (await c.send(new ListQueryExecutionsCommand({}))).QueryExecutionIds ?? [];
    expect(ids).toHaveLength(1);
    const ex = (await c.send(new GetQueryExecutionCommand({ QueryExecutionId: ids[0] }))).QueryExecution!;
    expect(ex.Query).toBe('SELECT 1');
    expect(ex.WorkGroup).toBe('primary');
    expect(ex.QueryExecutionContext?.Database).toBe('card_analytics');
    expect(ex.ResultConfiguration?.OutputLocation).toMatch(/^s3:\/\/results\/lakegate\//);
  });

  it('answers timestamps and times without the zero fraction Athena prints to the column precision', async () => {
    await queueResult(
      [['ts', 'timestamp'], ['t', 'time']],
      [['1970-01-01 00:00:00.000000', '10:00:00.000'], ['2024-12-31 12:34:56.789120', '23:59:59.5'], [null, null]],
    );
    const s = await engine().execute('SELECT ts, t FROM x', { signal: new AbortController().signal, maxRows: 100 });
    expect(await drain(s)).toEqual([
      ['1970-01-01 00:00:00', '10:00:00'],
      ['2024-12-31 12:34:56.78912', '23:59:59.5'],
      [null, null],
    ]);
  });

  it('reads a result longer than a GetQueryResults page (1,000 rows, the header counted) through NextToken', async () => {
    const values = Array.from({ length: 2500 }, (_, i) => [String(i)]);
    await queueResult([['n', 'integer']], values);
    const c = client();
    const s = await engine(c).execute('SELECT n FROM x', { signal: new AbortController().signal, maxRows: 10_000 });
    expect(await drain(s)).toEqual(values.map(([v]) => [Number(v)]));
    const id = ((await c.send(new ListQueryExecutionsCommand({}))).QueryExecutionIds ?? [])[0]!;
    const first = await c.send(new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: 1000 }));
    expect([first.ResultSet?.Rows?.length, first.NextToken !== undefined]).toEqual([1000, true]);
    await expect(c.send(new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: 1001 }))).rejects.toThrow(/less than or equal to 1000/);
  });

  it('stops the query with StopQueryExecution when the caller aborts (timeout or cancel)', async () => {
    await motoApi('/moto-api/state-manager/set-transition', { model_name: 'athena::execution', transition: { progression: 'manual', times: 1_000_000 } });
    const c = client();
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error('timed out')), 150);
    await expect(engine(c).execute('SELECT slow()', { signal: ac.signal, maxRows: 10 })).rejects.toThrow();
    const ids = (await c.send(new ListQueryExecutionsCommand({}))).QueryExecutionIds ?? [];
    expect(ids).toHaveLength(1);
    expect(await stateOf(c, ids[0]!, 'CANCELLED')).toBe('CANCELLED');
  });

  it('stops a query whose caller gave up while it was being started', async () => {
    await motoApi('/moto-api/state-manager/set-transition', { model_name: 'athena::execution', transition: { progression: 'manual', times: 1_000_000 } });
    const c = client();
    const ac = new AbortController();
    const running = engine(c).execute('SELECT slow()', { signal: ac.signal, maxRows: 10 });
    ac.abort(new Error('client gone')); // StartQueryExecution is in flight
    await expect(running).rejects.toThrow();
    const ids = (await c.send(new ListQueryExecutionsCommand({}))).QueryExecutionIds ?? [];
    expect(ids).toHaveLength(1);
    expect(await stateOf(c, ids[0]!, 'CANCELLED')).toBe('CANCELLED');
  });

  it('reports a FAILED query with the reason Athena gives', async () => {
    await motoApi('/moto-api/state-manager/set-transition', { model_name: 'athena::execution', transition: { progression: 'manual', times: 1_000_000 } });
    const c = client();
    const running = engine(c).execute('SELECT nope FROM monthly_trend', { signal: new AbortController().signal, maxRows: 10 });
    const caught = running.catch((err: unknown) => err);
    let ids: string[] = [];
    for (let i = 0; i < 100 && ids.length === 0; i++) {
      ids = (await c.send(new ListQueryExecutionsCommand({}))).QueryExecutionIds ?? [];
      await new Promise((r) => setTimeout(r, 20));
    }
    await motoApi('/_harness/athena/execution-state', { executionId: ids[0], state: 'FAILED', reason: "COLUMN_NOT_FOUND: line 1:8: Column 'nope' cannot be resolved" });
    const err = (await caught) as AppError;
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe('QUERY_FAILED');
    expect(err.message).toContain("Column 'nope' cannot be resolved");
  });

  it('reports a query cancelled outside the gateway as failed, with the reason', async () => {
    await motoApi('/moto-api/state-manager/set-transition', { model_name: 'athena::execution', transition: { progression: 'manual', times: 1_000_000 } });
    const c = client();
    const caught = engine(c).execute('SELECT 1', { signal: new AbortController().signal, maxRows: 10 }).catch((err: unknown) => err);
    let ids: string[] = [];
    for (let i = 0; i < 100 && ids.length === 0; i++) {
      ids = (await c.send(new ListQueryExecutionsCommand({}))).QueryExecutionIds ?? [];
      await new Promise((r) => setTimeout(r, 20));
    }
    await motoApi('/_harness/athena/execution-state', { executionId: ids[0], state: 'CANCELLED', reason: 'cancelled by an administrator' });
    expect(await caught).toMatchObject({ code: 'QUERY_FAILED', message: expect.stringContaining('cancelled by an administrator') });
  });

  it('says a gateway without AWS credentials is not configured (422), not that Athena is down', async () => {
    const noCredentials = new AthenaClient({
      ...moto.config(),
      credentials: () => Promise.reject(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' })),
    });
    const err = await engine(noCredentials).execute('SELECT 1', { signal: new AbortController().signal, maxRows: 10 }).then(() => undefined, (e: unknown) => e);
    expect(err).toMatchObject({ code: 'AWS_NOT_CONFIGURED', status: 422 });
    expect((err as Error).message).toContain('Athena');
  });

  it('renders catalog tables as database-qualified Trino identifiers', () => {
    const e = engine();
    expect(e.tableRef({ database: 'x', name: 'monthly_trend', columns: [], partitionKeys: [], location: 's3://b/t', format: 'parquet', properties: {} })).toBe('"card_analytics"."monthly_trend"');
  });
});
