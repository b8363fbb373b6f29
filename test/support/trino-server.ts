import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './moto-server.js';
import { parseExactJson } from '../../src/engines/trino/exact-json.js';
import { sleep } from '../../src/storage/concurrency.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The Trino installation scripts/setup-trino.sh links here (with the Java to run it in `.java`). */
export const TRINO_HOME = path.join(root, '.trino');

/**
 * One Trino server per vitest run, started lazily: the global setup only makes a state directory
 * (TRINO_STATE in the provided context); the first test that calls trinoEndpoint() claims it (an atomic
 * mkdir) and starts the server, later callers in any worker wait for its endpoint file. The global
 * teardown stops it. A watchdog also stops it when the vitest process that owns the run dies.
 *
 * State directory layout: `claimed/` (the claim), `etc/` (configuration), `data/` (node data),
 * `metastore/` (the file metastore of the `hive` catalog), `pid` (the launcher's process group),
 * `endpoint` (written once the server answers queries), `failed` (why it could not start), `server.log`.
 */
export interface TrinoState {
  dir: string;
  /** The vitest main process: the server does not outlive it. */
  ownerPid: number;
}

const START_TIMEOUT_MS = 240_000;

function configFiles(dir: string, port: number): Record<string, string> {
  const etc = path.join(dir, 'etc');
  return {
    'node.properties': [
      'node.environment=lakegate_test',
      'node.id=lakegate-test',
      `node.data-dir=${path.join(dir, 'data')}`,
      'node.bind-ip=127.0.0.1',
      'node.internal-address=127.0.0.1',
    ].join('\n'),
    'config.properties': [
      'coordinator=true',
      'node-scheduler.include-coordinator=true',
      `http-server.http.port=${port}`,
      `discovery.uri=http://127.0.0.1:${port}`,
      'query.max-memory=1GB',
      'query.max-memory-per-node=1GB',
      `catalog.config-dir=${path.join(etc, 'catalog')}`,
    ].join('\n'),
    'jvm.config': [
      '-Xmx2G',
      '-XX:+UseG1GC',
      '-XX:+ExitOnOutOfMemoryError',
      '-Djdk.attach.allowAttachSelf=true',
      '-XX:+EnableDynamicAgentLoading',
      '-Duser.timezone=UTC',
      '-XX:TieredStopAtLevel=1',
    ].join('\n'),
    'log.properties': 'io.trino=WARN',
    'catalog/hive.properties': [
      'connector.name=hive',
      'hive.metastore=file',
      `hive.metastore.catalog.dir=local://${path.join(dir, 'metastore')}`,
      'fs.native-local.enabled=true',
      'local.location=/',
      'hive.non-managed-table-writes-enabled=true',
      // Parquet timestamps keep their microseconds (the connector's default reads milliseconds).
      'hive.timestamp-precision=MICROSECONDS',
    ].join('\n'),
  };
}


/** The endpoint of the run's Trino server, starting it if no one has yet. */
export async function trinoEndpoint(state: TrinoState): Promise<string> {
  let claimed = false;
  try {
    await mkdir(path.join(state.dir, 'claimed'));
    claimed = true;
  } catch {
    /* another test started it */
  }
  if (claimed) {
    try {
      return await start(state);
    } catch (err) {
      await writeFile(path.join(state.dir, 'failed'), String(err instanceof Error ? err.message : err));
      throw err;
    }
  }
  const deadline = Date.now() + START_TIMEOUT_MS + 10_000;
  for (;;) {
    if (existsSync(path.join(state.dir, 'endpoint'))) return (await readFile(path.join(state.dir, 'endpoint'), 'utf8')).trim();
    if (existsSync(path.join(state.dir, 'failed'))) throw new Error(`Trino did not start: ${await readFile(path.join(state.dir, 'failed'), 'utf8')}`);
    if (Date.now() > deadline) throw new Error('Trino did not start in time (started by another test file)');
    await sleep(200);
  }
}

