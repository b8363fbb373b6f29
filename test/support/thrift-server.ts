import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { Agent as HttpsAgent } from 'node:https';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HiveClient, HiveDriver, auth, connections, thrift } from 'hive-driver';
import { claimPeer, spawnPeer, stopPeer, type PeerState } from './jvm-peer.js';
import { freePort } from './moto-server.js';
import type { TestCert } from './tls-cert.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const START_TIMEOUT_MS = 180_000;

/**
 * One Spark Thrift Server (HiveServer2 protocol) per vitest run, from the venv's pyspark, started lazily
 * by the first test that calls thriftServerPort() (see jvm-peer.ts for the claim, the watchdog and the
 * teardown). Authentication NONE, binary transport, bound to 127.0.0.1 on a free port; a fresh Derby
 * metastore (`metastore_db/`, derby.log) and warehouse (`warehouse/`) in its state directory; UTC.
 */
export type ThriftServerState = PeerState;

/** How a Spark Thrift Server listens (the run's: binary, no TLS). */
export interface ThriftServerOptions {
  transport: 'binary' | 'http';
  /** The HTTP transport's path (hive.server2.thrift.http.path), without a leading slash. */
  httpPath?: string;
  /** Serve TLS with this certificate (hive.server2.use.SSL and its PKCS12 keystore). */
  tls?: TestCert;
}

function sparkHome(): string {
  const lib = path.join(root, '.venv', 'lib');
  const python = existsSync(lib) ? readdirSync(lib).find((d) => d.startsWith('python')) : undefined;
  const home = python && path.join(lib, python, 'site-packages', 'pyspark');
  if (!home || !existsSync(path.join(home, 'bin', 'spark-submit'))) throw new Error(`no pyspark with spark-submit under ${lib}`);
  return home;
}

function java17(): string {
  const jvm = '/usr/lib/jvm';
  const found = existsSync(jvm) ? readdirSync(jvm).find((d) => /^java-17-/.test(d)) : undefined;
  if (!found) throw new Error('no Java 17 under /usr/lib/jvm (the Spark Thrift Server needs it)');
  return path.join(jvm, found);
}

/** The port of the run's Spark Thrift Server on 127.0.0.1, starting it if no one has yet. */
export async function thriftServerPort(state: ThriftServerState): Promise<number> {
  return Number(await claimPeer(state, 'the Spark Thrift Server', START_TIMEOUT_MS, async () => String(await startThriftServer(state))));
}

/**
 * Starts a Spark Thrift Server of its own in `state.dir` (stop it with stopPeer) and resolves to its port
 * once a SELECT 1 answers over the same transport. Test files that need another transport than the run's
 * server start one with this, for as short a time as they can.
 */
export async function startThriftServer(state: ThriftServerState, options: ThriftServerOptions = { transport: 'binary' }): Promise<number> {
  const home = sparkHome();
  const port = await freePort();
  const args = [
    '--master', 'local[2]',
    '--driver-memory', '1g',
    '--driver-java-options', '-Duser.timezone=UTC',
    '--conf', 'spark.ui.enabled=false',
    '--conf', 'spark.sql.session.timeZone=UTC',
    '--conf', 'spark.sql.shuffle.partitions=2',
    // A cancelled statement stops its tasks, and concurrent statements share the two cores (FAIR):
    // a long query from one test file must not starve the others' queries.
    '--conf', 'spark.sql.thriftServer.interruptOnCancel=true',
    '--conf', 'spark.scheduler.mode=FAIR',
    '--conf', 'spark.sql.catalogImplementation=hive',
    '--conf', `spark.sql.warehouse.dir=${path.join(state.dir, 'warehouse')}`,
    '--conf', `spark.hadoop.javax.jdo.option.ConnectionURL=jdbc:derby:;databaseName=${path.join(state.dir, 'metastore_db')};create=true`,
    '--class', 'org.apache.spark.sql.hive.thriftserver.HiveThriftServer2',
    'spark-internal',
    // --hiveconf is read by the server class: it must come after spark-internal.
    ...hiveconf(port, options).flatMap((setting) => ['--hiveconf', setting]),
  ];
  await spawnPeer(
    state,
    'spark-thrift-server',
    { command: path.join(home, 'bin', 'spark-submit'), args, env: { JAVA_HOME: java17(), SPARK_HOME: home } },
    () => selectOne(port, options),
    START_TIMEOUT_MS,
  );
  return port;
}

