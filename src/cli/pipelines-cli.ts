import { parseArgs } from 'node:util';
import type { components } from '../api/openapi-types.js';
import { STAGE_ORDER } from '../pipeline/pipeline-types.js';
import { EXIT, UsageError, reportError, type CliIo } from './cli-io.js';
import { GatewayClient, GatewayError } from './gateway-client.js';

type Run = components['schemas']['Run'];
type RunRequest = components['schemas']['RunRequest'];
type Stage = components['schemas']['Stage'];

export const PIPELINES_USAGE = `Usage: lakegate pipelines <command> [options]

Commands:
  run        start a pipeline run on the gateway and print its id
               --input PATH|URL       the card-transaction CSV (a file, folder, glob or s3:// URL;
                                      repeat for several)
               --year YEAR            target year of the quarterly stage (default 2024)
               --stages a,b           stages to run (default quality,etl,quarterly,benchmark)
               --engine local|spark|emr
               --output PATH|URL      where tables are published (default the gateway's warehouse)
               --idempotency-key KEY  a retry with the same key gets the same run, never a second
               --wait                 follow the run to its end, printing each stage's progress
               --poll-interval MS     pause between checks while waiting (default 2000)
  status     RUN_ID: the run's status and stages (--json: the run as the gateway answers it)
  cancel     RUN_ID: cancel a queued or running run

The gateway is LAKEGATE_URL (default http://127.0.0.1:8080); LAKEGATE_TOKEN, when set, is sent as a
Bearer token. With --wait, progress goes to stderr and stdout holds only the run id.
Exit status: 0 succeeded (or accepted, without --wait); 1 failed or cancelled, or the gateway out of
reach, busy with another run of the output (409) or rate-limiting (429); 2 bad usage or a request the
gateway refused; 3 halted by a quality FAIL; 130 interrupted (Ctrl-C or SIGTERM cancels the run first,
a second one stops waiting for that).`;

const HINT = "see 'lakegate pipelines --help'";

const OPTIONS = {
  input: { type: 'string', multiple: true },
  year: { type: 'string' },
  stages: { type: 'string' },
  engine: { type: 'string' },
  output: { type: 'string' },
  'idempotency-key': { type: 'string' },
  wait: { type: 'boolean' },
  'poll-interval': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K] extends { multiple: true } ? string[] : (typeof OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };

const TERMINAL = new Set<Run['status']>(['succeeded', 'failed', 'halted', 'cancelled']);

/** `lakegate pipelines <command> ...`: answers the exit code. */
export async function runPipelinesCli(args: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    (command === undefined ? io.err : io.out)(PIPELINES_USAGE);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  try {
    const { values, positionals } = parseArgs({ args: rest, options: OPTIONS, strict: true, allowPositionals: true });
    const v = values as Values;
    if (v.help) {
      io.out(PIPELINES_USAGE);
      return EXIT.ok;
    }
    const client = new GatewayClient({ url: io.env.LAKEGATE_URL?.trim() || 'http://127.0.0.1:8080', ...(io.env.LAKEGATE_TOKEN ? { token: io.env.LAKEGATE_TOKEN } : {}) });
    if (command === 'run') {
      if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
      return await run(client, v, io);
    }
    if (command === 'status' || command === 'cancel') {
      const id = runIdOf(positionals);
      return command === 'status' ? await status(client, id, v, io) : await cancel(client, id, io);
    }
    throw new UsageError(`unknown pipelines command '${command}'`);
  } catch (err) {
    const usage = err instanceof Error && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS') ? new UsageError(err.message) : err;
    return reportGatewayError(usage, io);
  }
}

function runIdOf(positionals: string[]): string {
  if (positionals.length !== 1) throw new UsageError('expected one RUN_ID');
  return positionals[0]!;
}

/**
 * A refused request (4xx) is the caller's to fix (2); an unreachable or failing gateway, another run
 * active on the output (409) or a rate limit (429) is worth trying again later (1).
 */
function reportGatewayError(err: unknown, io: CliIo): number {
  if (!(err instanceof GatewayError)) return reportError(err, io, HINT);
  io.err(`lakegate: ${err.code}: ${err.message}`);
  return err.status >= 400 && err.status < 500 && err.status !== 409 && !err.transient ? EXIT.usage : EXIT.failed;
}

