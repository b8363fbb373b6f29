import { readFile } from 'node:fs/promises';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { HiveClient, HiveDriver, auth, connections, thrift } from 'hive-driver';
import type { SessionHandle, Status } from 'hive-driver/dist/hive/Types/index.js';
import type { HiveServer2Config } from '../../config.js';
import { AppError, engineUnavailable, firstLine } from '../../errors.js';
import { tlsFailure } from '../tls-failure.js';

const T = thrift.TCLIService_types as {
  TProtocolVersion: Record<string, number>;
  TStatusCode: Record<string, number>;
};

/** What a connection needs to know besides the endpoint. */
export interface Hs2Target {
  /** The engine's name, for messages ('hive', 'impala'). */
  name: string;
  config: HiveServer2Config;
  /** OpenSession configuration (e.g. `set:hiveconf:...` keys). */
  sessionConf?: Record<string, string>;
}

/** The socket-like object hive-driver's transports wrap: destroyed when a connection is given up. */
interface Destroyable {
  destroy?: () => void;
}

/** An engine that does not answer: 503 ENGINE_UNAVAILABLE naming it. */
export const unavailable = engineUnavailable;

/** Throws the server's error message (QUERY_FAILED) unless the status is a success. */
export function checkStatus(status: Status | undefined, name: string): void {
  const code = status?.statusCode;
  if (code === T.TStatusCode.SUCCESS_STATUS || code === T.TStatusCode.SUCCESS_WITH_INFO_STATUS || code === T.TStatusCode.STILL_EXECUTING_STATUS) return;
  throw new AppError('QUERY_FAILED', `${name}: ${serverMessage(status?.errorMessage ?? 'the server refused the request')}`);
}

/** The first line of a server message, without the Java exception class HiveServer2 prefixes to it. */
export function serverMessage(text: string): string {
  return firstLine(text).replace(/^(org\.apache\.hive\.service\.cli\.HiveSQLException: )+/, '');
}

/** Races `p` with `others`; a promise that loses stays handled. */
function race<T>(p: Promise<T>, ...others: Promise<never>[]): Promise<T> {
  p.catch(() => undefined);
  return Promise.race([p, ...others]);
}

/**
 * One HiveServer2 connection with one open session. hive-driver does not fail pending calls when its
 * connection is lost (thrift keeps their callbacks), so every call races the connection's `lost`
 * promise: a call on a dead connection rejects instead of hanging.
 */
export class Hs2Session {
  private broken = false;
  private closed = false;

  private constructor(
    private readonly name: string,
    private readonly client: InstanceType<typeof HiveClient>,
    readonly driver: InstanceType<typeof HiveDriver>,
    readonly handle: SessionHandle,
    private readonly lost: Promise<never>,
    private readonly release: () => void,
  ) {
    lost.catch(() => (this.broken = true));
  }

