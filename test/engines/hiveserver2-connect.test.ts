import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HiveServer2Config } from '../../src/config.js';
import { createHiveServer2Engine } from '../../src/engines/hiveserver2/index.js';
import type { Hs2Session } from '../../src/engines/hiveserver2/hs2-session.js';
import type { QueryEngine } from '../../src/engines/engine.js';
import { isAppError } from '../../src/errors.js';
import { collect } from './support/conformance.js';
import { thriftServerConfig } from './support/hiveserver2.js';

const rows = async (engine: QueryEngine, sql: string): Promise<unknown[][]> => (await collect(engine, sql)).rows;

/** What a failed call threw, with how long it took. */
async function failure(p: () => Promise<unknown>): Promise<{ err: unknown; ms: number }> {
  const started = Date.now();
  const err = await p().then(() => undefined, (e: unknown) => e);
  return { err, ms: Date.now() - started };
}

/**
 * A TCP peer that accepts connections and never answers: what hive-driver meets when the server expects
 * another auth mode than the client speaks (its promise never settles). It counts the sockets still open.
 */
async function silentPeer(): Promise<{ port: number; open: () => number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    // Read (and drop) what the client sends, so that its end is seen and the socket closes.
    s.resume();
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    open: () => sockets.size,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

describe('HiveServer2 engines: connecting', () => {
  let config: HiveServer2Config;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason);

  beforeAll(async () => {
    config = await thriftServerConfig();
    process.on('unhandledRejection', onUnhandled);
  }, 240_000);
  afterAll(() => {
    process.off('unhandledRejection', onUnhandled);
  });

  it('answers arrays, maps and structs as JSON values, 16-digit integers inside them exact', async () => {
    const hive = createHiveServer2Engine('hive', 'hive', config);
    try {
      expect(await rows(hive, "SELECT array(1, 2) AS a, named_struct('x', 1, 'y', 'text') AS s, map('k', CAST(9007199254740993 AS BIGINT)) AS m")).toEqual([
        [[1, 2], { x: 1, y: 'text' }, { k: '9007199254740993' }],
      ]);
    } finally {
      await hive.close();
    }
  });

  it("answers through engine 'impala' too: the same protocol layer, its own name (SELECT 1, the server's version)", async () => {
    const impala = createHiveServer2Engine('impala', 'impala', config);
    try {
      expect(impala.name).toBe('impala');
      expect(impala.dialect).toBe('impala');
      expect(await rows(impala, 'SELECT 1 AS one, CAST(9223372036854775807 AS BIGINT) AS big')).toEqual([[1, '9223372036854775807']]);
      const status = await impala.status(new AbortController().signal);
      // The Spark Thrift Server answers CLI_DBMS_VER with Spark's version (the pyspark in .venv is 4.x).
      expect(status.reachable).toBe(true);
      expect(status.version).toMatch(/^4\.\d+\.\d+/);
    } finally {
      await impala.close();
    }
  });

  it('turns a mismatched auth mode (client nosasl, server NONE) into ENGINE_UNAVAILABLE naming the engine, within seconds', async () => {
    const hive = createHiveServer2Engine('hive', 'hive', { ...config, auth: 'nosasl' });
    try {
      const { err, ms } = await failure(() => rows(hive, 'SELECT 1'));
      expect(isAppError(err) && err.code, String(err)).toBe('ENGINE_UNAVAILABLE');
      expect(isAppError(err) && err.status).toBe(503);
      expect(isAppError(err) && err.details).toEqual({ engine: 'hive' });
      expect(String((err as Error).message)).toContain("engine 'hive'");
      expect(ms).toBeLessThan(config.connectTimeoutMs + 2000);
      expect(await hive.status(new AbortController().signal)).toMatchObject({ reachable: false });
    } finally {
      await hive.close();
    }
  });

  for (const auth of ['none', 'nosasl'] as const) {
    it(`gives up on a server that never answers (auth ${auth}) after connectTimeoutMs with ENGINE_UNAVAILABLE, and closes the socket`, async () => {
      const peer = await silentPeer();
      const impala = createHiveServer2Engine('impala', 'impala', { ...config, port: peer.port, auth, connectTimeoutMs: 1500 });
      try {
        const { err, ms } = await failure(() => rows(impala, 'SELECT 1'));
        expect(isAppError(err) && err.code, String(err)).toBe('ENGINE_UNAVAILABLE');
        expect(String((err as Error).message)).toContain("engine 'impala'");
        expect(ms).toBeGreaterThanOrEqual(1400);
        expect(ms).toBeLessThan(4000);
        // The socket hive-driver opened is destroyed: nothing is left to keep the process alive.
        const deadline = Date.now() + 2000;
        while (peer.open() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        expect(peer.open()).toBe(0);
      } finally {
        await impala.close();
        await peer.close();
      }
      expect(unhandled).toEqual([]);
    });
  }

  it('reports a catalog change it could not make (engine down) as failed, without throwing', async () => {
    const peer = await silentPeer();
    await peer.close();
    const hive = createHiveServer2Engine('hive', 'hive', { ...config, port: peer.port });
    try {
      const def = { database: 'card_analytics', name: 't', location: 's3://bucket/t', format: 'parquet' as const, properties: {}, columns: [{ name: 'a', type: 'INT' }], partitionKeys: [] };
      const outcome = await hive.onCatalogChange({ changed: [def], dropped: [], reason: 'publication' }, new AbortController().signal);
      expect(outcome).toMatchObject({ engine: 'hive', mode: 'managed', status: 'failed', tables: ['t'], statements: ['CREATE DATABASE IF NOT EXISTS `card_analytics`'] });
      expect(outcome.error).toContain("engine 'hive' is not available");
    } finally {
      await hive.close();
    }
  });

  it('queues callers beyond poolSize and serves them in turn on the pooled sessions', async () => {
    const hive = createHiveServer2Engine('hive', 'hive', { ...config, poolSize: 1 });
    try {
      const answers = await Promise.all([1, 2, 3].map((n) => rows(hive, `SELECT ${n} AS n`)));
      expect(answers).toEqual([[[1]], [[2]], [[3]]]);
    } finally {
      await hive.close();
    }
    expect(unhandled).toEqual([]);
  });

  it('starts a statement again on a fresh session when the server no longer holds the pooled one (expired while idle)', async () => {
    const hive = createHiveServer2Engine('hive', 'hive', { ...config, poolSize: 2 });
    try {
      await Promise.all([rows(hive, 'SELECT 1'), rows(hive, 'SELECT 2')]);
      // The server forgets both idle sessions, as its idle-session timeout would.
      const idle = (hive as unknown as { pool: { idle: Hs2Session[] } }).pool.idle;
      expect(idle).toHaveLength(2);
      for (const s of idle) await s.driver.closeSession({ sessionHandle: s.handle });
      expect(await rows(hive, 'SELECT 9007199254740993 AS n')).toEqual([['9007199254740993']]);
      expect(idle).toHaveLength(1);
      expect(idle[0]!.usable).toBe(true);
    } finally {
      await hive.close();
    }
    expect(unhandled).toEqual([]);
  });
});
