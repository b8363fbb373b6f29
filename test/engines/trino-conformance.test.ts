import { inject } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { TrinoQueryEngine } from '../../src/engines/trino/trino-engine.js';
import { freePort } from '../support/moto-server.js';
import { trinoEndpoint } from '../support/trino-server.js';
import { describeQueryEngine } from './support/conformance.js';

/** Trino 476 (the run's server, hive connector on a file metastore) in managed mode: the gateway creates its tables. */
describeQueryEngine('trino', async () => {
  const url = await trinoEndpoint(inject('trinoState'));
  const config = loadConfig({ LAKEGATE_TRINO_URL: url, LAKEGATE_TRINO_TIMESTAMP_PRECISION: '6', LAKEGATE_TRINO_SCHEMA: 'conformance' }).trino!;
  const engine = new TrinoQueryEngine(config);
  const deadPort = await freePort();
  return {
    engine,
    publish: async (defs) => {
      const outcome = await engine.onCatalogChange({ changed: defs, dropped: [], reason: 'publication' }, AbortSignal.timeout(120_000));
      if (outcome.status !== 'synced') throw new Error(`trino sync failed: ${outcome.error} (${outcome.statements.join('; ')})`);
    },
    // 10^10 rows through a cross join (sequence() stops at 10,000 entries): minutes on two cores.
    slowSql:
      'SELECT sum(a.x * b.x * c.x) FROM UNNEST(sequence(1, 10000)) a(x) CROSS JOIN UNNEST(sequence(1, 10000)) b(x) CROSS JOIN UNNEST(sequence(1, 100)) c(x)',
    unreachable: () => new TrinoQueryEngine({ ...config, url: `http://127.0.0.1:${deadPort}` }),
  };
});
