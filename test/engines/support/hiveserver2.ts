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
 * Spark SQL that runs for minutes on two cores: a count over a 10^12-row cross join (a nested loop: the
 * condition is no equi-join). A sum would overflow BIGINT (ANSI mode) within seconds and end the query.
 */
export const SPARK_SLOW_SQL = 'SELECT count(*) FROM range(1000000) a CROSS JOIN range(1000000) b WHERE (a.id ^ b.id) = 1';
