import { AppError } from '../errors.js';

/** What a CLI command touches of its process; tests and other entries can pass their own. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Calls `fn` on SIGINT/SIGTERM until the returned function is called. */
  onInterrupt(fn: () => void): () => void;
}

export const EXIT = { ok: 0, failed: 1, usage: 2, qualityFail: 3, interrupted: 130 } as const;

/** A mistake in the command line: reported with the usage text, exit 2. */
export class UsageError extends Error {}

export function processIo(): CliIo {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
    cwd: process.cwd(),
    onInterrupt: (fn) => {
      process.on('SIGINT', fn);
      process.on('SIGTERM', fn);
      return () => {
        process.off('SIGINT', fn);
        process.off('SIGTERM', fn);
      };
    },
  };
}

/** Prints a failure for an operator and answers the exit code; `hint` follows usage mistakes. */
export function reportError(err: unknown, io: CliIo, hint: string): number {
  if (err instanceof UsageError) {
    io.err(`lakegate: ${err.message} (${hint})`);
    return EXIT.usage;
  }
  if (err instanceof AppError) {
    io.err(`lakegate: ${err.code}: ${err.message}`);
    return err.code === 'VALIDATION_FAILED' ? EXIT.usage : EXIT.failed;
  }
  io.err(`lakegate: ${err instanceof Error ? err.message : String(err)}`);
  return EXIT.failed;
}
