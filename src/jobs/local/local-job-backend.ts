import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { AppError } from '../../errors.js';
import { evaluateQuality } from '../../pipeline/quality-rules.js';
import { STAGE_TABLES, type BenchmarkResult, type JobBackend, type JobSession, type StageContext, type StageName, type StageOutcome } from '../../pipeline/pipeline-types.js';
import type { TableRegistry } from '../../pipeline/table-registry.js';
import { LocalTablePublisher } from '../../pipeline/table-publisher.js';
import { runBenchmarks } from './benchmark-suite.js';
import { AbortableDuckDB } from './duckdb-runner.js';
import { copyToParquet, literal } from './duckdb-sql.js';
import { doubleChargeSql, qualityCountsSql, rawTableSql, toQualityCounts } from './quality-sql.js';

export interface LocalJobOptions {
  tables: TableRegistry;
  /** DuckDB threads for a run (default: all cores). */
  threads?: number;
  memoryLimit?: string;
}

/** Runs the pipeline's stages on an embedded DuckDB, one in-memory database per run. */
export class LocalJobBackend implements JobBackend {
  readonly engine = 'local' as const;
  constructor(private readonly opts: LocalJobOptions) {}

  async openSession(run: { runId: string; input: string; output: string; year: number }): Promise<JobSession> {
    const config: Record<string, string> = { preserve_insertion_order: 'false' };
    if (this.opts.threads) config.threads = String(this.opts.threads);
    if (this.opts.memoryLimit) config.memory_limit = this.opts.memoryLimit;
    const instance = await DuckDBInstance.create(':memory:', config);
    const conn = await instance.connect();
    return new LocalJobSession(this.opts.tables, new AbortableDuckDB(conn), instance, run);
  }
}

class LocalJobSession implements JobSession {
  private rawLoaded = false;
  private txnReady = false;
  private readonly publisher: LocalTablePublisher;

  constructor(
    private readonly tables: TableRegistry,
    private readonly db: AbortableDuckDB,
    private readonly instance: DuckDBInstance,
    private readonly run: { runId: string; input: string; output: string; year: number },
  ) {
    this.publisher = new LocalTablePublisher(run.output);
  }

  async runStage(stage: StageName, ctx: StageContext): Promise<StageOutcome> {
    switch (stage) {
      case 'quality':
        return this.quality(ctx);
      case 'etl':
        return this.etl(ctx);
      case 'quarterly':
        return this.quarterly(ctx);
      case 'benchmark':
        return this.benchmark(ctx);
    }
  }

  async close(): Promise<void> {
    this.db.conn.closeSync();
    this.instance.closeSync();
  }

  /** The input CSV as an all-VARCHAR table, read once per run. */
  private async loadRaw(ctx: StageContext): Promise<void> {
    if (this.rawLoaded) return;
    ctx.log(`reading ${this.run.input}`);
    try {
      await this.db.run(rawTableSql('raw', this.run.input), ctx.signal);
    } catch (err) {
      if (ctx.signal.aborted) throw err;
      throw new AppError('INPUT_INVALID', `cannot read ${this.run.input} as the card CSV: ${(err as Error).message}`, { cause: err });
    }
    this.rawLoaded = true;
  }

  /** Typed transactions (`txn`): from the input when this run reads it, else the published table. */
  private async ensureTxn(ctx: StageContext, fromInput: boolean): Promise<void> {
    if (this.txnReady) return;
    if (fromInput) {
      await this.loadRaw(ctx);
      await this.db.run(
        `CREATE OR REPLACE TABLE txn AS
         SELECT *, CAST(year(transaction_ts) AS INTEGER) AS txn_year, CAST(month(transaction_ts) AS INTEGER) AS txn_month
         FROM (SELECT transaction_id, _ts AS transaction_ts, card_no, card_type, merchant, sub_category, category,
                      _amount AS amount, _installment AS installment_months, approval_status, region,
                      CAST(_ts AS DATE) AS txn_date, CAST(hour(_ts) AS INTEGER) AS txn_hour
               FROM raw)`,
        ctx.signal,
      );
    } else {
      const dir = path.join(this.run.output, 'partitioned_transactions');
      ctx.log(`reading the published partitioned_transactions at ${dir}`);
      await this.db.run(
        `CREATE OR REPLACE VIEW txn AS SELECT * FROM read_parquet(${literal(dir + '/**/*.parquet')}, hive_partitioning = true, hive_types = {'txn_year': INTEGER, 'txn_month': INTEGER})`,
        ctx.signal,
      );
    }
    this.txnReady = true;
  }

