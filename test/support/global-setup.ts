import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildConsole } from '../../scripts/build-console.js';
import { startMotoServer, type MotoServer } from './moto-server.js';
import { stopThriftServer, type ThriftServerState } from './thrift-server.js';
import { stopTrino, type TrinoState } from './trino-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    motoEndpoint: string;
    /** Where the run's Trino server lives once a test asks for it (trinoEndpoint). */
    trinoState: TrinoState;
    /** Where the run's Spark Thrift Server (HiveServer2) lives once a test asks for it (thriftServerPort). */
    thriftServerState: ThriftServerState;
  }
}

let moto: MotoServer | undefined;

/**
 * One moto server for the whole run; test files reset it (resetMoto) between tests. Trino and the Spark
 * Thrift Server cost a JVM start each, so they are only prepared here and started by the first test that
 * needs them (trinoEndpoint, thriftServerPort). The web console is bundled first, as `npm start` does.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The gateway serves the console's bundle; every test run serves the current source.
  await buildConsole();
  moto = await startMotoServer();
  project.provide('motoEndpoint', moto.endpoint);
  const trino: TrinoState = { dir: await mkdtemp(path.join(os.tmpdir(), 'lakegate-trino-')), ownerPid: process.pid };
  project.provide('trinoState', trino);
  const thriftServer: ThriftServerState = { dir: await mkdtemp(path.join(os.tmpdir(), 'lakegate-thrift-server-')), ownerPid: process.pid };
  project.provide('thriftServerState', thriftServer);
  return async () => {
    await Promise.all([moto?.stop(), stopTrino(trino), stopThriftServer(thriftServer)]);
  };
}
