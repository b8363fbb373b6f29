import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalJobBackend } from '../../../src/jobs/local/local-job-backend.js';
import { SparkJobBackend, type SparkJobOptions } from '../../../src/jobs/spark/spark-job-backend.js';
import { findSparkSubmit } from '../../../src/jobs/spark/spark-install.js';
import { PipelineService } from '../../../src/pipeline/pipeline-service.js';
import type { Run, RunRequest } from '../../../src/pipeline/pipeline-types.js';
import { RunStore } from '../../../src/pipeline/run-store.js';
import { TableRegistry } from '../../../src/pipeline/table-registry.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface SparkPipelines {
  service: PipelineService;
  tables: TableRegistry;
  /** Run log lines by run id. */
  logs: Map<string, string[]>;
  /** Submits a run and waits for its end. */
  run(req: RunRequest): Promise<Run>;
}

/** A PipelineService with the embedded and the Spark engine on a temporary home, no catalog, no retries. */
export async function sparkPipelines(home: string, spark: Partial<SparkJobOptions> = {}): Promise<SparkPipelines> {
  const warehouse = path.join(home, 'warehouse');
  const tables = await TableRegistry.load(path.join(ROOT, 'ddl'), { warehouse, database: 'card_analytics' });
  const install = findSparkSubmit({ root: ROOT });
  if (!install) throw new Error('no spark-submit: run scripts/setup-python.sh');
  const logs = new Map<string, string[]>();
  const service = new PipelineService({
    store: await RunStore.open(path.join(home, 'runs')),
    tables,
    backends: {
      local: new LocalJobBackend({ tables }),
      spark: new SparkJobBackend({ ...install, sparkDir: path.join(ROOT, 'spark'), ddlDir: path.join(ROOT, 'ddl'), ...spark }),
    },
    warehouse,
    stageRetries: 0,
    retryDelayMs: 10,
    timeoutMs: 900_000,
    log: (runId, line) => {
      const lines = logs.get(runId) ?? [];
      lines.push(line);
      logs.set(runId, lines);
    },
  });
  return {
    service,
    tables,
    logs,
    run: async (req) => {
      const { run } = await service.submit(req);
      return service.waitFor(run.runId);
    },
  };
}

/** Live (non-zombie) processes of a process group, as [pid, command] pairs, read from /proc. */
export function groupMembers(pgid: number): [number, string][] {
  const members: [number, string][] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === pgid && state !== 'Z') members.push([Number(entry), comm]);
    } catch {
      // The process ended while we looked.
    }
  }
  return members;
}

export { until } from '../../support/until.js';
