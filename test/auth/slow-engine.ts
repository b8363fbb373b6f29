import type { QueryEngine } from '../../src/engines/engine.js';
import type { Services } from '../../src/services.js';

/**
 * Makes the gateway's DuckDB engine wait `ms` before each query (cancellable through the query's
 * signal), so tests can fill the admission queue or hit a timeout without a heavy query.
 */
export function slowDownDuckDB(services: Services, ms: number): void {
  // The query service keeps its engines private; a test reaches in rather than widening its API.
  const engine = (services.query as unknown as { o: { engines: { duckdb: QueryEngine } } }).o.engines.duckdb;
  const execute = engine.execute.bind(engine);
  engine.execute = async (sql, options) => {
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(resolve, ms);
      options.signal.addEventListener('abort', () => (clearTimeout(t), reject(options.signal.reason as Error)), { once: true });
    });
    return execute(sql, options);
  };
}
