import { mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { dataFilesGlob } from '../../catalog/ddl/render-duckdb.js';
import { memorySizeBytes } from '../../config.js';
import { AppError } from '../../errors.js';
import { evaluateQuality, withRowCountChecks } from '../../pipeline/quality-rules.js';
import { STAGE_TABLES, type BenchmarkResult, type JobBackend, type JobSession, type StageContext, type StageName, type StageOutcome } from '../../pipeline/pipeline-types.js';
import type { TableRegistry } from '../../pipeline/table-registry.js';
import { STAGING_DIR } from '../../pipeline/publication/table-publisher.js';
import { isS3 } from '../../storage/location.js';
import { uploadDirectory } from '../../storage/s3/s3-transfer.js';
import type { S3Client } from '@aws-sdk/client-s3';
import { runBenchmarks } from './benchmark-suite.js';
import { AbortableDuckDB } from './duckdb-runner.js';
import { DuckDBStageProgress, LOCAL_STAGE_STEPS } from './duckdb-progress.js';
import { copyToParquet, literal } from './duckdb-sql.js';
import { LocalInputFiles } from './local-input-files.js';
import { DOUBLE_CHARGE_KEY, ID_KEY, qualityCountsSql, rawSelectSql, repeatedHashesSql, repeatedKeysSql, toQualityCounts, type RepeatedKeys } from './quality-sql.js';

export interface LocalJobOptions {
  tables: TableRegistry;
  /** Local scratch space: S3 inputs are streamed here, S3 outputs are written here before upload (default: the OS temp dir). */
  scratchDir?: string;
  /** For s3:// inputs and outputs (DuckDB's httpfs cannot be downloaded on every machine, so the SDK moves the bytes). */
  s3?: S3Client;
  /** DuckDB threads (default: all cores). */
  threads?: number;
  /** Memory of the pipeline's DuckDB, shared by all runs at once; past it DuckDB spills to `tempDir`. */
  memoryLimit?: string;
  /** Where DuckDB spills (LAKEGATE_HOME/tmp/pipeline); without it DuckDB's default `.tmp` in the working directory. */
  tempDir?: string;
  /** Rows the benchmark stage measures on (LAKEGATE_BENCHMARK_SAMPLE_ROWS). */
  benchmarkSampleRows?: number;
  /** How often a running statement's progress is read (default 500 ms); 0: DuckDB's progress is not computed. */
  progressIntervalMs?: number;
}

const progressInterval = (o: LocalJobOptions): number => o.progressIntervalMs ?? 500;

/**
 * DuckDB's out-of-memory failure as the operator's error: it names the limit to raise. Retrying the
 * same work under the same limit fails the same way (and takes as long again), so it is retried only
 * when other runs shared the database meanwhile (their memory may be free by then).
 */
export function outOfMemory(err: unknown, stage: StageName, limit: string | undefined, others: number): AppError | undefined {
  const msg = err instanceof Error ? err.message : String(err);
  // A full spill directory is reported in the same class of error: not a matter of the memory limit.
  if (!/^Out of Memory Error/.test(msg) || /offload|max_temp_directory_size/.test(msg)) return undefined;
  const shared = others > 0 ? "; other runs shared the engine's memory meanwhile, so the stage is retried" : '';
  return new AppError(
    'OUT_OF_MEMORY',
    `${stage} needs more memory than the embedded engine may use (LAKEGATE_PIPELINE_MEMORY_LIMIT=${limit ?? 'unset'}): ${msg.split('\n')[0]}. Raise LAKEGATE_PIPELINE_MEMORY_LIMIT or run the pipeline on Spark or EMR${shared}`,
    { cause: err, retryable: others > 0 },
  );
}

/**
 * Repeated keys one exact count may group under the memory limit: 256 bytes a key. 8 buckets of 12.5M
 * distinct keys each fit in 1GB (about 80 bytes a key, measured on the 100M-row bench input); the
 * margin is for runs sharing the limit.
 */
const keysPerBucket = (limit: string | undefined): number => Math.max(100_000, Math.floor(memorySizeBytes(limit ?? '1GB') / 256));

/** A run's scratch folder: its input's Parquet copy, S3 downloads, S3 outputs before upload. */
const scratchOf = (o: LocalJobOptions, runId: string): string => path.join(o.scratchDir ?? path.join(os.tmpdir(), 'lakegate-scratch'), runId);

/**
 * Runs the pipeline's stages on an embedded DuckDB: one in-memory database for all runs, so that its
 * memory limit bounds them together (runs at once share it and spill to `tempDir`), and a connection
 * per run whose relations are temporary views of its own.
 */
export class LocalJobBackend implements JobBackend {
  readonly engine = 'local' as const;
  private instance: Promise<DuckDBInstance> | undefined;
  /** Runs whose session is open on the shared database, and sessions opened so far (see outOfMemory). */
  private readonly open = new Set<string>();
  private opened = 0;
  get locations(): { local: boolean; s3: boolean } {
    return { local: true, s3: this.opts.s3 !== undefined };
  }
  constructor(private readonly opts: LocalJobOptions) {}

  private database(): Promise<DuckDBInstance> {
    this.instance ??= (async () => {
      // Insertion order is not kept: COPY and aggregates then stream within the memory limit.
      const config: Record<string, string> = { preserve_insertion_order: 'false' };
      if (this.opts.threads) config.threads = String(this.opts.threads);
      if (this.opts.memoryLimit) config.memory_limit = this.opts.memoryLimit;
      if (this.opts.tempDir) {
        // Spill files of a gateway that was killed are of no use to anyone.
        await rm(this.opts.tempDir, { recursive: true, force: true });
        await mkdir(this.opts.tempDir, { recursive: true });
        config.temp_directory = this.opts.tempDir;
      }
      return DuckDBInstance.create(':memory:', config);
    })();
    this.instance.catch(() => (this.instance = undefined));
    return this.instance;
  }

  async openSession(run: { runId: string; input: string; output: string; year: number }): Promise<JobSession> {
    const conn = await (await this.database()).connect();
    if (progressInterval(this.opts) > 0) {
      await conn.run('SET enable_progress_bar = true');
      await conn.run('SET enable_progress_bar_print = false');
    }
    this.open.add(run.runId);
    this.opened += 1;
    return new LocalJobSession(this.opts, new AbortableDuckDB(conn), run, {
      others: () => this.open.size - 1,
      opened: () => this.opened,
      closed: () => this.open.delete(run.runId),
    });
  }

  async discardScratch(runId: string): Promise<void> {
    await rm(scratchOf(this.opts, runId), { recursive: true, force: true });
  }

  /** Closes the database once no run uses it (the service closes its runs first). */
  async close(): Promise<void> {
    const instance = await this.instance?.catch(() => undefined);
    this.instance = undefined;
    instance?.closeSync();
  }
}

class LocalJobSession implements JobSession {
  private rawLoaded = false;
  /** What the `txn` view reads now (see ensureTxn). */
  private txnSource: 'written' | 'input' | 'published' | undefined;
  private readonly s3Output: boolean;
  private readonly scratch: string;
  /** Local directory of each table this session wrote (for S3 outputs: the copy that was uploaded). */
  private readonly written = new Map<string, string>();
  private readonly inputs: LocalInputFiles;

  constructor(
    private readonly opts: LocalJobOptions,
    private readonly db: AbortableDuckDB,
    private readonly run: { runId: string; input: string; output: string; year: number },
    private readonly sharing: { others(): number; opened(): number; closed(): void },
  ) {
    this.s3Output = isS3(run.output);
    this.scratch = scratchOf(opts, run.runId);
    this.inputs = new LocalInputFiles(this.scratch, () => this.requireS3());
  }

  private get tables(): TableRegistry {
    return this.opts.tables;
  }

  private requireS3(): S3Client {
    if (!this.opts.s3) throw new AppError('NOT_IMPLEMENTED', 'this gateway has no S3 client for s3:// locations');
    return this.opts.s3;
  }

  /** The input as local files (see LocalInputFiles: s3:// ones streamed to scratch, each checked). */
  private async inputFiles(ctx: StageContext): Promise<string[]> {
    return this.inputs.prepare(ctx, this.run.input);
  }

  async runStage(stage: StageName, ctx: StageContext): Promise<StageOutcome> {
    const interval = progressInterval(this.opts);
    const progress = ctx.progress && interval > 0 ? new DuckDBStageProgress(this.db.conn, ctx.progress, LOCAL_STAGE_STEPS[stage], interval) : undefined;
    this.db.progress = progress;
    const othersAtStart = this.sharing.others();
    const openedAtStart = this.sharing.opened();
    // A new attempt writes its tables again: what an earlier attempt wrote (its version folders are
    // gone once that attempt rolled back) is never read, so `txn` goes back to the input.
    for (const table of STAGE_TABLES[stage]) this.written.delete(table);
    try {
      const outcome = await this.stageBody(stage, ctx);
      // Said only of a stage that ran to its end (a failed one stops wherever it stopped).
      const mismatch = progress?.mismatch();
      if (mismatch) ctx.log(mismatch);
      return outcome;
    } catch (err) {
      // Runs that shared the memory during the stage: open at its start, or opened (and perhaps closed) since.
      const others = othersAtStart + (this.sharing.opened() - openedAtStart);
      throw outOfMemory(err, stage, this.opts.memoryLimit, others) ?? err;
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
    this.sharing.closed();
    this.db.conn.closeSync();
    await rm(this.scratch, { recursive: true, force: true });
  }

  /**
   * The input CSV, read once per run into a Parquet copy in the run's scratch (all-VARCHAR columns and
   * the parsed ones, see rawSelectSql), and `raw`, a view of it: the checks and the ETL scan the copy
   * instead of parsing the CSV again, and nothing of the input is held in memory.
   */
  private async loadRaw(ctx: StageContext): Promise<void> {
    if (this.rawLoaded) return;
    const files = await this.inputFiles(ctx);
    const staged = path.join(this.scratch, 'raw.parquet');
    await mkdir(this.scratch, { recursive: true });
    ctx.log(files.length === 1 ? `reading ${files[0]}` : `reading ${files.length} files (${files[0]}, ...)`);
    try {
      await this.db.run(`COPY (${rawSelectSql(files)}) TO ${literal(staged)} (FORMAT parquet, COMPRESSION snappy)`, ctx.signal);
    } catch (err) {
      if (ctx.signal.aborted) throw err;
      throw await this.inputs.invalid(this.db, files, err, ctx.signal);
    }
    await this.db.run(`CREATE OR REPLACE TEMP VIEW raw AS SELECT * FROM read_parquet(${literal(staged)})`, ctx.signal);
    this.rawLoaded = true;
  }

  /**
   * Typed transactions (`txn`), a view: over the partitioned_transactions this run wrote (its year and
   * month partitions prune), else over the input when this run reads it (what etl writes from), else
   * over the published table.
   */
  private async ensureTxn(ctx: StageContext, fromInput: boolean): Promise<void> {
    const written = this.written.get('partitioned_transactions');
    const source = written ? 'written' : fromInput ? 'input' : 'published';
    if (this.txnSource === source) return;
    if (source === 'input') {
      await this.loadRaw(ctx);
      await this.db.run(
        `CREATE OR REPLACE TEMP VIEW txn AS
         SELECT *, CAST(year(transaction_ts) AS INTEGER) AS txn_year, CAST(month(transaction_ts) AS INTEGER) AS txn_month
         FROM (SELECT transaction_id, _ts AS transaction_ts, card_no, card_type, merchant, sub_category, category,
                      _amount AS amount, _installment AS installment_months, approval_status, region,
                      CAST(_ts AS DATE) AS txn_date, CAST(hour(_ts) AS INTEGER) AS txn_hour
               FROM raw)`,
        ctx.signal,
      );
    } else {
      if (source === 'published' && this.s3Output) {
        throw new AppError('INPUT_INVALID', 'on an s3:// output this stage needs etl in the same run: the embedded engine reads S3 tables only through what it wrote');
      }
      const dir = written ?? path.join(this.run.output, 'partitioned_transactions');
      if (source === 'published') ctx.log(`reading the published partitioned_transactions at ${dir}`);
      await this.db.run(
        `CREATE OR REPLACE TEMP VIEW txn AS SELECT * FROM read_parquet(${literal(dataFilesGlob(dir, ['txn_year', 'txn_month']))}, hive_partitioning = true, hive_types = {'txn_year': INTEGER, 'txn_month': INTEGER})`,
        ctx.signal,
      );
    }
    this.txnSource = source;
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
    const ids = await this.repeatedKeys(ID_KEY, ctx);
    const dbl = await this.repeatedKeys(DOUBLE_CHARGE_KEY, ctx);
    const domain = evaluateQuality(toQualityCounts(counts, ids, dbl));
    const report = withRowCountChecks(domain, Number(counts.total ?? 0), ctx.rows);
    ctx.log(`quality ${report.overall}: ${report.checks.filter((c) => c.status !== 'PASS').map((c) => `${c.name}=${c.status}(${c.issueCount})`).join(', ') || 'all checks passed'}`);
    const rows = Number(counts.total ?? 0);
    if (report.overall === 'FAIL') {
      this.db.progress?.expand(0); // quality_report is not written
      return { rows, tables: [], quality: report };
    }
    // The table holds the domain's checks, as the Spark and EMR jobs write it; the run's report adds the row counts.
    const values = domain.checks
      .map((c) => `(${literal(this.run.runId)}, ${literal(c.name)}, ${literal(c.status)}, ${c.issueCount}, ${literal(c.detail)}, now()::TIMESTAMP)`)
      .join(',\n');
    const select = `SELECT * FROM (VALUES ${values}) AS q(run_id, check_name, status, issue_count, detail, checked_at)`;
    return { rows, ...(await this.writeTables(ctx, [{ table: 'quality_report', select }])), quality: report };
  }

  /**
   * Keys of `key` on more than one row of `raw`, exactly, within the memory limit at any input size:
   * the hashes seen twice first (a spillable aggregate), then the rows of those hashes only, grouped by
   * the key itself, in as many buckets as the memory limit needs (one, unless a large share of the
   * input repeats).
   */
  private async repeatedKeys(key: readonly string[], ctx: StageContext): Promise<RepeatedKeys> {
    const { signal } = ctx;
    await this.db.run(`CREATE OR REPLACE TEMP TABLE repeated_hashes AS ${repeatedHashesSql('raw', key)}`, signal);
    try {
      // The exact count's memory goes with the keys it groups (and the hashes it joins), not their rows.
      const { keys, rows } = await this.db.one('SELECT count(*) AS keys, coalesce(sum(n), 0) AS rows FROM repeated_hashes', signal, undefined, { step: false });
      const buckets = Math.ceil(Number(keys) / keysPerBucket(this.opts.memoryLimit));
      this.db.progress?.expand(buckets);
      if (buckets > 1) ctx.log(`counting ${Number(rows)} rows of ${Number(keys)} repeated ${key.join(', ')} in ${buckets} parts`);
      const found = { keys: 0, rows: 0 };
      for (let k = 0; k < buckets; k++) {
        const part = await this.db.one(repeatedKeysSql('raw', key, 'repeated_hashes', { k, of: buckets }), signal);
        found.keys += Number(part.keys);
        found.rows += Number(part.rows);
      }
      return found;
    } finally {
      // Never in place of the error that got here (the session's tables go with its connection anyway).
      await this.db.run('DROP TABLE IF EXISTS repeated_hashes', undefined, undefined, { step: false }).catch(() => undefined);
    }
  }

  /** partitioned_transactions from the input in one pass; the summaries then from what it wrote (Parquet, pruned by year). */
  private async etl(ctx: StageContext): Promise<StageOutcome> {
    await this.ensureTxn(ctx, true);
    const [first, ...summaries] = STAGE_TABLES.etl;
    const partitioned = await this.writeTables(ctx, [{ table: first!, select: 'SELECT * FROM txn' }]);
    await this.ensureTxn(ctx, true);
    const rest = await this.writeTables(ctx, summaries.map((table) => ({ table, select: this.tables.transform(table, { year: this.run.year }) })));
    return {
      rows: partitioned.tableRows![first!]!,
      tables: [...partitioned.tables!, ...rest.tables!],
      tableRows: { ...partitioned.tableRows, ...rest.tableRows },
    };
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
        db: this.db, txn: 'txn', csvPaths: await this.inputFiles(ctx),
        parquetDir: this.written.get('partitioned_transactions') ?? path.join(this.run.output, 'partitioned_transactions'),
        scratch, year: this.run.year, sampleRows: this.opts.benchmarkSampleRows ?? 1_000_000, signal: ctx.signal,
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
