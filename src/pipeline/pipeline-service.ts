import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import { checkLocalRoots, checkLocationText, isS3, isS3Url, joinLocation, normalizeS3Url, printable, realLocalPath } from '../storage/location.js';
import { AppError } from '../errors.js';
import { LocalTablePublisher } from './publication/local-table-publisher.js';
import { isVersionOf } from './publication/table-publisher.js';
import type { S3Client } from '@aws-sdk/client-s3';
import { resolveInputSet } from './input-set.js';
import { rollBackPublication } from './publication/publish-stage.js';
import { STAGING_DIR, VERSIONS_DIR } from './publication/local-table-publisher.js';
import { DEFAULT_RULES, PipelineRunner, RunAbort, type RunnerOptions } from './pipeline-runner.js';
import { STAGE_ORDER, STAGE_TABLES, type JobBackend, type PipelineEngine, type Run, type RunRequest } from './pipeline-types.js';
import type { RunStore } from './run-store.js';

export interface PipelineServiceOptions extends Omit<RunnerOptions, 'log'> {
  /** For s3:// inputs (checked at submit). */
  s3?: S3Client;
  backends: Partial<Record<PipelineEngine, JobBackend>>;
  /** Default output of runs; relative outputs resolve against its parent (LAKEGATE_HOME). */
  warehouse: string;
  /** Local directories an output must lie under (default: anywhere). */
  localRoots?: string[];
  /** Local directories every input file must lie under, symlinks resolved (LAKEGATE_INPUT_ROOTS; default: anywhere, inputs are only read). */
  inputRoots?: string[];
  /** Files one run's input may resolve to (LAKEGATE_MAX_INPUT_FILES, default 10,000). */
  maxInputFiles?: number;
  timeoutMs: number;
  defaultYear?: number;
  /** Runs active at once (queued or running) beyond which a submission is refused with 429 (LAKEGATE_MAX_ACTIVE_RUNS). */
  maxActiveRuns?: number;
  /**
   * The gateway's own directories (LAKEGATE_HOME, its catalog, runs and scratch): no output may be one
   * of them, lie inside one, or contain LAKEGATE_HOME.
   */
  home?: string;
  reserved?: string[];
  log: (runId: string, line: string) => void;
}

/** Input files a run shows in API answers; count and totalBytes cover them all. */
export const SHOWN_INPUT_FILES = 100;

function shown(run: Run): Run {
  if (!run.inputs || run.inputs.files.length <= SHOWN_INPUT_FILES) return run;
  return { ...run, inputs: { ...run.inputs, files: run.inputs.files.slice(0, SHOWN_INPUT_FILES), truncated: true } };
}

const TERMINAL: ReadonlySet<string> = new Set(['succeeded', 'failed', 'halted', 'cancelled']);


/** The run a repeated idempotency key names, if the request is the same one; else 422. */
function sameRequest(run: Run, digest: string, key: string, recorded: string | undefined = run.requestDigest ?? undefined): Run {
  if (recorded !== undefined && recorded !== digest) {
    throw new AppError('IDEMPOTENCY_KEY_REUSED', `idempotency key '${key}' was used for run ${run.runId} with a different request; use a new key for a new request`, { details: { runId: run.runId } });
  }
  return run;
}

/** Time-ordered, unique run ids: `run_<base36 ms>_<random>`; sorting them sorts by creation. */
function newRunId(): string {
  return `run_${Date.now().toString(36).padStart(9, '0')}_${randomBytes(5).toString('hex')}`;
}

interface Active {
  controller: AbortController;
  done: Promise<void>;
}

/** Submits, tracks, cancels and recovers pipeline runs. At most one active run per output (409 otherwise). */
export class PipelineService {
  private readonly active = new Map<string, Active>();
  private readonly activeByOutput = new Map<string, string>();
  /** Submissions being checked, by idempotency key. */
  private readonly submitting = new Map<string, { run: Promise<Run>; body: string }>();
  private readonly runner: PipelineRunner;
  private closing = false;

