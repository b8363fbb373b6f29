import { mkdir, realpath, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../errors.js';
import { STAGING_DIR, VERSIONS_DIR } from '../../pipeline/publication/table-publisher.js';
import { checkGzipComplete, isGzipName, verifyLocalInput } from '../../pipeline/input-check.js';
import { isS3 } from '../../storage/location.js';
import {
  STAGE_TABLES, type BenchmarkResult, type JobBackend, type JobSession, type QualityReport, type StageContext, type StageName, type StageOutcome,
} from '../../pipeline/pipeline-types.js';
import { jobInputArgs } from '../job-input-args.js';
import { killLeftoverGroup, runProcess } from './spark-process.js';

export interface SparkJobOptions {
  /** spark-submit to run (see findSparkSubmit). */
  sparkSubmit: string;
  /** The repository's spark/ directory: jobs/<stage>.py, lakegate_spark/, conf/log4j2.properties. */
  sparkDir: string;
  /** ddl/: table schemas, transforms and card-domain.json, passed to every job as --ddl-dir. */
  ddlDir: string;
  /** Spark master (default `local[2]`). */
  master?: string;
  /** Python of the driver and workers (PYSPARK_PYTHON), e.g. the venv that has pyspark. */
  python?: string;
  /** Driver memory (default `2g`). */
  driverMemory?: string;
  /**
   * JVM options of the driver (`--driver-java-options`). Default for local masters: C1 JIT only and the
   * serial collector, which about halve the CPU a short job spends on compiling and GC threads.
   */
  javaOptions?: string;
  /** Extra `--conf key=value` settings. */
  conf?: Record<string, string>;
  /**
   * Variables added to the environment the jobs inherit from the gateway (AWS_*, JAVA_HOME, SPARK_CONF_DIR).
   * SPARK_CONF_DIR defaults to `<sparkDir>/conf` (warnings-only logging).
   */
  env?: Record<string, string>;
  /** Time between SIGTERM and SIGKILL when a job is cancelled (default 5000 ms). */
  killGraceMs?: number;
}

const LOCAL_JAVA_OPTIONS = '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC';

/** Exit codes of spark/jobs/*.py (spark/lakegate_spark/cli.py). */
const EXIT_QUALITY_FAIL = 3;
const EXIT_INPUT_INVALID = 4;
const EXIT_USAGE = 2;

/** What a job printed on its machine-readable stdout lines. */
interface JobReport {
  result?: { rows: number; tables: string[] };
  quality?: QualityReport & { rows: number };
  benchmark?: BenchmarkResult[];
}

const TAGS: Record<string, keyof JobReport> = { LAKEGATE_RESULT: 'result', LAKEGATE_QUALITY: 'quality', LAKEGATE_BENCHMARK: 'benchmark' };

/** Records a `LAKEGATE_<TAG> <json>` stdout line in the report; false for any other line. */
function readReportLine(line: string, report: JobReport): boolean {
  const m = /^(LAKEGATE_[A-Z]+) (.*)$/.exec(line);
  const key = m ? TAGS[m[1]!] : undefined;
  if (!key) return false;
  try {
    Object.assign(report, { [key]: JSON.parse(m![2]!) as unknown });
  } catch {
    return false;
  }
  return true;
}

/**
 * Runs each stage as one spark-submit of spark/jobs/<stage>.py. The job writes its tables under
 * `<output>/.versions/<table>/<runId>-a<attempt>` (the locations the stage's target prepared); once it
 * exits 0 the session reports them, and the pipeline publishes them with the same atomic link swap
 * as the embedded engine's. Cancelling kills the job's process group.
 *
 * @example new SparkJobBackend({ sparkSubmit, python, sparkDir: path.join(ROOT, 'spark'), ddlDir: path.join(ROOT, 'ddl') })
 */
export class SparkJobBackend implements JobBackend {
  readonly engine = 'spark' as const;
  constructor(private readonly opts: SparkJobOptions) {}

  async openSession(run: { runId: string; input: string; output: string; year: number }): Promise<JobSession> {
    if (isS3(run.output)) throw new AppError('NOT_IMPLEMENTED', 'the spark engine publishes to local outputs only');
    return new SparkJobSession(this.opts, run);
  }

  /** After a restart: kills a job the dead gateway left running (stage.external holds its group and marker). */
  async release(external: Record<string, string>): Promise<void> {
    const pgid = Number(external.pgid);
    if (Number.isInteger(pgid) && pgid > 1 && external.job) killLeftoverGroup(pgid, `${JOB_MARKER}=${external.job}`);
  }
}

/** Environment variable naming the job a spark-submit process group runs, so that it can be recognized later. */
const JOB_MARKER = 'LAKEGATE_JOB';

class SparkJobSession implements JobSession {
  /** A stage of this run has read the input CSV. */
  private inputRead = false;
  private inputArgList: string[] | undefined;
  /** Gzip input files inflated end to end once (see checkGzipComplete). */
  private readonly gzipChecked = new Set<string>();
  /** This run has published partitioned_transactions. */
  private etlPublished = false;

  constructor(
    private readonly opts: SparkJobOptions,
    private readonly run: { runId: string; input: string; output: string; year: number },
  ) {}

  /** Where the list of several input files is written for the jobs (see jobInputArgs). */
  private get inputListFile(): string {
    return path.join(this.run.output, STAGING_DIR, `${this.run.runId}-inputs.txt`);
  }

  private async inputArgs(ctx: StageContext): Promise<string[]> {
    this.inputArgList ??= await jobInputArgs(ctx.inputFiles.map((f) => f.path), async (text) => {
      await mkdir(path.dirname(this.inputListFile), { recursive: true });
      await writeFile(this.inputListFile, text);
      return this.inputListFile;
    });
    return this.inputArgList;
  }

  async close(): Promise<void> {
    await rm(this.inputListFile, { force: true });
  }

  /**
   * No finer progress than the runner's 0 → 100: the job's own progress lives in the spark-submit
   * driver's UI (its REST API on a port of the driver's choosing), which this backend does not read,
   * so `ctx.progress` is never called.
   */
  async runStage(stage: StageName, ctx: StageContext): Promise<StageOutcome> {
    const version = ctx.target.version;
    // The jobs write `<output>/.versions/<table>/<version>`: the target prepares exactly those.
    const expected = (t: string): string => path.join(this.run.output, VERSIONS_DIR, t, version);
    for (const t of STAGE_TABLES[stage]) {
      const at = await ctx.target.location(t);
      if (at !== expected(t)) throw new AppError('INTERNAL', `publication prepared ${t} at ${at}, but the Spark jobs write ${expected(t)}`);
    }
    const scratch = path.join(this.run.output, STAGING_DIR, `${version}-bench`);
    try {
      const extra = stage === 'quarterly' || stage === 'benchmark' ? await this.transactionsArgs() : [];
      if (stage === 'benchmark') extra.push('--scratch', scratch);
      // Every job may read the input (benchmark measures a CSV scan even when it is given the published transactions).
      for (const f of ctx.inputFiles) {
        await verifyLocalInput(f);
        // Hadoop's gzip codec fails on a truncated stream only once a task reaches the cut, as a
        // retryable job failure: checked once here, it is INPUT_INVALID naming the file.
        if (isGzipName(f.path) && !this.gzipChecked.has(f.path)) {
          await checkGzipComplete(f.path, f.path, ctx.signal);
          this.gzipChecked.add(f.path);
        }
      }
      extra.push(...(await this.inputArgs(ctx)));
      const { code, report } = await this.submit(stage, version, extra, ctx);
      const outcome = this.outcome(stage, code, report);
      // Read by later stages of this session, which run only once this stage is published (a stage
      // that fails or halts ends the run, and a retried stage does not read these).
      if (stage === 'quality' || stage === 'etl') this.inputRead = true;
      if (stage === 'etl') this.etlPublished = true;
      return outcome;
    } finally {
      if (stage === 'benchmark') await rm(scratch, { recursive: true, force: true });
    }
  }

  /**
   * Where quarterly and benchmark read transactions, as the embedded engine does: the input when this
   * run has read it and not yet published it, else the published partitioned_transactions (resolved,
   * so that a concurrent publication cannot change it under the job).
   */
  private async transactionsArgs(): Promise<string[]> {
    if (this.inputRead && !this.etlPublished) return [];
    const live = await realpath(path.join(this.run.output, 'partitioned_transactions')).catch(() => undefined);
    return live ? ['--transactions', live] : [];
  }

  private args(stage: StageName, version: string, extra: string[]): string[] {
    const o = this.opts;
    const master = o.master ?? 'local[2]';
    const conf = Object.entries(o.conf ?? {}).flatMap(([k, v]) => ['--conf', `${k}=${v}`]);
    const javaOptions = o.javaOptions ?? (master.startsWith('local') ? LOCAL_JAVA_OPTIONS : '');
    return [
      '--master', master,
      '--driver-memory', o.driverMemory ?? '2g',
      ...(javaOptions ? ['--driver-java-options', javaOptions] : []),
      '--name', `lakegate-${stage}-${this.run.runId}`,
      ...conf,
      path.join(o.sparkDir, 'jobs', `${stage}.py`),
      '--output', this.run.output,
      '--year', String(this.run.year),
      '--version', version,
      '--run-id', this.run.runId,
      '--ddl-dir', o.ddlDir,
      ...extra,
    ];
  }

  private env(): Record<string, string | undefined> {
    const o = this.opts;
    return {
      ...process.env,
      SPARK_CONF_DIR: path.join(o.sparkDir, 'conf'),
      ...(o.python ? { PYSPARK_PYTHON: o.python, PYSPARK_DRIVER_PYTHON: o.python } : {}),
      PYTHONIOENCODING: 'utf-8',
      PYTHONUNBUFFERED: '1',
      ...o.env,
    };
  }

  /** One spark-submit; its output lines go to the run log, its LAKEGATE_* lines are parsed. */
  private async submit(stage: StageName, version: string, extra: string[], ctx: StageContext): Promise<{ code: number | null; report: JobReport }> {
    const args = this.args(stage, version, extra);
    const report: JobReport = {};
    const errors: string[] = [];
    ctx.log(`spark-submit ${args.join(' ')}`);
    const t0 = performance.now();
    const job = `${version}/${stage}`;
    const { code, signal } = await runProcess(this.opts.sparkSubmit, args, {
      env: { ...this.env(), [JOB_MARKER]: job },
      signal: ctx.signal,
      killGraceMs: this.opts.killGraceMs,
      onStart: (pid) => {
        ctx.log(`spark job ${stage}.py started (pid ${pid})`);
        ctx.record?.({ pgid: String(pid), job });
      },
      onLine: (line, stream) => {
        ctx.log(line);
        if (stream === 'stdout') readReportLine(line, report);
        else if (/(Error|Exception)\b|^lakegate \w+:|JAVA_HOME is not set/.test(line)) errors.push(line.trim());
      },
    });
    ctx.log(`spark job ${stage}.py exited with ${signal ?? code} after ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    if (code === null || (code !== 0 && code !== EXIT_QUALITY_FAIL)) throw this.failure(stage, code, signal, errors);
    return { code, report };
  }

  private failure(stage: StageName, code: number | null, signal: NodeJS.Signals | null, errors: string[]): AppError {
    const why = errors.at(-1) ?? 'see the run log';
    if (errors.some((l) => l.includes('JAVA_HOME is not set'))) return new AppError('INTERNAL', `spark-submit found no Java: ${why}`);
    if (code === EXIT_INPUT_INVALID) return new AppError('INPUT_INVALID', `${this.run.input} is not a readable card CSV: ${why}`);
    if (code === EXIT_USAGE) return new AppError('INTERNAL', `spark job ${stage}.py refused its arguments: ${why}`);
    return new AppError('UPSTREAM_FAILED', `spark job ${stage}.py failed (exit ${signal ?? code}): ${why}`, { retryable: true });
  }

  private outcome(stage: StageName, code: number | null, report: JobReport): StageOutcome {
    const quality = report.quality ? { overall: report.quality.overall, checks: report.quality.checks } : undefined;
    if (code === EXIT_QUALITY_FAIL) {
      if (stage !== 'quality' || quality?.overall !== 'FAIL') {
        throw new AppError('UPSTREAM_FAILED', `spark job ${stage}.py exited 3 without a FAIL quality report`, { retryable: true });
      }
      return { rows: report.quality!.rows, tables: [], quality };
    }
    const result = report.result;
    const expected = STAGE_TABLES[stage];
    if (!result || expected.some((t) => !result.tables.includes(t))) {
      throw new AppError('UPSTREAM_FAILED', `spark job ${stage}.py did not report writing ${expected.join(', ')}`, { retryable: true });
    }
    return { rows: result.rows, tables: [...expected], quality, benchmark: report.benchmark };
  }
}
