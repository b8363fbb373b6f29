import type { TableDef } from '../catalog/table-def.js';
import { abortError, firstLine } from '../errors.js';
import type { CatalogChange, EngineSyncOutcome } from './engine.js';

/** How one engine makes its tables follow the catalog, a table at a time. */
export interface FollowSteps {
  /** Runs one statement on the engine (the follower records it for the outcome). */
  run(sql: string): Promise<void>;
  /** Before any table (e.g. the schema, or one refresh of the whole metadata cache); a failure leaves every table pending. */
  begin?(run: (sql: string) => Promise<void>): Promise<void>;
  /** Makes the engine's table `def` follow the catalog (create, replace, refresh). */
  replace(def: TableDef, run: (sql: string) => Promise<void>): Promise<void>;
  /** Takes a table the catalog dropped away from the engine (or nothing, when the engine shares the catalog). */
  drop(name: string, run: (sql: string) => Promise<void>): Promise<void>;
}

/**
 * The tables an engine still has to follow, and the loop that follows them one at a time: a table the
 * engine refuses is reported and tried again with the next change, without holding back the others.
 * Changes reach an engine one at a time (engine-sync.ts serializes them). Shared by every engine with
 * tables of its own (Trino, Hive, Impala).
 */
export class TableFollower {
  /** By lower-case name: the definition to create or replace, or none for a table to drop. */
  private readonly pending = new Map<string, { name: string; def?: TableDef }>();

  constructor(
    private readonly engine: EngineSyncOutcome['engine'],
    private readonly mode: EngineSyncOutcome['mode'],
  ) {}

  /** Whether any table waits for a retry. */
  get waiting(): boolean {
    return this.pending.size > 0;
  }

  /** Adds `change` to what is pending and follows all of it. An abort stops the loop and throws. */
  async follow(change: CatalogChange, signal: AbortSignal, steps: FollowSteps): Promise<EngineSyncOutcome> {
    for (const def of change.changed) this.pending.set(tableKey(def.name), { name: def.name, def });
    for (const d of change.dropped) this.pending.set(tableKey(d.name), { name: d.name });
    const work = [...this.pending.values()];
    const statements: string[] = [];
    const errors: string[] = [];
    const run = async (sql: string): Promise<void> => {
      statements.push(sql);
      await steps.run(sql);
    };
    const attempt = async (what: () => Promise<void>, label?: string): Promise<boolean> => {
      try {
        await what();
        return true;
      } catch (err) {
        if (signal.aborted) throw abortError(signal);
        errors.push(label ? `${label}: ${firstLine(err)}` : firstLine(err));
        return false;
      }
    };
    if (work.length > 0 && (await attempt(async () => steps.begin?.(run)))) {
      for (const item of work) {
        const done = await attempt(() => (item.def ? steps.replace(item.def, run) : steps.drop(item.name, run)), item.name);
        if (done) this.pending.delete(tableKey(item.name));
      }
    }
    const tables = work.map((w) => w.name);
    const outcome = { engine: this.engine, mode: this.mode, tables, statements };
    return errors.length === 0 ? { ...outcome, status: 'synced' } : { ...outcome, status: 'failed', error: errors.join('; ') };
  }
}

/** Engines match table names without regard to case. */
export const tableKey = (name: string): string => name.toLowerCase();