  constructor(private readonly o: PipelineServiceOptions) {
    this.runner = new PipelineRunner(o);
  }

  get store(): RunStore {
    return this.o.store;
  }

  /** Marks runs that were in flight when the process died as failed and removes their unpublished files. */
  async recover(): Promise<number> {
    let n = 0;
    for (const run of this.o.store.all()) {
      if (run.status !== 'queued' && run.status !== 'running') continue;
      run.status = 'failed';
      run.error = 'the gateway stopped while this run was in flight (process restart); nothing it had not published was kept';
      run.finishedAt = new Date().toISOString();
      for (const s of run.stages) {
        if (s.status === 'running') {
          s.status = 'failed';
          s.error = 'interrupted by a gateway restart';
          s.finishedAt = run.finishedAt;
        } else if (s.status === 'pending') s.status = 'skipped';
      }
      // Stop what is still running for it first, so that nothing writes after the clean-up. One
      // run that cannot be cleaned up is logged and stays for the next start; the others go on.
      try {
        await this.releaseRemote(run);
        await this.rollBackUncommitted(run);
        if (!isS3(run.output)) await this.removeUnpublished(run);
        await this.o.backends[run.engine]?.discardScratch?.(run.runId);
      } catch (err) {
        this.o.log(run.runId, `restart: could not clean up after this run: ${(err as Error).message}`);
      }
      await this.o.store.save(run);
      n++;
    }
    return n;
  }

  /** Work of an interrupted run (an EMR step, a transient cluster, a spark-submit) is cancelled, not left running. */
  private async releaseRemote(run: Run): Promise<void> {
    const backend = this.o.backends[run.engine];
    if (!backend?.release) return;
    for (const s of run.stages) {
      if (s.external) await backend.release(s.external).catch((err: unknown) => this.o.log(run.runId, `could not release ${JSON.stringify(s.external)}: ${(err as Error).message}`));
    }
  }

  /**
   * A stage whose publication began but whose success was never recorded is undone: each table it
   * swapped points back at the version it replaced, so the run record (stage failed) is what is live.
   */
  private async rollBackUncommitted(run: Run): Promise<void> {
    for (const s of run.stages) {
      await this.runner.rollBack(run, s, (line) => this.o.log(run.runId, `[${s.name}] restart: ${line}`));
    }
  }

  private async removeUnpublished(run: Run): Promise<void> {
    const publisher = this.runner.publishers(run.output);
    if (!(publisher instanceof LocalTablePublisher)) return;
    for (const table of Object.values(STAGE_TABLES).flat()) {
      await publisher.removeUnpublished(table, (v) => isVersionOf(v, run.runId)).catch(() => undefined);
    }
  }

  async submit(req: RunRequest): Promise<{ run: Run; created: boolean }> {
    if (this.closing) throw new AppError('OVERLOADED', 'the gateway is shutting down');
    const key = req.idempotencyKey;
    if (key === undefined) return { run: await this.create(req), created: true };
    const body = this.requestDigest(req);
    const existing = this.o.store.all().find((r) => r.idempotencyKey === key);
    if (existing) return { run: sameRequest(existing, body, key), created: false };
    // A retry that arrives while the first submission is still being checked gets the same run.
    const pending = this.submitting.get(key);
    if (pending) return { run: sameRequest(await pending.run, body, key, pending.body), created: false };
    const creating = this.create(req, body);
    this.submitting.set(key, { run: creating, body });
    try {
      return { run: await creating, created: true };
    } finally {
      this.submitting.delete(key);
    }
  }

