import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createServices, type Services } from '../../src/services.js';

export interface TestGateway {
  app: FastifyInstance;
  services: Services;
  home: string;
  close(): Promise<void>;
}

/** A gateway on a fresh temporary LAKEGATE_HOME (sample off), driven through app.inject. */
export async function startGateway(env: Record<string, string> = {}, home?: string): Promise<TestGateway> {
  const dir = home ?? (await mkdtemp(path.join(os.tmpdir(), 'lakegate-test-')));
  // Overload shedding is off unless a test asks for it: a loaded CI machine must not turn polls into 503s.
  const config = loadConfig({ LAKEGATE_HOME: dir, LAKEGATE_SAMPLE: 'off', LAKEGATE_STAGE_RETRY_DELAY_MS: '10', LAKEGATE_MAX_EVENT_LOOP_DELAY_MS: '0', ...env });
  const services = await createServices(config, pino({ level: 'silent' }));
  const app = await buildApp(services);
  return {
    app,
    services,
    home: dir,
    close: async () => {
      await app.close();
      await services.close();
    },
  };
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** Polls GET /pipelines/runs/:id until the run is no longer queued or running. */
export async function waitForRun(app: FastifyInstance, runId: string, timeoutMs = 120_000): Promise<Record<string, any>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await app.inject({ method: 'GET', url: `/pipelines/runs/${runId}` });
    const run = res.json();
    if (run.status !== 'queued' && run.status !== 'running') return run;
    if (Date.now() > deadline) throw new Error(`run ${runId} still ${run.status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
