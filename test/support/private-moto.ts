import { afterAll, beforeAll, beforeEach } from 'vitest';
import { resetMoto, startMotoServer, type MotoServer } from './moto-server.js';

export interface AwsTestConfig {
  endpoint: string;
  region: string;
  forcePathStyle: true;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

/**
 * A moto server of this test file's own, reset before each test. The run-wide server is shared by
 * test files running in parallel workers, where one file's reset would wipe another's state mid-test;
 * a private server makes the resets safe. `resetEachTest: false` keeps state across the file's tests.
 */
export function usePrivateMoto(options: { resetEachTest?: boolean } = {}): { config: () => AwsTestConfig } {
  let server: MotoServer | undefined;
  beforeAll(async () => {
    server = await startMotoServer();
  });
  afterAll(async () => {
    await server?.stop();
  });
  beforeEach(async () => {
    if (options.resetEachTest ?? true) await resetMoto(server!.endpoint);
  });
  return {
    config: () => ({
      endpoint: server!.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    }),
  };
}