  private async create(req: RunRequest, digest?: string): Promise<Run> {
    const engine = req.engine ?? 'local';
    const backend = this.o.backends[engine];
    if (!backend) throw new AppError('NOT_IMPLEMENTED', `engine '${engine}' is not configured in this gateway`);
    if (req.clusterId !== undefined && engine !== 'emr') throw new AppError('VALIDATION_FAILED', 'clusterId applies to engine emr only');
    const can = backend.locations ?? { local: true, s3: false };
    const forms = (Array.isArray(req.input) ? req.input : [req.input]).map((f) => this.resolveLocation('input', f, engine, can));
    // A local output is known by its real path: two spellings of one directory are one output.
    const output = await this.checkOutput(this.resolveLocation('output', req.output ?? this.o.warehouse, engine, can));
    const inputs = await resolveInputSet(forms, { ...(this.o.s3 ? { s3: this.o.s3 } : {}), ...(this.o.inputRoots ? { roots: this.o.inputRoots } : {}), maxFiles: this.o.maxInputFiles ?? 10_000 });
    // Only the warehouse run re-points the catalog unless the request says otherwise.
    const intoWarehouse = output === (await this.warehouseOutput());
    const registerTables = req.registerTables ?? intoWarehouse;
    if (!registerTables && intoWarehouse && !isS3(output)) {
      // A local catalog's tables are the warehouse's table links: a run into it moves them whatever it asks.
      throw new AppError('VALIDATION_FAILED', `registerTables false applies to outputs other than the local warehouse (${output}), whose tables the catalog reads where they are published`);
    }
    // From here to taking the output there is no await: the cap and the holder are decided together.
    this.checkCapacity();
    const holder = this.activeByOutput.get(output);
    // A holder that already shows a final status is only closing its session: its tables are
    // published or discarded, and a scheduler that saw it finish may start the next run at once.
    if (holder && !TERMINAL.has(this.o.store.get(holder)?.status ?? 'running')) throw new AppError('RUN_CONFLICT', `run ${holder} is still active for output ${output}; at most one active run per output`, { details: { activeRunId: holder } });
    const stages = new Set(req.stages ?? STAGE_ORDER);
    const run: Run = {
      runId: newRunId(),
      status: 'queued',
      input: Array.isArray(req.input) ? forms : forms[0]!,
      inputs,
      output,
      engine,
      year: req.year ?? this.o.defaultYear ?? 2024,
      idempotencyKey: req.idempotencyKey ?? null,
      ...(digest === undefined ? {} : { requestDigest: digest }),
      rules: {
        minRows: req.minRows ?? DEFAULT_RULES.minRows,
        maxRowDropPct: req.maxRowDropPct ?? null,
        onRowDrop: req.onRowDrop ?? DEFAULT_RULES.onRowDrop,
        allowEmpty: req.allowEmpty ?? false,
      },
      clusterId: req.clusterId ?? null,
      registerTables,
      registeredTables: [],
      createdAt: new Date().toISOString(),
      startedAt: null,
      finishedAt: null,
      error: null,
      stages: STAGE_ORDER.map((name) => ({
        name, status: stages.has(name) ? 'pending' : 'skipped', attempts: 0, startedAt: null, finishedAt: null, rows: null, error: null,
      })),
      quality: null,
      benchmark: null,
    };
    // The output is taken before the first await, so that a concurrent submission sees it.
    this.activeByOutput.set(output, run.runId);
    try {
      await this.o.store.save(run);
    } catch (err) {
      this.activeByOutput.delete(output);
      throw err;
    }
    this.start(run, backend);
    return run;
  }

