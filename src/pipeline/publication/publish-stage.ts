import { AppError } from '../../errors.js';
import type { PublicationJournal, StagePublication } from '../pipeline-types.js';
import type { TablePublisher } from './table-publisher.js';

export interface PublishStageOptions {
  /** Rows written per table when the writer knows them; otherwise the publisher counts them. */
  rows?: Record<string, number>;
  /** Whether an empty table may replace a live one (the run's allowEmpty). */
  allowEmpty: boolean;
  journal: PublicationJournal;
  log?: (line: string) => void;
}

/**
 * Publishes every table a stage wrote as one commit: the intent (version, tables, the versions they
 * replace) is recorded in the run before the first swap, each swap after it happens, and the outcome
 * after the last. A failure part-way points the swapped tables back, so a stage is either live as a
 * whole or not at all; after a crash, recovery does the same from the recorded intent
 * (`rollBackPublication`). An empty table is never published unless the run allows it.
 */
export async function publishStage(publisher: TablePublisher, tables: readonly string[], version: string, o: PublishStageOptions): Promise<void> {
  if (!o.allowEmpty) await refuseEmpty(publisher, tables, version, o.rows);
  await publisher.checkLayout?.(tables);
  const previous: Record<string, string | null> = {};
  for (const t of tables) {
    // A plain directory becomes a version first, so that a roll-back has it to return to.
    await publisher.adopt?.(t);
    previous[t] = (await publisher.current?.(t)) ?? null;
  }
  const record: StagePublication = { version, tables: [...tables], previous, state: 'publishing', published: [] };
  await o.journal({ ...record });
  try {
    for (const t of tables) {
      await publisher.publish(t, version);
      record.published = [...record.published!, t];
      await o.journal({ ...record });
    }
  } catch (err) {
    await undoPublication(publisher, record, o);
    throw err;
  }
  await o.journal({ ...record, state: 'published' });
}

/**
 * Rolls a publication back and records that it was; a roll-back that fails leaves the record as it
 * was, so that the next start (recovery) tries again from the same intent.
 */
export async function undoPublication(publisher: TablePublisher, record: StagePublication, o: Pick<PublishStageOptions, 'journal' | 'log'>): Promise<string[]> {
  let undone: string[];
  try {
    undone = await rollBackPublication(publisher, record);
  } catch (e) {
    o.log?.(`could not roll back ${record.version}: ${(e as Error).message}; the next start tries again`);
    return [];
  }
  await o.journal({ ...record, state: 'rolledBack' }).catch(() => undefined);
  if (undone.length > 0) o.log?.(`rolled back ${undone.join(', ')} to the versions they had before`);
  return undone;
}

/** Points every table the publication swapped back at the version it replaced. */
export async function rollBackPublication(publisher: TablePublisher, p: StagePublication): Promise<string[]> {
  if (!publisher.rollback || !publisher.current) return [];
  const undone: string[] = [];
  for (const t of p.tables) {
    if ((await publisher.current(t)) !== p.version) continue;
    await publisher.rollback(t, p.previous[t] ?? undefined);
    undone.push(t);
  }
  return undone;
}

async function refuseEmpty(publisher: TablePublisher, tables: readonly string[], version: string, rows: Record<string, number> = {}): Promise<void> {
  const empty: string[] = [];
  for (const t of tables) {
    const n = rows[t] ?? (await publisher.rowsIn?.(t, version));
    if (n === 0) empty.push(t);
  }
  if (empty.length > 0) {
    throw new AppError('EMPTY_OUTPUT', `the stage wrote no rows to ${empty.join(', ')}; nothing was published (the live tables are unchanged). Send allowEmpty: true to publish empty tables`, {
      details: { emptyTables: empty },
    });
  }
}
