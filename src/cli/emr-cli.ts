import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../config.js';
import { createEmrJobBackend } from '../jobs/emr/create-emr-job-backend.js';
import { createEmrClients } from '../jobs/emr/emr-clients.js';
import type { EmrJobBackend } from '../jobs/emr/emr-job-backend.js';
import { EmrOperations, stepFailure, stepPhase } from '../jobs/emr/emr-operations.js';
import { STAGE_ORDER, type StageName, type StageOutcome } from '../pipeline/pipeline-types.js';
import { EXIT, reportError, UsageError, type CliIo } from './cli-io.js';
import { WriteOnlyPublisher } from './write-only-publisher.js';
import { runPublishedStage } from '../pipeline/publication/publish-stage.js';
import { DEFAULT_RULES } from '../pipeline/pipeline-runner.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const EMR_USAGE = `Usage: lakegate emr <command> [options]

Commands:
  upload     stage the Spark jobs (spark/jobs) and the DDL (ddl/) under LAKEGATE_S3_STAGING,
             at content-addressed keys; files already there are not uploaded again
               --data FILE          also upload an input file to <staging>/data/<name> (repeatable)
  create     start a cluster from spark/emr-cluster.json and print its id
               --name NAME          cluster name (default lakegate)
  submit     run the pipeline's stages as EMR steps, one after the other, and wait for them
               --input s3://...     the card-transaction CSV (required)
               --output s3://...    where the jobs write the tables (required)
               --year YEAR          target year of the quarterly stage (default 2024)
               --stages a,b         stages to run (default quality,etl,quarterly,benchmark)
               --run-id ID          id of this run (default: generated)
             runs on --cluster-id / LAKEGATE_EMR_CLUSTER_ID, else on a transient cluster that is
             terminated afterwards; Ctrl-C cancels the running step
  status     the cluster's state and its latest steps
  teardown   terminate the cluster

Options of every command:
  --cluster-id ID        the cluster (default LAKEGATE_EMR_CLUSTER_ID)
  --spark-dir DIR        Spark jobs to stage (default spark/ of this checkout)
  --ddl-dir DIR          DDL to stage (default ddl/ of this checkout)
  --cluster-spec FILE    RunJobFlow request of new clusters (default spark/emr-cluster.json)
  --poll-interval MS     first pause between step state checks (default 5000)
  -h, --help

Environment: LAKEGATE_S3_STAGING (s3://bucket/prefix; upload, create, submit), LAKEGATE_EMR_CLUSTER_ID,
AWS_REGION, AWS_ENDPOINT_URL and the usual AWS credentials.
Exit status: 0 done, 1 failed, 2 bad usage or configuration, 3 quality FAIL (run halted), 130 interrupted.`;

const HINT = "see 'lakegate emr --help'";

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;
type Command = (values: Values, config: Config, io: CliIo) => Promise<number>;

const COMMON = {
  'cluster-id': { type: 'string' },
  'spark-dir': { type: 'string' },
  'ddl-dir': { type: 'string' },
  'cluster-spec': { type: 'string' },
  'poll-interval': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const OPTIONS = {
  upload: { data: { type: 'string', multiple: true } },
  create: { name: { type: 'string' } },
  submit: { input: { type: 'string' }, output: { type: 'string' }, year: { type: 'string' }, stages: { type: 'string' }, 'run-id': { type: 'string' } },
  status: {},
  teardown: {},
} as const;

const COMMANDS: Record<keyof typeof OPTIONS, Command> = { upload, create, submit, status, teardown };

/** `lakegate emr <command> ...`: answers the exit code. */
export async function runEmrCli(args: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    (command === undefined ? io.err : io.out)(EMR_USAGE);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  if (!Object.hasOwn(COMMANDS, command)) return reportError(new UsageError(`unknown emr command '${command}'`), io, HINT);
  const name = command as keyof typeof OPTIONS;
  try {
    const { values } = parseArgs({ args: rest, options: { ...COMMON, ...OPTIONS[name] }, strict: true, allowPositionals: false });
    if (values.help) {
      io.out(EMR_USAGE);
      return EXIT.ok;
    }
    return await COMMANDS[name](values as Values, loadConfig(io.env, io.cwd), io);
  } catch (err) {
    const usage = err instanceof Error && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS') ? new UsageError(err.message) : err;
    return reportError(usage, io, HINT);
  }
}

function str(values: Values, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

function required(values: Values, name: string): string {
  const v = str(values, name);
  if (v === undefined || v === '') throw new UsageError(`--${name} is required`);
  return v;
}

function int(values: Values, name: string, fallback: number, min: number): number {
  const raw = str(values, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer >= ${min}, got '${raw}'`);
  return n;
}

function clusterIdOf(values: Values, config: Config): string {
  const id = str(values, 'cluster-id') ?? config.emr.clusterId;
  if (!id) throw new UsageError('no cluster: pass --cluster-id or set LAKEGATE_EMR_CLUSTER_ID');
  return id;
}

function backend(values: Values, config: Config, io: CliIo): Promise<EmrJobBackend> {
  const dir = (name: string, fallback: string): string => path.resolve(io.cwd, str(values, name) ?? path.join(ROOT, fallback));
  return createEmrJobBackend(config, {
    sparkDir: dir('spark-dir', 'spark'),
    ddlDir: dir('ddl-dir', 'ddl'),
    clusterSpecFile: dir('cluster-spec', 'spark/emr-cluster.json'),
    pollIntervalMs: int(values, 'poll-interval', 5_000, 10),
  });
}