  /**
   * An s3:// (or s3a://) location stays a URL, normalised to s3://; a local one resolves against
   * LAKEGATE_HOME. Each must be of a kind the engine can use.
   */
  private resolveLocation(what: 'input' | 'output', raw: string, engine: string, can: { local: boolean; s3: boolean }): string {
    if (isS3Url(raw)) {
      if (!can.s3) throw new AppError('VALIDATION_FAILED', `engine '${engine}' cannot use an s3:// ${what}`);
      const url = normalizeS3Url(raw);
      if (!/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/|$)/.test(url)) throw new AppError('VALIDATION_FAILED', `${what} ${printable(raw)} is not a valid s3:// location`);
      checkLocationText(url, raw, { wildcards: what === 'input' });
      return url;
    }
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) throw new AppError('VALIDATION_FAILED', `${what} must be a local path or an s3:// location, got ${printable(raw)}`);
    if (!can.local) throw new AppError('VALIDATION_FAILED', `engine '${engine}' needs an s3:// ${what}`);
    const local = path.resolve(path.dirname(this.o.warehouse), raw);
    checkLocationText(local, raw, { wildcards: what === 'input' });
    return local;
  }

  /**
   * What a submission asks for, with defaults filled in and locations spelled one way, so that a
   * retry with the same idempotency key is told from a different request but not from the same one
   * written differently (a default spelled out, `s3a://`, a trailing slash).
   */
  private requestDigest(req: RunRequest): string {
    const where = (raw: string): string => (isS3Url(raw) ? normalizeS3Url(raw) : path.resolve(path.dirname(this.o.warehouse), raw));
    const stages = new Set(req.stages ?? STAGE_ORDER);
    const normalized = {
      input: Array.isArray(req.input) ? req.input.map(where) : where(req.input),
      output: where(req.output ?? this.o.warehouse),
      engine: req.engine ?? 'local',
      year: req.year ?? this.o.defaultYear ?? 2024,
      stages: STAGE_ORDER.filter((s) => stages.has(s)),
      clusterId: req.clusterId ?? null,
      rules: { minRows: req.minRows ?? DEFAULT_RULES.minRows, maxRowDropPct: req.maxRowDropPct ?? null, onRowDrop: req.onRowDrop ?? DEFAULT_RULES.onRowDrop, allowEmpty: req.allowEmpty ?? false },
      // Only a choice other than the default is part of the request (runs recorded before the field keep their digest).
      ...(req.registerTables === undefined || req.registerTables === (where(req.output ?? this.o.warehouse) === where(this.o.warehouse)) ? {} : { registerTables: req.registerTables }),
    };
    return createHash('sha256').update(JSON.stringify(normalized)).digest('hex');
  }

  /** The warehouse as checkOutput spells an output (local: its real path). */
  private async warehouseOutput(): Promise<string> {
    return isS3(this.o.warehouse) ? normalizeS3Url(this.o.warehouse) : realLocalPath(this.o.warehouse);
  }

  /** Refuses a run beyond LAKEGATE_MAX_ACTIVE_RUNS (429). */
  private checkCapacity(): void {
    const cap = this.o.maxActiveRuns;
    if (cap === undefined) return;
    const active = [...this.activeByOutput.values()].filter((id) => !TERMINAL.has(this.o.store.get(id)?.status ?? 'running')).length;
    if (active >= cap) {
      throw new AppError('TOO_MANY_RUNS', `${active} runs are active, the most this gateway runs at once (LAKEGATE_MAX_ACTIVE_RUNS=${cap}); retry when one has finished`, { details: { activeRuns: active, maxActiveRuns: cap } });
    }
  }

  /**
   * An output is judged by its real path (local: symlinks resolved, up to its nearest existing
   * ancestor), which it returns. It must lie under LAKEGATE_LOCAL_ROOTS, and may be neither inside a
   * registered table, inside the gateway's own folders or a publication's version store, nor contain
   * LAKEGATE_HOME; no registered table of another name may sit where the run publishes (at
   * `<output>/<stage table>` or under its `.versions`/`.staging`); and its publication folders must
   * not lead out of it.
   */
  private async checkOutput(output: string): Promise<string> {
    const local = !isS3(output);
    const real = local ? await checkLocalRoots(output, this.o.localRoots, 'output') : output;
    const refuse = (why: string): never => {
      throw new AppError('OUTPUT_OVERLAPS', `output ${output} ${why}; choose a directory of its own`, { details: { output, resolved: real } });
    };
    const sep = local ? path.sep : '/';
    const within = (p: string, dir: string): boolean => p === dir || p.startsWith(dir.endsWith(sep) ? dir : `${dir}${sep}`);
    if (real.split(sep).some((part) => part === VERSIONS_DIR || part === STAGING_DIR)) refuse(`lies inside a publication's ${VERSIONS_DIR} or ${STAGING_DIR} folder`);
    if (local && this.o.home) {
      const home = await realLocalPath(this.o.home);
      if (within(home, real)) refuse(`is LAKEGATE_HOME or contains it (${home})`);
      for (const dir of this.o.reserved ?? []) {
        const r = await realLocalPath(dir);
        if (within(real, r)) refuse(`lies inside the gateway's own folder ${r}`);
      }
    }
    const published = new Set(Object.values(STAGE_TABLES).flat());
    for (const t of (await this.o.catalog?.listTables()) ?? []) {
      if (isS3(t.location) === local) continue;
      const text = local ? path.resolve(t.location) : t.location;
      // The output's own table (at <output>/<name>, or an S3 catalog entry at one of its versions) is what the run republishes.
      const own = published.has(t.name) && (text === joinLocation(real, t.name) || within(text, joinLocation(real, VERSIONS_DIR, t.name)));
      if (own) continue;
      const loc = local ? await realLocalPath(t.location) : text;
      for (const at of new Set([text, loc])) {
        if (within(real, at)) refuse(`lies inside the location of table ${t.name} (${at})`);
        if (within(at, joinLocation(real, VERSIONS_DIR)) || within(at, joinLocation(real, STAGING_DIR))) refuse(`holds table ${t.name} (${at}) in its publication folders`);
        const name = path.basename(at);
        if (published.has(name) && at === joinLocation(real, name)) refuse(`would publish ${name} over table ${t.name} (${at})`);
      }
    }
    if (local) await new LocalTablePublisher(real).checkLayout([...published]);
    return real;
  }

  private start(run: Run, backend: JobBackend): void {
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new RunAbort('timeout', `the run exceeded its timeout of ${this.o.timeoutMs} ms`)),
      this.o.timeoutMs,
    );
    timer.unref();
    this.activeByOutput.set(run.output, run.runId);
    const done = this.runner
      .execute(run, backend, controller.signal)
      .catch((err: unknown) => this.o.log(run.runId, `runner error: ${(err as Error).message}`))
      .finally(() => {
        clearTimeout(timer);
        this.active.delete(run.runId);
        if (this.activeByOutput.get(run.output) === run.runId) this.activeByOutput.delete(run.output);
      });
    this.active.set(run.runId, { controller, done });
  }

  /** The run as answered: its input files listed up to the first {@link SHOWN_INPUT_FILES} (the record keeps all). */
  get(runId: string): Run {
    return shown(this.record(runId));
  }

  private record(runId: string): Run {
    const run = this.o.store.get(runId);
    if (!run) throw new AppError('RUN_NOT_FOUND', `no run ${runId}`);
    return run;
  }

  list(limit: number, cursor?: string): { runs: Run[]; nextCursor: string | null } {
    const page = this.o.store.page(limit, cursor);
    return { ...page, runs: page.runs.map(shown) };
  }

  async logs(runId: string): Promise<string> {
    this.get(runId);
    return this.o.store.readLog(runId);
  }

  /** Requests cancellation; answers once the run has stopped (its stages interrupted, nothing half-published). */
  async cancel(runId: string): Promise<Run> {
    const run = this.get(runId);
    const active = this.active.get(runId);
    if (!active) throw new AppError('RUN_NOT_CANCELLABLE', `run ${runId} is ${run.status}; only queued or running runs can be cancelled`);
    active.controller.abort(new RunAbort('cancelled', 'cancelled by request'));
    await active.done;
    return this.get(runId);
  }

  /** Resolves when the run is no longer active (tests, the sample run, shutdown). */
  async waitFor(runId: string): Promise<Run> {
    await this.active.get(runId)?.done;
    return this.get(runId);
  }

  activeRunIds(): string[] {
    return [...this.active.keys()];
  }

  /** Stops accepting runs and stops active ones; they are recorded as failed with the reason. */
  async close(): Promise<void> {
    this.closing = true;
    for (const a of this.active.values()) a.controller.abort(new RunAbort('shutdown', 'the gateway was shut down while this run was in flight'));
    await Promise.all([...this.active.values()].map((a) => a.done));
    await Promise.all(Object.values(this.o.backends).map((b) => b.close?.()));
  }
}
