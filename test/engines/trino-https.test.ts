import { beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { TrinoQueryEngine } from '../../src/engines/trino/trino-engine.js';
import { isAppError } from '../../src/errors.js';
import { trinoHttps, type TrinoHttps } from '../support/trino-server.js';
import { collect, firstFailure } from './support/conformance.js';

/**
 * The Trino engine over HTTPS, against the run's Trino server's HTTPS port (a self-signed certificate
 * made at its start, the file password authenticator), with the settings through loadConfig as a
 * deployment writes them.
 */
describe('Trino engine over https', () => {
  let https: TrinoHttps;
  const engine = (env: Record<string, string>): TrinoQueryEngine => new TrinoQueryEngine(loadConfig({ LAKEGATE_TRINO_URL: https.url, LAKEGATE_TRINO_USER: https.user, LAKEGATE_TRINO_PASSWORD: https.password, ...env }).trino!);

  beforeAll(async () => {
    https = await trinoHttps(inject('trinoState'));
  }, 300_000);

  it('answers over https with the CA file and the password: a 17-digit BIGINT exact, a VALUES table, the server version', async () => {
    const config = loadConfig({ LAKEGATE_TRINO_URL: https.url, LAKEGATE_TRINO_TLS_CA_FILE: https.caFile, LAKEGATE_TRINO_USER: https.user, LAKEGATE_TRINO_PASSWORD: https.password }).trino!;
    expect(config).toMatchObject({ tls: { caFile: https.caFile, rejectUnauthorized: true }, user: https.user, password: https.password });
    const trino = new TrinoQueryEngine(config);
    try {
      expect((await collect(trino, 'SELECT 9007199254740993 AS big')).rows).toEqual([['9007199254740993']]);
      const table = await collect(trino, "SELECT id, name FROM (VALUES (3, 'c'), (1, 'a'), (2, 'b')) AS t(id, name) ORDER BY id");
      expect(table.rows).toEqual([[1, 'a'], [2, 'b'], [3, 'c']]);
      expect(await trino.status(AbortSignal.timeout(10_000))).toEqual({ reachable: true, version: '476' });
    } finally {
      await trino.close();
    }
  });

  it('with TLS_VERIFY=off and no CA file: answers', async () => {
    const trino = engine({ LAKEGATE_TRINO_TLS_VERIFY: 'off' });
    try {
      expect((await collect(trino, "SELECT 'unverified' AS s")).rows).toEqual([['unverified']]);
    } finally {
      await trino.close();
    }
  });

  it('with verification on and no CA file: 502 UPSTREAM_FAILED naming the TLS problem and the CA setting, at once', async () => {
    const { err, ms } = await firstFailure(engine({}));
    expect(isAppError(err) && err.code, String(err)).toBe('UPSTREAM_FAILED');
    expect(isAppError(err) && err.status).toBe(502);
    expect(isAppError(err) && err.details).toEqual({ engine: 'trino' });
    const host = new URL(https.url).host;
    expect((err as Error).message).toMatch(new RegExp(`^engine 'trino': the TLS handshake with ${host.replace(/\./g, '\\.')} failed \\(DEPTH_ZERO_SELF_SIGNED_CERT: self[- ]signed certificate\\); check LAKEGATE_TRINO_TLS_CA_FILE$`));
    expect(ms).toBeLessThan(2000);
  });

  // Trino's own reasons: the password file does not match, or the request carried no credentials.
  const refusals = [
    ['a wrong password', 'not-the-password', 'Access Denied: Invalid credentials'],
    ['no password', '', 'Unauthorized'],
  ] as const;
  for (const [what, password, reason] of refusals) {
    it(`with ${what}: 502 UPSTREAM_FAILED naming authentication and the settings, at once`, async () => {
      const { err, ms } = await firstFailure(engine({ LAKEGATE_TRINO_TLS_CA_FILE: https.caFile, LAKEGATE_TRINO_PASSWORD: password }));
      expect(isAppError(err) && err.code, String(err)).toBe('UPSTREAM_FAILED');
      expect(isAppError(err) && err.status).toBe(502);
      expect(isAppError(err) && err.details).toEqual({ engine: 'trino' });
      expect((err as Error).message).toBe(`engine 'trino': authentication failed (401: ${reason}); check LAKEGATE_TRINO_USER and LAKEGATE_TRINO_PASSWORD`);
      expect(ms).toBeLessThan(2000);
    });
  }
});
