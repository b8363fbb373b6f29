import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueryEngine } from '../../src/engines/engine.js';
import { createHiveServer2Engine } from '../../src/engines/hiveserver2/index.js';
import { isAppError } from '../../src/errors.js';
import { collect } from './support/conformance.js';
import { SPARK_SLOW_SQL, thriftServerConfig } from './support/hiveserver2.js';

// The server runs Spark on local[2] with the FIFO scheduler: while the slow cross join holds both task
// slots, no other job's tasks run (without CancelOperation the next job below never finishes). The
// cancel waits behind the GetOperationStatus the server holds for up to 5 s (long polling) on the same
// connection, hence the bound.
describe("engine 'hive': a timeout reaches the server (CancelOperation), not only the client", () => {
  let engine: QueryEngine;

  beforeAll(async () => {
    engine = createHiveServer2Engine('hive', 'hive', await thriftServerConfig());
  }, 240_000);
  afterAll(async () => {
    await engine?.close();
  });

  it('answers QUERY_TIMEOUT when the timeout fires mid-query, and the server is free for the next job at once', async () => {
    // Twice: two sleeping tasks that were not interrupted would hold both of the server's cores.
    for (let i = 0; i < 2; i++) {
      const started = Date.now();
      const err = await collect(engine, SPARK_SLOW_SQL, AbortSignal.timeout(3000)).then(() => undefined, (e: unknown) => e);
      expect(isAppError(err) && err.code, String(err)).toBe('QUERY_TIMEOUT');
      expect(Date.now() - started).toBeLessThan(6000);
    }
    const next = Date.now();
    // Tasks over 4 partitions: they need the slots the sleeps held.
    const { rows } = await collect(engine, 'SELECT count(*) AS n, sum(id) AS s FROM (SELECT /*+ REPARTITION(4) */ id FROM range(1000)) t');
    expect(rows).toEqual([['1000', '499500']]);
    expect(Date.now() - next).toBeLessThan(30_000);
  }, 90_000);
});
