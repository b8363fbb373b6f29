import { randomUUID } from 'node:crypto';
import {
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  paginateGetQueryResults,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type AthenaClient,
  type ColumnInfo,
  type QueryExecution,
} from '@aws-sdk/client-athena';
import type { TableDef } from '../../catalog/table-def.js';
import { AppError, abortError, engineUnavailable } from '../../errors.js';
import { fromAwsError } from '../../storage/aws-error.js';
import type { ExecuteOptions, QueryColumn, QueryEngine, QueryStream } from '../engine.js';
import { sleep } from '../../storage/concurrency.js';
import { trimFraction } from '../temporal-text.js';

export interface AthenaEngineOptions {
  client: AthenaClient;
  workgroup: string;
  /** s3:// prefix for result files; optional when the workgroup enforces its own. */
  outputLocation?: string;
  /** Glue database the catalog's tables live in. */
  database: string;
  pollInitialMs?: number;
  pollMaxMs?: number;
}

const q = (s: string): string => `"${s.replace(/"/g, '""')}"`;

/**
 * JSON value of one Athena cell (all cells arrive as text); 64-bit integers and decimals stay exact
 * strings, timestamps and times lose a zero fraction (Athena prints it to the column's precision).
 */
function convert(type: string, text: string | undefined): unknown {
  if (text === undefined) return null;
  switch (type.toLowerCase()) {
    case 'tinyint':
    case 'smallint':
    case 'integer':
    case 'int':
    case 'double':
    case 'float':
    case 'real':
      return Number(text);
    case 'boolean':
      return text === 'true';
    case 'timestamp':
    case 'time':
      return trimFraction(text);
    default:
      return text;
  }
}

function upstream(err: unknown, what: string): AppError {
  if (err instanceof AppError) return err;
  const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  if (e.name === 'InvalidRequestException') return new AppError('QUERY_FAILED', `Athena refused the query: ${e.message}`, { cause: err });
  // The service's own message stays in the log (cause): a 502 names the call and the error class only.
  if (e.$metadata?.httpStatusCode) return new AppError('UPSTREAM_FAILED', `Athena ${what} failed: ${e.name ?? 'error'} (HTTP ${e.$metadata.httpStatusCode})`, { cause: err, retryable: true });
  // No HTTP answer at all because the network did not carry one: the engine is down for the caller,
  // named as the other engines name themselves. Anything else (no credentials) is said as for any AWS call.
  if (NO_ANSWER.has((err as { code?: string }).code ?? '') || e.name === 'TimeoutError') return engineUnavailable('athena', `Athena ${what} could not reach the service`, err);
  return fromAwsError(err, `Athena ${what}`);
}

/** Socket errors that mean nothing answered at the endpoint. */
const NO_ANSWER = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

/**
 * AWS Athena (Trino dialect): StartQueryExecution in the configured workgroup and database with a
 * ClientRequestToken, GetQueryExecution polled with backoff, GetQueryResults paginated. A timeout or
 * cancel calls StopQueryExecution; FAILED and CANCELLED carry Athena's reason.
 */
export class AthenaQueryEngine implements QueryEngine {
  readonly name = 'athena' as const;
  readonly dialect = 'athena' as const;
  readonly capabilities = { executes: true, readsS3: true, billsByScan: true };

  constructor(private readonly o: AthenaEngineOptions) {}

  tableRef(def: TableDef): string {
    return `${q(this.o.database)}.${q(def.name)}`;
  }

