import { spawn, type ChildProcess } from 'node:child_process';
import { readlink } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './moto-server.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface GatewayProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts the real gateway (src/server.ts under tsx) as a child process and waits for /readyz; on a free port unless `env` names one (PORT). */
export async function spawnGateway(env: Record<string, string>): Promise<GatewayProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/server.ts')], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LAKEGATE_SAMPLE: 'off', LOG_LEVEL: 'warn', LAKEGATE_MAX_EVENT_LOOP_DELAY_MS: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`gateway exited: ${out}`);
    const ok = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`gateway did not become ready: ${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    child,
    output: () => out,
    kill: (signal = 'SIGKILL') =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}

/** A JSON request to a gateway process, answered as parsed JSON (any status). */
export async function requestJson(url: string, init?: RequestInit): Promise<any> {
  const res = await fetch(url, { ...init, headers: { 'content-type': 'application/json' } });
  return res.json();
}

/** Resolves once the gateway process has exited (a fault-injected kill, a signal). */
export function exited(g: GatewayProcess): Promise<void> {
  return new Promise((resolve) => (g.child.exitCode !== null || g.child.signalCode !== null ? resolve() : g.child.once('exit', () => resolve())));
}

/** Where each of `tables` under a local warehouse points now (its link's target: `.versions/<table>/<version>`). */
export async function tableLinks(warehouse: string, tables: readonly string[]): Promise<Record<string, string>> {
  return Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await readlink(path.join(warehouse, t))] as const)));
}

/** The rows of partitioned_transactions as a gateway process answers them through /query. */
export async function transactionCount(url: string): Promise<number> {
  const res = await requestJson(`${url}/query`, { method: 'POST', body: JSON.stringify({ sql: 'SELECT count(*) AS n FROM partitioned_transactions' }) });
  return Number(res.rows?.[0]?.[0]);
}
