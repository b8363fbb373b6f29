import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { claimPeer, spawnPeer, stopPeer, type PeerState } from './jvm-peer.js';
import { freePort } from './moto-server.js';
import { makeTestCert } from './tls-cert.js';
import { parseExactJson } from '../../src/engines/exact-json.js';
import { sleep } from '../../src/storage/concurrency.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The Trino installation scripts/setup-trino.sh links here (with the Java to run it in `.java`). */
export const TRINO_HOME = path.join(root, '.trino');

/**
 * One Trino server per vitest run, started lazily by the first test that calls trinoEndpoint() (see
 * jvm-peer.ts for the claim, the watchdog and the teardown). It serves plain HTTP (what the tests use)
 * and, on a second port, HTTPS with a self-signed certificate made at start (trinoHttps()). Over HTTPS it
 * asks for a password (the file password authenticator, one user); over HTTP it keeps trusting the
 * X-Trino-User header (`allow-insecure-over-http`), so the HTTP tests send no password. Besides the
 * peer files, its state directory holds `etc/` (configuration), `data/` (node data), `metastore/` (the
 * file metastore of the `hive` catalog), `tls/` (key and certificate) and `https.json` (trinoHttps()).
 * etc/password.db holds the password's PBKDF2 hash, never the password.
 */
export type TrinoState = PeerState;

const START_TIMEOUT_MS = 240_000;

/** Trino's HTTPS side: its URL and the CA file (PEM) a client trusts it with. */
export interface TrinoHttps {
  url: string;
  caFile: string;
  /** The one user the HTTPS side knows, and its password. */
  user: string;
  password: string;
}

interface Listen {
  port: number;
  httpsPort: number;
  /** Key and certificate in one PEM file, which Trino takes as its keystore. */
  keystore: string;
  user: string;
  password: string;
}

/** A line of Trino's password file: `user:iterations:salt:hash`, PBKDF2 with HMAC-SHA1 in lowercase hex (the file authenticator's format; 1000 iterations at least). */
function passwordLine(user: string, password: string): string {
  const salt = randomBytes(16);
  const iterations = 1000;
  return `${user}:${iterations}:${salt.toString('hex')}:${pbkdf2Sync(password, salt, iterations, 32, 'sha1').toString('hex')}`;
}

function configFiles(dir: string, listen: Listen): Record<string, string> {
  const { port } = listen;
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
      'http-server.https.enabled=true',
      `http-server.https.port=${listen.httpsPort}`,
      `http-server.https.keystore.path=${listen.keystore}`,
      'http-server.authentication.type=PASSWORD',
      'http-server.authentication.allow-insecure-over-http=true',
      `password-authenticator.config-files=${path.join(etc, 'password-authenticator.properties')}`,
      // Trino needs it once authentication is on; nodes of this one-node cluster sign their calls with it.
      `internal-communication.shared-secret=${randomBytes(32).toString('base64')}`,
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
    'password-authenticator.properties': ['password-authenticator.name=file', `file.password-file=${path.join(etc, 'password.db')}`].join('\n'),
    'password.db': passwordLine(listen.user, listen.password),
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
export function trinoEndpoint(state: TrinoState): Promise<string> {
  return claimPeer(state, 'Trino', START_TIMEOUT_MS, () => start(state));
}

/** The HTTPS URL of the run's Trino server and its CA file, starting it if no one has yet. */
export async function trinoHttps(state: TrinoState): Promise<TrinoHttps> {
  await trinoEndpoint(state);
  return JSON.parse(await readFile(path.join(state.dir, 'https.json'), 'utf8')) as TrinoHttps;
}

async function start(state: TrinoState): Promise<string> {
  const launcher = path.join(TRINO_HOME, 'bin', 'launcher');
  const javaFile = path.join(TRINO_HOME, '.java');
  if (!existsSync(launcher) || !existsSync(javaFile)) throw new Error(`no Trino at ${TRINO_HOME}: run scripts/setup-trino.sh (npm test does)`);
  const java = readFileSync(javaFile, 'utf8').trim();
  const port = await freePort();
  const httpsPort = await freePort();
  const etc = path.join(state.dir, 'etc');
  await mkdir(path.join(etc, 'catalog'), { recursive: true });
  await mkdir(path.join(state.dir, 'metastore'), { recursive: true });
  await mkdir(path.join(state.dir, 'tls'));
  const cert = await makeTestCert(path.join(state.dir, 'tls'));
  const https: TrinoHttps = { url: `https://127.0.0.1:${httpsPort}`, caFile: cert.certFile, user: 'lakegate', password: randomBytes(12).toString('base64url') };
  for (const [file, text] of Object.entries(configFiles(state.dir, { port, httpsPort, keystore: cert.pemFile, user: https.user, password: https.password }))) {
    await writeFile(path.join(etc, file), `${text}\n`);
  }
  // Written before the endpoint: a caller that sees the endpoint finds it.
  await writeFile(path.join(state.dir, 'https.json'), JSON.stringify(https));
  const jvm = path.dirname(path.dirname(java));
  const endpoint = `http://127.0.0.1:${port}`;
  await spawnPeer(
    state,
    'Trino',
    { command: launcher, args: ['run', `--etc-dir=${etc}`, `--data-dir=${path.join(state.dir, 'data')}`, `--jvm-dir=${jvm}`], env: { JAVA_HOME: jvm } },
    () => ready(endpoint),
    START_TIMEOUT_MS,
  );
  return endpoint;
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
export const stopTrino = stopPeer;

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
