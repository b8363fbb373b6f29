import type { Logger } from 'pino';
import type { EngineSyncHook } from '../catalog/catalog-service.js';
import { abortError, firstLine } from '../errors.js';
import type { CatalogChange, EngineSyncOutcome, QueryEngine } from './engine.js';

/**
 * The catalog's hook for engines with tables of their own (Trino, Hive, Impala): each follows the
 * change in turn. Changes reach an engine one at a time (a repair, a publication and the start-up
 * sync may overlap, and their DROP/CREATE statements must not interleave). An engine that throws is
 * reported as failed (and retried with the next change by the engine); an abort stops the whole sync.
 */
export function engineSyncHook(engines: readonly QueryEngine[], logger: Pick<Logger, 'info' | 'warn'>): EngineSyncHook {
  const following = engines.filter((e) => e.onCatalogChange !== undefined);
  let queue: Promise<unknown> = Promise.resolve();
  return (change: CatalogChange, signal?: AbortSignal): Promise<EngineSyncOutcome[]> => {
    const turn = queue.catch(() => undefined).then(() => syncAll(change, signal));
    queue = turn;
    return turn;
  };

  async function syncAll(change: CatalogChange, signal?: AbortSignal): Promise<EngineSyncOutcome[]> {
    const outcomes: EngineSyncOutcome[] = [];
    const s = signal ?? AbortSignal.timeout(300_000);
    for (const engine of following) {
      let outcome: EngineSyncOutcome;
      try {
        outcome = await engine.onCatalogChange!(change, s);
      } catch (err) {
        if (s.aborted) throw abortError(s);
        outcome = { engine: engine.name, mode: 'managed', status: 'failed', tables: change.changed.map((d) => d.name), statements: [], error: firstLine(err) };
      }
      const log = { engine: engine.name, reason: change.reason, tables: outcome.tables, status: outcome.status };
      if (outcome.status === 'failed') logger.warn({ ...log, error: outcome.error }, 'engine tables did not follow the catalog; retried with the next change');
      else logger.info(log, 'engine tables follow the catalog');
      outcomes.push(outcome);
    }
    return outcomes;
  }
}
