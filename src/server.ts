import { pino } from 'pino';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { bootstrapSample } from './sample.js';
import { createServices } from './services.js';

/** Process entry: the only place that reads process.env. Listens, then shuts down gracefully on signals. */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = pino({ level: config.logLevel });
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
