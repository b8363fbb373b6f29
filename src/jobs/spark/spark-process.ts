import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { AppError, abortError } from '../../errors.js';

export interface ProcessOptions {
  env: Record<string, string | undefined>;
  signal: AbortSignal;
  /** Every stdout and stderr line, as it arrives. */
  onLine: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Called once the process is running, with its pid (= its process group id). */
  onStart?: (pid: number) => void;
  /** Time between SIGTERM and SIGKILL of the process group on abort (default 5000 ms). */
  killGraceMs?: number;
}

export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
}

function killGroup(pgid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pgid, sig);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/**
 * Runs a command in its own process group (spark-submit starts a JVM, which starts the Python
 * driver and its workers) and resolves with its exit status once all its output is read.
 * On abort the whole group gets SIGTERM, then SIGKILL after the grace period, and the promise
 * rejects with the abort's error once the process has exited.
 */
export function runProcess(command: string, args: string[], o: ProcessOptions): Promise<ProcessResult> {
  if (o.signal.aborted) return Promise.reject(abortError(o.signal));
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: o.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = (): void => {
      if (child.pid === undefined) return;
      killGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => child.pid !== undefined && killGroup(child.pid, 'SIGKILL'), o.killGraceMs ?? 5000);
    };
    const done = (): void => {
      o.signal.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
    };
    child.once('spawn', () => {
      if (child.pid !== undefined) o.onStart?.(child.pid);
      o.signal.addEventListener('abort', onAbort, { once: true });
      if (o.signal.aborted) onAbort();
    });
    child.once('error', (err) => {
      done();
      reject(new AppError('INTERNAL', `cannot run ${command}: ${err.message}`, { cause: err }));
    });
    createInterface({ input: child.stdout }).on('line', (line) => o.onLine(line, 'stdout'));
    createInterface({ input: child.stderr }).on('line', (line) => o.onLine(line, 'stderr'));
    child.once('close', (code, sig) => {
      const aborted = o.signal.aborted;
      // Workers the JVM started may outlive it; a finished job leaves nothing behind.
      if (aborted && child.pid !== undefined) killGroup(child.pid, 'SIGKILL');
      done();
      if (aborted) reject(abortError(o.signal));
      else resolve({ code, signal: sig });
    });
  });
}

/**
 * Kills what is left of a process group a previous gateway process started (it died without
 * cancelling its jobs), but only if a live member still carries `marker` (NAME=value) in its
 * environment: after a restart the group id may belong to someone else. Reads /proc, so it acts on
 * Linux only; elsewhere it finds nothing. Returns whether it killed.
 */
export function killLeftoverGroup(pgid: number, marker: string): boolean {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return false;
  }
  const ours = entries.some((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) !== pgid || state === 'Z') return false;
      return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(marker);
    } catch {
      return false; // ended while we looked, or not ours to read
    }
  });
  if (ours) killGroup(pgid, 'SIGKILL');
  return ours;
}
