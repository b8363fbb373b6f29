import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { CatalogService } from './catalog/catalog-service.js';
import { LocalJobBackend } from './jobs/local/local-job-backend.js';
import { PipelineService } from './pipeline/pipeline-service.js';
import { RunStore } from './pipeline/run-store.js';
import { TableRegistry } from './pipeline/table-registry.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Everything routes call. Built once by createServices; the only place that picks implementations. */
export interface Services {
  config: Config;
  logger: Logger;
  version: string;
  tables: TableRegistry;
  pipelines: PipelineService;
  catalog?: CatalogService;
  isReady(): boolean;
  close(): Promise<void>;
}

export async function createServices(config: Config, logger: Logger): Promise<Services> {
  await mkdir(config.warehouse, { recursive: true });
  const tables = await TableRegistry.load(path.join(ROOT, 'ddl'), { warehouse: config.warehouse, database: config.catalog.glueDatabase });
  const store = await RunStore.open(path.join(config.home, 'runs'));
  const runLog = (runId: string, line: string): void => {
    logger.info({ runId }, line);
    void store.appendLog(runId, line).catch(() => undefined);
  };
  const pipelines = new PipelineService({
    store,
    tables,
    backends: { local: new LocalJobBackend({ tables }) },
    warehouse: config.warehouse,
    stageRetries: config.pipeline.stageRetries,
    retryDelayMs: config.pipeline.retryDelayMs,
    timeoutMs: config.pipeline.timeoutMs,
    log: runLog,
  });
  const recovered = await pipelines.recover();
  if (recovered > 0) logger.warn({ recovered }, 'marked runs interrupted by a restart as failed');
  let ready = true;
  return {
    config,
    logger,
    version: '0.1.0',
    tables,
    pipelines,
    isReady: () => ready,
    close: async () => {
      ready = false;
      await pipelines.close();
    },
  };
}
