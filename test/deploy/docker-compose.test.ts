import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ApiKeys } from '../../src/auth/api-keys.js';
import { assertSafeExposure } from '../../src/auth/exposure.js';
import { loadConfig } from '../../src/config.js';

// No Docker engine runs here: the compose file is checked for structure, and its environment is fed
// through the gateway's own configuration loader.
const compose = parse(readFileSync('docker-compose.yml', 'utf8')) as any;

describe('docker-compose.yml', () => {
  it('runs the gateway from the Dockerfile and LocalStack for S3 on port 4566', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['lakegate', 'localstack']);
    expect(compose.services.localstack.image).toMatch(/^localstack\/localstack:/);
    expect(compose.services.localstack.ports).toContain('4566:4566');
    expect(compose.services.localstack.environment.SERVICES).toContain('s3');
    expect(compose.services.lakegate.build).toBe('.');
    expect(compose.services.lakegate.ports).toContain('8080:8080');
    expect(compose.services.lakegate.depends_on.localstack.condition).toBe('service_healthy');
    expect(compose.services.localstack.healthcheck.test.join(' ')).toContain('4566');
  });

  it('gives the gateway a valid configuration that reaches LocalStack and may listen beyond loopback', () => {
    const env = { ...compose.services.lakegate.environment, LAKEGATE_API_KEYS: 'admin:change-me-please:admin' };
    const config = loadConfig(env);
    expect(config.host).toBe('0.0.0.0');
    expect(config.port).toBe(8080);
    expect(config.aws.endpoint).toBe('http://localstack:4566');
    // Listening beyond loopback is allowed with keys, and refused without them.
    expect(() => assertSafeExposure(config.host, ApiKeys.parse(config.apiKeys))).not.toThrow();
    const bare = loadConfig({ ...compose.services.lakegate.environment, LAKEGATE_API_KEYS: '' });
    expect(() => assertSafeExposure(bare.host, ApiKeys.parse(bare.apiKeys))).toThrow(/LAKEGATE_API_KEYS/);
    const volume = compose.services.lakegate.volumes[0].split(':')[0];
    expect(Object.keys(compose.volumes)).toContain(volume);
  });

  it('builds from a Dockerfile that installs production dependencies and starts the server', () => {
    const dockerfile = readFileSync('Dockerfile', 'utf8');
    expect(dockerfile).toMatch(/^FROM node:20/m);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile).toMatch(/CMD \["node", "--import", "tsx", "src\/server.ts"\]/);
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    expect(Object.keys(pkg.dependencies)).toContain('tsx');
  });
});
