import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A `lakegate ...` process as an operator or a scheduler runs it. */
export interface CliProcess {
  stdout: () => string;
  stderr: () => string;
  /** The exit code (128 when a signal ended it). */
  exit: Promise<number>;
  kill: (signal: NodeJS.Signals) => void;
}

/** Runs `node bin/lakegate.js ...args` from the checkout, with `env` over this process's environment. */
export function spawnCli(args: string[], env: Record<string, string>): CliProcess {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'lakegate.js'), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return {
    stdout: () => out,
    stderr: () => err,
    exit: new Promise((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)))),
    kill: (signal) => child.kill(signal),
  };
}
