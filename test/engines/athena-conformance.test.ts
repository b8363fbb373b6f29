import { AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand, StopQueryExecutionCommand } from '@aws-sdk/client-athena';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { AthenaQueryEngine } from '../../src/engines/athena/athena-engine.js';
import { TrinoQueryEngine } from '../../src/engines/trino/trino-engine.js';
import { sleep } from '../../src/storage/concurrency.js';
import { freePort, startMotoServer, type MotoServer } from '../support/moto-server.js';
import { trinoEndpoint } from '../support/trino-server.js';
import { collect, describeQueryEngine } from './support/conformance.js';

/** The Glue database the Athena engine queries: the Trino schema the tables are created in. */
const DATABASE = 'athena_conformance';
const AWS = { region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };

/** 10^10 rows through a cross join (sequence() stops at 10,000 entries): minutes on two cores; `tag` tells runs apart. */
const slowSql = (tag = 0): string =>
  `SELECT sum(a.x * b.x * c.x) + ${tag} FROM UNNEST(sequence(1, 10000)) a(x) CROSS JOIN UNNEST(sequence(1, 10000)) b(x) CROSS JOIN UNNEST(sequence(1, 100)) c(x)`;

let moto: MotoServer | undefined;
let started: Promise<AthenaClient> | undefined;

/**
 * Athena as the gateway sees it: the real AWS SDK against a moto server of this file whose Athena runs
 * every query on the run's Trino 476 (Athena engine v3 is Trino; see test/support/athena_trino.py).
 * Started once for the file.
 */
function athenaOnTrino(): Promise<AthenaClient> {
  started ??= (async () => {
    moto = await startMotoServer({ env: { LAKEGATE_HARNESS_ATHENA_TRINO: await trinoEndpoint(inject('trinoState')) } });
    return new AthenaClient({ ...AWS, endpoint: moto.endpoint });
  })();
  return started;
}

afterAll(async () => moto?.stop());

const athena = (client: AthenaClient): AthenaQueryEngine =>
  new AthenaQueryEngine({ client, workgroup: 'primary', outputLocation: 's3://lakegate-athena-results/', database: DATABASE, pollInitialMs: 20, pollMaxMs: 250 });

// Every case of the suite applies: Athena answers the values, stops queries (StopQueryExecution reaches
// Trino), reports Trino's errors, and an unreachable AWS endpoint is an engine that cannot be reached.
describeQueryEngine('athena', async () => {
  const client = await athenaOnTrino();
  const deadPort = await freePort();
  return {
    engine: athena(client),
    // Athena's tables come from Glue; what this suite tests is the query path, so the tables are made
    // in Trino's metastore directly, in the schema that is the Athena engine's database. The server
    // reads Parquet timestamps to the microsecond: the suite's microseconds test the engine's text
    // handling, while the Athena service itself reads Hive tables' timestamps to the millisecond.
    publish: async (defs) => {
      const trino = new TrinoQueryEngine(loadConfig({ LAKEGATE_TRINO_URL: await trinoEndpoint(inject('trinoState')), LAKEGATE_TRINO_SCHEMA: DATABASE, LAKEGATE_TRINO_TIMESTAMP_PRECISION: '6' }).trino!);
      try {
        const outcome = await trino.onCatalogChange({ changed: defs, dropped: [], reason: 'publication' }, AbortSignal.timeout(120_000));
        if (outcome.status !== 'synced') throw new Error(`trino sync failed: ${outcome.error} (${outcome.statements.join('; ')})`);
      } finally {
        await trino.close();
      }
    },
    slowSql: slowSql(),
    unreachable: () => athena(new AthenaClient({ ...AWS, endpoint: `http://127.0.0.1:${deadPort}` })),
  };
});

/** The execution's state and reason once it has left RUNNING (or after 30 s). */
async function settled(client: AthenaClient, id: string): Promise<{ state?: string; reason?: string }> {
  for (let i = 0; i < 300; i++) {
    const status = (await client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }))).QueryExecution?.Status;
    if (status?.State !== 'RUNNING' && status?.State !== 'QUEUED') return { state: status?.State, reason: status?.StateChangeReason };
    await sleep(100);
  }
  return { state: 'RUNNING' };
}

