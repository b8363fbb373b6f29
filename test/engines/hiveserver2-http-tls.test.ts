import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createHiveServer2Engine } from '../../src/engines/hiveserver2/index.js';
import { isAppError } from '../../src/errors.js';
import { stopPeer, type PeerState } from '../support/jvm-peer.js';
import { startThriftServer } from '../support/thrift-server.js';
import { makeTestCert, type TestCert } from '../support/tls-cert.js';
import { collect, firstFailure } from './support/conformance.js';

const CONNECT_TIMEOUT_MS = 5000;

/** What a query on a hive engine made from `env` threw, with how long it took. */
const failure = (env: Record<string, string>): Promise<{ err: unknown; ms: number }> => firstFailure(createHiveServer2Engine('hive', 'hive', loadConfig(env).hive!));

/**
 * HiveServer2 over the HTTP transport with TLS, against a Spark Thrift Server of this file's own (http
 * mode, path cliservice, a keystore made at test time): the settings go through loadConfig as a
 * deployment writes them (LAKEGATE_HIVE_*), and every failure is an answer within the connect timeout.
 */
describe('HiveServer2 engine over https (Spark Thrift Server in http mode with SSL)', () => {
  let state: PeerState;
  let cert: TestCert;
  let env: Record<string, string>;

  beforeAll(async () => {
    state = { dir: await mkdtemp(path.join(os.tmpdir(), 'lakegate-thrift-https-')), ownerPid: process.pid };
    cert = await makeTestCert(state.dir);
    const port = await startThriftServer(state, { transport: 'http', httpPath: 'cliservice', tls: cert });
    env = {
      LAKEGATE_HIVE_HOST: '127.0.0.1',
      LAKEGATE_HIVE_PORT: String(port),
      LAKEGATE_HIVE_TRANSPORT: 'http',
      LAKEGATE_HIVE_HTTP_PATH: '/cliservice',
      LAKEGATE_HIVE_TLS: 'on',
      LAKEGATE_HIVE_TLS_CA_FILE: cert.certFile,
      LAKEGATE_HIVE_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
      LAKEGATE_HIVE_FETCH_SIZE: '2',
    };
  }, 240_000);
  // This file's JVM stops as soon as its tests are done: it is not to compete with the next files'.
  afterAll(async () => {
    if (state) await stopPeer(state);
  }, 60_000);

  it('answers over https with the CA file: a 17-digit BIGINT exact and rows of a VALUES table over several fetches', async () => {
    const config = loadConfig(env).hive!;
    expect(config).toMatchObject({ transport: 'http', httpPath: 'cliservice', tls: { caFile: cert.certFile, rejectUnauthorized: true } });
    const hive = createHiveServer2Engine('hive', 'hive', config);
    try {
      expect((await collect(hive, 'SELECT 9007199254740993 AS big')).rows).toEqual([['9007199254740993']]);
      const table = await collect(hive, "SELECT id, name FROM VALUES (3, 'c'), (1, 'a'), (2, 'b') AS t(id, name) ORDER BY id");
      expect(table.rows).toEqual([[1, 'a'], [2, 'b'], [3, 'c']]);
      expect(await hive.status(AbortSignal.timeout(10_000))).toMatchObject({ reachable: true, version: expect.stringMatching(/^4\.\d+\.\d+/) });
    } finally {
      await hive.close();
    }
  });

  it('with TLS_VERIFY=off and no CA file: answers', async () => {
    const { LAKEGATE_HIVE_TLS_CA_FILE: _, ...noCa } = env;
    const hive = createHiveServer2Engine('hive', 'hive', loadConfig({ ...noCa, LAKEGATE_HIVE_TLS_VERIFY: 'off' }).hive!);
    try {
      expect((await collect(hive, "SELECT 'unverified' AS s")).rows).toEqual([['unverified']]);
    } finally {
      await hive.close();
    }
  });

  it('with verification on and no CA file: 502 UPSTREAM_FAILED naming the TLS problem and the CA setting, at once', async () => {
    const { LAKEGATE_HIVE_TLS_CA_FILE: _, ...noCa } = env;
    const { err, ms } = await failure(noCa);
    expect(isAppError(err) && err.code, String(err)).toBe('UPSTREAM_FAILED');
    expect(isAppError(err) && err.status).toBe(502);
    expect(isAppError(err) && err.details).toEqual({ engine: 'hive' });
    expect((err as Error).message).toMatch(/^engine 'hive': the TLS handshake with 127\.0\.0\.1:\d+ failed \(DEPTH_ZERO_SELF_SIGNED_CERT: self[- ]signed certificate\); check LAKEGATE_HIVE_TLS_CA_FILE$/);
    expect(ms).toBeLessThan(2000);
  });

  it('plain http (TLS off) against the https server: 503 ENGINE_UNAVAILABLE naming the engine and its settings within the connect timeout', async () => {
    const { LAKEGATE_HIVE_TLS: _, LAKEGATE_HIVE_TLS_CA_FILE: __, ...plain } = env;
    const { err, ms } = await failure(plain);
    expect(isAppError(err) && err.code, String(err)).toBe('ENGINE_UNAVAILABLE');
    expect(isAppError(err) && err.status).toBe(503);
    expect((err as Error).message).toContain(`engine 'hive' is not available: 127.0.0.1:${env.LAKEGATE_HIVE_PORT} (http, TLS off, auth none): `);
    expect(ms).toBeLessThan(CONNECT_TIMEOUT_MS + 2000);
  });

  it('binary transport (TLS on or off) against the http server: 503 ENGINE_UNAVAILABLE naming the engine and its settings within the connect timeout', async () => {
    for (const tls of ['on', 'off']) {
      const { err, ms } = await failure({ ...env, LAKEGATE_HIVE_TRANSPORT: 'binary', LAKEGATE_HIVE_TLS: tls });
      expect(isAppError(err) && err.code, `${tls}: ${String(err)}`).toBe('ENGINE_UNAVAILABLE');
      expect((err as Error).message).toContain(`engine 'hive' is not available: 127.0.0.1:${env.LAKEGATE_HIVE_PORT} (binary, TLS ${tls}, auth none): `);
      expect(ms).toBeLessThan(CONNECT_TIMEOUT_MS + 2000);
    }
  });
});
