import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiKeys } from '../../src/auth/api-keys.js';
import { assertSafeExposure, isLoopbackHost } from '../../src/auth/exposure.js';
import { spawnGateway } from '../support/gateway-process.js';
import { removeDir } from '../support/gateway.js';
import { freePort } from '../support/moto-server.js';
import { apiKeysEnv, bearer, TOKENS } from './keys.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const homes: string[] = [];
afterAll(async () => {
  for (const h of homes) await removeDir(h);
});

/** Runs src/server.ts expecting it to refuse to start; resolves with its exit code and output. */
async function refusedStart(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const home = await mkdtemp(path.join(os.tmpdir(), 'lakegate-start-'));
  homes.push(home);
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/server.ts')], {
    cwd: root,
    env: { ...process.env, LAKEGATE_HOME: home, LAKEGATE_SAMPLE: 'off', PORT: String(await freePort()), LAKEGATE_API_KEYS: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  clearTimeout(timer);
  return { code, output };
}

describe('which hosts count as loopback', () => {
  it.each([
    ['127.0.0.1', true], ['127.1.2.3', true], ['localhost', true], ['::1', true], ['[::1]', true], ['::ffff:127.0.0.1', true],
    ['0.0.0.0', false], ['::', false], ['10.0.0.5', false], ['192.168.1.10', false], ['gateway.example', false], ['128.0.0.1', false],
  ])('%s -> %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
    const check = () => assertSafeExposure(host, ApiKeys.parse(''));
    if (loopback) expect(check).not.toThrow();
    else expect(check).toThrow(/refusing to listen on .* without API keys/);
    expect(() => assertSafeExposure(host, ApiKeys.parse(apiKeysEnv()))).not.toThrow();
  });
});

describe('server.ts at start', () => {
  it('refuses a non-loopback HOST without API keys, with a clear message', async () => {
    const { code, output } = await refusedStart({ HOST: '0.0.0.0' });
    expect(code).not.toBe(0);
    expect(output).toContain('refusing to listen on 0.0.0.0 without API keys');
    expect(output).toContain('LAKEGATE_API_KEYS');
  }, 60_000);

  it('refuses malformed LAKEGATE_API_KEYS, naming the entry and not the token', async () => {
    const { code, output } = await refusedStart({ LAKEGATE_API_KEYS: `ok:${TOKENS.admin}:admin,bad:${TOKENS.query}:querry` });
    expect(code).not.toBe(0);
    expect(output).toContain("LAKEGATE_API_KEYS entry 2: unknown scope 'querry'");
    expect(output).not.toContain(TOKENS.query);
  }, 60_000);

  it('starts on loopback with keys and enforces them', async () => {
    const home = await mkdtemp(path.join(os.tmpdir(), 'lakegate-start-'));
    homes.push(home);
    const gw = await spawnGateway({ LAKEGATE_HOME: home, LAKEGATE_API_KEYS: apiKeysEnv() });
    try {
      expect((await fetch(`${gw.url}/tables`)).status).toBe(401);
      expect((await fetch(`${gw.url}/tables`, { headers: bearer(TOKENS.query) })).status).toBe(200);
    } finally {
      await gw.kill('SIGTERM');
    }
  }, 90_000);
});
