import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { buildApp } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { loggerOptions } from '../../../src/observability/log-options.js';
import { createServices, type Services } from '../../../src/services.js';
import { removeDir } from '../../support/gateway.js';

export interface LoggedGateway {
  app: FastifyInstance;
  services: Services;
  home: string;
  /** Every log line written so far, raw. */
  lines: string[];
  /** The lines parsed, filtered by `audit` kind when given. */
  records(audit?: string): Record<string, any>[];
  close(): Promise<void>;
}

/** A gateway (like test/support/gateway.ts) whose logger is the production one, at info, writing into memory. */
export async function startLoggedGateway(env: Record<string, string>): Promise<LoggedGateway> {
  const home = await mkdtemp(path.join(os.tmpdir(), 'lakegate-log-'));
  const lines: string[] = [];
  const logger = pino(loggerOptions('info'), { write: (s: string) => void lines.push(s) });
  const config = loadConfig({ LAKEGATE_HOME: home, LAKEGATE_SAMPLE: 'off', LAKEGATE_STAGE_RETRY_DELAY_MS: '10', ...env });
  const services = await createServices(config, logger);
  const app = await buildApp(services);
  return {
    app,
    services,
    home,
    lines,
    records: (audit) => lines.map((l) => JSON.parse(l) as Record<string, any>).filter((r) => audit === undefined || r.audit === audit),
    close: async () => {
      await app.close();
      await services.close();
      await removeDir(home);
    },
  };
}
