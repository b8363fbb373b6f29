import { appendFile, mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Run } from './pipeline-types.js';

/**
 * Runs persisted as one JSON file each under `<home>/runs`, written atomically (temp file + rename),
 * with an in-memory index for listing. Logs are appended to `<runId>.log` beside them.
 */
export class RunStore {
  private readonly runs = new Map<string, Run>();
  /** Per-run chain of writes, so that an older snapshot never lands after a newer one. */
  private readonly writes = new Map<string, Promise<void>>();

  private constructor(private readonly dir: string) {}

  static async open(dir: string): Promise<RunStore> {
    await mkdir(dir, { recursive: true });
    const store = new RunStore(dir);
    for (const f of await readdir(dir)) {
      if (!f.endsWith('.json')) continue;
      try {
        const run = JSON.parse(await readFile(path.join(dir, f), 'utf8')) as Run;
        store.runs.set(run.runId, run);
      } catch {
        // A file torn by a crash is impossible (rename is atomic); anything else unreadable is skipped.
      }
    }
    return store;
  }

  get(runId: string): Run | undefined {
    return this.runs.get(runId);
  }

  all(): Run[] {
    return [...this.runs.values()];
  }

  /** Newest first; `cursor` is the last runId of the previous page (run ids sort by creation time). */
  page(limit: number, cursor?: string): { runs: Run[]; nextCursor: string | null } {
    const sorted = this.all().sort((a, b) => (a.runId < b.runId ? 1 : a.runId > b.runId ? -1 : 0));
    const start = cursor === undefined ? 0 : sorted.findIndex((r) => r.runId < cursor);
    const runs = start < 0 ? [] : sorted.slice(start, start + limit);
    const last = runs[runs.length - 1];
    const more = start >= 0 && start + limit < sorted.length;
    return { runs, nextCursor: more && last ? last.runId : null };
  }

  /** Persists a snapshot of the run; saves of one run are applied in call order. */
  save(run: Run): Promise<void> {
    this.runs.set(run.runId, run);
    const file = path.join(this.dir, `${run.runId}.json`);
    const text = JSON.stringify(run, null, 1);
    const write = async (): Promise<void> => {
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, text);
      await rename(tmp, file);
    };
    const next = (this.writes.get(run.runId) ?? Promise.resolve()).then(write, write);
    this.writes.set(run.runId, next);
    // The chain is only needed while writes are pending; a finished run keeps no entry.
    const forget = (): void => {
      if (this.writes.get(run.runId) === next) this.writes.delete(run.runId);
    };
    next.then(forget, forget);
    return next;
  }

  async appendLog(runId: string, line: string): Promise<void> {
    await appendFile(path.join(this.dir, `${runId}.log`), `${new Date().toISOString()} ${line}\n`);
  }

  async readLog(runId: string): Promise<string> {
    return readFile(path.join(this.dir, `${runId}.log`), 'utf8').catch(() => '');
  }
}