async function start(state: TrinoState): Promise<string> {
  const launcher = path.join(TRINO_HOME, 'bin', 'launcher');
  const javaFile = path.join(TRINO_HOME, '.java');
  if (!existsSync(launcher) || !existsSync(javaFile)) throw new Error(`no Trino at ${TRINO_HOME}: run scripts/setup-trino.sh (npm test does)`);
  const java = readFileSync(javaFile, 'utf8').trim();
  const port = await freePort();
  const etc = path.join(state.dir, 'etc');
  await mkdir(path.join(etc, 'catalog'), { recursive: true });
  await mkdir(path.join(state.dir, 'metastore'), { recursive: true });
  for (const [file, text] of Object.entries(configFiles(state.dir, port))) await writeFile(path.join(etc, file), `${text}\n`);
  const log = path.join(state.dir, 'server.log');
  // The watchdog shell stops the server when the owning vitest process is gone (a crashed or killed run).
  const watchdog = [
    '"$@" > "$LOG" 2>&1 & server=$!',
    'while kill -0 "$OWNER" 2> /dev/null && kill -0 "$server" 2> /dev/null; do sleep 2; done',
    'kill "$server" 2> /dev/null; wait "$server"',
  ].join('\n');
  const child = spawn(
    'bash',
    ['-c', watchdog, 'trino-watchdog', launcher, 'run', `--etc-dir=${etc}`, `--data-dir=${path.join(state.dir, 'data')}`, `--jvm-dir=${path.dirname(path.dirname(java))}`],
    {
      detached: true,
      stdio: 'ignore',
      env: { ...process.env, OWNER: String(state.ownerPid), LOG: log, JAVA_HOME: path.dirname(path.dirname(java)) },
    },
  );
  child.unref();
  if (child.pid === undefined) throw new Error('could not spawn the Trino launcher');
  await writeFile(path.join(state.dir, 'pid'), String(child.pid));
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + START_TIMEOUT_MS;
  const tail = async (): Promise<string> => (existsSync(log) ? (await readFile(log, 'utf8')).slice(-3000) : '');
  for (;;) {
    if (child.exitCode !== null || !alive(child.pid)) throw new Error(`Trino exited while starting:\n${await tail()}`);
    if (Date.now() > deadline) throw new Error(`Trino did not start in ${START_TIMEOUT_MS / 1000} s:\n${await tail()}`);
    if (await ready(endpoint)) break;
    await sleep(500);
  }
  await writeFile(path.join(state.dir, 'endpoint'), endpoint);
  return endpoint;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Ready: /v1/info says it is no longer starting and a query runs (it may lack nodes for a few seconds). */
async function ready(endpoint: string): Promise<boolean> {
  try {
    const info = (await (await fetch(`${endpoint}/v1/info`)).json()) as { starting?: boolean };
    if (info.starting !== false) return false;
    await runTrino(endpoint, 'SELECT 1');
    return true;
  } catch {
    return false;
  }
}

/** Stops the run's server, if one was started (global teardown). */
export async function stopTrino(state: TrinoState): Promise<void> {
  const pidFile = path.join(state.dir, 'pid');
  if (existsSync(pidFile)) {
    const pid = Number(await readFile(pidFile, 'utf8'));
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
    const deadline = Date.now() + 20_000;
    while (alive(pid) && Date.now() < deadline) await sleep(100);
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  await rm(state.dir, { recursive: true, force: true });
}

export interface TrinoColumn {
  name: string;
  /** Trino's type text: `bigint`, `decimal(10,2)`, `timestamp(3)`, `array(varchar)`. */
  type: string;
}

/**
 * A row value as Trino's REST protocol sends it, except that integers too long for a double (16+
 * digits) arrive as their decimal text: BIGINT stays exact. DECIMAL, dates and timestamps are text.
 */
export type TrinoValue = null | boolean | number | string | TrinoValue[] | { [key: string]: TrinoValue };

export interface TrinoResult {
  columns: TrinoColumn[];
  rows: TrinoValue[][];
}

export class TrinoQueryError extends Error {
  constructor(
    message: string,
    readonly errorName: string,
  ) {
    super(message);
  }
}

interface StatementResponse {
  nextUri?: string;
  columns?: Array<{ name: string; type: string }>;
  data?: TrinoValue[][];
  error?: { message: string; errorName: string };
}

/** Errors of a server that is up but has not yet seen itself as a worker: the query never ran. */
const NOT_YET = new Set(['NO_NODES_AVAILABLE', 'SERVER_STARTING_UP']);

/**
 * Runs one statement through Trino's REST protocol (POST /v1/statement, then follow nextUri). A server
 * that has just started may answer "No nodes available" for a few seconds: the statement is resubmitted
 * for up to 60 s.
 */
export async function runTrino(endpoint: string, sql: string): Promise<TrinoResult> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      return await runOnce(endpoint, sql);
    } catch (err) {
      if (!(err instanceof TrinoQueryError && NOT_YET.has(err.errorName)) || Date.now() > deadline) throw err;
      await sleep(500);
    }
  }
}

async function runOnce(endpoint: string, sql: string): Promise<TrinoResult> {
  // PARAMETRIC_DATETIME: timestamps keep their precision (microseconds) instead of being cut to milliseconds.
  const headers = { 'X-Trino-User': 'lakegate', 'X-Trino-Time-Zone': 'UTC', 'X-Trino-Client-Capabilities': 'PARAMETRIC_DATETIME' };
  let res = await fetch(`${endpoint}/v1/statement`, { method: 'POST', body: sql, headers });
  const columns: TrinoColumn[] = [];
  const rows: TrinoValue[][] = [];
  for (;;) {
    const text = await res.text();
    if (!res.ok) throw new Error(`Trino answered ${res.status}: ${text.slice(0, 500)}`);
    const body = parseExactJson(text) as StatementResponse;
    if (body.error) throw new TrinoQueryError(`${body.error.errorName}: ${body.error.message}`, body.error.errorName);
    if (body.columns && columns.length === 0) columns.push(...body.columns.map((c) => ({ name: c.name, type: c.type })));
    if (body.data) rows.push(...body.data);
    if (!body.nextUri) return { columns, rows };
    res = await fetch(body.nextUri, { headers });
  }
}
