import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startMotoServer, type MotoServer } from './moto-server.js';
import { stopTrino, type TrinoState } from './trino-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    motoEndpoint: string;
    /** Where the run's Trino server lives once a test asks for it (trinoEndpoint). */
    trinoState: TrinoState;
  }
}

let moto: MotoServer | undefined;

/**
 * One moto server for the whole run; test files reset it (resetMoto) between tests. Trino costs a JVM
 * start, so it is only prepared here and started by the first test that needs it (trinoEndpoint).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  moto = await startMotoServer();
  project.provide('motoEndpoint', moto.endpoint);
  const trino: TrinoState = { dir: await mkdtemp(path.join(os.tmpdir(), 'lakegate-trino-')), ownerPid: process.pid };
  project.provide('trinoState', trino);
  return async () => {
    await Promise.all([moto?.stop(), stopTrino(trino)]);
  };
}
