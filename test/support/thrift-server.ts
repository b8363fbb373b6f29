import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HiveClient, HiveDriver, auth, connections, thrift } from 'hive-driver';
import { claimPeer, spawnPeer, stopPeer, type PeerState } from './jvm-peer.js';
import { freePort } from './moto-server.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const START_TIMEOUT_MS = 180_000;

/**
 * One Spark Thrift Server (HiveServer2 protocol) per vitest run, from the venv's pyspark, started lazily
 * by the first test that calls thriftServerPort() (see jvm-peer.ts for the claim, the watchdog and the
 * teardown). Authentication NONE, binary transport, bound to 127.0.0.1 on a free port; a fresh Derby
 * metastore (`metastore_db/`, derby.log) and warehouse (`warehouse/`) in its state directory; UTC.
 */
export type ThriftServerState = PeerState;

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
  return Number(await claimPeer(state, 'the Spark Thrift Server', START_TIMEOUT_MS, () => start(state)));
}

async function start(state: ThriftServerState): Promise<string> {
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
    '--hiveconf', `hive.server2.thrift.port=${port}`,
    '--hiveconf', 'hive.server2.thrift.bind.host=127.0.0.1',
    '--hiveconf', 'hive.server2.transport.mode=binary',
    '--hiveconf', 'hive.server2.authentication=NONE',
  ];
  await spawnPeer(
    state,
    'spark-thrift-server',
    { command: path.join(home, 'bin', 'spark-submit'), args, env: { JAVA_HOME: java17(), SPARK_HOME: home } },
    () => selectOne(port),
    START_TIMEOUT_MS,
  );
  return String(port);
}

/** Ready: a SELECT 1 round trip through hive-driver itself (not the engine under test). */
async function selectOne(port: number): Promise<boolean> {
  const T = thrift.TCLIService_types;
  const client = new HiveClient(thrift.TCLIService, T);
  client.on('error', () => undefined);
  const attempt = (async () => {
    await client.connect({ host: '127.0.0.1', port }, new connections.TcpConnection(), new auth.PlainTcpAuthentication({ username: 'probe', password: 'probe' }));
    const driver = new HiveDriver(T, client.getClient());
    const session = await driver.openSession({ client_protocol: T.TProtocolVersion.HIVE_CLI_SERVICE_PROTOCOL_V10 });
    const op = await driver.executeStatement({ sessionHandle: session.sessionHandle, statement: 'SELECT 1', runAsync: false });
    const rows = await driver.fetchResults({ operationHandle: op.operationHandle, orientation: T.TFetchOrientation.FETCH_NEXT, maxRows: 1 });
    await driver.closeSession({ sessionHandle: session.sessionHandle });
    return (rows.results?.columns?.[0] as { i32Val?: { values: number[] } } | undefined)?.i32Val?.values[0] === 1;
  })();
  const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 10_000).unref());
  try {
    return await Promise.race([attempt.catch(() => false), timeout]);
  } finally {
    client.close();
  }
}

/** Stops the run's server, if one was started (global teardown). */
export const stopThriftServer = stopPeer;
