import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sleep } from '../../src/storage/concurrency.js';

/**
 * A server JVM shared by a whole vitest run (Trino, the Spark Thrift Server), started lazily: the
 * global setup only makes a state directory; the first test that asks claims it (an atomic mkdir) and
 * starts the server, later callers in any worker wait for its endpoint file. The global teardown stops
 * it, and a watchdog shell stops it when the vitest process that owns the run dies.
 *
 * State directory layout: `claimed/` (the claim), `pid` (the watchdog's process group), `endpoint`
 * (written once the server answers), `failed` (why it could not start), `server.log`, and whatever the
 * server itself keeps there.
 */
export interface PeerState {
  dir: string;
  /** The vitest main process: the server does not outlive it. */
  ownerPid: number;
}

/** The run's server endpoint, from `start` when this caller claims the state directory, else from the file it writes. */
export async function claimPeer(state: PeerState, what: string, startTimeoutMs: number, start: () => Promise<string>): Promise<string> {
  let claimed = false;
  try {
    await mkdir(path.join(state.dir, 'claimed'));
    claimed = true;
  } catch {
    /* another test started it */
  }
  if (claimed) {
    try {
      const endpoint = await start();
      await writeFile(path.join(state.dir, 'endpoint'), endpoint);
      return endpoint;
    } catch (err) {
      await writeFile(path.join(state.dir, 'failed'), String(err instanceof Error ? err.message : err));
      throw err;
    }
  }
  const deadline = Date.now() + startTimeoutMs + 10_000;
  for (;;) {
    if (existsSync(path.join(state.dir, 'endpoint'))) return (await readFile(path.join(state.dir, 'endpoint'), 'utf8')).trim();
    if (existsSync(path.join(state.dir, 'failed'))) throw new Error(`${what} did not start: ${await readFile(path.join(state.dir, 'failed'), 'utf8')}`);
    if (Date.now() > deadline) throw new Error(`${what} did not start in time (started by another test file)`);
    await sleep(200);
  }
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Spawns `command args` in a process group of its own, output to `server.log`, under a watchdog shell
 * that stops it when the owning vitest process is gone (a crashed or killed run). Resolves once `ready`
 * answers true; throws with the log's tail when the server exits or `timeoutMs` passes.
 */
export async function spawnPeer(
  state: PeerState,
  what: string,
  run: { command: string; args: string[]; env: Record<string, string>; cwd?: string },
  ready: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const log = path.join(state.dir, 'server.log');
  const watchdog = [
    '"$@" > "$LOG" 2>&1 & server=$!',
    'while kill -0 "$OWNER" 2> /dev/null && kill -0 "$server" 2> /dev/null; do sleep 2; done',
    'kill "$server" 2> /dev/null; wait "$server"',
  ].join('\n');
  const child = spawn('bash', ['-c', watchdog, `${what}-watchdog`, run.command, ...run.args], {
    detached: true,
    stdio: 'ignore',
    cwd: run.cwd ?? state.dir,
    env: { ...process.env, ...run.env, OWNER: String(state.ownerPid), LOG: log },
  });
  child.unref();
  if (child.pid === undefined) throw new Error(`could not spawn ${what}`);
  await writeFile(path.join(state.dir, 'pid'), String(child.pid));
  const deadline = Date.now() + timeoutMs;
  const tail = async (): Promise<string> => (existsSync(log) ? (await readFile(log, 'utf8')).slice(-3000) : '');
  for (;;) {
    if (child.exitCode !== null || !alive(child.pid)) throw new Error(`${what} exited while starting:\n${await tail()}`);
    if (Date.now() > deadline) throw new Error(`${what} did not start in ${timeoutMs / 1000} s:\n${await tail()}`);
    if (await ready()) return;
    await sleep(500);
  }
}

/** Stops the run's server, if one was started (global teardown), and removes its state. */
export async function stopPeer(state: PeerState): Promise<void> {
  const pidFile = path.join(state.dir, 'pid');
  if (existsSync(pidFile)) {
    const pid = Number(await readFile(pidFile, 'utf8'));
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
    const deadline = Date.now() + 20_000;
    while (alive(pid) && Date.now() < deadline) await sleep(100);
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  await rm(state.dir, { recursive: true, force: true });
}
