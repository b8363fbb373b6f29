import { access, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generateCardCsv } from './generator/card-generator.js';
import type { Services } from './services.js';

/**
 * First start of a fresh home with LAKEGATE_SAMPLE=on: generate a sample CSV and run the pipeline on
 * it, so a new user has tables to query within a minute. A marker file makes it happen once.
 */
export async function bootstrapSample(services: Services): Promise<void> {
  const { config, logger, pipelines } = services;
  const marker = path.join(config.home, '.sample-started');
  if (!config.sample || (await access(marker).then(() => true, () => false))) return;
  const input = path.join(config.home, 'sample', 'card_transactions.csv');
  logger.info({ input, records: config.sampleRecords }, 'fresh home: generating sample data');
  await generateCardCsv({ records: config.sampleRecords, output: input, seed: 42 });
  const { run } = await pipelines.submit({ input, idempotencyKey: 'lakegate-sample' });
  await writeFile(marker, `${run.runId}\n`);
  logger.info({ runId: run.runId }, 'sample pipeline run started; follow it at GET /pipelines/runs/' + run.runId);
}