  async execute(sql: string, { signal, maxRows }: ExecuteOptions): Promise<QueryStream> {
    if (signal.aborted) throw abortError(signal);
    const started = await this.o.client
      .send(
        new StartQueryExecutionCommand({
          QueryString: sql,
          WorkGroup: this.o.workgroup,
          QueryExecutionContext: { Database: this.o.database },
          ResultConfiguration: this.o.outputLocation ? { OutputLocation: this.o.outputLocation } : undefined,
          ClientRequestToken: randomUUID(),
        }),
      )
      .catch((err: unknown) => {
        throw upstream(err, 'StartQueryExecution');
      });
    const id = started.QueryExecutionId!;
    const stop = (): void => void this.o.client.send(new StopQueryExecutionCommand({ QueryExecutionId: id })).catch(() => undefined);
    signal.addEventListener('abort', stop, { once: true });
    // Aborted while StartQueryExecution was in flight: the listener above will never fire.
    if (signal.aborted) stop();
    try {
      const execution = await this.waitFor(id, signal);
      return this.results(id, execution, signal, maxRows, () => signal.removeEventListener('abort', stop));
    } catch (err) {
      signal.removeEventListener('abort', stop);
      throw err;
    }
  }

  async close(): Promise<void> {
    /* the SDK client is owned by services */
  }

  private async waitFor(id: string, signal: AbortSignal): Promise<QueryExecution> {
    let delay = this.o.pollInitialMs ?? 100;
    for (;;) {
      if (signal.aborted) throw abortError(signal);
      const { QueryExecution: ex } = await this.o.client.send(new GetQueryExecutionCommand({ QueryExecutionId: id })).catch((err: unknown) => {
        throw upstream(err, 'GetQueryExecution');
      });
      const state = ex?.Status?.State;
      if (state === 'SUCCEEDED') return ex!;
      if (state === 'FAILED') {
        throw new AppError('QUERY_FAILED', `Athena query ${id} failed: ${ex?.Status?.StateChangeReason ?? ex?.Status?.AthenaError?.ErrorMessage ?? 'no reason given'}`, {
          details: { queryExecutionId: id },
        });
      }
      if (state === 'CANCELLED') {
        if (signal.aborted) throw abortError(signal);
        throw new AppError('QUERY_FAILED', `Athena query ${id} was cancelled: ${ex?.Status?.StateChangeReason ?? 'no reason given'}`, { details: { queryExecutionId: id } });
      }
      await sleep(delay, signal).catch(() => {
        throw abortError(signal);
      });
      delay = Math.min(delay * 2, this.o.pollMaxMs ?? 2000);
    }
  }

  private async results(id: string, ex: QueryExecution, signal: AbortSignal, maxRows: number, done: () => void): Promise<QueryStream> {
    const client = this.o.client;
    const first = await client.send(new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: 1000 })).catch((err: unknown) => {
      done();
      throw upstream(err, 'GetQueryResults');
    });
    const info: ColumnInfo[] = first.ResultSet?.ResultSetMetadata?.ColumnInfo ?? [];
    const columns: QueryColumn[] = info.map((c) => ({ name: c.Label ?? c.Name ?? '', type: c.Type ?? 'varchar' }));
    const toRow = (r: { Data?: { VarCharValue?: string }[] }): unknown[] => columns.map((c, i) => convert(c.type, r.Data?.[i]?.VarCharValue));
    async function* batches(): AsyncGenerator<unknown[][]> {
      try {
        let rows = first.ResultSet?.Rows ?? [];
        // Athena repeats the column labels as the first row of the first page of a SELECT.
        const head = rows[0]?.Data?.map((d) => d.VarCharValue);
        if (head && head.length === columns.length && head.every((v, i) => v === columns[i]!.name)) rows = rows.slice(1);
        yield rows.map(toRow);
        let produced = rows.length;
        if (!first.NextToken || produced > maxRows) return;
        // The first page was read for the columns; the SDK's paginator follows the tokens from there.
        const rest = paginateGetQueryResults({ client, pageSize: 1000, startingToken: first.NextToken }, { QueryExecutionId: id });
        try {
          for await (const page of rest) {
            if (signal.aborted) throw abortError(signal);
            rows = page.ResultSet?.Rows ?? [];
            yield rows.map(toRow);
            produced += rows.length;
            if (produced > maxRows) return;
          }
        } catch (err) {
          throw signal.aborted ? abortError(signal) : upstream(err, 'GetQueryResults');
        }
      } finally {
        done();
      }
    }
    const scanned = ex.Statistics?.DataScannedInBytes;
    return { columns, batches: batches(), dataScannedBytes: () => scanned, close: done };
  }
}