async function upload(values: Values, config: Config, io: CliIo): Promise<number> {
  const b = await backend(values, config, io);
  const staged = await b.stageArtifacts();
  for (const o of staged.objects) io.out(`${o.uploaded ? 'uploaded' : 'present '}  ${o.url}`);
  const uploaded = staged.objects.filter((o) => o.uploaded).length;
  io.out(`${uploaded} uploaded, ${staged.objects.length - uploaded} already present; ddl dir ${staged.ddlDir}`);
  const data = values.data;
  for (const file of Array.isArray(data) ? data : []) io.out(`uploaded  ${await b.uploadData(path.resolve(io.cwd, String(file)))}`);
  return EXIT.ok;
}

async function create(values: Values, config: Config, io: CliIo): Promise<number> {
  const b = await backend(values, config, io);
  const id = await b.startCluster(str(values, 'name') ?? 'lakegate');
  io.out(`cluster ${id} starting (${b.releaseLabel}); logs under ${b.logRoot()}/`);
  io.out(`export LAKEGATE_EMR_CLUSTER_ID=${id}`);
  return EXIT.ok;
}

function stagesOf(values: Values): StageName[] {
  const raw = str(values, 'stages');
  if (raw === undefined) return [...STAGE_ORDER];
  const wanted = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const unknown = wanted.filter((s) => !(STAGE_ORDER as readonly string[]).includes(s));
  if (unknown.length > 0 || wanted.length === 0) throw new UsageError(`--stages takes ${STAGE_ORDER.join(',')}; got '${raw}'`);
  return STAGE_ORDER.filter((s) => wanted.includes(s));
}

function describeOutcome(stage: StageName, outcome: StageOutcome, io: CliIo): void {
  if (outcome.quality) {
    const notPass = outcome.quality.checks.filter((c) => c.status !== 'PASS').map((c) => `${c.name}=${c.status}(${c.issueCount})`);
    io.out(`[${stage}] quality ${outcome.quality.overall}${notPass.length > 0 ? `: ${notPass.join(', ')}` : ''}`);
  }
  if (outcome.tables.length > 0) io.out(`[${stage}] succeeded: ${outcome.rows} rows; ${outcome.tables.join(', ')}`);
}

async function submit(values: Values, config: Config, io: CliIo): Promise<number> {
  const run = {
    runId: str(values, 'run-id') ?? `cli_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`,
    input: required(values, 'input'),
    output: required(values, 'output'),
    year: int(values, 'year', 2024, 1970),
    clusterId: str(values, 'cluster-id'),
  };
  const stages = stagesOf(values);
  const session = await (await backend(values, config, io)).openSession(run);
  // The CLI keeps no run record and no catalog: it writes the versions and leaves publishing to the gateway.
  const publisher = new WriteOnlyPublisher(run.output, (line) => io.out(`  ${line}`));
  const controller = new AbortController();
  const stopListening = io.onInterrupt(() => controller.abort(new Error('interrupted')));
  io.out(`run ${run.runId}: ${stages.join(' -> ')}`);
  try {
    for (const stage of stages) {
      const outcome = await runPublishedStage(
        session, stage,
        { ...run, attempt: 1, signal: controller.signal, log: (line) => io.out(`[${stage}] ${line}`), rows: { rules: DEFAULT_RULES }, inputFiles: [] },
        // Publication is reported on the terminal only.
        { publisher, journal: async (p) => io.out(`[${stage}] publication ${p.version}: ${p.state} (${p.published?.length ?? 0}/${p.tables.length})`) },
      );
      describeOutcome(stage, outcome, io);
      if (outcome.quality?.overall === 'FAIL') {
        io.err(`lakegate: run ${run.runId} halted: quality FAIL`);
        return EXIT.qualityFail;
      }
    }
    io.out(`run ${run.runId} succeeded`);
    return EXIT.ok;
  } catch (err) {
    if (!controller.signal.aborted) throw err;
    io.err(`lakegate: run ${run.runId} interrupted; its step was cancelled`);
    return EXIT.interrupted;
  } finally {
    stopListening();
    await session.close().catch((err: unknown) => io.err(`lakegate: could not terminate the run's transient cluster: ${(err as Error).message}`));
  }
}

async function status(values: Values, config: Config, io: CliIo): Promise<number> {
  const id = clusterIdOf(values, config);
  const ops = new EmrOperations(createEmrClients(config.aws).emr);
  const c = await ops.describeCluster(id);
  const reason = c.Status?.StateChangeReason?.Message;
  io.out(`cluster ${id}  ${c.Status?.State ?? '?'}${reason ? ` (${reason})` : ''}  ${c.Name ?? ''}  ${c.ReleaseLabel ?? ''}  logs ${c.LogUri ?? '-'}`);
  const steps = await ops.listSteps(id);
  if (steps.length === 0) io.out('  no steps');
  for (const s of steps) {
    const state = s.Status?.State ?? '?';
    io.out(`  ${s.Id}  ${state.padEnd(14)}  ${s.Name ?? ''}${stepPhase(state) === 'failed' ? `  ${stepFailure(s)}` : ''}`);
  }
  return EXIT.ok;
}

async function teardown(values: Values, config: Config, io: CliIo): Promise<number> {
  const id = clusterIdOf(values, config);
  await new EmrOperations(createEmrClients(config.aws).emr).terminate(id);
  io.out(`cluster ${id} terminating`);
  return EXIT.ok;
}
