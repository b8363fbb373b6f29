import { expect } from 'vitest';
import { freePort } from '../support/moto-server.js';
import { createHiveServer2Engine } from '../../src/engines/hiveserver2/index.js';
import { describeQueryEngine } from './support/conformance.js';
import { SPARK_SLOW_SQL, thriftServerConfig } from './support/hiveserver2.js';

// engine 'hive' in managed mode against the run's Spark Thrift Server: publishing creates its tables.
describeQueryEngine('hive', async () => {
  const config = await thriftServerConfig();
  const engine = createHiveServer2Engine('hive', 'hive', config);
  const deadPort = await freePort();
  return {
    engine,
    publish: async (defs) => {
      const outcome = await engine.onCatalogChange({ changed: defs, dropped: [], reason: 'publication' }, new AbortController().signal);
      expect(outcome, JSON.stringify(outcome)).toMatchObject({ engine: 'hive', mode: 'managed', status: 'synced' });
    },
    slowSql: SPARK_SLOW_SQL,
    unreachable: () => createHiveServer2Engine('hive', 'hive', { ...config, port: deadPort }),
  };
});
