import { mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { AppError, firstLine } from '../../errors.js';
import { evaluateQuality, withRowCountChecks } from '../../pipeline/quality-rules.js';
import { verifyLocalInput } from '../../pipeline/input-check.js';
import { STAGE_TABLES, type BenchmarkResult, type JobBackend, type JobSession, type StageContext, type StageName, type StageOutcome } from '../../pipeline/pipeline-types.js';
import type { TableRegistry } from '../../pipeline/table-registry.js';
import { STAGING_DIR } from '../../pipeline/publication/table-publisher.js';
import { isS3 } from '../../storage/location.js';
import { downloadToFile, uploadDirectory } from '../../storage/s3/s3-transfer.js';
import type { S3Client } from '@aws-sdk/client-s3';
import { runBenchmarks } from './benchmark-suite.js';
import { AbortableDuckDB } from './duckdb-runner.js';
import { DuckDBStageProgress, LOCAL_STAGE_STEPS } from './duckdb-progress.js';
import { copyToParquet, literal } from './duckdb-sql.js';
import { doubleChargeSql, qualityCountsSql, rawTableSql, toQualityCounts } from './quality-sql.js';

export interface LocalJobOptions {
  tables: TableRegistry;
  /** Local scratch space: S3 inputs are streamed here, S3 outputs are written here before upload (default: the OS temp dir). */
  scratchDir?: string;
  /** For s3:// inputs and outputs (DuckDB's httpfs cannot be downloaded on every machine, so the SDK moves the bytes). */
  s3?: S3Client;
  /** DuckDB threads for a run (default: all cores). */
  threads?: number;
  memoryLimit?: string;
  /** How often a running statement's progress is read (default 500 ms); 0: DuckDB's progress is not computed. */
  progressIntervalMs?: number;
}

const progressInterval = (o: LocalJobOptions): number => o.progressIntervalMs ?? 500;

/** Runs the pipeline's stages on an embedded DuckDB, one in-memory database per run. */
export class LocalJobBackend implements JobBackend {
  readonly engine = 'local' as const;
  get locations(): { local: boolean; s3: boolean } {
    return { local: true, s3: this.opts.s3 !== undefined };
  }
  constructor(private readonly opts: LocalJobOptions) {}

  async openSession(run: { runId: string; input: string; output: string; year: number }): Promise<JobSession> {
    const config: Record<string, string> = { preserve_insertion_order: 'false' };
    if (this.opts.threads) config.threads = String(this.opts.threads);
    if (this.opts.memoryLimit) config.memory_limit = this.opts.memoryLimit;
    const instance = await DuckDBInstance.create(':memory:', config);
    const conn = await instance.connect();
    if (progressInterval(this.opts) > 0) {
      await conn.run('SET enable_progress_bar = true');
      await conn.run('SET enable_progress_bar_print = false');
    }
    return new LocalJobSession(this.opts, new AbortableDuckDB(conn), instance, run);
  }
}

class LocalJobSession implements JobSession {
  private rawLoaded = false;
  private txnReady = false;
  private readonly s3Output: boolean;
  private readonly scratch: string;
  /** Local directory of each table this session wrote (for S3 outputs: the copy that was uploaded). */
  private readonly written = new Map<string, string>();
  private localInput: string | undefined;

  constructor(
    private readonly opts: LocalJobOptions,
    private readonly db: AbortableDuckDB,
    private readonly instance: DuckDBInstance,
    private readonly run: { runId: string; input: string; output: string; year: number },
  ) {
    this.s3Output = isS3(run.output);
    this.scratch = path.join(opts.scratchDir ?? path.join(os.tmpdir(), 'lakegate-scratch'), run.runId);
  }

  private get tables(): TableRegistry {
    return this.opts.tables;
  }

  private requireS3(): S3Client {
    if (!this.opts.s3) throw new AppError('NOT_IMPLEMENTED', 'this gateway has no S3 client for s3:// locations');
    return this.opts.s3;
  }

  /**
   * The input as a local file: an s3:// input is streamed to scratch once; a local one is the file
   * recorded at submit, checked to be unchanged each time a stage is about to read it.
   */
  private async inputFile(ctx: StageContext): Promise<string> {
    if (!isS3(this.run.input)) {
      if (!ctx.inputFingerprint) return this.run.input;
      await verifyLocalInput(ctx.inputFingerprint);
      return ctx.inputFingerprint.path;
    }
    if (this.localInput) return this.localInput;
    const file = path.join(this.scratch, 'input.csv');
    ctx.log(`streaming ${this.run.input} to ${file}`);
    // If-Match: the object must still be the one the submit checked.
    await downloadToFile(this.requireS3(), this.run.input, file, ctx.signal, ctx.inputFingerprint?.etag);
    return (this.localInput = file);
  }

  async runStage(stage: StageName, ctx: StageContext): Promise<StageOutcome> {
    const interval = progressInterval(this.opts);
    const progress = ctx.progress && interval > 0 ? new DuckDBStageProgress(this.db.conn, ctx.progress, LOCAL_STAGE_STEPS[stage], interval) : undefined;
    this.db.progress = progress;
    try {
      const outcome = await this.stageBody(stage, ctx);
      // Said only of a stage that ran to its end (a failed one stops wherever it stopped).
      const mismatch = progress?.mismatch();
      if (mismatch) ctx.log(mismatch);
      return outcome;
    } finally {
      this.db.progress = undefined;
    }
  }

  private stageBody(stage: StageName, ctx: StageContext): Promise<StageOutcome> {
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
    await rm(this.scratch, { recursive: true, force: true });
  }

  /** The input CSV as an all-VARCHAR table, read once per run. */
  private async loadRaw(ctx: StageContext): Promise<void> {
    if (this.rawLoaded) return;
    const file = await this.inputFile(ctx);
    ctx.log(`reading ${file}`);
    try {
      await this.db.run(rawTableSql('raw', file), ctx.signal);
    } catch (err) {
      if (ctx.signal.aborted) throw err;
      // DuckDB's first line says what is wrong; the lines after it quote the input's rows.
      const why = firstLine(err);
      // DuckDB's sniffer says only that it failed; what usually makes it fail is said here instead.
      const hint = /when sniffing file/.test(why) ? ' (its rows do not share one CSV shape: a row with more or fewer fields than the header, or broken quoting)' : '';
      throw new AppError('INPUT_INVALID', `cannot read ${this.run.input} as the card CSV: ${why}${hint}`, { cause: err });
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
      if (this.s3Output) {
        throw new AppError('INPUT_INVALID', 'on an s3:// output this stage needs etl in the same run: the embedded engine reads S3 tables only through what it wrote');
      }
      const dir = path.join(this.run.output, 'partitioned_transactions');
      ctx.log(`reading the published partitioned_transactions at ${dir}`);
      await this.db.run(
        `CREATE OR REPLACE VIEW txn AS SELECT * FROM read_parquet(${literal(dir + '/**/*.parquet')}, hive_partitioning = true, hive_types = {'txn_year': INTEGER, 'txn_month': INTEGER})`,
        ctx.signal,
      );
    }
    this.txnReady = true;
  }

  /**
   * Writes each (table, SELECT) to the stage's target and reports what it wrote; publication makes
   * them live together. An S3 output is written to scratch, then uploaded under its version prefix.
   */
  private async writeTables(ctx: StageContext, outputs: { table: string; select: string }[]): Promise<Pick<StageOutcome, 'tables' | 'tableRows'>> {
    const version = ctx.target.version;
    const rows: Record<string, number> = {};
    for (const { table, select } of outputs) {
      const dir = this.s3Output ? path.join(this.scratch, 'tables', table, version) : await ctx.target.location(table);
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir, { recursive: true });
      ctx.log(`writing ${table}`);
      // COPY answers the number of rows it wrote.
      const { Count } = await this.db.one(copyToParquet(this.tables.table(table), select, dir), ctx.signal);
      rows[table] = Number(Count);
      this.written.set(table, dir);
    }
    if (ctx.signal.aborted) throw ctx.signal.reason;
    if (this.s3Output) {
      for (const { table } of outputs) {
        const target = await ctx.target.location(table);
        const n = await uploadDirectory(this.requireS3(), this.written.get(table)!, target, { signal: ctx.signal });
        ctx.log(`uploaded ${n} files of ${table} to ${target}`);
      }
    }
    return { tables: outputs.map((o) => o.table), tableRows: rows };
  }

  private async quality(ctx: StageContext): Promise<StageOutcome> {
    await this.loadRaw(ctx);
    // A time later than "now" in every time zone: the CSV carries local times without a zone.
    const future = new Date(Date.now() + 14 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
    const counts = await this.db.one(qualityCountsSql('raw'), ctx.signal, { future });
    const dbl = await this.db.one(doubleChargeSql('raw'), ctx.signal);
    const domain = evaluateQuality(toQualityCounts(counts, dbl));
    const report = withRowCountChecks(domain, Number(counts.total ?? 0), ctx.rows);
    ctx.log(`quality ${report.overall}: ${report.checks.filter((c) => c.status !== 'PASS').map((c) => `${c.name}=${c.status}(${c.issueCount})`).join(', ') || 'all checks passed'}`);
    const rows = Number(counts.total ?? 0);
    if (report.overall === 'FAIL') return { rows, tables: [], quality: report };
    // The table holds the domain's checks, as the Spark and EMR jobs write it; the run's report adds the row counts.
    const values = domain.checks
      .map((c) => `(${literal(this.run.runId)}, ${literal(c.name)}, ${literal(c.status)}, ${c.issueCount}, ${literal(c.detail)}, now()::TIMESTAMP)`)
      .join(',\n');
    const select = `SELECT * FROM (VALUES ${values}) AS q(run_id, check_name, status, issue_count, detail, checked_at)`;
    return { rows, ...(await this.writeTables(ctx, [{ table: 'quality_report', select }])), quality: report };
  }

  private async etl(ctx: StageContext): Promise<StageOutcome> {
    await this.ensureTxn(ctx, true);
    const outputs = STAGE_TABLES.etl.map((table) => ({
      table,
      select: table === 'partitioned_transactions' ? 'SELECT * FROM txn' : this.tables.transform(table, { year: this.run.year }),
    }));
    const written = await this.writeTables(ctx, outputs);
    const { n } = await this.db.one('SELECT count(*) AS n FROM txn', ctx.signal);
    return { rows: Number(n), ...written };
  }

  private async quarterly(ctx: StageContext): Promise<StageOutcome> {
    await this.ensureTxn(ctx, this.rawLoaded);
    const outputs = STAGE_TABLES.quarterly.map((table) => ({ table, select: this.tables.transform(table, { year: this.run.year }) }));
    const written = await this.writeTables(ctx, outputs);
    const { n } = await this.db.one(`SELECT count(*) AS n FROM txn WHERE txn_year = ${this.run.year} AND approval_status = 'approved'`, ctx.signal);
    return { rows: Number(n), ...written };
  }

  private async benchmark(ctx: StageContext): Promise<StageOutcome> {
    await this.ensureTxn(ctx, this.rawLoaded);
    const scratch = path.join(this.s3Output ? this.scratch : path.join(this.run.output, STAGING_DIR), `${ctx.target.version}-bench`);
    await rm(scratch, { recursive: true, force: true });
    await mkdir(scratch, { recursive: true });
    let results: BenchmarkResult[];
    try {
      results = await runBenchmarks({
        db: this.db, txn: 'txn', csvPath: await this.inputFile(ctx),
        parquetDir: this.written.get('partitioned_transactions') ?? path.join(this.run.output, 'partitioned_transactions'),
        scratch, year: this.run.year, signal: ctx.signal,
      });
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
    const values = results
      .map((r) => `(${literal(this.run.runId)}, ${literal(r.benchmark)}, ${literal(r.variant)}, ${r.elapsedMs}, ${r.rowsRead ?? 'NULL'}, ${r.outputFiles ?? 'NULL'}, ${r.improvementPct ?? 'NULL'}, ${literal(r.detail ?? '')})`)
      .join(',\n');
    const select = `SELECT * FROM (VALUES ${values}) AS b(run_id, benchmark, variant, elapsed_ms, rows_read, output_files, improvement_pct, detail)`;
    const written = await this.writeTables(ctx, [{ table: 'benchmark_report', select }]);
    return { rows: results.length, ...written, benchmark: results };
  }
}