/** Trino's own record of the query whose text is `sql` (GET /v1/query). */
async function trinoQuery(sql: string): Promise<{ state: string; errorCode?: { name: string } } | undefined> {
  const res = await fetch(`${await trinoEndpoint(inject('trinoState'))}/v1/query`, { headers: { 'X-Trino-User': 'lakegate-test' } });
  const queries = (await res.json()) as Array<{ query: string; state: string; errorCode?: { name: string } }>;
  return queries.find((q) => q.query === sql);
}

describe('Athena on Trino through moto', () => {
  const start = async (client: AthenaClient, sql: string): Promise<string> =>
    (await client.send(new StartQueryExecutionCommand({ QueryString: sql, WorkGroup: 'primary', QueryExecutionContext: { Database: DATABASE } }))).QueryExecutionId!;

  it('presents the result as Athena does: a header row, text cells in Java\'s rendering, NULL as an empty datum, Athena type names', async () => {
    const client = await athenaOnTrino();
    const sql = `SELECT CAST(1e300 AS double) AS dbl, DECIMAL '12.30' AS dec, true AS b, ARRAY[1, NULL] AS arr, MAP(ARRAY['k'], ARRAY[9007199254740993]) AS m,
      CAST(ROW(1, 'a') AS ROW(x integer, y varchar)) AS r, CAST(NULL AS varchar) AS n, TIMESTAMP '2024-12-31 12:34:56.789123' AS ts`;
    const id = await start(client, sql);
    expect((await settled(client, id)).state).toBe('SUCCEEDED');
    const { ResultSet: set } = await client.send(new GetQueryResultsCommand({ QueryExecutionId: id }));
    expect(set?.ResultSetMetadata?.ColumnInfo?.map((c) => [c.Name, c.Type, c.Precision, c.Scale])).toEqual([
      ['dbl', 'double', 17, 0], ['dec', 'decimal', 4, 2], ['b', 'boolean', 0, 0], ['arr', 'array', 0, 0], ['m', 'map', 0, 0],
      ['r', 'row', 0, 0], ['n', 'varchar', 2147483647, 0], ['ts', 'timestamp', 6, 0],
    ]);
    expect(set?.Rows?.map((r) => r.Data)).toEqual([
      ['dbl', 'dec', 'b', 'arr', 'm', 'r', 'n', 'ts'].map((name) => ({ VarCharValue: name })),
      [...['1.0E300', '12.30', 'true', '[1, null]', '{k=9007199254740993}', '{x=1, y=a}'].map((v) => ({ VarCharValue: v })), {}, { VarCharValue: '2024-12-31 12:34:56.789123' }],
    ]);
  });

  it('fails a query with Trino\'s error name and message as StateChangeReason, as Athena words it', async () => {
    const client = await athenaOnTrino();
    const failed = await settled(client, await start(client, 'SELECT nope FROM (VALUES 1) t(x)'));
    expect(failed).toEqual({ state: 'FAILED', reason: "COLUMN_NOT_FOUND: line 1:8: Column 'nope' cannot be resolved" });
  });

  it('StopQueryExecution cancels the query on Trino', async () => {
    const client = await athenaOnTrino();
    const sql = slowSql(Date.now());
    const id = await start(client, sql);
    await sleep(1000);
    expect((await trinoQuery(sql))?.state).toMatch(/QUEUED|PLANNING|STARTING|RUNNING/);
    await client.send(new StopQueryExecutionCommand({ QueryExecutionId: id }));
    expect((await settled(client, id)).state).toBe('CANCELLED');
    let seen = await trinoQuery(sql);
    for (let i = 0; i < 50 && seen?.state !== 'FAILED'; i++) {
      await sleep(100);
      seen = await trinoQuery(sql);
    }
    expect(seen).toMatchObject({ state: 'FAILED', errorCode: { name: 'USER_CANCELED' } });
  }, 30_000);

  it('reads 2,500 rows through GetQueryResults pages of 1,000, in order, with exact BIGINTs', async () => {
    const engine = athena(await athenaOnTrino());
    // 2^53 + x: every value past what a double holds exactly.
    const { columns, rows } = await collect(engine, 'SELECT CAST(x AS integer) AS x, 9007199254740992 + x AS big FROM UNNEST(sequence(1, 2500)) t(x) ORDER BY x', undefined, 10_000);
    expect(columns).toEqual(['x', 'big']);
    expect(rows).toHaveLength(2500);
    expect(rows.every((r, i) => r[0] === i + 1 && r[1] === (9007199254740993n + BigInt(i)).toString())).toBe(true);
  }, 120_000);
});