function requestOf(v: Values): RunRequest {
  const inputs = v.input ?? [];
  if (inputs.length === 0 || inputs.some((i) => i.trim() === '')) throw new UsageError('--input is required');
  const body: RunRequest = { input: inputs.length === 1 ? inputs[0]! : inputs };
  if (v.year !== undefined) {
    const year = Number(v.year);
    if (!Number.isInteger(year)) throw new UsageError(`--year must be an integer, got '${v.year}'`);
    body.year = year;
  }
  if (v.stages !== undefined) {
    const stages = v.stages.split(',').map((s) => s.trim()).filter((s) => s !== '');
    const unknown = stages.filter((s) => !(STAGE_ORDER as readonly string[]).includes(s));
    if (stages.length === 0 || unknown.length > 0) throw new UsageError(`--stages takes a comma-separated list of ${STAGE_ORDER.join(', ')}; got '${v.stages}'`);
    body.stages = stages as RunRequest['stages'];
  }
  if (v.engine !== undefined) body.engine = v.engine as RunRequest['engine'];
  if (v.output !== undefined) body.output = v.output;
  if (v['idempotency-key'] !== undefined) body.idempotencyKey = v['idempotency-key'];
  return body;
}

function pollIntervalOf(v: Values): number {
  const raw = v['poll-interval'];
  if (raw === undefined) return 2_000;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 10) throw new UsageError(`--poll-interval must be an integer >= 10, got '${raw}'`);
  return n;
}

/**
 * SIGINT and SIGTERM while a command runs: the first asks it to stop (cancelling the run), the second
 * gives up waiting for the cancellation.
 */
class Interrupts {
  private readonly first = new AbortController();
  private readonly second = new AbortController();
  private readonly off: () => void;

  constructor(io: CliIo) {
    this.off = io.onInterrupt(() => (this.first.signal.aborted ? this.second : this.first).abort());
  }

  get stop(): AbortSignal {
    return this.first.signal;
  }

  get giveUp(): AbortSignal {
    return this.second.signal;
  }

  close(): void {
    this.off();
  }
}

async function run(client: GatewayClient, v: Values, io: CliIo): Promise<number> {
  const body = requestOf(v);
  const interval = pollIntervalOf(v);
  // Listening from before the submission: an interrupt while it is on its way still cancels the run it made.
  const interrupts = new Interrupts(io);
  try {
    const submitted = await client.request<{ runId: string; status: Run['status'] }>('POST', '/pipelines/run', body, { signal: interrupts.giveUp });
    const id = submitted.body.runId;
    io.out(id);
    if (interrupts.stop.aborted) return await cancelRun(client, id, interval, io, interrupts);
    if (!v.wait) return EXIT.ok;
    if (submitted.status === 200) io.err(`${id}: the run of idempotency key '${body.idempotencyKey}', submitted before`);
    return await follow(client, id, interval, io, interrupts);
  } catch (err) {
    if (interrupts.giveUp.aborted) return EXIT.interrupted;
    throw err;
  } finally {
    interrupts.close();
  }
}

/** How long the gateway may stay out of reach (or keep shedding load) while a run is followed. */
const UNREACHABLE_FOR_MS = 5 * 60_000;

/**
 * Polls the run to its end, printing what changed. A gateway briefly out of reach, shedding load or
 * rate-limiting is asked again, with growing pauses, for up to 5 minutes; an interrupt cancels the run.
 */
async function follow(client: GatewayClient, id: string, interval: number, io: CliIo, interrupts: Interrupts): Promise<number> {
  const printer = new ProgressPrinter(io);
  let failingSince: number | undefined;
  let pause = interval;
  while (!interrupts.stop.aborted) {
    try {
      const current = (await client.request<Run>('GET', runPath(id), undefined, { signal: interrupts.stop })).body;
      failingSince = undefined;
      pause = interval;
      printer.show(current);
      if (TERMINAL.has(current.status)) return exitOf(current, io);
    } catch (err) {
      if (interrupts.stop.aborted) break;
      if (!(err instanceof GatewayError && err.transient)) throw err;
      failingSince ??= Date.now();
      if (Date.now() - failingSince > UNREACHABLE_FOR_MS) throw err;
      io.err(`${id}: ${err.code}: ${err.message}; asking again`);
      pause = Math.min(pause * 2, Math.max(interval, 5_000));
    }
    await sleep(pause, interrupts.stop);
  }
  return cancelRun(client, id, interval, io, interrupts);
}

/**
 * Cancels the run after an interrupt and waits for it to stop (a second interrupt stops waiting):
 * 130 whatever the cancellation met, unless the run had already ended, whose own status then counts.
 */