/** The server's settings for a transport: Spark's bundled HiveServer2 reads the keystore keys in http mode (ThriftHttpCLIService). */
function hiveconf(port: number, options: ThriftServerOptions): string[] {
  const common = ['hive.server2.thrift.bind.host=127.0.0.1', 'hive.server2.authentication=NONE', `hive.server2.transport.mode=${options.transport}`];
  const listen = options.transport === 'http' ? [`hive.server2.thrift.http.port=${port}`, `hive.server2.thrift.http.path=${options.httpPath ?? 'cliservice'}`] : [`hive.server2.thrift.port=${port}`];
  const tls = options.tls ? ['hive.server2.use.SSL=true', `hive.server2.keystore.path=${options.tls.p12File}`, `hive.server2.keystore.password=${options.tls.password}`] : [];
  return [...common, ...listen, ...tls];
}

/** hive-driver's connection to the server over its transport (trusting its certificate), and the agent to destroy after. */
function probeConnection(port: number, options: ThriftServerOptions) {
  if (options.transport === 'binary') {
    return { connect: { host: '127.0.0.1', port }, connection: new connections.TcpConnection(), auth: new auth.PlainTcpAuthentication({ username: 'probe', password: 'probe' }) };
  }
  const agent = options.tls ? new HttpsAgent({ ca: readFileSync(options.tls.certFile) }) : undefined;
  const connect = { host: '127.0.0.1', port, options: { path: `/${options.httpPath ?? 'cliservice'}`, https: options.tls !== undefined, nodeOptions: { agent, rejectUnauthorized: true } } };
  return { connect, connection: new connections.HttpConnection(), auth: new auth.PlainHttpAuthentication({ username: 'probe', password: 'probe' }), agent };
}

/** Ready: a SELECT 1 round trip through hive-driver itself (not the engine under test). */
async function selectOne(port: number, options: ThriftServerOptions): Promise<boolean> {
  const T = thrift.TCLIService_types;
  const client = new HiveClient(thrift.TCLIService, T);
  const probe = probeConnection(port, options);
  // Over HTTP a refused request is an 'error' event, not a rejection: it fails the attempt at once.
  const failed = new Promise<boolean>((resolve) => client.on('error', () => resolve(false)));
  const attempt = (async () => {
    await client.connect(probe.connect, probe.connection, probe.auth);
    const driver = new HiveDriver(T, client.getClient());
    const session = await driver.openSession({ client_protocol: T.TProtocolVersion.HIVE_CLI_SERVICE_PROTOCOL_V10 });
    const op = await driver.executeStatement({ sessionHandle: session.sessionHandle, statement: 'SELECT 1', runAsync: false });
    const rows = await driver.fetchResults({ operationHandle: op.operationHandle, orientation: T.TFetchOrientation.FETCH_NEXT, maxRows: 1 });
    await driver.closeSession({ sessionHandle: session.sessionHandle });
    return (rows.results?.columns?.[0] as { i32Val?: { values: number[] } } | undefined)?.i32Val?.values[0] === 1;
  })();
  const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 10_000).unref());
  try {
    return await Promise.race([attempt.catch(() => false), failed, timeout]);
  } finally {
    client.close();
    probe.agent?.destroy();
  }
}

/** Stops the run's server, if one was started (global teardown). */
export const stopThriftServer = stopPeer;
