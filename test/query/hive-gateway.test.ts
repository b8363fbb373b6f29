import { describeManagedEngineGateway } from './support/managed-engine-gateway.js';
import { thriftServerConfig } from '../engines/support/hiveserver2.js';

// A gateway with engine "hive" over HiveServer2 (the run's Spark Thrift Server): managed tables there.
describeManagedEngineGateway(
  'hive',
  async () => {
    const c = await thriftServerConfig();
    return { LAKEGATE_HIVE_HOST: c.host, LAKEGATE_HIVE_PORT: String(c.port), LAKEGATE_HIVE_DATABASE: 'gateway_test' };
  },
  { version: /^\d+\.\d+/ },
);
