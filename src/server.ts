import { pino } from 'pino';
import { buildApp } from './app.js';
import { ApiKeys } from './auth/api-keys.js';
import { assertSafeExposure } from './auth/exposure.js';
import { loadConfig } from './config.js';
import { bootstrapSample } from './sample.js';
import { loggerOptions } from './observability/log-options.js';
import { createServices } from './services.js';

/** Process entry: the only place that reads process.env. Listens, then shuts down gracefully on signals. */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  // Before anything starts: malformed keys, or an open gateway on a non-loopback address, stop here.
  assertSafeExposure(config.host, ApiKeys.parse(config.apiKeys));
  const logger = pino(loggerOptions(config.logLevel));
  const services = await createServices(config, logger);
  const app = await buildApp(services);
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 30_000);
    force.unref();
    await app.close();
    await services.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  await app.listen({ port: config.port, host: config.host });
  bootstrapSample(services).catch((err: unknown) => logger.error({ err }, 'sample bootstrap failed'));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