async function cancelRun(client: GatewayClient, id: string, interval: number, io: CliIo, interrupts: Interrupts): Promise<number> {
  io.err(`${id}: interrupted; cancelling the run`);
  const bounded = { signal: interrupts.giveUp, timeoutMs: 120_000 };
  try {
    // The gateway answers once the run has stopped.
    const answer = (await client.request<{ status: string }>('POST', `${runPath(id)}/cancel`, {}, bounded)).body;
    io.err(`${id}: ${answer.status}`);
  } catch (err) {
    if (interrupts.giveUp.aborted) return EXIT.interrupted;
    if (err instanceof GatewayError && err.code === 'RUN_NOT_CANCELLABLE') {
      const ended = await client.request<Run>('GET', runPath(id), undefined, bounded).then((r) => r.body, () => undefined);
      if (ended && TERMINAL.has(ended.status)) return exitOf(ended, io);
    }
    io.err(`${id}: could not cancel the run: ${err instanceof Error ? err.message : String(err)}`);
  }
  return EXIT.interrupted;
}

const runPath = (id: string): string => `/pipelines/runs/${encodeURIComponent(id)}`;

function exitOf(r: Run, io: CliIo): number {
  if (r.status === 'succeeded') return EXIT.ok;
  const failed = r.quality?.checks.filter((c) => c.status === 'FAIL') ?? [];
  const why = r.status === 'halted' && failed.length > 0 ? `quality FAIL: ${failed.map((c) => `${c.name} (${c.detail ?? `${c.issueCount} rows`})`).join('; ')}` : (r.error ?? r.status);
  io.err(`${r.runId}: ${r.status}: ${why}`);
  return r.status === 'halted' ? EXIT.qualityFail : EXIT.failed;
}

/** Prints a line for each stage whose status changed, or whose progress moved by 5 points or more. */
class ProgressPrinter {
  private readonly last = new Map<string, { status: string; percent: number }>();
  private runStatus: string | undefined;

  constructor(private readonly io: CliIo) {}

  show(r: Run): void {
    if (r.status !== this.runStatus && !TERMINAL.has(r.status)) this.io.err(`${r.runId}: ${r.status}`);
    this.runStatus = r.status;
    for (const s of r.stages) {
      const seen = this.last.get(s.name);
      const percent = s.progress?.percent ?? 0;
      if (s.status === 'pending' || (seen && seen.status === s.status && (s.status !== 'running' || percent - seen.percent < 5))) continue;
      this.last.set(s.name, { status: s.status, percent });
      this.io.err(`${r.runId}: ${stageLine(s)}`);
    }
    if (TERMINAL.has(r.status) && r.status === 'succeeded') this.io.err(`${r.runId}: succeeded`);
  }
}

function stageLine(s: Stage): string {
  const took = s.startedAt && s.finishedAt ? ` in ${((Date.parse(s.finishedAt) - Date.parse(s.startedAt)) / 1000).toFixed(1)} s` : '';
  if (s.status === 'running') {
    const p = s.progress;
    const eta = p?.etaSeconds === undefined ? '' : `, about ${Math.ceil(p.etaSeconds)} s left`;
    const attempt = s.attempts > 1 ? ` (attempt ${s.attempts})` : '';
    return `${s.name} running${attempt} ${Math.floor(p?.percent ?? 0)}%${eta}`;
  }
  if (s.status === 'succeeded') return `${s.name} succeeded${took}${s.rows === null || s.rows === undefined ? '' : `, ${s.rows.toLocaleString('en-US')} rows`}`;
  if (s.status === 'failed') return `${s.name} failed${took}: ${s.error ?? 'no reason given'}`;
  return `${s.name} ${s.status}`;
}

async function status(client: GatewayClient, id: string, v: Values, io: CliIo): Promise<number> {
  const r = (await client.request<Run>('GET', runPath(id))).body;
  if (v.json) {
    io.out(JSON.stringify(r, null, 2));
    return EXIT.ok;
  }
  io.out(`${r.runId}: ${r.status}${r.error ? `: ${r.error}` : ''}`);
  for (const s of r.stages) io.out(`  ${stageLine(s)}`);
  if (r.quality) io.out(`  quality ${r.quality.overall}: ${r.quality.checks.filter((c) => c.status !== 'PASS').map((c) => `${c.name} ${c.status}`).join(', ') || 'every check passed'}`);
  return EXIT.ok;
}

async function cancel(client: GatewayClient, id: string, io: CliIo): Promise<number> {
  const r = (await client.request<{ runId: string; status: string }>('POST', `${runPath(id)}/cancel`, {}, { timeoutMs: 120_000 })).body;
  io.out(`${r.runId}: ${r.status}`);
  return EXIT.ok;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