  /**
   * Connects, authenticates and opens a session within `connectTimeoutMs`. A refused connection, a
   * mismatched auth mode (hive-driver's promise never settles then) or a server that does not answer
   * becomes ENGINE_UNAVAILABLE, and the socket is destroyed.
   */
  static async open(target: Hs2Target): Promise<Hs2Session> {
    const { name, config } = target;
    const client = new HiveClient(thrift.TCLIService, thrift.TCLIService_types);
    let socket: Destroyable | undefined;
    const agent = config.transport === 'http' ? (config.tls ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true })) : undefined;
    const release = (): void => {
      client.close();
      socket?.destroy?.();
      agent?.destroy();
    };
    let fail!: (err: Error) => void;
    const lost = new Promise<never>((_, reject) => (fail = reject));
    lost.catch(() => undefined);
    // Without a listener, the 'error' hive-driver re-emits would be thrown as an uncaught exception.
    client.on('error', (err: Error) => fail(err));
    client.on('close', () => fail(new Error('the connection was closed')));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${config.connectTimeoutMs} ms (is ${name}'s auth mode ${config.auth}?)`)), config.connectTimeoutMs);
    });
    try {
      const provider = await authProvider(config);
      // The transport is handed to the auth provider: keeping it lets a timeout destroy the socket.
      const capturing = {
        authenticate: (transport: { getTransport(): unknown }) => {
          const opened = provider.authenticate(transport);
          socket = transport.getTransport() as Destroyable;
          return opened;
        },
      };
      const connection = config.transport === 'http' ? new connections.HttpConnection() : new connections.TcpConnection();
      await race(client.connect({ host: config.host, port: config.port, options: await connectOptions(config, agent) }, connection, capturing as never), lost, timeout);
      const driver = new HiveDriver(thrift.TCLIService_types, client.getClient());
      const opened = await race(
        driver.openSession({
          client_protocol: T.TProtocolVersion.HIVE_CLI_SERVICE_PROTOCOL_V10!,
          ...(config.auth === 'nosasl' ? {} : { username: config.user, password: config.password ?? 'anonymous' }),
          configuration: { ...target.sessionConf },
        }),
        lost,
        timeout,
      );
      if (opened.status?.statusCode !== T.TStatusCode.SUCCESS_STATUS && opened.status?.statusCode !== T.TStatusCode.SUCCESS_WITH_INFO_STATUS) {
        throw new Error(serverMessage(opened.status?.errorMessage ?? 'OpenSession was refused'));
      }
      return new Hs2Session(name, client, driver, opened.sessionHandle, lost, release);
    } catch (err) {
      release();
      const endpoint = `${config.host}:${config.port}`;
      throw tlsFailure(name, endpoint, err, `LAKEGATE_${name.toUpperCase()}_TLS_CA_FILE`) ?? unavailable(name, `${endpoint} (${config.transport}, TLS ${config.tls ? 'on' : 'off'}, auth ${config.auth}): ${firstLine(err)}`, err);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Whether the connection is known to be gone: the pool drops such a session. */
  get usable(): boolean {
    return !this.broken && !this.closed;
  }

  /** Marks the session as not to be reused (an answer to an abandoned call may still come). */
  discard(): void {
    this.broken = true;
  }

  /** One RPC; rejects with ENGINE_UNAVAILABLE when the connection is lost before the answer. */
  call<R>(rpc: (driver: InstanceType<typeof HiveDriver>) => Promise<R>): Promise<R> {
    if (!this.usable) return Promise.reject(unavailable(this.name, 'the connection was lost'));
    return race(rpc(this.driver), this.lost).catch((err: unknown) => {
      if (err instanceof AppError) throw err;
      this.broken = true;
      throw unavailable(this.name, firstLine(err), err);
    });
  }

  /** Closes the session (bounded wait) and the connection. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    const wasUsable = this.usable;
    this.closed = true;
    if (wasUsable) {
      const bound = new Promise<void>((resolve) => setTimeout(resolve, 2000).unref());
      await Promise.race([race(this.driver.closeSession({ sessionHandle: this.handle }), this.lost).catch(() => undefined), bound]);
    }
    this.release();
  }
}

async function authProvider(config: HiveServer2Config): Promise<{ authenticate(transport: unknown): Promise<unknown> }> {
  if (config.auth === 'nosasl') return new auth.NoSaslAuthentication();
  // `none` is SASL PLAIN with any user and password; `plain` (also LDAP) with the configured ones.
  const credentials = { username: config.user, password: config.password ?? 'anonymous' };
  return config.transport === 'http' ? new auth.PlainHttpAuthentication(credentials) : new auth.PlainTcpAuthentication(credentials);
}

async function connectOptions(config: HiveServer2Config, agent: HttpAgent | undefined): Promise<Record<string, unknown>> {
  const ca = config.tls?.caFile ? await readFile(config.tls.caFile) : undefined;
  const tls = config.tls ? { rejectUnauthorized: config.tls.rejectUnauthorized, ...(ca ? { ca } : {}) } : {};
  if (config.transport === 'http') {
    return { path: `/${config.httpPath}`, https: config.tls !== undefined, nodeOptions: { ...tls, agent } };
  }
  return config.tls ? { ssl: true, ...tls } : {};
}
