import { inject } from 'vitest';
import type { HiveServer2Config } from '../../../src/config.js';
import { thriftServerPort } from '../../support/thrift-server.js';

/** Settings for the run's Spark Thrift Server (auth NONE, binary), with `overrides` on top. */
export async function thriftServerConfig(overrides: Partial<HiveServer2Config> = {}): Promise<HiveServer2Config> {
  const port = await thriftServerPort(inject('thriftServerState'));
  return {
    host: '127.0.0.1',
    port,
    auth: 'none',
    user: 'lakegate',
    transport: 'binary',
    httpPath: 'cliservice',
    database: 'card_analytics',
    tables: 'managed',
    connectTimeoutMs: 5000,
    fetchSize: 2,
    poolSize: 2,
    ...overrides,
  };
}

/**
 * Spark SQL that runs for two minutes in one task that holds no CPU: a sleep through reflect. A cancel
 * interrupts it (spark.sql.thriftServer.interruptOnCancel), and even a task that was not interrupted
 * would leave the Thrift Server's other core free for the next test's queries (a CPU-bound cross join
 * held both cores after its cancel and starved them).
 */
export const SPARK_SLOW_SQL = "SELECT reflect('java.lang.Thread', 'sleep', CAST(120000 AS BIGINT)) AS slept";
