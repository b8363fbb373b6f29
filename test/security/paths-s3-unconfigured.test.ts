import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir } from '../support/gateway.js';
import { spawnGateway, type GatewayProcess } from '../support/gateway-process.js';

/** Issue 10, item 12: an s3:// location on a gateway with no AWS configuration answered 502 CredentialsProviderError. */
describe('an s3:// location on a gateway without AWS credentials', () => {
  let gw: GatewayProcess;
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'lakegate-test-'));
    // No keys, no profile files, no instance metadata: the SDK's credential chain finds nothing.
    gw = await spawnGateway({
      LAKEGATE_HOME: home,
      HOME: home,
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
      AWS_SESSION_TOKEN: '',
      AWS_PROFILE: '',
      AWS_ENDPOINT_URL: '',
      AWS_CONFIG_FILE: path.join(home, 'no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'no-aws-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
    });
  });
  afterAll(async () => {
    await gw?.kill();
    await removeDir(home);
  });

  it('is refused with 422 AWS_NOT_CONFIGURED, saying so', async () => {
    const res = await fetch(`${gw.url}/tables`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'remote', location: 's3://lake-bucket/remote' }),
    });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.code).toBe('AWS_NOT_CONFIGURED');
    expect(body.detail).toBe(
      'listing s3://lake-bucket/remote/: this gateway has no AWS credentials configured (set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE or an instance role)',
    );
    expect((await fetch(`${gw.url}/tables/remote`)).status).toBe(404);
  });
});
