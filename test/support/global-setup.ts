import type { TestProject } from 'vitest/node';
import { startMotoServer, type MotoServer } from './moto-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    motoEndpoint: string;
  }
}

let moto: MotoServer | undefined;

/** One moto server for the whole run; test files reset it (resetMoto) between tests. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  moto = await startMotoServer();
  project.provide('motoEndpoint', moto.endpoint);
  return async () => {
    await moto?.stop();
  };
}