  private version(ctx: StageContext): string {
    return `${this.run.runId}-a${ctx.attempt}`;
  }

  /** Writes each (table, SELECT) aside, then publishes them all: nothing is visible until every write succeeded. */
  private async writeTables(ctx: StageContext, outputs: { table: string; select: string }[]): Promise<string[]> {
    const version = this.version(ctx);
    for (const { table, select } of outputs) {
      const dir = await this.publisher.prepare(table, version);
      await mkdir(dir, { recursive: true });
      ctx.log(`writing ${table}`);
      await this.db.run(copyToParquet(this.tables.table(table), select, dir), ctx.signal);
    }
    if (ctx.signal.aborted) throw ctx.signal.reason;
    for (const { table } of outputs) await this.publisher.publish(table, version);
    ctx.log(`published ${outputs.map((o) => o.table).join(', ')}`);
    return outputs.map((o) => o.table);
  }

  private async quality(ctx: StageContext): Promise<StageOutcome> {
    await this.loadRaw(ctx);
    // A time later than "now" in every time zone: the CSV carries local times without a zone.
    const future = new Date(Date.now() + 14 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
    const counts = await this.db.one(qualityCountsSql('raw'), ctx.signal, { future });
    const dbl = await this.db.one(doubleChargeSql('raw'), ctx.signal);
    const report = evaluateQuality(toQualityCounts(counts, dbl));
    ctx.log(`quality ${report.overall}: ${report.checks.filter((c) => c.status !== 'PASS').map((c) => `${c.name}=${c.status}(${c.issueCount})`).join(', ') || 'all checks passed'}`);
    const rows = Number(counts.total ?? 0);
    if (report.overall === 'FAIL') return { rows, tables: [], quality: report };
    const values = report.checks
      .map((c) => `(${literal(this.run.runId)}, ${literal(c.name)}, ${literal(c.status)}, ${c.issueCount}, ${literal(c.detail)}, now()::TIMESTAMP)`)
      .join(',\n');
    const select = `SELECT * FROM (VALUES ${values}) AS q(run_id, check_name, status, issue_count, detail, checked_at)`;
    return { rows, tables: await this.writeTables(ctx, [{ table: 'quality_report', select }]), quality: report };
  }

  private async etl(ctx: StageContext): Promise<StageOutcome> {
    await this.ensureTxn(ctx, true);
    const outputs = STAGE_TABLES.etl.map((table) => ({
      table,
      select: table === 'partitioned_transactions' ? 'SELECT * FROM txn' : this.tables.transform(table, { year: this.run.year }),
    }));
    const tables = await this.writeTables(ctx, outputs);
    const { n } = await this.db.one('SELECT count(*) AS n FROM txn', ctx.signal);
    return { rows: Number(n), tables };
  }

  private async quarterly(ctx: StageContext): Promise<StageOutcome> {
    await this.ensureTxn(ctx, this.rawLoaded);
    const outputs = STAGE_TABLES.quarterly.map((table) => ({ table, select: this.tables.transform(table, { year: this.run.year }) }));
    const tables = await this.writeTables(ctx, outputs);
    const { n } = await this.db.one(`SELECT count(*) AS n FROM txn WHERE txn_year = ${this.run.year} AND approval_status = 'approved'`, ctx.signal);
    return { rows: Number(n), tables };
  }

  private async benchmark(ctx: StageContext): Promise<StageOutcome> {
    await this.ensureTxn(ctx, this.rawLoaded);
    const scratch = path.join(this.run.output, '.staging', `${this.version(ctx)}-bench`);
    await rm(scratch, { recursive: true, force: true });
    await mkdir(scratch, { recursive: true });
    let results: BenchmarkResult[];
    try {
      results = await runBenchmarks({
        db: this.db, txn: 'txn', csvPath: this.run.input, parquetDir: path.join(this.run.output, 'partitioned_transactions'),
        scratch, year: this.run.year, signal: ctx.signal,
      });
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
    const values = results
      .map((r) => `(${literal(this.run.runId)}, ${literal(r.benchmark)}, ${literal(r.variant)}, ${r.elapsedMs}, ${r.rowsRead ?? 'NULL'}, ${r.outputFiles ?? 'NULL'}, ${r.improvementPct ?? 'NULL'}, ${literal(r.detail ?? '')})`)
      .join(',\n');
    const select = `SELECT * FROM (VALUES ${values}) AS b(run_id, benchmark, variant, elapsed_ms, rows_read, output_files, improvement_pct, detail)`;
    const tables = await this.writeTables(ctx, [{ table: 'benchmark_report', select }]);
    return { rows: results.length, tables, benchmark: results };
  }
}
